import asyncio
from datetime import timedelta

import pytest
from tortoise.exceptions import IntegrityError

from core.errors import Conflict, InvalidInput, NotFound
from core.models import Booking, SharedEnvironment, WaitlistEntry
from core.services import waitlist as svc
from core.services.waitlist import TurnOutcome
from tests.worlds.environments import NOW, World, make_world, other_org_member

H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.fixture
async def w(db) -> World:
    return await make_world()


async def _entries() -> list[tuple]:
    return await WaitlistEntry.all().order_by("id").values_list(
        "environment_id", "member_id", "acquire", "duration_minutes", "done_at")


async def _refused(exc_type, code: str, call) -> None:
    before = await _entries()
    with pytest.raises(exc_type) as err:
        await call
    assert err.value.code == code
    assert await _entries() == before


async def _book(w: World, start, end) -> Booking:
    return await Booking.create(environment=w.env, member=w.holder, created_by=w.holder, starts_at=start, ends_at=end)


async def test_join_and_leave(w):
    entry = await svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=True, duration_minutes="90")
    assert (entry.member_id, entry.acquire, entry.duration_minutes, entry.done_at) == (w.eng.id, True, 90, None)
    await _refused(Conflict, "already_on_waitlist",
                   svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=False))
    await svc.leave_waitlist(actor_id=w.eng.id, environment_id=w.env.id)
    assert await WaitlistEntry.all().count() == 0
    await _refused(NotFound, "not_on_waitlist", svc.leave_waitlist(actor_id=w.eng.id, environment_id=w.env.id))


async def test_the_database_keeps_one_open_entry_per_member(w):
    await WaitlistEntry.create(environment=w.env, member=w.eng)
    with pytest.raises(IntegrityError):
        await WaitlistEntry.create(environment=w.env, member=w.eng)
    await WaitlistEntry.create(environment=w.env, member=w.eng, done_at=NOW)  # served entries do not count


async def test_concurrent_joins_leave_one_entry(w):
    results = await asyncio.gather(*[svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=False)
                                     for _ in range(5)], return_exceptions=True)
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == 4 and {r.code for r in refused} == {"already_on_waitlist"}
    assert await WaitlistEntry.filter(member_id=w.eng.id, done_at=None).count() == 1


async def test_joining_again_after_being_served_is_allowed(w):
    await WaitlistEntry.create(environment=w.env, member=w.eng, done_at=NOW)
    await svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=False)
    assert await WaitlistEntry.filter(member_id=w.eng.id, done_at=None).count() == 1


async def test_join_refusals(w):
    join = svc.join_waitlist
    await _refused(InvalidInput, "waitlist_duration_without_acquire",
                   join(actor_id=w.eng.id, environment_id=w.env.id, acquire=False, duration_minutes=30))
    await _refused(InvalidInput, "value_out_of_range",
                   join(actor_id=w.eng.id, environment_id=w.env.id, acquire=True, duration_minutes=0))
    await _refused(NotFound, "environment_not_found",
                   join(actor_id=(await other_org_member()).id, environment_id=w.env.id, acquire=False))
    await SharedEnvironment.filter(id=w.env.id).update(max_booking_minutes=60)
    await _refused(InvalidInput, "waitlist_duration_required",
                   join(actor_id=w.eng.id, environment_id=w.env.id, acquire=True))
    await _refused(InvalidInput, "value_out_of_range",
                   join(actor_id=w.eng.id, environment_id=w.env.id, acquire=True, duration_minutes=61))
    await SharedEnvironment.filter(id=w.env.id).update(active=False)
    await _refused(Conflict, "environment_inactive", join(actor_id=w.eng.id, environment_id=w.env.id, acquire=False))


async def test_leave_only_own_entry_of_own_organization(w):
    await svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=False)
    await _refused(NotFound, "not_on_waitlist", svc.leave_waitlist(actor_id=w.holder.id, environment_id=w.env.id))
    await _refused(NotFound, "environment_not_found",
                   svc.leave_waitlist(actor_id=(await other_org_member()).id, environment_id=w.env.id))


async def test_turn_waits_while_the_environment_is_in_use_or_inactive(w):
    await _book(w, NOW - H, NOW + H)
    await svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=True)
    assert (await svc.next_waitlist_turn(w.env.id, now=NOW)).outcome == TurnOutcome.BUSY
    await SharedEnvironment.filter(id=w.env.id).update(active=False)
    assert (await svc.next_waitlist_turn(w.env.id, now=NOW + H)).outcome == TurnOutcome.BUSY
    assert await WaitlistEntry.filter(done_at=None).count() == 1 and await Booking.all().count() == 1


async def test_turn_with_nobody_waiting(w):
    assert (await svc.next_waitlist_turn(w.env.id, now=NOW)).outcome == TurnOutcome.EMPTY
    with pytest.raises(NotFound):
        await svc.next_waitlist_turn(999_999, now=NOW)


async def test_turns_serve_the_oldest_entry_first(w):
    await svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=False)
    await svc.join_waitlist(actor_id=w.holder.id, environment_id=w.env.id, acquire=True, duration_minutes=30)
    first = await svc.next_waitlist_turn(w.env.id, now=NOW)
    assert first.outcome == TurnOutcome.NOTIFY and first.entry.member.email == "eng@acme.test"
    assert first.booking is None and await Booking.all().count() == 0
    second = await svc.next_waitlist_turn(w.env.id, now=NOW)
    assert second.outcome == TurnOutcome.ACQUIRED and second.entry.member_id == w.holder.id
    booking = await Booking.get(id=second.booking.id)
    assert (booking.member_id, booking.created_by_id, booking.starts_at, booking.ends_at) == (
        w.holder.id, w.holder.id, NOW, NOW + 30 * M)
    assert await WaitlistEntry.filter(done_at=None).count() == 0
    assert (await svc.next_waitlist_turn(w.env.id, now=NOW)).outcome == TurnOutcome.BUSY


async def test_acquired_booking_is_cut_by_the_next_booking_and_the_maximum(w):
    await _book(w, NOW + 2 * H, NOW + 3 * H)
    await svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=True)
    turn = await svc.next_waitlist_turn(w.env.id, now=NOW)
    assert (turn.booking.starts_at, turn.booking.ends_at) == (NOW, NOW + 2 * H)
    await SharedEnvironment.filter(id=w.env.id).update(max_booking_minutes=45)
    await svc.join_waitlist(actor_id=w.holder.id, environment_id=w.env.id, acquire=True, duration_minutes=45)
    await SharedEnvironment.filter(id=w.env.id).update(max_booking_minutes=20)
    turn = await svc.next_waitlist_turn(w.env.id, now=NOW + 3 * H)
    assert (turn.booking.starts_at, turn.booking.ends_at) == (NOW + 3 * H, NOW + 3 * H + 20 * M)


async def test_acquire_without_length_books_open_ended(w):
    await svc.join_waitlist(actor_id=w.eng.id, environment_id=w.env.id, acquire=True)
    turn = await svc.next_waitlist_turn(w.env.id, now=NOW)
    assert turn.outcome == TurnOutcome.ACQUIRED and (await Booking.get(id=turn.booking.id)).ends_at is None
