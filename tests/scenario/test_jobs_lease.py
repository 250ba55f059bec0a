"""Running jobs: the database lease, the time window each run covers, and the scheduler's wiring."""

import asyncio
import logging
from datetime import datetime, timedelta, timezone

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.errors import InvalidInput
from core.models import JobRun
from jobs import runner
from jobs.runner import LEASE, Deps, Job, Window, run_job
from jobs.scheduler import JOBS, build_scheduler, job_named, register_jobs, stop_jobs, tick

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
M = timedelta(minutes=1)


class Recorder:
    """A job body that records the windows it was given and can be made to fail."""

    def __init__(self) -> None:
        self.windows: list[Window] = []
        self.fail = False

    async def __call__(self, window: Window, deps: Deps) -> str:
        self.windows.append(window)
        if self.fail:
            raise RuntimeError("cloud down")
        return "done"


@pytest.fixture
def body():
    return Recorder()


def _job(body: Recorder) -> Job:
    return Job("probe", {"trigger": "interval", "minutes": 1}, body)


async def test_each_run_covers_the_time_since_the_last_completed_one(db, body):
    job = _job(body)
    assert await run_job(job, Deps(), now=NOW) == "done"
    assert await run_job(job, Deps(), now=NOW + M) == "done"
    assert await run_job(job, Deps(), now=NOW + 61 * M) == "done"
    assert body.windows == [Window(NOW - M, NOW), Window(NOW, NOW + M), Window(NOW + M, NOW + 61 * M)]
    row = await JobRun.get(name="probe")
    assert (row.last_run_at, row.claimed_by, row.claimed_until) == (NOW + 61 * M, "", None)


async def test_a_dead_holders_lease_skips_the_run_only_until_its_short_timeout(db, body):
    job = _job(body)
    await JobRun.create(name="probe", claimed_by="dead/1", claimed_until=NOW + LEASE, last_run_at=NOW - M)
    assert LEASE <= timedelta(minutes=1)  # not renewed, a lease is gone before the next minute's tick
    assert await run_job(job, Deps(), now=NOW + LEASE - timedelta(seconds=1)) is None
    assert body.windows == []
    assert await run_job(job, Deps(), now=NOW + LEASE + timedelta(seconds=1)) == "done"
    assert body.windows == [Window(NOW - M, NOW + LEASE + timedelta(seconds=1))]


class Gate:
    """A job body that waits until it is let go, recording its windows."""

    def __init__(self) -> None:
        self.windows: list[Window] = []
        self.entered = asyncio.Event()
        self.go = asyncio.Event()

    async def __call__(self, window: Window, deps: Deps) -> str:
        self.windows.append(window)
        self.entered.set()
        await self.go.wait()
        return "done"


async def _until(check, timeout: float = 10.0) -> None:
    async def wait() -> None:
        while not await check():
            await asyncio.sleep(0.01)
    await asyncio.wait_for(wait(), timeout)


async def test_a_running_holder_renews_its_lease_so_nobody_takes_it_over(db, monkeypatch):
    monkeypatch.setattr(runner, "HEARTBEAT", 0.01)
    gate = Gate()
    job = Job("probe", {"trigger": "interval", "minutes": 1}, gate)
    running = asyncio.ensure_future(run_job(job, Deps(worker="a"), now=NOW))
    await gate.entered.wait()
    try:
        first = (await JobRun.get(name="probe")).claimed_until
        assert first == NOW + LEASE
        await _until(lambda: JobRun.exists(name="probe", claimed_until__gt=first))
        just_after = first + timedelta(microseconds=1)  # when the first lease, not renewed, would be free
        assert await run_job(_job(Recorder()), Deps(worker="b"), now=just_after) is None
    finally:
        gate.go.set()
    assert await running == "done"
    row = await JobRun.get(name="probe")
    assert (row.claimed_by, row.claimed_until, row.last_run_at) == ("", None, NOW)


