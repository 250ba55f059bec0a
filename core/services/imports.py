"""One import run of a data source: discover, bill, measure, then save it all in one transaction.

The cloud is read first (nothing is written while waiting on it); the writes then commit whole or not at
all, so a bad file or an outage leaves the previous figures as they were. A root account's billing also
carries the accounts connected as other data sources of the same cloud: their lines go to their own data
sources, other accounts' lines are rejected (the linked-account rule). What an adapter can do comes from its
kind's description (core.adapters.registry); a region or account that discovery skipped is reported, and
its known resources are left as they were.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Callable

from core.adapters.base import (BillingBatch, Capability, DiscoveredResource, Discovery, ExpenseLine, MetricPoint,
                                PowerTarget)
from core.adapters.registry import kind_info, kinds
from core.clock import utcnow
from core.crypto import SecretBox
from core.db import transaction
from core.errors import InvalidInput, NotFound
from core.models import DataSource, ImportedFile, Organization, Resource, ResourceMetric
from core.money import cents
from core.services.datasources import ACCOUNT_ID, open_adapter
from core.services.resources import BATCH, ResourceItem, replace_expenses, upsert_resources

Progress = Callable[[str, int, int], None]  # (step, steps done, steps in all)
STEPS = ("discover", "billing", "metrics", "save")
HOURLY, DAILY = 3600, 86400
METRIC_WINDOWS = {HOURLY: timedelta(days=7), DAILY: timedelta(days=30)}


@dataclass
class ImportSummary:
    data_source: str
    currency: str
    items_read: int = 0
    resources_created: int = 0
    resources_updated: int = 0
    billing_only: int = 0
    days: int = 0
    total_cost: Decimal = Decimal(0)
    rejected: dict[str, int] = field(default_factory=dict)
    files_changed: int = 0
    files_unchanged: int = 0
    missing_columns: list[str] = field(default_factory=list)
    metric_points: int = 0
    skipped_regions: dict[str, str] = field(default_factory=dict)  # region -> why discovery could not read it

    def __str__(self) -> str:
        lines = [f"Imported \"{self.data_source}\": {self.items_read} line items read, "
                 f"{self.resources_created} resources created ({self.billing_only} known from billing only), "
                 f"{self.resources_updated} updated, {self.days} days, total cost "
                 f"{cents(self.total_cost)} {self.currency}, {self.metric_points} metric points; "
                 f"billing files: {self.files_changed} new or changed, {self.files_unchanged} unchanged."]
        rejected = sum(self.rejected.values())
        lines.append(f"Rows rejected: {rejected}" + ("." if not rejected else ":"))
        lines += [f"  {count} x {reason}" for reason, count in sorted(self.rejected.items())]
        if self.missing_columns:
            lines.append("Columns absent (left blank): " + ", ".join(self.missing_columns))
        if self.skipped_regions:
            lines.append("Regions skipped (their resources were left as they were):")
            lines += [f"  {region}: {reason}" for region, reason in sorted(self.skipped_regions.items())]
        return "\n".join(lines)

    def status(self) -> str:
        """The one-line outcome kept on the data source."""
        text = f"ok: {self.items_read} line items, {self.days} days, {cents(self.total_cost)}"
        by_reason: dict[str, list[str]] = defaultdict(list)
        for region, reason in sorted(self.skipped_regions.items()):
            by_reason[reason].append(region)
        for reason, regions in by_reason.items():
            text += f"; regions skipped: {', '.join(regions)} ({reason})"
        return text if len(text) <= 255 else text[:254] + "…"


async def run_import(*, data_source_id: int, box: SecretBox, start: date | None = None,
                     now: datetime | None = None, progress: Progress | None = None) -> ImportSummary:
    """Import a data source from `start` (default: the first day of last month) through today.

    Raises: NotFound (data source, bucket, report), InvalidInput (range, a sample data source, credentials,
    permission, a bad file), CloudUnavailable. A failure is also written to the data source's last import status.
    """
    now = now or utcnow()
    source = await DataSource.get_or_none(id=data_source_id)
    if source is None:
        raise NotFound("data_source_not_found", data_source_id=data_source_id)
    if source.sample:
        raise InvalidInput("import_sample_data", name=source.name)
    start = start or (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
    if start > now.date():
        raise InvalidInput("import_range_invalid", field="start", start=start, end=now.date())
    try:
        summary = await _run(source, box, start, now, progress or (lambda *_: None))
    except Exception as exc:
        await DataSource.filter(id=source.id).update(last_import_at=now, last_import_status=f"failed: {exc}"[:255])
        raise
    return summary


async def _run(source: DataSource, box: SecretBox, start: date, now: datetime, progress: Progress) -> ImportSummary:
    org = await Organization.get(id=source.organization_id)
    described = kind_info(source.kind)
    accounts = await _connected_accounts(source.organization_id, described.cloud)
    adapter = open_adapter(source, box, currency=org.currency, connected_accounts=sorted(accounts))
    progress(STEPS[0], 0, len(STEPS))
    discovery = await adapter.discover() if described.can(Capability.DISCOVER) else Discovery([])
    found, skipped = discovery.resources, dict(discovery.skipped)
    progress(STEPS[1], 1, len(STEPS))
    batch = await adapter.billing(start, now.date()) if described.can(Capability.BILLING) else None
    progress(STEPS[2], 2, len(STEPS))
    points = await _metrics(adapter, found, now) if described.can(Capability.METRICS) else []
    progress(STEPS[3], 3, len(STEPS))
    summary = ImportSummary(data_source=source.name, currency=org.currency, skipped_regions=skipped)
    async with transaction():
        counts = await upsert_resources(organization_id=org.id, data_source_id=source.id,
                                        items=[_discovered(r, now) for r in found])
        summary.resources_created, summary.resources_updated = counts.created, counts.updated
        if batch is not None:
            seen = {r.cloud_resource_id for r in found} | await _kept(source.id, skipped)
            await _save_billing(summary, source, batch, accounts, seen)
            await _remember_files(summary, source, batch, now)
        summary.metric_points = await _save_metrics(org.id, points)
        await DataSource.filter(id=source.id).update(last_import_at=now, last_import_status=summary.status())
    progress("done", len(STEPS), len(STEPS))
    return summary


async def _connected_accounts(organization_id: int, cloud: str) -> dict[str, int]:
    """Cloud account id -> data source id, for the organization's data sources of one cloud."""
    same_cloud = [info.kind.value for info in kinds() if info.cloud == cloud]
    sources = await DataSource.filter(organization_id=organization_id, kind__in=same_cloud)
    return {s.config[ACCOUNT_ID]: s.id for s in sources if s.config.get(ACCOUNT_ID)}


