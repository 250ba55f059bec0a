"""Events about resources and pools: constraints broken, TTLs coming up, pool alerts crossed, alerts edited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from core.events.base import Event, Subject, event_type
from core.money import shown
from core.rules import alerts as alert_rules
from core.timefmt import show


@dataclass(frozen=True)
class OnResource(Event):
    resource_id: int
    resource: str
    pool_id: int
    owner_id: int | None

    def subject(self) -> Subject:
        return Subject("resource", self.resource_id)


@dataclass(frozen=True)
class ConstraintViolated(OnResource):
    """A constraint of the resource is broken; `period_key` names the episode (announced once)."""

    period_key: str


@event_type("ttl_passed")
@dataclass(frozen=True)
class TtlPassed(ConstraintViolated):
    ttl: datetime

    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_ttl_passed", {"resource": self.resource, "limit": show(self.ttl)}


@event_type("expense_limit_exceeded")
@dataclass(frozen=True)
class ExpenseLimitExceeded(ConstraintViolated):
    """`daily` for a day's cost above the daily limit (`period_key` is the day), else the total limit."""

    daily: bool
    actual: Decimal
    limit: Decimal
    currency: str

    def notice(self) -> tuple[str, dict[str, str]]:
        code = "notice_daily_limit" if self.daily else "notice_total_limit"
        return code, {"resource": self.resource, "actual": shown(self.actual), "limit": f"{self.limit:,}",
                      "currency": self.currency, "day": self.period_key}


@event_type("ttl_expiring")
@dataclass(frozen=True)
class TtlExpiring(OnResource):
    ttl: datetime

    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_ttl_expiring", {"resource": self.resource, "ttl": show(self.ttl)}


@event_type("pool_alert")
@dataclass(frozen=True)
class PoolAlertCrossed(Event):
    """A cost or forecast alert's value reached its threshold this month."""

    alert_id: int
    pool_id: int
    pool: str
    based_on: str
    threshold: Decimal
    threshold_type: str
    limit: Decimal
    value: Decimal
    currency: str
    formula: str | None = None

    def notice(self) -> tuple[str, dict[str, str]]:
        code, params = alert_rules.describe(based_on=self.based_on, threshold=self.threshold,
                                            threshold_type=self.threshold_type, limit=self.limit, value=self.value,
                                            formula=self.formula)
        return code, {**params, "pool": self.pool, "currency": self.currency}

    def subject(self) -> Subject:
        return Subject("pool", self.pool_id)


@dataclass(frozen=True)
class AlertEvent(Event):
    alert_id: int
    pool_id: int
    pool: str
    based_on: str
    channels: tuple[str, ...]
    recipient_ids: tuple[int, ...]

    def subject(self) -> Subject:
        return Subject("pool", self.pool_id)


@event_type("alert_added")
@dataclass(frozen=True)
class AlertAdded(AlertEvent):
    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_alert_added", {"pool": self.pool, "based_on": self.based_on}


@event_type("alert_removed")
@dataclass(frozen=True)
class AlertRemoved(AlertEvent):
    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_alert_removed", {"pool": self.pool, "based_on": self.based_on}
