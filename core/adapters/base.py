"""The contract every cloud adapter implements, in plain values: nothing above it sees an SDK type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Protocol

from core.errors import CoreError
from core.models.enums import DataSourceKind


class Capability(str, Enum):
    VALIDATE = "validate"
    DISCOVER = "discover"
    BILLING = "billing"
    METRICS = "metrics"
    POWER = "power"  # start and stop


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


@dataclass
class Discovery:
    """What one discovery saw, and where it could not look: a region, account or project -> why (its
    resources are left as they were). Discovery fails only when every place refused."""

    resources: list[DiscoveredResource]
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpenseLine:
    """Cost of one resource on one day, summed from billing line items."""

    cloud_resource_id: str
    day: date
    cost: Decimal
    resource_type: str = ""
    region: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    account_id: str = ""  # the cloud account that used the resource (billing can span linked accounts)
    name: str = ""


@dataclass
class BillingBatch:
    """What one billing import read: daily costs plus an account of what was rejected and why."""

    lines: list[ExpenseLine]
    items_read: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    currency: str = ""
    covered: list[tuple[date, date]] = field(default_factory=list)  # day ranges whose figures the batch replaces
    files: dict[str, str] = field(default_factory=dict)  # file read -> its version (an ETag)
    missing_columns: list[str] = field(default_factory=list)  # optional columns absent from the files


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


@dataclass(frozen=True)
class ConfigField:
    """One field of a data source's connection form; secret fields are sealed at rest, never shown."""

    name: str
    label: str
    help: str = ""
    secret: bool = False
    required: bool = True
    choices: tuple[str, ...] = ()
    default: str = ""


@dataclass(frozen=True)
class KindInfo:
    """A data source kind described as data, readable without importing its SDK: what it can do, its
    connection form, and where its adapter is (`"module:function"`, called with Credentials, imported on
    first use). Kinds of one `cloud` share accounts: a payer's billing carries its linked accounts' lines."""

    kind: DataSourceKind
    cloud: str
    label: str
    help: str
    capabilities: frozenset[Capability]
    fields: tuple[ConfigField, ...]
    factory: str

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities


class CloudUnavailable(CoreError):
    """The cloud did not answer (network, outage, throttling); trying again later may work."""


class CloudAdapter(Protocol):
    """One data source of a kind; it implements what its KindInfo's capabilities name (the others are never
    called). Every method translates SDK errors into core errors (core.errors)."""

    async def validate(self) -> AccountInfo: ...

    async def discover(self) -> Discovery: ...

    async def billing(self, start: date, end: date) -> BillingBatch: ...

    async def metrics(self, targets: list[PowerTarget], start: datetime, end: datetime,
                      period_seconds: int) -> list[MetricPoint]: ...

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]: ...

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]: ...
