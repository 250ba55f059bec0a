"""Constraints: input bounds, which constraint applies to a resource, and when it is violated.

Precedence per kind: the resource's own constraint, else the nearest pool (the resource's pool,
then its ancestors) with an ACTIVE policy of that kind. Inactive policies count as absent, so a
switched-off sub-pool policy lets the parent's policy through; a sub-pool opts out of an inherited
limit with an active policy of 0. A limit of 0 means "off" wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from core import validate
from core.errors import InvalidInput
from core.models.enums import ConstraintKind
from core.timefmt import show

TTL_HOURS_MIN, TTL_HOURS_MAX = 1, 720
LIMIT_MAX = 1_000_000_000
LIMIT_KINDS = (ConstraintKind.DAILY_EXPENSE_LIMIT, ConstraintKind.TOTAL_EXPENSE_LIMIT)
RESOURCE = "resource"


@dataclass(frozen=True)
class Policy:
    """A pool policy: TTL hours counted from first seen, or a limit in whole currency units."""

    pool_id: int
    kind: ConstraintKind
    value: int
    active: bool = True


@dataclass(frozen=True)
class Own:
    """A resource's own constraint: `until` for TTL, `amount` for limits."""

    kind: ConstraintKind
    until: datetime | None = None
    amount: int | None = None


@dataclass(frozen=True)
class Effective:
    """The constraint that applies: source "resource" or "pool:<id>"; value a deadline or a limit."""

    kind: ConstraintKind
    source: str
    value: datetime | int


@dataclass(frozen=True)
class Violation:
    """A broken constraint; `period_key` identifies the episode so it is notified once."""

    kind: ConstraintKind
    limit: datetime | int
    actual: datetime | Decimal
    period_key: str


def policy_value(kind: ConstraintKind, value: object) -> int:
    """A pool policy value: TTL hours 1..720, limits whole units 0..LIMIT_MAX."""
    low, high = (TTL_HOURS_MIN, TTL_HOURS_MAX) if kind == ConstraintKind.TTL else (0, LIMIT_MAX)
    return validate.whole_number("value", value, minimum=low, maximum=high)


def limit_kind(kind: object) -> ConstraintKind:
    """An expense-limit kind; TTL and unknown kinds are refused."""
    choice = validate.choice("kind", kind, ConstraintKind)
    if choice not in LIMIT_KINDS:
        raise InvalidInput("not_an_expense_limit", field="kind", kind=choice.value)
    return choice


def limit_amount(kind: ConstraintKind, amount: object) -> int:
    """A resource limit: whole currency units 0..LIMIT_MAX (0 = off)."""
    return validate.whole_number("amount", amount, minimum=0, maximum=LIMIT_MAX)


def ttl_until(until: object, now: datetime) -> datetime:
    """A resource TTL: a timezone-aware time strictly after now, in UTC."""
    if not isinstance(until, datetime) or until.tzinfo is None or until.utcoffset() is None:
        raise InvalidInput("ttl_not_a_time", field="until", value=until)
    if until <= now:
        raise InvalidInput("ttl_in_past", field="until", until=show(until))
    return until.astimezone(timezone.utc)


def pool_chain(pool_id: int, parents: Mapping[int, int | None]) -> list[int]:
    """Ids from the pool up to the root, the pool first; stops on a cycle or an unknown parent."""
    chain: list[int] = []
    current: int | None = pool_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def effective_constraints(first_seen: datetime, own: Iterable[Own],
                          policy_chain: Sequence[Policy]) -> dict[ConstraintKind, Effective]:
    """Per kind, the constraint that applies; `policy_chain` is ordered nearest pool first."""
    result: dict[ConstraintKind, Effective] = {}
    for policy in policy_chain:
        if policy.active and policy.kind not in result:
            value = first_seen + timedelta(hours=policy.value) if policy.kind == ConstraintKind.TTL else policy.value
            result[policy.kind] = Effective(policy.kind, f"pool:{policy.pool_id}", value)
    for constraint in own:
        value = constraint.until if constraint.kind == ConstraintKind.TTL else constraint.amount
        if value is not None:
            result[constraint.kind] = Effective(constraint.kind, RESOURCE, value)
    return {kind: result[kind] for kind in ConstraintKind if kind in result}


def violations(effective: Mapping[ConstraintKind, Effective], *, active: bool, now: datetime,
               today_cost: Decimal, yesterday_cost: Decimal, total_cost: Decimal) -> list[Violation]:
    """Broken constraints at `now`: a TTL at or before now on an active resource, a day's cost above
    the daily limit (keyed by that UTC day), the total cost above the total limit (keyed by the limit).
    """
    found: list[Violation] = []
    ttl = effective.get(ConstraintKind.TTL)
    if ttl is not None and active and ttl.value <= now:
        found.append(Violation(ConstraintKind.TTL, ttl.value, now, _iso(ttl.value)))
    daily = effective.get(ConstraintKind.DAILY_EXPENSE_LIMIT)
    if daily is not None and daily.value > 0:
        today = now.astimezone(timezone.utc).date()
        for day, cost in ((today - timedelta(days=1), yesterday_cost), (today, today_cost)):
            if cost > daily.value:
                found.append(Violation(daily.kind, daily.value, cost, day.isoformat()))
    total = effective.get(ConstraintKind.TOTAL_EXPENSE_LIMIT)
    if total is not None and total.value > 0 and total_cost > total.value:
        found.append(Violation(total.kind, total.value, total_cost, f"total:{total.value}"))
    return found


def ttl_expiring_soon(effective: Mapping[ConstraintKind, Effective], now: datetime,
                      window: timedelta = timedelta(hours=24)) -> datetime | None:
    """The TTL deadline when it falls after now and within the window (for a warning), else None."""
    ttl = effective.get(ConstraintKind.TTL)
    if ttl is not None and now < ttl.value <= now + window:
        return ttl.value
    return None


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()
