"""Slack retries only Events API deliveries (X-Slack-Retry-Num); each event is acted on once.

Nothing here runs before the ack: Bolt acknowledges an event before its listener starts, and the
listener's wrapper (bot.errors.guarded) records the event id first, dropping a delivery already seen.
Commands and interactions are never retried by Slack, so they are not recorded.
"""

from __future__ import annotations

from core.services.slack_deliveries import first_delivery


def delivery_key(body: dict) -> str | None:
    """event:<event id> for Events API deliveries, None for everything else."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    return None


async def seen_before(body: dict) -> bool:
    """Record this delivery (after the ack); True when it is a repeat to drop."""
    key = delivery_key(body)
    return key is not None and not await first_delivery(key)
