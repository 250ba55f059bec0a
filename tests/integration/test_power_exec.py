"""Power schedules acting through a cloud adapter: batching, outcomes on the resource, failures to the owner."""

import pytest

from core.models import Notice, OutboxMessage, Resource, ResourceEvent
from core.services.power import run_power_schedules, warn_before_stops
from jobs.runner import Deps
from tests.integration import fake_cloud
from tests.integration.power_world import H, M, drive, make_power_world, utc
from tests.outbox_rows import event_of, params_of, rows, sent, target_of

MONDAY_7PM = utc(2026, 3, 2, 19, 0)
DEPS = Deps(worker="test", open_adapter=fake_cloud.open_adapter)


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _world(cloud, state: str = "running", **options):
    world = await make_power_world(fake_cloud.KIND, **options)
    cloud.states.update({name: state for name in world.vms})
    return world


async def _events() -> list[tuple[str, str]]:
    rows = await ResourceEvent.all().order_by("id").prefetch_related("resource")
    return [(r.resource.name, r.kind) for r in rows]


async def _run(world, since, now):
    return await run_power_schedules(organization_id=world.fx.org.id, since=since, now=now,
                                     open_adapter=fake_cloud.open_adapter)


async def test_the_stop_is_one_call_per_region_and_is_recorded_on_each_resource(db, cloud):
    world = await _world(cloud)
    report = await _run(world, MONDAY_7PM - M, MONDAY_7PM)
    assert sorted(cloud.calls) == [("stop", "eu-west-1", ("vm-a", "vm-b")), ("stop", "us-east-1", ("vm-c",))]
    assert dict(report.outcomes) == {"ok": ["vm-a", "vm-b", "vm-c"]}
    assert sorted(await _events()) == [("vm-a", "power_stop_ok"), ("vm-b", "power_stop_ok"), ("vm-c", "power_stop_ok")]
    event = await ResourceEvent.filter(resource__name="vm-a").get()
    assert event.message == 'Stopped by power schedule "Office" (transition at 2026-03-02 19:00 UTC).'
    assert event.created_at == MONDAY_7PM
    again = await _run(world, MONDAY_7PM - M, MONDAY_7PM)
    assert len(cloud.calls) == 2 and not again.outcomes
    assert await OutboxMessage.all().count() == 0


async def test_already_in_state_and_gone_are_recorded_but_not_reported(db, cloud):
    world = await _world(cloud)
    cloud.states["vm-a"] = "stopped"
    del cloud.states["vm-c"]
    await _run(world, MONDAY_7PM - M, MONDAY_7PM)
    assert sorted(await _events()) == [("vm-a", "power_stop_already"), ("vm-b", "power_stop_ok"),
                                       ("vm-c", "power_stop_gone")]
    assert await OutboxMessage.all().count() == 0
    gone = await ResourceEvent.get(kind="power_stop_gone")
    assert gone.message == 'Power schedule "Office" could not stop it: it no longer exists in the cloud.'


async def test_failures_are_recorded_and_sent_to_the_owner_or_else_the_managers(db, cloud):
    world = await _world(cloud)
    cloud.failing.update({"vm-a", "vm-b"})
    await _run(world, MONDAY_7PM - M, MONDAY_7PM)
    assert sorted(await _events()) == [("vm-a", "power_stop_failed"), ("vm-b", "power_stop_failed"),
                                       ("vm-c", "power_stop_ok")]
    failed = await rows()
    assert [(r.event_type, target_of(r), event_of(r).resource_id) for r in failed] == [
        ("power_action_failed", world.eng.id, world.vms["vm-a"].id),
        ("power_action_failed", world.fx.manager.id, world.vms["vm-b"].id)]
    assert params_of(failed[0])["detail"] == "IncorrectInstanceState"


async def test_an_adapter_that_raises_fails_its_whole_batch_and_nothing_is_retried_twice(db, cloud):
    world = await _world(cloud)
    cloud.broken = True
    report = await _run(world, MONDAY_7PM - M, MONDAY_7PM)
    assert sorted(report.outcomes["failed"]) == ["vm-a", "vm-b", "vm-c"]
    event = await ResourceEvent.filter(resource__name="vm-c").get()
    assert event.message.endswith("failed to stop it (at 2026-03-02 19:00 UTC): The alibaba connector cannot load "
                                  "(credentials expired); other clouds keep working. Reinstall Cloudtuner with its "
                                  "dependencies.")
    assert await OutboxMessage.filter(event_type="power_action_failed").count() == 3
    cloud.broken = False
    await _run(world, MONDAY_7PM - M, MONDAY_7PM)
    assert len(cloud.calls) == 2


async def test_a_resource_without_a_data_source_fails_with_a_reason(db, cloud):
    world = await _world(cloud)
    await Resource.filter(id=world.vms["vm-a"].id).update(data_source_id=None)
    await _run(world, MONDAY_7PM - M, MONDAY_7PM)
    event = await ResourceEvent.filter(resource__name="vm-a").get()
    assert event.kind == "power_stop_failed" and "has no data source" in event.message
    assert sorted(cloud.calls) == [("stop", "eu-west-1", ("vm-b",)), ("stop", "us-east-1", ("vm-c",))]


async def test_the_owner_is_warned_once_before_the_stop_with_the_local_time(db, cloud):
    world = await _world(cloud, timezone_name="Europe/Berlin", warn_minutes=15)
    stop = utc(2026, 3, 2, 18, 0)  # 19:00 in Berlin (CET)
    assert await warn_before_stops(organization_id=world.fx.org.id, since=stop - 16 * M, now=stop - 15 * M) == 2
    assert await warn_before_stops(organization_id=world.fx.org.id, since=stop - 16 * M, now=stop - 15 * M) == 0
    warned = await rows()
    assert await sent() == [("power_warning", world.eng.id)] * 2
    assert params_of(warned[0]) == {"schedule": "Office", "resource": "vm-a", "timezone": "Europe/Berlin",
                                         "stop_local": "2026-03-02 19:00", "stop": "2026-03-02 18:00 UTC"}
    assert event_of(warned[0]).stop_at == stop


async def test_a_warning_for_a_stop_already_past_is_not_sent_after_downtime(db, cloud):
    world = await _world(cloud)
    assert await warn_before_stops(organization_id=world.fx.org.id, since=MONDAY_7PM - H, now=MONDAY_7PM + M) == 0
    assert await Notice.filter(key__startswith="power_warn").count() == 0


async def test_a_restart_after_a_weekend_of_downtime_acts_once_per_resource(db, cloud):
    await _world(cloud, state="stopped")
    friday_6pm, monday_9am = utc(2026, 3, 6, 18, 0), utc(2026, 3, 9, 9, 0)
    await drive(DEPS, friday_6pm, monday_9am, step=monday_9am - friday_6pm)
    assert sorted(cloud.calls) == [("start", "eu-west-1", ("vm-a", "vm-b")), ("start", "us-east-1", ("vm-c",))]
    assert await OutboxMessage.filter(event_type="power_warning").count() == 0