async def _kept(source_id: int, skipped: dict[str, str]) -> set[str]:
    """The data source's resources in regions discovery skipped: billing must not mark them billing-only."""
    if not skipped:
        return set()
    return set(await Resource.filter(data_source_id=source_id, region__in=list(skipped)
                                     ).values_list("cloud_resource_id", flat=True))


def _discovered(resource: DiscoveredResource, now: datetime) -> ResourceItem:
    return ResourceItem(cloud_resource_id=resource.cloud_resource_id, resource_type=resource.resource_type,
                        seen_at=now, name=resource.name, region=resource.region, tags=resource.tags,
                        active=resource.active, details=resource.details)


async def _metrics(adapter, found: list[DiscoveredResource], now: datetime) -> list[MetricPoint]:
    targets = [PowerTarget(r.cloud_resource_id, r.region) for r in found if r.resource_type == "instance"]
    if not targets:
        return []
    points = []
    for period, window in METRIC_WINDOWS.items():
        points += await adapter.metrics(targets, now - window, now, period)
    return points


async def _save_billing(summary: ImportSummary, source: DataSource, batch: BillingBatch, accounts: dict[str, int],
                        discovered: set[str]) -> None:
    """Billing-only resources, then each covered range's expenses replaced per data source."""
    summary.items_read, summary.rejected = batch.items_read, Counter(batch.rejected)
    summary.missing_columns = batch.missing_columns
    by_source: dict[int, list[ExpenseLine]] = defaultdict(list)
    for line in batch.lines:
        by_source[accounts.get(line.account_id, source.id)].append(line)
    for source_id, lines in by_source.items():
        summary.billing_only += await _billing_only(source.organization_id, source_id, lines, discovered)
    summary.resources_created += summary.billing_only
    known = await _resource_ids(source.organization_id, {line.cloud_resource_id for line in batch.lines})
    rows: dict[int, dict[tuple[int, date], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for source_id, lines in by_source.items():
        for line in lines:
            resource_id, owner_source = known[line.cloud_resource_id]
            if owner_source != source_id:
                summary.rejected["daily cost of a resource that belongs to another data source"] += 1
                continue
            rows[source_id][(resource_id, line.day)] += line.cost
    for first, last in batch.covered:
        for source_id in {source.id} | set(by_source):
            in_range = [(rid, day, cost) for (rid, day), cost in rows[source_id].items() if first <= day <= last]
            await replace_expenses(start_day=first, end_day=last, rows=in_range, data_source_id=source_id)
    summary.rejected = dict(summary.rejected)
    summary.days = len({day for per_source in rows.values() for (_, day) in per_source})
    summary.total_cost = sum((c for per_source in rows.values() for c in per_source.values()), Decimal(0))


async def _billing_only(organization_id: int, source_id: int, lines: list[ExpenseLine], discovered: set[str]) -> int:
    """Create or refresh resources that billing names but discovery did not see; the first and last billed
    day bound them. Returns how many were created."""
    first: dict[str, ExpenseLine] = {}
    last: dict[str, ExpenseLine] = {}
    for line in lines:
        if line.cloud_resource_id in discovered:
            continue
        if line.cloud_resource_id not in first or line.day < first[line.cloud_resource_id].day:
            first[line.cloud_resource_id] = line
        if line.cloud_resource_id not in last or line.day > last[line.cloud_resource_id].day:
            last[line.cloud_resource_id] = line
    items = [_billed(line, _midnight(first[cid].day)) for cid, line in last.items()]
    return (await upsert_resources(organization_id=organization_id, data_source_id=source_id, items=items)).created


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), timezone.utc)


