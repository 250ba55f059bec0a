"""A power action claimed by a process that died before recording the outcome is retried once, not lost."""

from datetime import timedelta

import pytest

from core.models import Booking, JobRun, Notice, OutboxMessage, ResourceEvent
from core.services import booking_power, environments
from core.services.power import ACTION_LEASE, run_power_schedules
from jobs import power_schedules
from jobs.runner import Deps, run_job
from tests.factories import make_member
from tests.integration import fake_cloud
from tests.integration.power_world import H, M, make_power_world, utc
from tests.outbox_rows import sent

MONDAY_7PM = utc(2026, 3, 2, 19, 0)
STOP_AT = MONDAY_7PM.isoformat()
DEPS = Deps(worker="test", open_adapter=fake_cloud.open_adapter)


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _world(cloud):
    world = await make_power_world(fake_cloud.KIND)
    cloud.states.update({name: "running" for name in world.vms})
    return world


async def _died_claiming(world, names, at=MONDAY_7PM, suffix="") -> None:
    """What a process leaves when it dies after claiming the 19:00 stops and before any outcome."""
    for name in names:
        await Notice.create(organization=world.fx.org, key=f"power:{world.vms[name].id}:stop:{STOP_AT}{suffix}",
                            created_at=at)


async def _run(world, now):
    return await run_power_schedules(organization_id=world.fx.org.id, since=MONDAY_7PM - M, now=now,
                                     open_adapter=fake_cloud.open_adapter)


async def _kinds(world) -> dict[str, list[str]]:
    rows = await ResourceEvent.all().order_by("id").prefetch_related("resource")
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row.resource.name, []).append(row.kind)
    return found


async def test_the_first_job_run_after_a_crash_retries_the_unfinished_stops_once(db, cloud):
    world = await _world(cloud)
    await JobRun.create(name=power_schedules.JOB.name, last_run_at=MONDAY_7PM - M, claimed_by="dead/1",
                        claimed_until=MONDAY_7PM + 10 * M)
    await _died_claiming(world, ["vm-a", "vm-b", "vm-c"])
    cloud.states["vm-a"] = "stopped"  # the dead process got as far as stopping vm-a
    assert await run_job(power_schedules.JOB, DEPS, now=MONDAY_7PM + 5 * M) is None  # its lease still holds
    await run_job(power_schedules.JOB, DEPS, now=MONDAY_7PM + 11 * M)
    assert sorted(cloud.calls) == [("stop", "eu-west-1", ("vm-a", "vm-b")), ("stop", "us-east-1", ("vm-c",))]
    assert cloud.states == {"vm-a": "stopped", "vm-b": "stopped", "vm-c": "stopped"}
    assert await _kinds(world) == {"vm-a": ["power_stop_already"], "vm-b": ["power_stop_ok"], "vm-c": ["power_stop_ok"]}
    await JobRun.filter(name=power_schedules.JOB.name).update(last_run_at=MONDAY_7PM - M)  # a window seen again
    await run_job(power_schedules.JOB, DEPS, now=MONDAY_7PM + 30 * M)
    assert len(cloud.calls) == 2 and await ResourceEvent.all().count() == 3


async def test_a_claim_younger_than_the_lease_is_left_to_its_process(db, cloud):
    world = await _world(cloud)
    await _died_claiming(world, ["vm-a"])
    await _run(world, MONDAY_7PM + ACTION_LEASE - timedelta(seconds=1))
    assert sorted(cloud.calls) == [("stop", "eu-west-1", ("vm-b",)), ("stop", "us-east-1", ("vm-c",))]
    await _run(world, MONDAY_7PM + ACTION_LEASE)
    assert cloud.calls[2:] == [("stop", "eu-west-1", ("vm-a",))]
    assert await _kinds(world) == {"vm-a": ["power_stop_ok"], "vm-b": ["power_stop_ok"], "vm-c": ["power_stop_ok"]}


async def test_an_action_with_an_outcome_is_never_retried(db, cloud):
    world = await _world(cloud)
    cloud.failing.add("vm-a")
    await _run(world, MONDAY_7PM)
    await _run(world, MONDAY_7PM + H)
    assert len(cloud.calls) == 2 and await ResourceEvent.all().count() == 3
    assert await OutboxMessage.filter(event_type="power_action_failed").count() == 1


async def test_a_retry_that_dies_too_is_recorded_as_failed_and_told_to_the_owner(db, cloud):
    world = await _world(cloud)
    await _died_claiming(world, ["vm-a"])
    await _died_claiming(world, ["vm-a"], at=MONDAY_7PM + 11 * M, suffix="|retry")
    await _run(world, MONDAY_7PM + 11 * M + ACTION_LEASE - timedelta(seconds=1))
    assert await ResourceEvent.filter(resource_id=world.vms["vm-a"].id).count() == 0  # the retry's lease holds
    await _run(world, MONDAY_7PM + 11 * M + ACTION_LEASE)
    assert ("vm-a",) not in [ids for _, _, ids in cloud.calls] and cloud.states["vm-a"] == "running"
    event = await ResourceEvent.get(resource_id=world.vms["vm-a"].id)
    assert event.kind == "power_stop_failed"
    assert event.message == ('Power schedule "Office" failed to stop it (at 2026-03-02 19:00 UTC): The process acting '
                             "on it stopped twice before the cloud answered; check the resource's state in the cloud.")
    assert await sent(event_type="power_action_failed") == [("power_action_failed", world.eng.id)]
    await _run(world, MONDAY_7PM + 40 * M)
    assert await ResourceEvent.filter(resource_id=world.vms["vm-a"].id).count() == 1


async def test_an_unfinished_booking_start_is_retried_by_the_next_booking_run(db, cloud):
    world = await _world(cloud)
    cloud.states["vm-a"] = "stopped"
    env = await environments.mark_shareable(actor_id=world.fx.manager.id, resource_id=world.vms["vm-a"].id)
    await environments.update_environment(actor_id=world.fx.manager.id, environment_id=env.id, name="stage",
                                          description="", properties={}, ssh_only=False, max_booking_minutes=None,
                                          power_schedule_id=world.schedule.id)
    holder = await make_member(world.fx, "holder@acme.test")
    start = MONDAY_7PM + H
    booking = await Booking.create(environment=env, member=holder, created_by=holder, starts_at=start,
                                   ends_at=start + H)
    await Notice.create(organization=world.fx.org, key=f"env_power:{booking.id}:start:{start.isoformat()}",
                        created_at=start)
    await booking_power.power_bookings(organization_id=world.fx.org.id, since=start - M,
                                       now=start + ACTION_LEASE - timedelta(seconds=1),
                                       open_adapter=fake_cloud.open_adapter)
    assert cloud.calls == []
    await booking_power.power_bookings(organization_id=world.fx.org.id, since=start - M, now=start + ACTION_LEASE,
                                       open_adapter=fake_cloud.open_adapter)
    assert cloud.calls == [("start", "eu-west-1", ("vm-a",))] and cloud.states["vm-a"] == "running"
    assert await _kinds(world) == {"vm-a": ["env_power_start_ok"]}
