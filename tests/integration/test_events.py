"""Domain events: each use case records its event once inside its own transaction, routing picks the
targets, and a new kind of target (here a fake webhook) receives events with no change to any use case."""

from datetime import datetime, timedelta, timezone

import pytest

from core.errors import Conflict
from core.events import (AlertAdded, AlertRemoved, BookingCreated, BookingDeleted, BookingExtended, BookingReleased,
                         BookingStarted, EnvironmentActivation, EnvironmentChanged, WaitlistTurn)
from core.events.routing import MEMBER, Router, Target
from core.models import Booking, EventSubscription, OutboxMessage, Pool
from core.services import alerts, bookings, environments, outbox, waitlist
from core.services.outbox import Outcome
from jobs.runner import Deps, run_job
from jobs.scheduler import JOBS
from tests.factories import make_member, make_org
from tests.outbox_rows import event_of, rows, sent

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)
HOOK = Target("webhook", "http://127.0.0.1:9/hook")


async def _world():
    fx = await make_org()
    team = await Pool.create(organization=fx.org, parent=fx.root, name="Team")
    env = await environments.create_environment(actor_id=fx.manager.id, pool_id=team.id, name="stage")
    holder = await make_member(fx, "holder@acme.test")
    return fx, team, env, holder


async def _subscribe(fx, target: Target = HOOK, event_type: str = "*") -> None:
    await EventSubscription.create(organization=fx.org, event_type=event_type, target_kind=target.kind,
                                   target_address=target.address)


async def _recorded(target: Target = HOOK) -> list:
    return [event_of(row) for row in await rows(target_kind=target.kind, target_address=target.address)]


async def test_each_booking_use_case_records_its_event_once(db):
    fx, team, env, holder = await _world()
    await _subscribe(fx)
    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW - H,
                                            ends_at=NOW + H, now=NOW - H)
    await bookings.extend_booking(actor_id=holder.id, booking_id=booking.id, ends_at=NOW + 2 * H, now=NOW)
    await bookings.release_booking(actor_id=holder.id, booking_id=booking.id, now=NOW)
    later = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW + 3 * H,
                                          ends_at=NOW + 4 * H, now=NOW)
    await bookings.delete_booking(actor_id=holder.id, booking_id=later.id, now=NOW)
    common = {"environment_id": env.id, "environment": "stage", "pool_id": team.id, "member_id": holder.id,
              "person": "holder"}
    assert await _recorded() == [
        BookingCreated(booking.id, starts_at=NOW - H, ends_at=NOW + H, **common),
        BookingExtended(booking.id, starts_at=NOW - H, ends_at=NOW + 2 * H, previous_end=NOW + H, **common),
        BookingReleased(booking.id, starts_at=NOW - H, ends_at=NOW, **common),
        BookingCreated(later.id, starts_at=NOW + 3 * H, ends_at=NOW + 4 * H, **common),
        BookingDeleted(later.id, starts_at=NOW + 3 * H, ends_at=NOW + 4 * H, **common),
    ]


async def test_environment_and_alert_use_cases_record_their_events_once(db):
    fx, team, env, holder = await _world()
    await _subscribe(fx)
    await environments.update_environment(actor_id=fx.manager.id, environment_id=env.id, name="staging",
                                          description="", properties={}, ssh_only=False, max_booking_minutes=None,
                                          power_schedule_id=None)
    await environments.set_environment_active(actor_id=fx.manager.id, environment_id=env.id, active=False)
    await environments.set_environment_active(actor_id=fx.manager.id, environment_id=env.id, active=False)
    alert = await alerts.create_alert(actor_id=fx.manager.id, pool_id=team.id, based_on="env_change", threshold=0,
                                      threshold_type="absolute", channels=["C0ENVCHAN1"], recipient_ids=[holder.id])
    await alerts.delete_alert(actor_id=fx.manager.id, alert_id=alert.id)
    about_alert = (alert.id, team.id, "Team", "env_change", ("C0ENVCHAN1",), (holder.id,))
    assert await _recorded() == [EnvironmentChanged(env.id, "staging", team.id),
                                 EnvironmentActivation(env.id, "staging", team.id, active=False),
                                 AlertAdded(*about_alert), AlertRemoved(*about_alert)]


