"""Pool tree, pool costs and forecasts, aggregated in SQL over the pool's whole subtree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.expressions import Subquery
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from core.errors import NotFound
from core.models import Expense, Pool, Resource
from core.rules.forecast import Forecast, cents, forecast, history_start

_STORED = Decimal("0.000001")


@dataclass(frozen=True)
class TreeRow:
    pool: Pool
    depth: int


@dataclass(frozen=True)
class PoolSummary:
    """A pool's month-to-date cost, limit (0 = none), forecast and the two warning flags."""

    pool: Pool
    cost: Decimal
    limit: Decimal
    forecast: Forecast
    exceeded: bool
    forecast_overspend: bool


async def pool_tree(organization_id: int) -> list[TreeRow]:
    """Every pool of the organization, depth-first from the root, siblings by name."""
    pools = await Pool.filter(organization_id=organization_id).order_by("name", "id")
    children: dict[int | None, list[Pool]] = {}
    for pool in pools:
        children.setdefault(pool.parent_id, []).append(pool)
    rows: list[TreeRow] = []
    stack = [(pool, 0) for pool in reversed(children.get(None, []))]
    while stack:
        pool, depth = stack.pop()
        rows.append(TreeRow(pool=pool, depth=depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(pool.id, [])))
    return rows


async def subtree_ids(pool_id: int) -> list[int]:
    """The pool's id and the ids of all pools below it; empty when there is no such pool."""
    organization_id = await Pool.filter(id=pool_id).first().values_list("organization_id", flat=True)
    if organization_id is None:
        return []
    links = await Pool.filter(organization_id=organization_id).values_list("id", "parent_id")
    children: dict[int, list[int]] = {}
    for child_id, parent_id in links:
        children.setdefault(parent_id, []).append(child_id)
    ids = [pool_id]
    for current in ids:
        ids.extend(children.get(current, []))
    return ids


async def pool_cost(pool_id: int, *, today: date) -> Decimal:
    """Month-to-date cost (through today) of the pool's resources and its sub-pools', in cents."""
    expenses = _expenses(await subtree_ids(pool_id))
    row = await (expenses.filter(day__gte=today.replace(day=1), day__lte=today)
                 .annotate(total=Sum("cost")).first().values("total"))
    return cents(_decimal(row["total"] if row else None))


async def pool_summary(pool_id: int, *, today: date) -> PoolSummary:
    """Cost, forecast and flags of one pool including its sub-pools.

    Raises: NotFound (no such pool).
    """
    pool = await Pool.get_or_none(id=pool_id)
    if pool is None:
        raise NotFound("pool_not_found", pool_id=pool_id)
    expenses = _expenses(await subtree_ids(pool_id))
    rows = await (expenses.filter(day__gte=history_start(today), day__lte=today)
                  .annotate(total=Sum("cost")).group_by("day").values("day", "total"))
    first_day = await expenses.order_by("day").first().values_list("day", flat=True)
    daily = {row["day"]: _decimal(row["total"]) for row in rows}
    result = forecast(today=today, daily=daily, first_day=first_day)
    limit = pool.monthly_limit
    return PoolSummary(pool=pool, cost=result.mtd, limit=limit, forecast=result,
                       exceeded=limit > 0 and result.mtd > limit,
                       forecast_overspend=limit > 0 and result.value > limit)


def _expenses(pool_ids: list[int]) -> QuerySet[Expense]:
    """Expenses of the pools' resources; a subquery, since a join makes Tortoise group by every column."""
    return Expense.filter(resource_id__in=Subquery(Resource.filter(pool_id__in=pool_ids).values("id")))


def _decimal(value: object) -> Decimal:
    """None when nothing matched; SQLite sums pass through floats, so back to the stored 6 decimals."""
    return Decimal(0) if value is None else Decimal(str(value)).quantize(_STORED)
