"""The notification outbox: each event's message to each target, written with the change that causes it,
then delivered.

Rows are written inside the caller's transaction (core.events.record, set-based; `claim_notice` and
`enqueue` one at a time, as savepoints), so a message exists exactly when its cause was committed, and a
failed delivery never undoes the cause. Delivery claims a batch of the target kinds this process can send
(FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serializes writers) under a lease, hands each message, its
event read back, to the sender registered for its target kind, and records the outcome: delivered,
retried with exponential backoff (or the server's Retry-After), rerouted to the org managers' direct
messages when a Slack channel cannot take it, or failed for good.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core.clock import utcnow
from core.db import transaction
from core.events import Event, decode, encode
from core.events.routing import SLACK_CHANNEL, Router, Target
from core.models import Notice, OutboxMessage

log = logging.getLogger(__name__)

PENDING, DELIVERED, FAILED, REROUTED = "pending", "delivered", "failed", "rerouted"
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 30
LEASE = timedelta(minutes=5)
BATCH = 50


@dataclass(frozen=True)
class Delivery:
    """One message as a sender gets it: the event (typed), its target and, for a rerouted copy, the channel
    it was meant for and why."""

    id: int
    organization_id: int
    event: Event
    target: Target
    rerouted_from: str = ""
    reroute_reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """What a sender reports: delivered, retry (maybe after `retry_after` seconds), fallback or failed."""

    status: str
    error: str = ""
    retry_after: float | None = None


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    rerouted: int = 0
    failed: int = 0


Sender = Callable[[Delivery], Awaitable[Outcome]]


async def claim_notice(*, organization_id: int, key: str, now: datetime) -> bool:
    """Record that the event `key` is being handled; False when it already was (by anyone)."""
    if await Notice.exists(key=key):
        return False
    try:
        async with transaction():
            await Notice.create(organization_id=organization_id, key=key, created_at=now)
    except IntegrityError:
        return False
    return True


async def enqueue(*, organization_id: int, event: Event, dedup_key: str, target: Target, now: datetime,
                  rerouted_from: str = "", reroute_reason: str = "") -> bool:
    """Add one message unless one with the same dedup key exists; False when it did."""
    if await OutboxMessage.exists(dedup_key=dedup_key):
        return False
    try:
        async with transaction():
            await OutboxMessage.create(
                organization_id=organization_id, event_type=event.type, payload=encode(event), dedup_key=dedup_key,
                target_kind=target.kind, target_address=target.address, rerouted_from=rerouted_from,
                reroute_reason=reroute_reason, next_attempt_at=now, created_at=now)
    except IntegrityError:
        return False
    return True


def delivery(message: OutboxMessage) -> Delivery:
    """The stored message with its event read back into its dataclass."""
    return Delivery(message.id, message.organization_id, decode(message.event_type, message.payload),
                    Target(message.target_kind, message.target_address), message.rerouted_from,
                    message.reroute_reason)


async def claim_batch(*, worker: str, now: datetime, kinds: list[str], limit: int = BATCH,
                      lease: timedelta = LEASE) -> list[OutboxMessage]:
    """Take up to `limit` due messages for targets of `kinds` under a lease no other worker can take meanwhile."""
    token = f"{worker[:40]}/{uuid.uuid4().hex[:12]}"
    claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    async with transaction():
        rows = await (OutboxMessage.filter(claimable, state=PENDING, next_attempt_at__lte=now, target_kind__in=kinds)
                      .order_by("next_attempt_at", "id").limit(limit).select_for_update(skip_locked=True).only("id"))
        ids = [row.id for row in rows]
        if ids:
            await OutboxMessage.filter(claimable, id__in=ids).update(claimed_by=token, claimed_until=now + lease)
    if not ids:
        return []
    return await OutboxMessage.filter(claimed_by=token).order_by("id")


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 30 s, 1 min, 2 min ... at most 1 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


async def record_outcome(*, message: OutboxMessage, outcome: Outcome, now: datetime) -> str:
    """Store what happened to a claimed message; returns the state it moved to."""
    mine = OutboxMessage.filter(id=message.id, claimed_by=message.claimed_by)
    released = {"claimed_by": "", "claimed_until": None}
    if outcome.status == DELIVERED:
        await mine.update(state=DELIVERED, delivered_at=now, attempts=message.attempts + 1, **released)
        return DELIVERED
    if outcome.status == "fallback" and message.target_kind == SLACK_CHANNEL:
        return await _reroute(message, outcome.error, now)
    attempts = message.attempts + 1
    if outcome.status == "retry" and attempts < MAX_ATTEMPTS:
        delay = timedelta(seconds=outcome.retry_after) if outcome.retry_after else backoff(attempts)
        await mine.update(attempts=attempts, next_attempt_at=now + delay, last_error=outcome.error[:2000], **released)
        return PENDING
    log.warning("outbox message %s (%s) failed for good: %s", message.id, message.event_type, outcome.error)
    await mine.update(state=FAILED, attempts=attempts, last_error=outcome.error[:2000], **released)
    return FAILED


async def deliver_due(*, senders: Mapping[str, Sender], worker: str, now: datetime | None = None,
                      limit: int = BATCH) -> DeliveryReport:
    """Send one batch of due messages, each through the sender of its target kind; a sender that raises (or
    an event that cannot be read back) counts as a retry, never as lost."""
    now = now or utcnow()
    report = DeliveryReport()
    for message in await claim_batch(worker=worker, now=now, kinds=list(senders), limit=limit):
        try:
            outcome = await senders[message.target_kind](delivery(message))
        except Exception as exc:  # the sender is outside core; whatever it raises, the message is kept
            log.exception("sending outbox message %s failed", message.id)
            outcome = Outcome("retry", error=f"{type(exc).__name__}: {exc}")
        state = await record_outcome(message=message, outcome=outcome, now=now)
        counter = {DELIVERED: "delivered", PENDING: "retried", REROUTED: "rerouted"}.get(state, "failed")
        setattr(report, counter, getattr(report, counter) + 1)
    return report


async def _reroute(message: OutboxMessage, reason: str, now: datetime) -> str:
    """A channel that cannot take the message: the org managers get it as a direct message instead."""
    async with transaction():
        targets = await Router(message.organization_id).managers()
        event = decode(message.event_type, message.payload)
        for target in targets:
            await enqueue(organization_id=message.organization_id, event=event,
                          dedup_key=f"{message.dedup_key}|fallback|{target.key}"[:255], target=target, now=now,
                          rerouted_from=message.target_address, reroute_reason=reason)
        state = REROUTED if targets else FAILED
        await OutboxMessage.filter(id=message.id, claimed_by=message.claimed_by).update(
            state=state, attempts=message.attempts + 1, last_error=reason[:2000], claimed_by="", claimed_until=None)
    return state
