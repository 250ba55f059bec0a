"""Running jobs: the database lease, the time window each run covers, and the scheduler's wiring."""

import logging
from datetime import datetime, timedelta, timezone

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.errors import InvalidInput
from core.models import JobRun
from jobs.runner import Deps, Job, Window, run_job
from jobs.scheduler import JOBS, build_scheduler, job_named, register_jobs, tick

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


async def test_a_held_lease_skips_the_run_until_it_expires(db, body):
    job = _job(body)
    await JobRun.create(name="probe", claimed_by="other/1", claimed_until=NOW + 5 * M, last_run_at=NOW - M)
    assert await run_job(job, Deps(), now=NOW) is None
    assert body.windows == []
    assert await run_job(job, Deps(), now=NOW + 6 * M) == "done"
    assert body.windows == [Window(NOW - M, NOW + 6 * M)]


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
    register_jobs(scheduler, Deps(send=lambda message: None))
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
                              "delivery, pool_alerts, power_schedules, ttl_warnings.")