async def test_a_use_case_that_rolls_back_leaves_no_event(db, monkeypatch):
    fx, team, env, holder = await _world()
    await _subscribe(fx)
    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW + H,
                                            ends_at=NOW + 2 * H, now=NOW)
    await OutboxMessage.all().delete()

    async def broken_delete(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Booking, "delete", broken_delete)
    with pytest.raises(RuntimeError):
        await bookings.delete_booking(actor_id=holder.id, booking_id=booking.id, now=NOW)
    assert await OutboxMessage.all().count() == 0 and await Booking.exists(id=booking.id)
    with pytest.raises(Conflict):
        await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW + H,
                                      ends_at=NOW + 2 * H, now=NOW)  # overlaps: refused after nothing was written
    assert await OutboxMessage.all().count() == 0


async def test_routing_gives_the_default_audience_then_the_subscribers_of_that_type_once_each(db):
    fx, team, env, holder = await _world()
    watcher = await make_member(fx, "watch@acme.test")
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=fx.root.id, based_on="env_change", threshold=0,
                              threshold_type="absolute", include_children=True, channels=["C0ROOTENV1"],
                              recipient_ids=[watcher.id])
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=fx.root.id, based_on="env_change", threshold=0,
                              threshold_type="absolute", channels=["C0ROOTONLY"])
    await _subscribe(fx, event_type="env_acquired")
    await _subscribe(fx, Target.channel("C0ROOTENV1"), event_type="env_acquired")
    await _subscribe(fx, Target("webhook", "http://127.0.0.1:9/other"), event_type="booking_created")
    started = BookingStarted(1, env.id, "stage", team.id, holder.id, "holder", NOW, NOW + H)
    assert await Router(fx.org.id).targets(started) == [Target.channel("C0ROOTENV1"), Target.member(watcher.id), HOOK]
    turn = WaitlistTurn(env.id, "stage", holder.id, acquired=False)
    assert await Router(fx.org.id).targets(turn) == [Target(MEMBER, str(holder.id))]
    other = await make_org("Globex", "boss@globex.test")
    assert await Router(other.org.id).targets(started) == []


async def test_a_new_kind_of_target_receives_events_through_its_own_sender(db):
    fx, team, env, holder = await _world()
    await _subscribe(fx, event_type="booking_created")
    received = []

    async def webhook(message: outbox.Delivery) -> Outcome:
        received.append((message.target, message.event))
        return Outcome(outbox.DELIVERED)

    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW + H,
                                            ends_at=NOW + 2 * H, now=NOW)
    summary = await run_job(JOBS["delivery"], Deps(senders={"webhook": webhook}), now=NOW)
    assert summary == "1 delivered, 0 to retry, 0 rerouted, 0 failed"
    assert [(target, type(event), event.booking_id) for target, event in received] == [
        (HOOK, BookingCreated, booking.id)]
    assert received[0][1].text() == 'holder booked "stage" from 2026-03-10 10:00 UTC until 2026-03-10 11:00 UTC.'


async def test_a_failed_notification_never_undoes_the_action_it_reports(db):
    fx, team, env, holder = await _world()
    await _subscribe(fx)
    await waitlist.join_waitlist(actor_id=fx.manager.id, environment_id=env.id, acquire=False)
    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW - H,
                                            ends_at=NOW + H, now=NOW - H)
    await bookings.release_booking(actor_id=holder.id, booking_id=booking.id, now=NOW)

    async def refusing(message: outbox.Delivery) -> Outcome:
        raise ConnectionError("the hook is down")

    async def gone(message: outbox.Delivery) -> Outcome:
        return Outcome(outbox.FAILED, error="user_not_found")

    await run_job(JOBS["delivery"], Deps(senders={"webhook": refusing, MEMBER: gone}), now=NOW)
    assert (await Booking.get(id=booking.id)).ends_at == NOW
    assert await sent(target_kind=MEMBER) == [("waitlist_turn", fx.manager.id)]
    assert set(await OutboxMessage.all().values_list("state", flat=True)) == {"pending", "failed"}
