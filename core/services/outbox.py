"""The notification outbox: messages are written with the change that causes them, then delivered.

`enqueue` and `claim_notice` run inside the caller's transaction (as a savepoint), so a message
exists exactly when its cause was committed, and a failed delivery never undoes the cause. Delivery
claims a batch (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serializes writers) under a lease, sends
each message through an injected sender, and records the outcome: delivered, retried with
exponential backoff (or the server's Retry-After), rerouted to the org managers' DMs when a channel
is archived, or failed for good.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core.clock import utcnow
from core.db import transaction
from core.models import Member, Notice, OutboxMessage, Role

log = logging.getLogger(__name__)

PENDING, DELIVERED, FAILED, REROUTED = "pending", "delivered", "failed", "rerouted"
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 30
LEASE = timedelta(minutes=5)
BATCH = 50


@dataclass(frozen=True)
class Target:
    """Where a message goes: a Slack channel id, or a member (as a direct message)."""

    channel: str = ""
    member_id: int | None = None

    @property
    def key(self) -> str:
        return f"channel:{self.channel}" if self.channel else f"member:{self.member_id}"


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


Sender = Callable[[OutboxMessage], Awaitable[Outcome]]


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


async def enqueue(*, organization_id: int, kind: str, dedup_key: str, payload: dict, target: Target,
                  now: datetime) -> bool:
    """Add one message unless one with the same dedup key exists; False when it did."""
    if await OutboxMessage.exists(dedup_key=dedup_key):
        return False
    try:
        async with transaction():
            await OutboxMessage.create(
                organization_id=organization_id, kind=kind, dedup_key=dedup_key, payload=payload,
                target_channel=target.channel, target_member_id=target.member_id, next_attempt_at=now,
                created_at=now)
    except IntegrityError:
        return False
    return True


async def notify(*, organization_id: int, kind: str, key: str, payload: dict, targets: Iterable[Target],
                 now: datetime) -> int:
    """Enqueue one event's message to each distinct target; returns how many were new."""
    added = 0
    for target in dict.fromkeys(targets):
        added += await enqueue(organization_id=organization_id, kind=kind, dedup_key=f"{key}|{target.key}",
                               payload=payload, target=target, now=now)
    return added


async def announce(*, organization_id: int, kind: str, key: str, payload: dict, targets: Iterable[Target],
                   now: datetime) -> int:
    """Claim the event `key` and enqueue its messages in one transaction; 1 when it was new, else 0."""
    async with transaction():
        if not await claim_notice(organization_id=organization_id, key=key, now=now):
            return 0
        await notify(organization_id=organization_id, kind=kind, key=key, payload=payload, targets=targets, now=now)
    return 1


async def manager_targets(organization_id: int) -> list[Target]:
    """The organization's managers, as direct-message targets."""
    ids = await Member.filter(organization_id=organization_id, role=Role.ORG_MANAGER).order_by("id").values_list(
        "id", flat=True)
    return [Target(member_id=i) for i in ids]


async def claim_batch(*, worker: str, now: datetime, limit: int = BATCH,
                      lease: timedelta = LEASE) -> list[OutboxMessage]:
    """Take up to `limit` due messages under a lease that no other worker can take meanwhile."""
    token = f"{worker[:40]}/{uuid.uuid4().hex[:12]}"
    claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    async with transaction():
        rows = await (OutboxMessage.filter(claimable, state=PENDING, next_attempt_at__lte=now)
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
    if outcome.status == "fallback" and message.target_channel:
        return await _reroute(message, outcome.error, now)
    attempts = message.attempts + 1
    if outcome.status == "retry" and attempts < MAX_ATTEMPTS:
        delay = timedelta(seconds=outcome.retry_after) if outcome.retry_after else backoff(attempts)
        await mine.update(attempts=attempts, next_attempt_at=now + delay, last_error=outcome.error[:2000], **released)
        return PENDING
    log.warning("outbox message %s (%s) failed for good: %s", message.id, message.kind, outcome.error)
    await mine.update(state=FAILED, attempts=attempts, last_error=outcome.error[:2000], **released)
    return FAILED


async def deliver_due(*, send: Sender, worker: str, now: datetime | None = None, limit: int = BATCH) -> DeliveryReport:
    """Send one batch of due messages; a sender that raises counts as a retry, never as lost."""
    now = now or utcnow()
    report = DeliveryReport()
    for message in await claim_batch(worker=worker, now=now, limit=limit):
        try:
            outcome = await send(message)
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
        targets = await manager_targets(message.organization_id)
        payload = {**message.payload, "rerouted_from": message.target_channel, "reroute_reason": reason}
        for target in targets:
            await enqueue(organization_id=message.organization_id, kind=message.kind,
                          dedup_key=f"{message.dedup_key}|fallback|{target.key}"[:255], payload=payload,
                          target=target, now=now)
        state = REROUTED if targets else FAILED
        await OutboxMessage.filter(id=message.id, claimed_by=message.claimed_by).update(
            state=state, attempts=message.attempts + 1, last_error=reason[:2000], claimed_by="", claimed_until=None)
    return state
