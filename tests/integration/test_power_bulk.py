"""Power schedules at scale: claims and outcomes are written in bulk, so a run costs the same statements for
3 instances as for 23, and each action still acts and is recorded once."""

import pytest

from core.models import Resource, ResourceEvent
from core.services.power import run_power_schedules
from tests.integration import fake_cloud
from tests.integration.power_world import M, SEEN, make_power_world, utc
from tests.probes import counting_queries

MONDAY_7PM, TUESDAY_7PM = utc(2026, 3, 2, 19, 0), utc(2026, 3, 3, 19, 0)


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _run(world, now) -> tuple[int, int]:
    """(statements, instances acted on) of the job's work at `now`."""
    with counting_queries() as calls:
        report = await run_power_schedules(organization_id=world.fx.org.id, since=now - M, now=now,
                                           open_adapter=fake_cloud.open_adapter)
    return len(calls), sum(len(ids) for ids in report.outcomes.values())


async def test_a_runs_statements_do_not_grow_with_the_instances_due(db, cloud):
    world = await make_power_world(fake_cloud.KIND)
    cloud.states.update({name: "running" for name in world.vms})
    small = await _run(world, MONDAY_7PM)
    for n in range(20):
        await Resource.create(organization=world.fx.org, pool=world.fx.root, data_source=world.source,
                              cloud_resource_id=f"vm-x{n}", name=f"vm-x{n}", region="eu-west-1",
                              resource_type="instance", first_seen=SEEN, last_seen=SEEN, power_schedule=world.schedule)
        cloud.states[f"vm-x{n}"] = "running"
    cloud.states.update({name: "running" for name in world.vms})
    big = await _run(world, TUESDAY_7PM)
    assert (small[1], big[1]) == (3, 23)
    assert big[0] == small[0]
    assert sorted(len(ids) for _, _, ids in cloud.calls) == [1, 1, 2, 22]  # per region and verb, as before
    assert await ResourceEvent.filter(kind="power_stop_ok").count() == 26
    assert (await _run(world, TUESDAY_7PM))[1] == 0 and len(cloud.calls) == 4  # done once, never again
