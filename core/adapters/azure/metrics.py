"""Azure Monitor utilisation of virtual machines: CPU (average percent) and network in/out (bytes per period)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from core.adapters.azure.power import parse_id
from core.adapters.azure.session import AzureSession
from core.adapters.base import MetricPoint, PowerTarget

PARALLEL = 16
# Azure metric name -> (our metric, the aggregation that gives it)
METRICS = {"Percentage CPU": ("cpu", "average"), "Network In Total": ("network_in", "total"),
           "Network Out Total": ("network_out", "total")}


async def read(session: AzureSession, targets: list[PowerTarget], start: datetime, end: datetime,
               period_seconds: int) -> list[MetricPoint]:
    """One metrics call per VM (all three metrics at once), VMs side by side."""
    gate = asyncio.Semaphore(PARALLEL)

    async def one(target: PowerTarget) -> list[MetricPoint]:
        async with gate:
            return await _vm(session, target.cloud_resource_id, start, end, period_seconds)

    found = await asyncio.gather(*(one(t) for t in targets))
    return [point for batch in found for point in batch]


async def _vm(session: AzureSession, resource_id: str, start: datetime, end: datetime,
              period_seconds: int) -> list[MetricPoint]:
    subscription_id = parse_id(resource_id)[0]
    monitor = session.client("monitor", subscription_id)
    answer = await session.call(monitor.metrics.list(
        resource_id.lstrip("/"), timespan=f"{_iso(start)}/{_iso(end)}", interval=_grain(period_seconds),
        metricnames=",".join(METRICS), aggregation="Average,Total"), subscription_id)
    points = []
    for metric in answer.value or []:
        ours, aggregation = METRICS.get(metric.name.value, (None, None))
        if ours is None:
            continue
        for series in metric.timeseries or []:
            points += [MetricPoint(cloud_resource_id=resource_id, metric=ours, at=v.time_stamp.astimezone(timezone.utc),
                                   period_seconds=period_seconds, value=float(getattr(v, aggregation)))
                       for v in series.data or [] if getattr(v, aggregation) is not None]
    return points


def _grain(seconds: int) -> str:
    """An ISO 8601 duration Azure Monitor accepts as a time grain: P1D, PT1H, PT5M..."""
    if seconds % 86400 == 0:
        return f"P{seconds // 86400}D"
    return f"PT{seconds // 3600}H" if seconds % 3600 == 0 else f"PT{max(1, seconds // 60)}M"


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
