"""Booking transitions: found by time (acquired, ended) or recorded by the release; once each, waitlist turns in order."""

from datetime import datetime, timedelta, timezone

from core.models import Booking, OutboxMessage, Pool, WaitlistEntry
from core.services import alerts, bookings, checks, waitlist
from core.services.environments import create_environment
from tests.factories import make_member, make_org
from tests.outbox_rows import event_of, params_of, sent, to_member

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
M = timedelta(minutes=1)
H = timedelta(hours=1)


async def _world():
    fx = await make_org()
    team = await Pool.create(organization=fx.org, parent=fx.root, name="Team")
    env = await create_environment(actor_id=fx.manager.id, pool_id=team.id, name="stage")
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=fx.root.id, based_on="env_change", threshold=0,
                              threshold_type="absolute", include_children=True, channels=["C0ENVCHAN1"])
    holder = await make_member(fx, "holder@acme.test")
    return fx, env, holder


async def _run(org_id: int, since: datetime, now: datetime) -> int:
    return await checks.booking_transitions(organization_id=org_id, since=since, now=now)


async def _sent() -> list[tuple]:
    return await sent()


async def test_a_booking_is_announced_when_it_starts_and_by_its_release_not_again_by_the_check(db):
    fx, env, holder = await _world()
    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW + 5 * M,
                                            ends_at=NOW + 2 * H, now=NOW)
    assert await _run(fx.org.id, NOW, NOW + M) == 0
    assert await _run(fx.org.id, NOW + 4 * M, NOW + 5 * M) == 1
    assert await _run(fx.org.id, NOW + 4 * M, NOW + 5 * M) == 0
    assert await _sent() == [("env_acquired", "C0ENVCHAN1")]
    await bookings.release_booking(actor_id=holder.id, booking_id=booking.id, now=NOW + 30 * M)
    assert await _sent() == [("env_acquired", "C0ENVCHAN1"), ("booking_released", "C0ENVCHAN1")]
    assert await _run(fx.org.id, NOW + 29 * M, NOW + 31 * M) == 0
    released = await OutboxMessage.get(event_type="booking_released")
    assert params_of(released) == {"person": "holder", "environment": "stage", "ends": "2026-03-10 09:30 UTC"}


async def test_a_booking_that_started_and_ended_while_down_is_only_reported_as_released(db):
    fx, env, holder = await _world()
    await Booking.create(environment=env, member=holder, created_by=holder, starts_at=NOW + M, ends_at=NOW + H)
    assert await _run(fx.org.id, NOW, NOW + 2 * H) == 1
    assert await _sent() == [("env_released", "C0ENVCHAN1")]


async def test_the_waitlist_is_told_in_order_and_the_first_who_asked_for_it_gets_it(db):
    fx, env, holder = await _world()
    told = await make_member(fx, "told@acme.test")
    taker = await make_member(fx, "taker@acme.test")
    later = await make_member(fx, "later@acme.test")
    await Booking.create(environment=env, member=holder, created_by=holder, starts_at=NOW - H, ends_at=NOW + M)
    await waitlist.join_waitlist(actor_id=told.id, environment_id=env.id, acquire=False)
    await waitlist.join_waitlist(actor_id=taker.id, environment_id=env.id, acquire=True, duration_minutes=60)
    await waitlist.join_waitlist(actor_id=later.id, environment_id=env.id, acquire=False)
    assert await _run(fx.org.id, NOW, NOW + 2 * M) == 1
    assert await _run(fx.org.id, NOW, NOW + 2 * M) == 0
    assert await _sent() == [("env_released", "C0ENVCHAN1"), ("waitlist_turn", told.id), ("waitlist_turn", taker.id),
                             ("env_acquired", "C0ENVCHAN1")]
    given = await Booking.get(member_id=taker.id)
    assert (given.starts_at, given.ends_at) == (NOW + 2 * M, NOW + 62 * M)
    turn = await OutboxMessage.get(event_type="waitlist_turn", **to_member(taker.id))
    assert event_of(turn).notice()[0] == "notice_waitlist_acquired"
    assert params_of(turn) == {"environment": "stage", "starts": "2026-03-10 09:02 UTC",
                                      "ends": "2026-03-10 10:02 UTC"}
    assert await WaitlistEntry.filter(done_at=None).values_list("member_id", flat=True) == [later.id]
    assert await _run(fx.org.id, NOW + 2 * M, NOW + 3 * M) == 0


async def test_bookings_of_other_organizations_are_not_touched(db):
    fx, env, holder = await _world()
    other = await make_org("Globex", "boss@globex.test")
    await Booking.create(environment=env, member=holder, created_by=holder, starts_at=NOW + M, ends_at=NOW + H)
    assert await _run(other.org.id, NOW, NOW + 2 * H) == 0
    assert await OutboxMessage.all().count() == 0


async def test_a_release_serves_the_waitlist_at_once(db):
    fx, env, holder = await _world()
    taker = await make_member(fx, "taker@acme.test")
    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW - H,
                                            ends_at=NOW + H, now=NOW - H)
    await waitlist.join_waitlist(actor_id=taker.id, environment_id=env.id, acquire=True, duration_minutes=30)
    await bookings.release_booking(actor_id=holder.id, booking_id=booking.id, now=NOW)
    assert await _sent() == [("booking_released", "C0ENVCHAN1"), ("waitlist_turn", taker.id),
                             ("env_acquired", "C0ENVCHAN1")]
    given = await Booking.get(member_id=taker.id)
    assert (given.starts_at, given.ends_at) == (NOW, NOW + 30 * M)
    assert await _run(fx.org.id, NOW - M, NOW + M) == 0
