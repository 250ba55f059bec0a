"""A booking wins over the power schedule: the schedule does not stop the resource of a booked environment."""

import pytest

from core.models import Booking, OutboxMessage, ResourceEvent
from core.services import booking_power, environments
from core.services.power import run_power_schedules
from tests.factories import make_member
from tests.integration import fake_cloud
from tests.integration.power_world import H, M, make_power_world, utc

MONDAY_7PM = utc(2026, 3, 2, 19, 0)  # the Office schedule's stop


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _world(cloud):
    """All three VMs running on Office; vm-a is environment "stage" (linked to Office), vm-b "perf" (not linked)."""
    world = await make_power_world(fake_cloud.KIND)
    cloud.states.update({name: "running" for name in world.vms})
    manager = world.fx.manager.id
    stage = await environments.mark_shareable(actor_id=manager, resource_id=world.vms["vm-a"].id)
    stage = await environments.update_environment(actor_id=manager, environment_id=stage.id, name="stage",
                                                  description="", properties={}, ssh_only=False,
                                                  max_booking_minutes=None, power_schedule_id=world.schedule.id)
    perf = await environments.mark_shareable(actor_id=manager, resource_id=world.vms["vm-b"].id)
    holder = await make_member(world.fx, "holder@acme.test")
    return world, stage, perf, holder


async def _book(env, holder, starts, ends) -> Booking:
    return await Booking.create(environment=env, member=holder, created_by=holder, starts_at=starts, ends_at=ends)


async def _stop_run(world):
    return await run_power_schedules(organization_id=world.fx.org.id, since=MONDAY_7PM - M, now=MONDAY_7PM,
                                     open_adapter=fake_cloud.open_adapter)


async def test_a_booked_environment_is_not_stopped_by_its_schedule_and_its_release_stops_it(db, cloud):
    world, stage, perf, holder = await _world(cloud)
    await _book(stage, holder, MONDAY_7PM - H, MONDAY_7PM + H)
    await _book(perf, holder, MONDAY_7PM - 30 * M, MONDAY_7PM + 30 * M)
    report = await _stop_run(world)
    assert cloud.calls == [("stop", "us-east-1", ("vm-c",))]
    assert {k: sorted(v) for k, v in report.outcomes.items()} == {"skipped": ["vm-a", "vm-b"], "ok": ["vm-c"]}
    skipped = await ResourceEvent.get(resource_id=world.vms["vm-a"].id)
    assert (skipped.kind, skipped.message) == ("power_stop_skipped", (
        'Power schedule "Office" did not stop it at 2026-03-02 19:00 UTC: environment "stage" is booked by holder '
        "until 2026-03-02 20:00 UTC."))
    assert await OutboxMessage.all().count() == 0
    assert not (await _stop_run(world)).outcomes and len(cloud.calls) == 1
    await booking_power.power_bookings(organization_id=world.fx.org.id, since=MONDAY_7PM, now=MONDAY_7PM + H + M,
                                       open_adapter=fake_cloud.open_adapter)
    assert cloud.states == {"vm-a": "stopped", "vm-b": "running", "vm-c": "stopped"}  # perf is not linked
    history = await ResourceEvent.filter(resource_id=world.vms["vm-a"].id).order_by("id").values_list("kind", flat=True)
    assert history == ["power_stop_skipped", "env_power_stop_ok"]


async def test_bookings_that_do_not_cover_the_stop_do_not_hold_it(db, cloud):
    world, stage, perf, holder = await _world(cloud)
    await _book(stage, holder, MONDAY_7PM - 2 * H, MONDAY_7PM)  # ends exactly at the stop
    await _book(perf, holder, MONDAY_7PM + M, MONDAY_7PM + H)  # begins after it
    report = await _stop_run(world)
    assert sorted(report.outcomes["ok"]) == ["vm-a", "vm-b", "vm-c"] and "skipped" not in report.outcomes
    assert cloud.states == {"vm-a": "stopped", "vm-b": "stopped", "vm-c": "stopped"}


async def test_a_booking_does_not_hold_the_schedules_start(db, cloud):
    world, stage, _, holder = await _world(cloud)
    cloud.states["vm-a"] = "stopped"
    tuesday_8am = MONDAY_7PM + 13 * H
    await _book(stage, holder, tuesday_8am - H, tuesday_8am + H)
    report = await run_power_schedules(organization_id=world.fx.org.id, since=tuesday_8am - M, now=tuesday_8am,
                                       open_adapter=fake_cloud.open_adapter)
    assert sorted(report.outcomes["ok"]) == ["vm-a"] and cloud.states["vm-a"] == "running"
