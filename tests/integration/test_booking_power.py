"""Schedule-linked environments follow their bookings: started when one begins, stopped when it ends and no
other covers now; every outcome on the resource, failures to the holder, each action once."""

import asyncio

import pytest

from core.models import Booking, JobRun, Notice, OutboxMessage, Resource, ResourceEvent, SharedEnvironment
from core.services import booking_power, bookings, checks, environments, waitlist
from jobs import booking_events
from jobs.runner import Deps, run_job
from tests.factories import make_member, make_org
from tests.outbox_rows import event_of, rows, sent, to_member
from tests.integration import fake_cloud
from tests.integration.power_world import H, M, make_power_world, utc

NOW = utc(2026, 3, 3, 10, 0)  # a Tuesday


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _world(cloud, *, link: bool = True):
    """vm-a (eu-west-1) shared as environment "vm-a", linked to the Office schedule; every VM stopped."""
    world = await make_power_world(fake_cloud.KIND)
    cloud.states.update({name: "stopped" for name in world.vms})
    env = await environments.mark_shareable(actor_id=world.fx.manager.id, resource_id=world.vms["vm-a"].id)
    if link:
        env = await environments.update_environment(
            actor_id=world.fx.manager.id, environment_id=env.id, name=env.name, description="", properties={},
            ssh_only=False, max_booking_minutes=None, power_schedule_id=world.schedule.id)
    holder = await make_member(world.fx, "holder@acme.test")
    return world, env, holder


async def _run(world, since, now, opener=fake_cloud.open_adapter) -> int:
    """What the booking_events job does for the organization: announce, then power (given an opener)."""
    org = world.fx.org.id
    events = await checks.booking_transitions(organization_id=org, since=since, now=now)
    if opener is not None:
        await booking_power.power_bookings(organization_id=org, since=since, now=now, open_adapter=opener)
    return events


async def _book(env, holder, starts, ends) -> Booking:
    return await Booking.create(environment=env, member=holder, created_by=holder, starts_at=starts, ends_at=ends)


async def _events() -> list[tuple[str, str]]:
    rows = await ResourceEvent.all().order_by("id").prefetch_related("resource")
    return [(r.resource.name, r.kind) for r in rows]


async def test_a_booking_starts_the_environment_at_its_start_and_the_release_stops_it(db, cloud):
    world, env, holder = await _world(cloud)
    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=NOW + 5 * M,
                                            ends_at=NOW + 2 * H, now=NOW)
    await _run(world, NOW, NOW + M)
    assert cloud.calls == []
    await _run(world, NOW + 4 * M, NOW + 5 * M)
    await _run(world, NOW + 4 * M, NOW + 5 * M)
    assert cloud.calls == [("start", "eu-west-1", ("vm-a",))] and cloud.states["vm-a"] == "running"
    event = await ResourceEvent.get(kind="env_power_start_ok")
    assert event.message == 'Started for environment "vm-a": the booking of holder began at 2026-03-03 10:05 UTC.'
    assert event.created_at == NOW + 5 * M
    await _run(world, NOW + 5 * M, NOW + 29 * M)
    await bookings.release_booking(actor_id=holder.id, booking_id=booking.id, now=NOW + 30 * M)
    await _run(world, NOW + 29 * M, NOW + 31 * M)
    await _run(world, NOW + 30 * M, NOW + 31 * M)
    assert cloud.calls[1:] == [("stop", "eu-west-1", ("vm-a",))] and cloud.states["vm-a"] == "stopped"
    assert await _events() == [("vm-a", "env_power_start_ok"), ("vm-a", "env_power_stop_ok")]
    stopped = await ResourceEvent.get(kind="env_power_stop_ok")
    assert stopped.message == 'Stopped for environment "vm-a": the booking of holder ended at 2026-03-03 10:30 UTC.'
    assert await OutboxMessage.all().count() == 0
    assert cloud.states["vm-b"] == "stopped" and len(cloud.calls) == 2


async def test_the_booking_events_job_powers_with_the_adapter_it_is_given(db, cloud):
    world, env, holder = await _world(cloud)
    await _book(env, holder, NOW + M, NOW + H)
    await JobRun.create(name=booking_events.JOB.name, last_run_at=NOW)
    assert await run_job(booking_events.JOB, Deps(worker="test"), now=NOW + 2 * M) is not None
    assert cloud.calls == [] and await Notice.filter(key__startswith="env_power:").count() == 0
    assert await Notice.filter(key__startswith="booking:").count() == 1  # still announced
    await JobRun.filter(name=booking_events.JOB.name).update(last_run_at=NOW)
    await run_job(booking_events.JOB, Deps(worker="test", open_adapter=fake_cloud.open_adapter), now=NOW + 2 * M)
    assert cloud.calls == [("start", "eu-west-1", ("vm-a",))]


async def test_environments_without_a_link_a_resource_or_a_data_source_are_not_powered(db, cloud):
    world, unlinked, holder = await _world(cloud, link=False)
    by_hand = await environments.create_environment(actor_id=world.fx.manager.id, pool_id=world.fx.root.id,
                                                    name="by hand", power_schedule_id=world.schedule.id)
    sourceless = await environments.mark_shareable(actor_id=world.fx.manager.id, resource_id=world.vms["vm-b"].id)
    await SharedEnvironment.filter(id=sourceless.id).update(power_schedule_id=world.schedule.id)
    await Resource.filter(id=world.vms["vm-b"].id).update(data_source_id=None)
    for env in (unlinked, by_hand, sourceless):
        await _book(env, holder, NOW + M, NOW + H)
    assert await _run(world, NOW, NOW + 2 * M) == 3  # announced, not powered
    assert await _run(world, NOW + H - M, NOW + H + M) == 3
    assert cloud.calls == [] and await ResourceEvent.all().count() == 0
    assert await Notice.filter(key__startswith="env_power:").count() == 0


