"""The outbox: written with its cause, deduplicated, claimed under a lease per target kind, retried, rerouted."""

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from core.db import transaction
from core.models import EventSubscription, Notice, OutboxMessage
from core.events import WaitlistTurn
from core.events.record import record
from core.events.routing import MEMBER, SLACK_CHANNEL, Target
from core.services import outbox
from core.services.outbox import Outcome
from tests.factories import make_member, make_org
from tests.outbox_rows import event_of

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
CHANNEL = Target.channel("C0123ABCD")
EVENT = WaitlistTurn(7, "stage", 1, acquired=False)
KINDS = [SLACK_CHANNEL, MEMBER]


async def _enqueue(org_id: int, key: str, target: Target = CHANNEL, now: datetime = NOW) -> bool:
    return await outbox.enqueue(organization_id=org_id, event=EVENT, dedup_key=key, target=target, now=now)


async def _claim(worker: str, now: datetime, **kwargs):
    return await outbox.claim_batch(worker=worker, now=now, kinds=KINDS, **kwargs)


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
    assert (row.state, row.attempts, row.target_kind, row.target_address, row.next_attempt_at) == (
        "pending", 0, SLACK_CHANNEL, "C0123ABCD", NOW)
    assert (row.event_type, event_of(row)) == ("waitlist_turn", EVENT)


async def test_the_same_dedup_key_is_enqueued_once_even_inside_a_bigger_transaction(db):
    fx = await make_org()
    async with transaction():
        assert await _enqueue(fx.org.id, "k1") is True
        assert await _enqueue(fx.org.id, "k1") is False
        assert await _enqueue(fx.org.id, "k2") is True
    assert await OutboxMessage.all().order_by("id").values_list("dedup_key", flat=True) == ["k1", "k2"]


