"""`cloudtuner jobs run <name>` runs one scheduled job now, under the same lease as the scheduler;
`cloudtuner jobs list` shows each job with its last completed run."""

from __future__ import annotations

import argparse

from config import process
from config.settings import Settings
from config.startup import ensure_secret_key
from core import db
from core.clock import utcnow
from core.errors import Conflict
from core.models import JobRun
from jobs.runner import run_job
from jobs.scheduler import JOBS, job_named


def add_parsers(sub: argparse._SubParsersAction) -> None:
    jobs = sub.add_parser("jobs", help="scheduled jobs").add_subparsers(dest="jobs_command", required=True)
    run = jobs.add_parser("run", help="run one job now")
    run.add_argument("name", help="job name: " + ", ".join(sorted(JOBS)))
    jobs.add_parser("list", help="the jobs and when each last completed")


async def command(settings: Settings, args: argparse.Namespace) -> str:
    deps = process.job_deps(settings, ensure_secret_key(settings))
    job = job_named(args.name) if args.jobs_command == "run" else None
    await process.prepare_database(settings)
    try:
        if job is None:
            return await _listing()
        summary = await run_job(job, deps, now=utcnow())
    finally:
        await db.stop()
    if summary is None:
        raise Conflict("job_busy", name=job.name)
    return f"{job.name}: {summary}"


async def _listing() -> str:
    runs = {r.name: r for r in await JobRun.all()}
    lines = []
    for name in sorted(JOBS):
        run = runs.get(name)
        last = run.last_run_at.strftime("%Y-%m-%d %H:%M:%S UTC") if run and run.last_run_at else "never"
        error = f" (last error: {run.last_error})" if run and run.last_error else ""
        lines.append(f"{name}: last completed {last}{error}")
    return "\n".join(lines)
