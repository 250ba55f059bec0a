"""The outbox: written with its cause, deduplicated, claimed under a lease, retried, rerouted."""

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from core.db import transaction
from core.models import Notice, OutboxMessage
from core.services import outbox
from core.services.outbox import Outcome, Target
from tests.factories import make_member, make_org

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
CHANNEL = Target(channel="C0123ABCD")


async def _enqueue(org_id: int, key: str, target: Target = CHANNEL, now: datetime = NOW) -> bool:
    return await outbox.enqueue(organization_id=org_id, kind="test", dedup_key=key, payload={"code": "x"},
                                target=target, now=now)


async def test_a_message_exists_only_when_its_cause_commits(db):
    fx = await make_org()
    with pytest.raises(RuntimeError):
        async with transaction():
            await _enqueue(fx.org.id, "k1")
            await outbox.claim_notice(organization_id=fx.org.id, key="event", now=NOW)
            raise RuntimeError("the change failed")
    assert await OutboxMessage.all().count() == 0 and await Notice.all().count() == 0
    async with transaction():
        assert await _enqueue(fx.org.id, "k1")
    row = await OutboxMessage.get(dedup_key="k1")
    assert (row.state, row.attempts, row.target_channel, row.next_attempt_at) == ("pending", 0, "C0123ABCD", NOW)


async def test_the_same_dedup_key_is_enqueued_once_even_inside_a_bigger_transaction(db):
    fx = await make_org()
    async with transaction():
        assert await _enqueue(fx.org.id, "k1") is True
        assert await _enqueue(fx.org.id, "k1") is False
        assert await _enqueue(fx.org.id, "k2") is True
    assert await OutboxMessage.all().order_by("id").values_list("dedup_key", flat=True) == ["k1", "k2"]


