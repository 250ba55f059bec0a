"""CloudWatch utilisation of instances: CPU (percent) and network in/out (bytes), averaged per period."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime, timezone

from core.adapters.aws.session import AwsSession, off_loop, request
from core.adapters.base import MetricPoint, PowerTarget

METRICS = {"cpu": "CPUUtilization", "network_in": "NetworkIn", "network_out": "NetworkOut"}


async def read(session: AwsSession, targets: list[PowerTarget], start: datetime, end: datetime,
               period_seconds: int) -> list[MetricPoint]:
    """Average of each metric per period for each instance, regions side by side in worker threads."""
    by_region: dict[str, list[str]] = defaultdict(list)
    for target in targets:
        by_region[target.region].append(target.cloud_resource_id)
    found = await asyncio.gather(*(off_loop(_region, session, region, ids, start, end, period_seconds)
                                   for region, ids in by_region.items()))
    return [point for batch in found for point in batch]


def _region(session: AwsSession, region: str, instance_ids: list[str], start: datetime, end: datetime,
            period_seconds: int) -> list[MetricPoint]:
    cloudwatch = session.client("cloudwatch", region)
    points = []
    for instance_id in instance_ids:
        for metric, name in METRICS.items():
            answer = request(cloudwatch, "get_metric_statistics", Namespace="AWS/EC2", MetricName=name,
                             Dimensions=[{"Name": "InstanceId", "Value": instance_id}], StartTime=start,
                             EndTime=end, Period=period_seconds, Statistics=["Average"])
            points += [MetricPoint(cloud_resource_id=instance_id, metric=metric,
                                   at=p["Timestamp"].astimezone(timezone.utc), period_seconds=period_seconds,
                                   value=float(p["Average"])) for p in answer["Datapoints"]]
    return points