async def test_a_keyed_event_is_recorded_once_with_one_row_per_distinct_target(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    for target in (CHANNEL, Target.member(eng.id), CHANNEL):
        await EventSubscription.get_or_create(organization=fx.org, event_type="waitlist_turn", target_kind=target.kind,
                                              target_address=target.address)
    event = WaitlistTurn(7, "stage", eng.id, acquired=False)
    first = await record(event, organization_id=fx.org.id, key="ev", now=NOW)
    again = await record(event, organization_id=fx.org.id, key="ev", now=NOW)
    assert (first, again) == (1, 0)
    rows = await OutboxMessage.all().order_by("id").values_list("dedup_key", "target_kind", "target_address")
    assert rows == [(f"ev|member:{eng.id}", MEMBER, str(eng.id)),
                    ("ev|slack_channel:C0123ABCD", SLACK_CHANNEL, "C0123ABCD")]


async def test_claim_takes_due_unleased_pending_rows_only(db):
    fx = await make_org()
    for key in ("due", "later", "done"):
        await _enqueue(fx.org.id, key)
    await OutboxMessage.filter(dedup_key="later").update(next_attempt_at=NOW + timedelta(minutes=1))
    await OutboxMessage.filter(dedup_key="done").update(state="delivered")
    claimed = await _claim(worker="a", now=NOW)
    assert [m.dedup_key for m in claimed] == ["due"]
    assert await _claim(worker="b", now=NOW + timedelta(minutes=1)) == [
        await OutboxMessage.get(dedup_key="later")]
    assert await _claim(worker="b", now=NOW + timedelta(minutes=2)) == []
    expired = await _claim(worker="b", now=NOW + outbox.LEASE + timedelta(seconds=1))
    assert [m.dedup_key for m in expired] == ["due"] and expired[0].claimed_by.startswith("b/")


async def test_concurrent_claims_never_share_a_row(db):
    fx = await make_org()
    for n in range(30):
        await _enqueue(fx.org.id, f"k{n}")
    batches = await asyncio.gather(*(_claim(worker=f"w{i}", now=NOW, limit=7) for i in range(5)))
    ids = [m.id for batch in batches for m in batch]
    assert len(ids) == len(set(ids)) == 30


@pytest.mark.parametrize("attempts, delay", [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (20, 3600)])
def test_backoff_doubles_up_to_an_hour(attempts, delay):
    assert outbox.backoff(attempts) == timedelta(seconds=delay)


async def _claimed(org_id: int, target: Target = CHANNEL):
    await _enqueue(org_id, "k", target)
    return (await _claim(worker="w", now=NOW))[0]


async def test_outcomes_deliver_retry_with_backoff_or_retry_after_and_finally_fail(db):
    fx = await make_org()
    message = await _claimed(fx.org.id)
    assert await outbox.record_outcome(message=message, outcome=Outcome("retry", "HTTP 500"), now=NOW) == "pending"
    row = await OutboxMessage.get(id=message.id)
    assert (row.attempts, row.next_attempt_at, row.last_error, row.claimed_by) == (1, NOW + timedelta(seconds=30),
                                                                                    "HTTP 500", "")
    message = (await _claim(worker="w", now=row.next_attempt_at))[0]
    later = row.next_attempt_at
    await outbox.record_outcome(message=message, outcome=Outcome("retry", "ratelimited", retry_after=7), now=later)
    row = await OutboxMessage.get(id=message.id)
    assert (row.attempts, row.next_attempt_at) == (2, later + timedelta(seconds=7))
    message = (await _claim(worker="w", now=row.next_attempt_at))[0]
    await outbox.record_outcome(message=message, outcome=Outcome("delivered"), now=row.next_attempt_at)
    row = await OutboxMessage.get(id=message.id)
    assert (row.state, row.attempts, row.delivered_at) == ("delivered", 3, later + timedelta(seconds=7))
    assert await _claim(worker="w", now=NOW + timedelta(days=1)) == []


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
    rows = await OutboxMessage.filter(target_kind=MEMBER).order_by("id")
    assert [(r.target_address, r.rerouted_from, r.reroute_reason, r.state, event_of(r)) for r in rows] == [
        (str(fx.manager.id), "C0123ABCD", "channel_is_archived", "pending", EVENT),
        (str(second.id), "C0123ABCD", "channel_is_archived", "pending", EVENT)]
    original = await OutboxMessage.get(id=message.id)
    assert (original.state, original.last_error) == ("rerouted", "channel_is_archived")


async def test_a_direct_message_that_cannot_be_delivered_fails_instead_of_rerouting(db):
    fx = await make_org()
    message = await _claimed(fx.org.id, Target.member(fx.manager.id))
    assert await outbox.record_outcome(message=message, outcome=Outcome("fallback", "not_in_channel"), now=NOW) == "failed"
    assert await OutboxMessage.all().count() == 1


async def test_deliver_due_keeps_messages_whose_sender_crashes(db):
    fx = await make_org()
    for key in ("a", "b"):
        await _enqueue(fx.org.id, key)

    async def send(message):
        if message.id == first.id:
            raise ConnectionResetError("peer went away")
        return Outcome("delivered")

    first = await OutboxMessage.get(dedup_key="a")
    report = await outbox.deliver_due(senders={SLACK_CHANNEL: send}, worker="w", now=NOW)
    assert (report.delivered, report.retried, report.failed) == (1, 1, 0)
    row = await OutboxMessage.get(dedup_key="a")
    assert (row.state, row.last_error) == ("pending", "ConnectionResetError: peer went away")


async def test_each_message_goes_to_the_sender_of_its_target_kind_and_kinds_without_one_wait(db):
    fx = await make_org()
    await _enqueue(fx.org.id, "to-channel")
    await _enqueue(fx.org.id, "to-member", Target.member(fx.manager.id))
    await _enqueue(fx.org.id, "to-calendar", Target("calendar", "team@group.calendar.test"))
    got: dict[str, list] = {SLACK_CHANNEL: [], MEMBER: []}

    def sender(kind):
        async def send(message):
            got[kind].append((message.target, message.event))
            return Outcome("delivered")
        return send

    report = await outbox.deliver_due(senders={kind: sender(kind) for kind in got}, worker="w", now=NOW)
    assert report.delivered == 2
    assert got == {SLACK_CHANNEL: [(CHANNEL, EVENT)], MEMBER: [(Target.member(fx.manager.id), EVENT)]}
    waiting = await OutboxMessage.get(dedup_key="to-calendar")
    assert (waiting.state, waiting.attempts, waiting.claimed_by) == ("pending", 0, "")


async def test_a_message_whose_event_cannot_be_read_back_is_kept_for_a_retry(db):
    fx = await make_org()
    await _enqueue(fx.org.id, "k")
    await OutboxMessage.all().update(event_type="no_such_event")

    async def send(message):
        return Outcome("delivered")

    report = await outbox.deliver_due(senders={SLACK_CHANNEL: send}, worker="w", now=NOW)
    row = await OutboxMessage.get()
    assert report.retried == 1 and (row.state, row.last_error) == ("pending", "KeyError: 'no_such_event'")