async def test_notify_sends_one_row_per_distinct_target_and_announce_claims_once(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    targets = [CHANNEL, Target(member_id=eng.id), CHANNEL]
    first = await outbox.announce(organization_id=fx.org.id, kind="test", key="ev", payload={}, targets=targets, now=NOW)
    again = await outbox.announce(organization_id=fx.org.id, kind="test", key="ev", payload={}, targets=targets, now=NOW)
    assert (first, again) == (1, 0)
    rows = await OutboxMessage.all().order_by("id").values_list("dedup_key", "target_channel", "target_member_id")
    assert rows == [("ev|channel:C0123ABCD", "C0123ABCD", None), (f"ev|member:{eng.id}", "", eng.id)]


async def test_claim_takes_due_unleased_pending_rows_only(db):
    fx = await make_org()
    for key in ("due", "later", "done"):
        await _enqueue(fx.org.id, key)
    await OutboxMessage.filter(dedup_key="later").update(next_attempt_at=NOW + timedelta(minutes=1))
    await OutboxMessage.filter(dedup_key="done").update(state="delivered")
    claimed = await outbox.claim_batch(worker="a", now=NOW)
    assert [m.dedup_key for m in claimed] == ["due"]
    assert await outbox.claim_batch(worker="b", now=NOW + timedelta(minutes=1)) == [
        await OutboxMessage.get(dedup_key="later")]
    assert await outbox.claim_batch(worker="b", now=NOW + timedelta(minutes=2)) == []
    expired = await outbox.claim_batch(worker="b", now=NOW + outbox.LEASE + timedelta(seconds=1))
    assert [m.dedup_key for m in expired] == ["due"] and expired[0].claimed_by.startswith("b/")


async def test_concurrent_claims_never_share_a_row(db):
    fx = await make_org()
    for n in range(30):
        await _enqueue(fx.org.id, f"k{n}")
    batches = await asyncio.gather(*(outbox.claim_batch(worker=f"w{i}", now=NOW, limit=7) for i in range(5)))
    ids = [m.id for batch in batches for m in batch]
    assert len(ids) == len(set(ids)) == 30


@pytest.mark.parametrize("attempts, delay", [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (20, 3600)])
def test_backoff_doubles_up_to_an_hour(attempts, delay):
    assert outbox.backoff(attempts) == timedelta(seconds=delay)


async def _claimed(org_id: int, target: Target = CHANNEL):
    await _enqueue(org_id, "k", target)
    return (await outbox.claim_batch(worker="w", now=NOW))[0]


async def test_outcomes_deliver_retry_with_backoff_or_retry_after_and_finally_fail(db):
    fx = await make_org()
    message = await _claimed(fx.org.id)
    assert await outbox.record_outcome(message=message, outcome=Outcome("retry", "HTTP 500"), now=NOW) == "pending"
    row = await OutboxMessage.get(id=message.id)
    assert (row.attempts, row.next_attempt_at, row.last_error, row.claimed_by) == (1, NOW + timedelta(seconds=30),
                                                                                    "HTTP 500", "")
    message = (await outbox.claim_batch(worker="w", now=row.next_attempt_at))[0]
    later = row.next_attempt_at
    await outbox.record_outcome(message=message, outcome=Outcome("retry", "ratelimited", retry_after=7), now=later)
    row = await OutboxMessage.get(id=message.id)
    assert (row.attempts, row.next_attempt_at) == (2, later + timedelta(seconds=7))
    message = (await outbox.claim_batch(worker="w", now=row.next_attempt_at))[0]
    await outbox.record_outcome(message=message, outcome=Outcome("delivered"), now=row.next_attempt_at)
    row = await OutboxMessage.get(id=message.id)
    assert (row.state, row.attempts, row.delivered_at) == ("delivered", 3, later + timedelta(seconds=7))
    assert await outbox.claim_batch(worker="w", now=NOW + timedelta(days=1)) == []


async def test_a_message_that_keeps_failing_is_given_up_after_max_attempts(db):
    fx = await make_org()
    message = await _claimed(fx.org.id)
    await OutboxMessage.filter(id=message.id).update(attempts=outbox.MAX_ATTEMPTS - 1)
    message.attempts = outbox.MAX_ATTEMPTS - 1
    assert await outbox.record_outcome(message=message, outcome=Outcome("retry", "boom"), now=NOW) == "failed"
    assert (await OutboxMessage.get(id=message.id)).state == "failed"


async def test_an_unusable_channel_reroutes_to_every_org_manager_once(db):
    fx = await make_org()
    second = await make_member(fx, "two@acme.test", role="org_manager")
    await make_member(fx, "eng@acme.test")
    message = await _claimed(fx.org.id)
    for _ in range(2):
        assert await outbox.record_outcome(message=message, outcome=Outcome("fallback", "channel_is_archived"),
                                           now=NOW) == "rerouted"
    rows = await OutboxMessage.filter(target_member_id__not_isnull=True).order_by("id")
    assert [(r.target_member_id, r.payload["rerouted_from"], r.state) for r in rows] == [
        (fx.manager.id, "C0123ABCD", "pending"), (second.id, "C0123ABCD", "pending")]
    original = await OutboxMessage.get(id=message.id)
    assert (original.state, original.last_error) == ("rerouted", "channel_is_archived")


async def test_a_direct_message_that_cannot_be_delivered_fails_instead_of_rerouting(db):
    fx = await make_org()
    message = await _claimed(fx.org.id, Target(member_id=fx.manager.id))
    assert await outbox.record_outcome(message=message, outcome=Outcome("fallback", "not_in_channel"), now=NOW) == "failed"
    assert await OutboxMessage.all().count() == 1


async def test_deliver_due_keeps_messages_whose_sender_crashes(db):
    fx = await make_org()
    for key in ("a", "b"):
        await _enqueue(fx.org.id, key)

    async def send(message):
        if message.dedup_key == "a":
            raise ConnectionResetError("peer went away")
        return Outcome("delivered")

    report = await outbox.deliver_due(send=send, worker="w", now=NOW)
    assert (report.delivered, report.retried, report.failed) == (1, 1, 0)
    row = await OutboxMessage.get(dedup_key="a")
    assert (row.state, row.last_error) == ("pending", "ConnectionResetError: peer went away")