async def test_touching_bookings_keep_it_running_and_only_the_last_end_stops_it(db, cloud):
    world, env, holder = await _world(cloud)
    other = await make_member(world.fx, "other@acme.test")
    await _book(env, holder, NOW + M, NOW + H)
    await _book(env, other, NOW + H, NOW + 2 * H)
    await _run(world, NOW, NOW + 2 * M)
    await _run(world, NOW + 2 * M, NOW + H + M)
    assert cloud.calls == [("start", "eu-west-1", ("vm-a",)), ("start", "eu-west-1", ("vm-a",))]
    assert await _events() == [("vm-a", "env_power_start_ok"), ("vm-a", "env_power_start_already")]
    already = (await ResourceEvent.filter(kind="env_power_start_already").get()).message
    assert already == 'Already running when the booking of other on environment "vm-a" began at 2026-03-03 11:00 UTC.'
    await _run(world, NOW + H + M, NOW + 3 * H)
    assert cloud.calls[2:] == [("stop", "eu-west-1", ("vm-a",))] and cloud.states["vm-a"] == "stopped"


async def test_a_release_handed_to_the_waitlist_starts_for_the_taker_instead_of_stopping(db, cloud):
    world, env, holder = await _world(cloud)
    taker = await make_member(world.fx, "taker@acme.test")
    cloud.states["vm-a"] = "running"
    booking = await _book(env, holder, NOW - H, NOW + H)
    await waitlist.join_waitlist(actor_id=taker.id, environment_id=env.id, acquire=True, duration_minutes=30)
    await bookings.release_booking(actor_id=holder.id, booking_id=booking.id, now=NOW + 10 * M)
    await _run(world, NOW + 9 * M, NOW + 11 * M)
    assert cloud.calls == [("start", "eu-west-1", ("vm-a",))] and cloud.states["vm-a"] == "running"
    assert await _events() == [("vm-a", "env_power_start_already")]
    await _run(world, NOW + 11 * M, NOW + 42 * M)
    assert cloud.calls[1:] == [("stop", "eu-west-1", ("vm-a",))]


async def test_a_booking_that_began_and_ended_while_down_only_stops(db, cloud):
    world, env, holder = await _world(cloud)
    cloud.states["vm-a"] = "running"
    await _book(env, holder, NOW + M, NOW + H)
    await _run(world, NOW, NOW + 2 * H)
    assert cloud.calls == [("stop", "eu-west-1", ("vm-a",))]


async def test_a_failure_is_recorded_and_told_to_the_holder_once(db, cloud):
    world, env, holder = await _world(cloud)
    cloud.failing.add("vm-a")
    await _book(env, holder, NOW + M, NOW + H)
    await _run(world, NOW, NOW + 2 * M)
    await _run(world, NOW, NOW + 2 * M)
    assert len(cloud.calls) == 1 and await _events() == [("vm-a", "env_power_start_failed")]
    event = await ResourceEvent.get(kind="env_power_start_failed")
    assert event.message == ('Failed to start it for environment "vm-a" when the booking of holder began at '
                             "2026-03-03 10:01 UTC: IncorrectInstanceState.")
    failed = await rows()
    assert await sent() == [("power_action_failed", holder.id)]
    assert event_of(failed[0]).notice()[0] == "notice_env_power_failed"
    assert event_of(failed[0]).resource_id == world.vms["vm-a"].id


async def test_a_broken_adapter_fails_the_action_and_a_gone_instance_is_recorded_but_not_told(db, cloud):
    world, env, holder = await _world(cloud)
    cloud.broken = True
    await _book(env, holder, NOW + M, NOW + H)
    await _run(world, NOW, NOW + 2 * M)
    cloud.broken = False
    del cloud.states["vm-a"]
    await _run(world, NOW + 2 * M, NOW + H + M)
    assert await _events() == [("vm-a", "env_power_start_failed"), ("vm-a", "env_power_stop_gone")]
    assert "credentials expired" in (await ResourceEvent.get(kind="env_power_start_failed")).message
    assert await OutboxMessage.filter(**to_member(holder.id)).count() == 1


async def test_concurrent_runs_act_once(db, cloud):
    world, env, holder = await _world(cloud)
    await _book(env, holder, NOW + M, NOW + H)
    await asyncio.gather(*(_run(world, NOW, NOW + 2 * M) for _ in range(4)))
    assert cloud.calls == [("start", "eu-west-1", ("vm-a",))]
    assert await ResourceEvent.all().count() == 1


async def test_bookings_of_another_organization_are_not_powered(db, cloud):
    world, env, holder = await _world(cloud)
    other = await make_org("Globex", "boss@globex.test")
    await _book(env, holder, NOW + M, NOW + H)
    await booking_power.power_bookings(organization_id=other.org.id, since=NOW, now=NOW + 2 * M,
                                       open_adapter=fake_cloud.open_adapter)
    assert cloud.calls == [] and await Notice.all().count() == 0
