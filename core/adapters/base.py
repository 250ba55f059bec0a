"""The contract every cloud adapter implements, in plain values: nothing above it sees an SDK type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Protocol


class Capability(str, Enum):
    VALIDATE = "validate"
    DISCOVER = "discover"
    BILLING = "billing"
    METRICS = "metrics"
    POWER = "power"


@dataclass(frozen=True)
class Credentials:
    """A data source's non-secret config and its decrypted secrets, as the adapter receives them."""

    config: dict
    secrets: dict


@dataclass(frozen=True)
class AccountInfo:
    account_id: str
    display: str


@dataclass(frozen=True)
class DiscoveredResource:
    cloud_resource_id: str
    name: str
    resource_type: str
    region: str
    tags: dict[str, str] = field(default_factory=dict)
    active: bool = True
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExpenseLine:
    """Cost of one resource on one day, summed from billing line items."""

    cloud_resource_id: str
    day: date
    cost: Decimal
    resource_type: str = ""
    region: str = ""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class BillingBatch:
    """What one billing import read: daily costs plus an account of what was rejected and why."""

    lines: list[ExpenseLine]
    items_read: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    currency: str = ""


@dataclass(frozen=True)
class MetricPoint:
    cloud_resource_id: str
    metric: str  # "cpu" (percent) | "network_in" | "network_out" (bytes)
    at: datetime
    period_seconds: int
    value: float


@dataclass(frozen=True)
class PowerTarget:
    cloud_resource_id: str
    region: str


@dataclass(frozen=True)
class PowerResult:
    """Outcome per instance: ok, already (in the target state), gone (no longer exists), or failed."""

    cloud_resource_id: str
    outcome: str
    detail: str = ""


class CloudAdapter(Protocol):
    """One data source kind. Every method translates SDK errors into core errors (core.errors)."""

    capabilities: frozenset[Capability]

    async def validate(self) -> AccountInfo: ...

    async def discover(self) -> list[DiscoveredResource]: ...

    async def billing(self, start: date, end: date) -> BillingBatch: ...

    async def metrics(self, targets: list[PowerTarget], start: datetime, end: datetime,
                      period_seconds: int) -> list[MetricPoint]: ...

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]: ...

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]: ...