def _billed(line: ExpenseLine, first_seen: datetime) -> ResourceItem:
    return ResourceItem(cloud_resource_id=line.cloud_resource_id, resource_type=line.resource_type or "other",
                        seen_at=_midnight(line.day), first_seen=first_seen, name=line.name[:512],
                        region=line.region[:64], tags=line.tags, active=False)


async def _resource_ids(organization_id: int, cloud_ids: set[str]) -> dict[str, tuple[int, int | None]]:
    wanted, found = sorted(cloud_ids), {}
    for first in range(0, len(wanted), BATCH):
        rows = await Resource.filter(organization_id=organization_id, cloud_resource_id__in=wanted[first:first + BATCH]
                                     ).values_list("cloud_resource_id", "id", "data_source_id")
        found.update((cid, (rid, sid)) for cid, rid, sid in rows)
    return found


async def _save_metrics(organization_id: int, points: list[MetricPoint]) -> int:
    ids = await _resource_ids(organization_id, {p.cloud_resource_id for p in points})
    rows = [ResourceMetric(resource_id=ids[p.cloud_resource_id][0], metric=p.metric, period_seconds=p.period_seconds,
                           at=p.at, value=p.value) for p in points if p.cloud_resource_id in ids]
    await ResourceMetric.bulk_create(rows, batch_size=BATCH, update_fields=["value"],
                                     on_conflict=["resource_id", "metric", "period_seconds", "at"])
    return len(rows)


async def _remember_files(summary: ImportSummary, source: DataSource, batch: BillingBatch, now: datetime) -> None:
    before = dict(await ImportedFile.filter(data_source_id=source.id, key__in=list(batch.files)
                                            ).values_list("key", "version"))
    summary.files_unchanged = sum(1 for key, version in batch.files.items() if before.get(key) == version)
    summary.files_changed = len(batch.files) - summary.files_unchanged
    await ImportedFile.bulk_create([ImportedFile(data_source_id=source.id, key=key, version=version, imported_at=now)
                                    for key, version in batch.files.items()], batch_size=BATCH,
                                   on_conflict=["data_source_id", "key"], update_fields=["version", "imported_at"])
