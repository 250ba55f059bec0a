"""The scheduled work: the constraint check (time, statements, peak memory) against one raw GROUP BY over the
same expenses, and 10,000 instances due at once (time of the last cloud call after the due time) against
the same cloud calls made directly; plus the scheduler's jobs looping, for the ack round under load."""

from __future__ import annotations

import asyncio
import resource
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

from tortoise import connections

from core.adapters.base import PowerResult, PowerTarget
from core.crypto import SecretBox
from core.models import JobRun, Resource
from jobs.runner import Deps, run_job
from jobs.scheduler import JOBS

LOOPED = ("constraint_check", "ttl_warnings", "pool_alerts", "booking_events", "power_schedules")


class BenchCloud:
    """An adapter that answers at once and notes when it was last called."""

    def __init__(self) -> None:
        self.calls = 0
        self.last = 0.0

    async def _act(self, targets: list[PowerTarget]) -> list[PowerResult]:
        self.calls += 1
        self.last = time.perf_counter()
        return [PowerResult(t.cloud_resource_id, "ok") for t in targets]

    start = stop = _act


def deps_for(cloud: BenchCloud) -> Deps:
    return Deps(worker="bench", open_adapter=lambda source: cloud, box=SecretBox("b" * 40))


@contextmanager
def statements():
    """Counts the SQL statements sent on the default connection inside the block."""
    client = type(connections.get("default"))
    counted = [0]
    originals = {name: getattr(client, name) for name in
                 ("execute_query", "execute_query_dict", "execute_many", "execute_insert", "execute_script")}
    for name, original in originals.items():
        async def wrapper(self, *args, _original=original, **kwargs):
            counted[0] += 1
            return await _original(self, *args, **kwargs)
        setattr(client, name, wrapper)
    try:
        yield counted
    finally:
        for name, original in originals.items():
            setattr(client, name, original)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def constraint_check(now: datetime) -> dict:
    """First run, then a steady run (everything already announced), with statements and peak RSS."""
    job, deps = JOBS["constraint_check"], deps_for(BenchCloud())
    times = []
    with statements() as counted:
        for run in range(2):
            start = time.perf_counter()
            await run_job(job, deps, now=now + timedelta(minutes=5 * run))
            times.append(time.perf_counter() - start)
            if run == 0:
                first_statements = counted[0]
    conn = connections.get("default")
    mark = "$1" if conn.capabilities.dialect == "postgres" else "?"
    start = time.perf_counter()
    await conn.execute_query(f"SELECT resource_id, SUM(cost) FROM expense WHERE day >= {mark} GROUP BY resource_id",
                             [now.date() - timedelta(days=1)])
    baseline = time.perf_counter() - start
    return {"first": times[0], "steady": times[1], "statements_first": first_statements,
            "statements_steady": counted[0] - first_statements, "baseline": baseline, "peak_rss": peak_rss_mb()}


async def power_due(due_at: datetime) -> dict:
    """Every scheduled instance stops at `due_at`: the job's run there vs the same batches sent directly."""
    await JobRun.update_or_create(name="power_schedules", defaults={"last_run_at": due_at - timedelta(minutes=1)})
    cloud = BenchCloud()
    start = time.perf_counter()
    await run_job(JOBS["power_schedules"], deps_for(cloud), now=due_at)
    ended = time.perf_counter()
    rows = await Resource.filter(power_schedule_id__not_isnull=True).values_list("region", "cloud_resource_id")
    batches: dict[str, list[PowerTarget]] = {}
    for region, cid in rows:
        batches.setdefault(region, []).append(PowerTarget(cid, region))
    direct = BenchCloud()
    base_start = time.perf_counter()
    for targets in batches.values():
        await direct.stop(targets)
    return {"last_call": cloud.last - start if cloud.calls else float("nan"), "run": ended - start,
            "calls": cloud.calls, "baseline": direct.last - base_start, "instances": len(rows)}


async def loop_jobs(stop: asyncio.Event) -> int:
    """Run the scheduler's minute jobs back to back until `stop`, as a busy scheduler would; returns the runs."""
    deps, runs = deps_for(BenchCloud()), 0
    while not stop.is_set():
        for name in LOOPED:
            await run_job(JOBS[name], deps, now=datetime.now().astimezone())
            runs += 1
            await asyncio.sleep(0)
    return runs
