"""The in-process scheduler (APScheduler 3.x on the running asyncio loop) and the jobs it runs.

APScheduler only keeps the clock: what is due lives in the database (schedules, bookings, the
outbox, each job's last run), so a restart loses nothing and several processes can share the work.
A tick that comes while the job's previous run is still going is not dropped: that run goes on, and
starts again right after it for the time that passed meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core import log_context
from core.clock import utcnow
from core.errors import InvalidInput
from jobs import (booking_events, constraint_check, data_sources, delivery, pool_alerts, power_schedules,
                  slack_deliveries, ttl_warnings)
from jobs.runner import Deps, Job, run_job

log = logging.getLogger(__name__)

_running: dict[str, asyncio.Task] = {}  # job name -> its run in this process
_again: set[str] = set()  # jobs ticked while running

JOBS: dict[str, Job] = {module.JOB.name: module.JOB for module in (
    constraint_check, ttl_warnings, pool_alerts, booking_events, power_schedules, data_sources, delivery,
    slack_deliveries)}


def build_scheduler() -> AsyncIOScheduler:
    """A UTC scheduler; jobs coalesce missed runs into one and never overlap themselves (see tick)."""
    return AsyncIOScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 2, "misfire_grace_time": 300})


def register_jobs(scheduler: AsyncIOScheduler, deps: Deps) -> None:
    """Put every job on the scheduler; each tick runs it once under its database lease."""
    for job in JOBS.values():
        if job is delivery.JOB and not deps.senders:
            log.info("Slack is not configured: notifications wait in the outbox until it is")
            continue
        scheduler.add_job(tick, kwargs={"job": job, "deps": deps}, id=job.name, name=job.name, replace_existing=True,
                          **job.trigger)


def job_named(name: str) -> Job:
    """Raises: InvalidInput (job_unknown, listing the job names)."""
    job = JOBS.get(name)
    if job is None:
        raise InvalidInput("job_unknown", name=name, names=", ".join(sorted(JOBS)))
    return job


async def tick(job: Job, deps: Deps) -> None:
    """One scheduled run; while one runs, a tick only asks it to run once more when it is done (an overrun
    continues instead of being skipped). Failures are logged and the next tick covers the time again."""
    if job.name in _running:
        _again.add(job.name)
        return
    _running[job.name] = asyncio.current_task()
    try:
        while True:
            _again.discard(job.name)
            await _run_once(job, deps)
            if job.name not in _again:
                return
            log.info("job %s overran its slot: running it again now", job.name)
    finally:
        del _running[job.name]


async def _run_once(job: Job, deps: Deps) -> None:
    with log_context.bound(job=job.name, run=uuid.uuid4().hex[:12]):
        try:
            summary = await run_job(job, deps, now=utcnow())
        except Exception:
            log.exception("job %s failed", job.name)
            return
        if summary is not None:
            log.debug("job %s: %s", job.name, summary)


async def stop_jobs(scheduler: AsyncIOScheduler) -> None:
    """Stop the clock, cancel the runs in progress and wait for them to release their leases."""
    if scheduler.running:
        scheduler.shutdown(wait=False)
    runs = list(_running.values())
    for run in runs:
        run.cancel()
    await asyncio.gather(*runs, return_exceptions=True)
