"""What the scheduled jobs tell /metrics: runs, failures, duration and lag per job; imports; power actions.

The composition root builds one per process on its own CollectorRegistry and hands it to the jobs in Deps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from typing import TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from core.services.power import FAILED, SKIPPED

T = TypeVar("T")
_SLOW = (0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600)


class JobMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.runs = Counter("cloudtuner_job_runs", "Job runs started in this process", ["job"], registry=registry)
        self.failures = Counter("cloudtuner_job_failures", "Job runs that failed", ["job"], registry=registry)
        self.duration = Histogram("cloudtuner_job_duration_seconds", "Duration of job runs", ["job"],
                                  buckets=_SLOW, registry=registry)
        self.lag = Gauge("cloudtuner_job_lag_seconds", "At a leased job's last start: seconds since the end of its "
                         "last completed run (the time it still has to cover)", ["job"], registry=registry)
        self.import_duration = Histogram("cloudtuner_import_duration_seconds", "Duration of data source imports",
                                         ["kind"], buckets=_SLOW, registry=registry)
        self.line_items = Counter("cloudtuner_import_line_items", "Billing line items read by imports", ["kind"],
                                  registry=registry)
        self.power_actions = Counter("cloudtuner_power_actions", "Scheduled starts and stops asked of the clouds",
                                     ["action"], registry=registry)
        self.power_failures = Counter("cloudtuner_power_failures", "Scheduled starts and stops that failed",
                                      ["action"], registry=registry)

    async def run(self, job: str, work: Awaitable[T], *, lag: float | None = None) -> T:
        """Await one run of `job`, counting it, its failure and its duration."""
        self.runs.labels(job).inc()
        failures = self.failures.labels(job)  # shown as 0 from the first run on
        if lag is not None:
            self.lag.labels(job).set(max(lag, 0.0))
        started = asyncio.get_running_loop().time()
        try:
            return await work
        except Exception:
            failures.inc()
            raise
        finally:
            self.duration.labels(job).observe(asyncio.get_running_loop().time() - started)

    def imported(self, kind: str, seconds: float, line_items: int) -> None:
        self.import_duration.labels(kind).observe(seconds)
        self.line_items.labels(kind).inc(line_items)

    def powered(self, tally: Mapping[tuple[str, str], int]) -> None:
        """Count a power run's outcomes per (action, outcome); skipped stops (booked) were not asked of a cloud."""
        for (action, outcome), count in tally.items():
            if outcome != SKIPPED:
                self.power_actions.labels(action).inc(count)
            if outcome == FAILED:
                self.power_failures.labels(action).inc(count)
