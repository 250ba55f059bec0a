"""Cloud Monitoring CPU utilisation of instances: one timeSeries.list per project, averaged per period."""

from __future__ import annotations

from datetime import datetime, timezone

from core.adapters.base import MetricPoint
from core.adapters.gcp.compute import resource_id
from core.adapters.gcp.session import GcpSession

CPU = "compute.googleapis.com/instance/cpu/utilization"  # a fraction 0..1; points are kept as percent


def cpu(session: GcpSession, project: str, instance_ids: list[str], start: datetime, end: datetime,
        period_seconds: int) -> list[MetricPoint]:
    """Blocking; run it off the loop."""
    series = session.service("monitoring", "v3").projects().timeSeries()
    wanted = ", ".join(f'"{i}"' for i in instance_ids)
    request = series.list(
        name=f"projects/{project}",
        filter=f'metric.type = "{CPU}" AND resource.labels.instance_id = one_of({wanted})',
        interval_startTime=_rfc3339(start), interval_endTime=_rfc3339(end),
        aggregation_alignmentPeriod=f"{period_seconds}s", aggregation_perSeriesAligner="ALIGN_MEAN")
    points = []
    while request is not None:
        answer = session.guarded(request.execute)
        for one in answer.get("timeSeries", []):
            labels = one["resource"]["labels"]
            target = resource_id(project, labels["zone"], labels["instance_id"])
            points += [MetricPoint(cloud_resource_id=target, metric="cpu", period_seconds=period_seconds,
                                   at=_start(p["interval"], period_seconds),
                                   value=float(p["value"]["doubleValue"]) * 100) for p in one.get("points", [])]
        request = series.list_next(request, answer)
    return points


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _start(interval: dict, period_seconds: int) -> datetime:
    """An aligned point is stamped with its period's end; we keep periods by their start."""
    end = datetime.fromisoformat(interval["endTime"].replace("Z", "+00:00")).astimezone(timezone.utc)
    return datetime.fromtimestamp(end.timestamp() - period_seconds, timezone.utc)
