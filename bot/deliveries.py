"""Slack retries a delivery it thinks was lost (X-Slack-Retry-Num); each event or interaction is acted on once.

Every request with an event id or a trigger id is recorded in the database, so this holds across
processes too; a repeat is acknowledged and dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_bolt.response import BoltResponse
from tortoise.exceptions import IntegrityError

from core.clock import utcnow
from core.models import SlackDelivery

KEPT = timedelta(days=1)


def delivery_key(body: dict) -> str | None:
    """event:<event id> for events, trigger:<trigger id> for commands and interactions, None otherwise."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("trigger_id") and body.get("type") != "block_suggestion":
        return f"trigger:{body['trigger_id']}"
    return None


async def first_delivery(key: str, *, now: datetime | None = None) -> bool:
    """Record the key; False when it was already recorded. Forgets keys older than a day."""
    now = now or utcnow()
    await SlackDelivery.filter(received_at__lt=now - KEPT).delete()
    try:
        await SlackDelivery.create(key=key[:128], received_at=now)
    except IntegrityError:
        return False
    return True


async def once(body: dict, next) -> BoltResponse | None:
    """Global middleware: drop a delivery already seen."""
    key = delivery_key(body)
    if key is not None and not await first_delivery(key):
        return BoltResponse(status=200, body="")
    await next()
    return None
