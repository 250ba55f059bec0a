"""An organization with a cloud account, three scheduled VMs in two regions, and a clock to drive the job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from core.models import DataSource, JobRun, Member, PowerSchedule, Resource
from core.services import schedules
from jobs import power_schedules
from jobs.runner import Deps, run_job
from tests.factories import OrgFixture, make_member, make_org

OFFICE = [{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "stop": "19:00"}]
SEEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
M = timedelta(minutes=1)
H = timedelta(hours=1)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@dataclass
class PowerWorld:
    fx: OrgFixture
    eng: Member
    source: DataSource
    schedule: PowerSchedule
    vms: dict[str, Resource]


async def make_power_world(kind: str, *, timezone_name: str = "UTC", periods: list | None = None,
                           ids: dict[str, str] | None = None, **options) -> PowerWorld:
    """vm-a (eu-west-1, owned), vm-b (eu-west-1, unowned), vm-c (us-east-1, owned) on one schedule.

    `ids` maps those names to the cloud's instance ids (default: the names themselves).
    """
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    source = await DataSource.create(organization=fx.org, name="cloud", kind=kind, pool=fx.root, config={})
    ids = ids or {}
    vms = {}
    for name, region, owner in (("vm-a", "eu-west-1", eng), ("vm-b", "eu-west-1", None), ("vm-c", "us-east-1", eng)):
        vms[name] = await Resource.create(organization=fx.org, pool=fx.root, owner=owner, data_source=source,
                                          cloud_resource_id=ids.get(name, name), name=name, region=region,
                                          resource_type="instance", first_seen=SEEN, last_seen=SEEN)
    schedule = await schedules.create_schedule(actor_id=fx.manager.id, name="Office", timezone=timezone_name,
                                               periods=periods or OFFICE, **options)
    await schedules.attach_resources(actor_id=fx.manager.id, schedule_id=schedule.id,
                                     resource_ids=[vm.id for vm in vms.values()])
    return PowerWorld(fx, eng, source, schedule, vms)


async def drive(deps: Deps, start: datetime, end: datetime, step: timedelta = M) -> int:
    """Tick the power job at start+step, start+2*step ... end, as the scheduler would; returns the ticks."""
    await JobRun.update_or_create(name=power_schedules.JOB.name, defaults={"last_run_at": start})
    ticks = 0
    now = start + step
    while now <= end:
        await run_job(power_schedules.JOB, deps, now=now)
        ticks += 1
        now += step
    return ticks
