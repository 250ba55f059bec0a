"""Slack deliveries already acted on: Slack retries an Events API delivery it thinks was lost
(with X-Slack-Retry-Num), so each event id is recorded once, after the ack, and a repeat is dropped.

Recording happens after Slack got its answer (see bot.deliveries); old keys are forgotten by a job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.clock import utcnow
from core.models import SlackDelivery

KEPT = timedelta(days=1)  # Slack retries within minutes; a day is plenty


async def first_delivery(key: str, *, now: datetime | None = None) -> bool:
    """Record the key in one statement; False when it was already recorded (by any process)."""
    try:
        await SlackDelivery.create(key=key[:128], received_at=now or utcnow())
    except IntegrityError:
        return False
    return True


async def forget_deliveries(*, now: datetime | None = None) -> int:
    """Drop keys older than KEPT; returns how many."""
    return await SlackDelivery.filter(received_at__lt=(now or utcnow()) - KEPT).delete()
