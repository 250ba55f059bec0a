"""The stand-in cloud of sample data sources (`cloudtuner demo`): nothing is behind them, so every call
answers at once with nothing new, and start/stop simply succeed (the sample's resources stay as loaded)."""

from __future__ import annotations

from datetime import date, datetime

from core.adapters.base import AccountInfo, BillingBatch, Discovery, MetricPoint, PowerResult, PowerTarget

SIMULATED = "simulated: sample data"


class SampleAdapter:
    async def validate(self) -> AccountInfo:
        return AccountInfo(account_id="", display="sample data")

    async def discover(self) -> Discovery:
        return Discovery([])

    async def billing(self, start: date, end: date) -> BillingBatch:
        return BillingBatch(lines=[])

    async def metrics(self, targets: list[PowerTarget], start: datetime, end: datetime,
                      period_seconds: int) -> list[MetricPoint]:
        return []

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return [PowerResult(t.cloud_resource_id, "ok", SIMULATED) for t in targets]

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return [PowerResult(t.cloud_resource_id, "ok", SIMULATED) for t in targets]
