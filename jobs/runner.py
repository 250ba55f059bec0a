"""Running one job once: a database lease so one process at a time runs it, and a time window.

A job runs for the window (last completed run, now]. The lease is a row of `job_run` claimed with a
conditional UPDATE (free, or its lease expired), so it works the same on SQLite and PostgreSQL and
across any number of processes. The holder renews the lease every HEARTBEAT while the job runs, so a
long run keeps it and a holder that died loses it after LEASE; a run that stops (done, failed or
cancelled at shutdown) releases it at once. The window's end is stored only when the work succeeded, so
a failed or missed run is covered by the next one, and a restart after downtime catches up once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core.adapters.base import CloudAdapter
from core.crypto import SecretBox
from core.models import DataSource, JobRun, Organization
from core.services.outbox import Sender
from jobs.metrics import JobMetrics

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)  # a lease not renewed for this long belongs to a dead process
HEARTBEAT = 10.0  # seconds between renewals while a job runs


@dataclass(frozen=True)
class Window:
    """The time a run covers: (since, now]."""

    since: datetime
    now: datetime


@dataclass(frozen=True)
class Deps:
    """What jobs need from outside core, given by the composition root (config.process); None or empty = not set up."""

    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    senders: Mapping[str, Sender] = field(default_factory=dict)  # per target kind (core.events.routing)
    open_adapter: Callable[[DataSource], CloudAdapter] | None = None
    box: SecretBox | None = None
    metrics: JobMetrics | None = None


@dataclass(frozen=True)
class Job:
    """A named piece of scheduled work: its APScheduler trigger, its first window and its body."""

    name: str
    trigger: dict
    run: Callable[[Window, Deps], Awaitable[str]]
    first_window: timedelta = timedelta(minutes=1)
    leased: bool = True


async def run_job(job: Job, deps: Deps, *, now: datetime) -> str | None:
    """Run the job for (last run, now] unless another process holds it; None when it was held."""
    if not job.leased:
        return await _observed(job, Window(now - job.first_window, now), deps)
    token = f"{deps.worker[:40]}/{uuid.uuid4().hex[:12]}"
    row = await _claim(job, token, now)
    if row is None:
        return None
    since = row.last_run_at or now - job.first_window
    held = JobRun.filter(name=job.name, claimed_by=token)
    if since >= now:
        await held.update(claimed_by="", claimed_until=None)
        return "nothing to do: an earlier run already covered this time"
    renewing = asyncio.ensure_future(_renew(held, now))
    outcome: dict = {}
    try:
        summary = await _observed(job, Window(since, now), deps, lag=(now - since).total_seconds())
        outcome = {"last_run_at": now, "last_error": ""}
        return summary
    except Exception as exc:
        outcome = {"last_error": f"{type(exc).__name__}: {exc}"[:2000]}
        raise
    finally:  # also when cancelled at shutdown: the lease is free for the next process at once
        renewing.cancel()
        await asyncio.shield(held.update(claimed_by="", claimed_until=None, **outcome))


async def _observed(job: Job, window: Window, deps: Deps, *, lag: float | None = None) -> str:
    if deps.metrics is None:
        return await job.run(window, deps)
    return await deps.metrics.run(job.name, job.run(window, deps), lag=lag)


async def _renew(held, now: datetime) -> None:
    """Push the lease's end forward every HEARTBEAT, on the run's clock (`now` plus the time elapsed)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        await asyncio.sleep(HEARTBEAT)
        try:
            await held.update(claimed_until=now + timedelta(seconds=loop.time() - started) + LEASE)
        except Exception:  # the run itself reports a database that is gone; try again next beat
            log.warning("could not renew a job lease", exc_info=True)


async def organization_ids() -> list[int]:
    return list(await Organization.all().order_by("id").values_list("id", flat=True))


async def for_each_org(work: Callable[[int], Awaitable[int]]) -> tuple[int, int]:
    """Run `work` per organization; one organization's failure is logged and does not stop the others.

    Returns (sum of the results, number of organizations that failed).
    """
    total = failed = 0
    for organization_id in await organization_ids():
        try:
            total += await work(organization_id)
        except Exception:
            log.exception("organization %s failed", organization_id)
            failed += 1
    return total, failed


async def _claim(job: Job, token: str, now: datetime) -> JobRun | None:
    """The job's row, claimed for this run; None when another process holds an unexpired lease."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    claim = JobRun.filter(free, name=job.name)
    claimed = await claim.update(claimed_by=token, claimed_until=now + LEASE)
    if not claimed and not await JobRun.exists(name=job.name):
        try:
            await JobRun.create(name=job.name)
        except IntegrityError:
            pass  # another process created it first
        claimed = await claim.update(claimed_by=token, claimed_until=now + LEASE)
    return await JobRun.get(name=job.name) if claimed else None
