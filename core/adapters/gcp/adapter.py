"""The Google Cloud adapter: a service-account key, its billing export in BigQuery, and Compute Engine in every
project the key can see. All Google libraries here are blocking: every call runs in a worker thread."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, datetime, timedelta

from core.adapters import context
from core.adapters.base import (AccountInfo, BillingBatch, Credentials, Discovery, MetricPoint,
                                PowerResult, PowerTarget)
from core.adapters.gcp import billing, compute, form, monitoring
from core.adapters.gcp.session import GcpSession
from core.clock import utcnow
from core.errors import CoreError

PARALLEL = 8
METRIC_BATCH = 100  # instance ids per Monitoring filter


class GcpAdapter:

    def __init__(self, config: form.GcpConfig, where: context.AdapterContext) -> None:
        self.session = GcpSession(config, where)
        self.config = config
        self._gate = asyncio.Semaphore(PARALLEL)

    async def validate(self) -> AccountInfo:
        """The key (a token exchange), the export table (its schema) and a dry-run of the import's query."""
        await self.session.run(self.session.refresh)
        await self.session.run(self._dry_run)
        return AccountInfo(account_id=self.config.table_path,
                           display=f"{self.session.account} reading {self.config.table_path}")

    def _dry_run(self) -> None:
        client = self.session.bigquery()
        today = utcnow().date()
        query = billing.sql(self.config, billing.columns(client, self.config))
        client.query(query, job_config=billing.job_config(today - timedelta(days=1), today, dry_run=True))

    async def discover(self) -> Discovery:
        """Instances of every project that answered; the others are skipped with the reason."""
        projects = await self.session.run(compute.projects, self.session)
        answers = await asyncio.gather(*(self._off(compute.instances, self.session, p) for p in projects),
                                       return_exceptions=True)
        found, skipped = [], {}
        for project, answer in zip(projects, answers):
            if isinstance(answer, CoreError):
                skipped[project] = str(answer)
            elif isinstance(answer, BaseException):
                raise answer
            else:
                found += answer
        if projects and len(skipped) == len(projects):
            raise next(a for a in answers if isinstance(a, CoreError))
        return Discovery(found, skipped)

    async def billing(self, start: date, end: date) -> BillingBatch:
        return await self.session.run(billing.read, self.session.bigquery(), self.config, start, end)

    async def metrics(self, targets: list[PowerTarget], start: datetime, end: datetime,
                      period_seconds: int) -> list[MetricPoint]:
        by_project: dict[str, list[str]] = defaultdict(list)
        for target in targets:
            project, _, instance = compute.parse_id(target.cloud_resource_id)
            if instance:
                by_project[project].append(instance)
        calls = [self._off(monitoring.cpu, self.session, project, ids[n:n + METRIC_BATCH], start, end, period_seconds)
                 for project, ids in by_project.items() for n in range(0, len(ids), METRIC_BATCH)]
        return [point for batch in await asyncio.gather(*calls) for point in batch]

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return list(await asyncio.gather(*(self._off(compute.change, self.session, t.cloud_resource_id, "start")
                                           for t in targets)))

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return list(await asyncio.gather(*(self._off(compute.change, self.session, t.cloud_resource_id, "stop")
                                           for t in targets)))

    async def _off(self, fn, *args):
        async with self._gate:
            return await asyncio.to_thread(fn, *args)


def build(credentials: Credentials) -> GcpAdapter:
    """Raises: InvalidInput (a field missing or malformed, an unreadable key)."""
    return GcpAdapter(form.parse(credentials), context.current())
