"""A schedule-linked environment on AWS end to end: the real jobs, the real AWS adapter, boto3 against moto.

Booking the environment starts its stopped EC2 instance at the booking's start, the schedule's evening stop
leaves it running while booked, and releasing the booking stops it.
"""

import json

import pytest

from core.crypto import SecretBox
from core.models import JobRun, ResourceEvent
from core.services import bookings, datasources, environments
from jobs import booking_events, power_schedules
from jobs.runner import Deps, run_job
from tests.factories import make_member
from tests.integration import aws_world
from tests.integration.power_world import M, make_power_world, utc

BOX = SecretBox("k" * 40)
REGIONS = {"vm-a": "eu-west-1", "vm-b": "eu-west-1", "vm-c": "us-east-1"}
STOP = utc(2026, 3, 2, 18, 0)  # Monday: the Berlin office schedule stops at 19:00 local = 18:00 UTC
DEPS = Deps(worker="test", open_adapter=lambda source: datasources.open_adapter(source, BOX))


@pytest.fixture
def ec2():
    aws_world.reset()
    return {name: aws_world.client("ec2", region).run_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
        for name, region in REGIONS.items()}


def state(ec2: dict[str, str], name: str) -> str:
    answer = aws_world.client("ec2", REGIONS[name]).describe_instances(InstanceIds=[ec2[name]])
    return answer["Reservations"][0]["Instances"][0]["State"]["Name"]


async def _drive(start, end) -> None:
    """Both jobs every minute over (start, end], as the scheduler ticks them."""
    for job in (booking_events.JOB, power_schedules.JOB):
        await JobRun.update_or_create(name=job.name, defaults={"last_run_at": start})
    now = start + M
    while now <= end:
        for job in (booking_events.JOB, power_schedules.JOB):
            await run_job(job, DEPS, now=now)
        now += M


async def test_booking_a_linked_environment_starts_its_instance_and_releasing_it_stops_it(db, ec2):
    world = await make_power_world("aws_linked", ids=ec2, timezone_name="Europe/Berlin")
    world.source.config = {"endpoint_url": aws_world.endpoint(), "regions": "eu-west-1,us-east-1"}
    world.source.secret = BOX.seal(json.dumps({"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "testing"}))
    await world.source.save()
    manager = world.fx.manager.id
    env = await environments.mark_shareable(actor_id=manager, resource_id=world.vms["vm-a"].id)
    await environments.update_environment(actor_id=manager, environment_id=env.id, name="stage", description="",
                                          properties={}, ssh_only=False, max_booking_minutes=None,
                                          power_schedule_id=world.schedule.id)
    holder = await make_member(world.fx, "holder@acme.test")
    aws_world.client("ec2", "eu-west-1").stop_instances(InstanceIds=[ec2["vm-a"]])
    starts = STOP - 30 * M
    booking = await bookings.create_booking(actor_id=holder.id, environment_id=env.id, starts_at=starts,
                                            ends_at=STOP + 2 * 60 * M, now=starts - 60 * M)

    await _drive(starts - 3 * M, starts - M)
    assert state(ec2, "vm-a") == "stopped"
    await _drive(starts - M, starts + M)
    assert state(ec2, "vm-a") == "running"
    await _drive(starts + M, STOP + 2 * M)
    assert [state(ec2, name) for name in REGIONS] == ["running", "stopped", "stopped"]
    await bookings.release_booking(actor_id=holder.id, booking_id=booking.id, now=STOP + 10 * M)
    await _drive(STOP + 2 * M, STOP + 11 * M)
    assert state(ec2, "vm-a") == "stopped"
    history = await ResourceEvent.filter(resource_id=world.vms["vm-a"].id).order_by("id").values_list("kind", flat=True)
    assert history == ["env_power_start_ok", "power_stop_skipped", "env_power_stop_ok"]