async def test_a_clean_shutdown_releases_the_lease_of_a_run_in_progress(db, body):
    gate = Gate()
    scheduler = build_scheduler()
    job = Job("probe", {"trigger": "interval", "minutes": 1}, gate)
    running = asyncio.ensure_future(tick(job, Deps(worker="stopping")))
    await gate.entered.wait()
    assert (await JobRun.get(name="probe")).claimed_by.startswith("stopping/")
    await stop_jobs(scheduler)
    assert running.cancelled()
    row = await JobRun.get(name="probe")
    assert (row.claimed_by, row.claimed_until, row.last_run_at) == ("", None, None)
    assert await run_job(_job(body), Deps(worker="cli"), now=NOW) == "done"  # `jobs run` goes ahead at once


async def test_a_run_that_overruns_its_slot_continues_and_then_covers_the_time_it_took(db):
    gate = Gate()
    job = Job("probe", {"trigger": "interval", "minutes": 1}, gate)
    first = asyncio.ensure_future(tick(job, Deps()))
    await gate.entered.wait()
    await tick(job, Deps())  # the next slot comes while the first run goes on
    assert len(gate.windows) == 1
    gate.go.set()
    await first
    assert len(gate.windows) == 2 and gate.windows[1].since == gate.windows[0].now
    assert (await JobRun.get(name="probe")).last_run_at == gate.windows[1].now


async def test_a_failed_run_releases_the_lease_and_its_time_is_covered_again(db, body):
    job = _job(body)
    await run_job(job, Deps(), now=NOW)
    body.fail = True
    with pytest.raises(RuntimeError):
        await run_job(job, Deps(), now=NOW + M)
    row = await JobRun.get(name="probe")
    assert (row.last_run_at, row.claimed_until, row.last_error) == (NOW, None, "RuntimeError: cloud down")
    body.fail = False
    await run_job(job, Deps(), now=NOW + 2 * M)
    assert body.windows[-1] == Window(NOW, NOW + 2 * M)
    assert (await JobRun.get(name="probe")).last_error == ""


async def test_a_run_behind_the_last_completed_one_does_nothing(db, body):
    job = _job(body)
    await run_job(job, Deps(), now=NOW)
    assert await run_job(job, Deps(), now=NOW - M) == "nothing to do: an earlier run already covered this time"
    assert len(body.windows) == 1 and (await JobRun.get(name="probe")).last_run_at == NOW


async def test_the_scheduler_gets_every_job_and_delivery_only_with_slack(db):
    scheduler = build_scheduler()
    register_jobs(scheduler, Deps())
    assert sorted(j.id for j in scheduler.get_jobs()) == sorted(set(JOBS) - {"delivery"})
    register_jobs(scheduler, Deps(senders={"member": lambda message: None}))
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert sorted(jobs) == sorted(JOBS)
    assert isinstance(jobs["delivery"].trigger, IntervalTrigger)
    power = jobs["power_schedules"].trigger
    assert isinstance(power, CronTrigger) and str(power) == "cron[second='5']"
    assert str(jobs["constraint_check"].trigger) == "cron[minute='*/5', second='15']"


async def test_a_failing_tick_is_logged_and_does_not_escape(db, body, caplog):
    body.fail = True
    with caplog.at_level(logging.ERROR, logger="jobs.scheduler"):
        await tick(_job(body), Deps())
    assert "job probe failed" in caplog.text
    assert (await JobRun.get(name="probe")).last_error == "RuntimeError: cloud down"


def test_an_unknown_job_name_lists_the_valid_ones():
    with pytest.raises(InvalidInput) as err:
        job_named("nightly")
    assert err.value.code == "job_unknown"
    assert str(err.value) == ('There is no job named "nightly". Jobs: booking_events, constraint_check, data_sources, '
                              "delivery, pool_alerts, power_schedules, slack_deliveries, ttl_warnings.")
