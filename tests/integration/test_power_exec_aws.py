"""Power schedules end to end on AWS: the job, the real AWS adapter and boto3 against moto's server.

Time is driven explicitly (the job gets `now`); only the EC2 instances' states are real.
"""

import json

import pytest

from core.crypto import SecretBox
from core.models import OutboxMessage, ResourceEvent
from core.services import datasources, schedules
from jobs.runner import Deps
from tests.integration import aws_world
from tests.integration.power_world import H, M, drive, make_power_world, utc
from tests.outbox_rows import params_of, target_of

BOX = SecretBox("k" * 40)
REGIONS = {"vm-a": "eu-west-1", "vm-b": "eu-west-1", "vm-c": "us-east-1"}
MONDAY = utc(2026, 3, 2)  # Berlin is UTC+1: the office schedule starts at 07:00 UTC and stops at 18:00 UTC


class Counting:
    """The real adapter, with every start/stop call counted per instance."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def open(self, source):
        adapter = datasources.open_adapter(source, BOX)
        counting = self

        class Wrapped:
            async def start(self, targets):
                counting.calls += [("start", t.cloud_resource_id) for t in targets]
                return await adapter.start(targets)

            async def stop(self, targets):
                counting.calls += [("stop", t.cloud_resource_id) for t in targets]
                return await adapter.stop(targets)

        return Wrapped()


@pytest.fixture
def ec2():
    aws_world.reset()
    instances = {}
    for name, region in REGIONS.items():
        client = aws_world.client("ec2", region)
        found = client.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro")
        instances[name] = found["Instances"][0]["InstanceId"]
    return instances


def states(ec2: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, instance_id in ec2.items():
        answer = aws_world.client("ec2", REGIONS[name]).describe_instances(InstanceIds=[instance_id])
        found[name] = answer["Reservations"][0]["Instances"][0]["State"]["Name"]
    return found


async def _world(ec2, keys: dict | None = None, **options):
    world = await make_power_world("aws_linked", ids=ec2, timezone_name="Europe/Berlin", **options)
    world.source.config = {"endpoint_url": aws_world.endpoint(), "regions": "eu-west-1,us-east-1"}
    world.source.secret = BOX.seal(json.dumps(keys or {"access_key_id": "AKIAIOSFODNN7EXAMPLE",
                                                       "secret_access_key": "testing"}))
    await world.source.save()
    counter = Counting()
    return world, counter, Deps(worker="test", open_adapter=counter.open)


async def test_stops_at_the_local_stop_time_keeps_a_manual_start_and_starts_at_the_start_time(db, ec2):
    world, counter, deps = await _world(ec2)
    await drive(deps, MONDAY + 17 * H + 55 * M, MONDAY + 18 * H + 5 * M)
    assert states(ec2) == {"vm-a": "stopped", "vm-b": "stopped", "vm-c": "stopped"}
    aws_world.client("ec2", "eu-west-1").start_instances(InstanceIds=[ec2["vm-a"]])  # by hand, at night
    await drive(deps, MONDAY + 18 * H + 5 * M, MONDAY + 30 * H + 55 * M, step=15 * M)
    assert states(ec2)["vm-a"] == "running"
    await drive(deps, MONDAY + 30 * H + 55 * M, MONDAY + 31 * H + 5 * M)
    assert states(ec2) == {"vm-a": "running", "vm-b": "running", "vm-c": "running"}
    assert sorted(counter.calls) == sorted([("stop", i) for i in ec2.values()] + [("start", i) for i in ec2.values()])
    history = await ResourceEvent.filter(resource_id=world.vms["vm-a"].id).order_by("id").values_list("kind", flat=True)
    assert history == ["power_stop_ok", "power_start_already"]


async def test_skip_tonight_and_snooze_hold_the_stop_and_then_expire(db, ec2):
    world, counter, deps = await _world(ec2)
    evening = MONDAY + 17 * H + 40 * M
    await schedules.skip_tonight(actor_id=world.eng.id, resource_id=world.vms["vm-a"].id, now=evening)
    await schedules.snooze(actor_id=world.eng.id, resource_id=world.vms["vm-c"].id, hours=1, now=evening)
    await drive(deps, evening, MONDAY + 18 * H + 30 * M)
    assert states(ec2) == {"vm-a": "running", "vm-b": "stopped", "vm-c": "running"}
    await drive(deps, MONDAY + 18 * H + 30 * M, MONDAY + 18 * H + 45 * M)
    assert states(ec2)["vm-c"] == "stopped"
    await drive(deps, MONDAY + 18 * H + 45 * M, MONDAY + 42 * H + 5 * M, step=20 * M)
    assert states(ec2) == {"vm-a": "stopped", "vm-b": "stopped", "vm-c": "stopped"}
    assert [c for c in counter.calls if c[1] == ec2["vm-a"]] == [("start", ec2["vm-a"]), ("stop", ec2["vm-a"])]
    assert [c for c in counter.calls if c[1] == ec2["vm-c"]] == [("stop", ec2["vm-c"]), ("start", ec2["vm-c"]),
                                                               ("stop", ec2["vm-c"])]


@pytest.mark.parametrize("day", [utc(2026, 3, 28, 23), utc(2026, 10, 24, 22)])
async def test_a_dst_night_in_berlin_acts_once_per_transition(db, ec2, day):
    every_day = [{"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "01:30", "stop": "02:30"}]
    world, counter, deps = await _world(ec2, periods=every_day, warn_minutes=0)
    for instance_id in ec2.values():
        aws_world.client("ec2", REGIONS[next(n for n, i in ec2.items() if i == instance_id)]).stop_instances(
            InstanceIds=[instance_id])
    await drive(deps, day, day + 5 * H)
    assert sorted(counter.calls) == sorted([(verb, i) for i in ec2.values() for verb in ("start", "stop")])
    events = await ResourceEvent.filter(resource_id=world.vms["vm-a"].id).order_by("id").values_list("kind", flat=True)
    assert events == ["power_start_ok", "power_stop_ok"]
    assert states(ec2) == {"vm-a": "stopped", "vm-b": "stopped", "vm-c": "stopped"}


async def test_a_terminated_instance_is_recorded_as_gone_and_refused_keys_reach_the_owner(db, ec2):
    world, counter, deps = await _world(ec2)
    aws_world.client("ec2", "us-east-1").terminate_instances(InstanceIds=[ec2["vm-c"]])
    await drive(deps, MONDAY + 17 * H + 55 * M, MONDAY + 18 * H + 1 * M)
    kinds = dict(await ResourceEvent.all().values_list("resource__name", "kind"))
    assert kinds == {"vm-a": "power_stop_ok", "vm-b": "power_stop_ok", "vm-c": "power_stop_gone"}
    assert await OutboxMessage.filter(event_type="power_action_failed").count() == 0
    aws_world.iam_checks(True)
    try:
        await drive(deps, MONDAY + 30 * H + 55 * M, MONDAY + 31 * H + 1 * M)
    finally:
        aws_world.iam_checks(False)
    failed = await ResourceEvent.filter(kind="power_start_failed").values_list("resource__name", flat=True)
    assert sorted(failed) == ["vm-a", "vm-b", "vm-c"]
    sent = await OutboxMessage.filter(event_type="power_action_failed").order_by("id")
    assert sorted((params_of(m)["resource"], target_of(m)) for m in sent) == [
        ("vm-a", world.eng.id), ("vm-b", world.fx.manager.id), ("vm-c", world.eng.id)]
    assert "AWS refused the credentials" in params_of(sent[0])["detail"]
    assert states(ec2)["vm-a"] == "stopped"
