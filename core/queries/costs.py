"""Pool tree, pool costs and forecasts, aggregated in SQL over the pool's whole subtree, and the pools that need
a member's attention (over their limit or forecast to be)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.expressions import Subquery
from tortoise.functions import Min, Sum
from tortoise.queryset import QuerySet

from core.errors import NotFound
from core.models import Expense, Pool, Resource
from core.money import cents, stored
from core.queries.paging import Page
from core.queries.viewer import viewer
from core.rules.forecast import Forecast, forecast, history_start


@dataclass(frozen=True)
class TreeRow:
    id: int
    name: str
    parent_id: int | None
    monthly_limit: Decimal
    depth: int


@dataclass(frozen=True)
class PoolSummary:
    """A pool's month-to-date cost, limit (0 = none), forecast and the two warning flags."""

    pool_id: int
    pool_name: str
    cost: Decimal
    limit: Decimal
    forecast: Forecast
    exceeded: bool
    forecast_overspend: bool


async def pool_tree(*, organization_id: int) -> list[TreeRow]:
    """Every pool of the organization, depth-first from the root, siblings by name."""
    pools = await Pool.filter(organization_id=organization_id).order_by("name", "id").values_list(
        "id", "name", "parent_id", "monthly_limit")
    children: dict[int | None, list[tuple]] = {}
    for pool in pools:
        children.setdefault(pool[2], []).append(pool)
    rows: list[TreeRow] = []
    stack = [(pool, 0) for pool in reversed(children.get(None, []))]
    while stack:
        pool, depth = stack.pop()
        rows.append(TreeRow(*pool, depth=depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(pool[0], [])))
    return rows


async def pools_needing_attention(*, organization_id: int, member_id: int, today: date,
                                  limit: int = 10) -> Page[PoolSummary]:
    """Pools with a limit that the member manages and that are over it or forecast to be, most over first
    (over the limit already before only forecast over it, then by forecast per unit of limit).

    Raises: NotFound (member).
    """
    who = await viewer(organization_id=organization_id, member_id=member_id)
    limited = await Pool.filter(organization_id=organization_id, monthly_limit__gt=0).values_list("id", flat=True)
    summaries = await pool_summaries(organization_id=organization_id, today=today,
                                     pool_ids=[p for p in limited if who.manages(p)])
    over = sorted((s for s in summaries.values() if s.exceeded or s.forecast_overspend), key=_most_over)
    return Page(rows=tuple(over[:limit]), total=len(over))


def _most_over(summary: PoolSummary) -> tuple:
    return not summary.exceeded, -(summary.forecast.value / summary.limit), summary.pool_name, summary.pool_id


async def subtree_ids(pool_id: int) -> list[int]:
    """The pool's id and the ids of all pools below it; empty when there is no such pool."""
    organization_id = await Pool.filter(id=pool_id).first().values_list("organization_id", flat=True)
    if organization_id is None:
        return []
    links = await Pool.filter(organization_id=organization_id).values_list("id", "parent_id")
    return _subtree(pool_id, _children(links))


async def pool_cost(pool_id: int, *, today: date) -> Decimal:
    """Month-to-date cost (through today) of the pool's resources and its sub-pools', in cents."""
    expenses = _expenses(await subtree_ids(pool_id))
    row = await (expenses.filter(day__gte=today.replace(day=1), day__lte=today)
                 .annotate(total=Sum("cost")).first().values("total"))
    return cents(stored(row["total"] if row else None))


async def pool_summary(pool_id: int, *, today: date) -> PoolSummary:
    """Cost, forecast and flags of one pool including its sub-pools.

    Raises: NotFound (no such pool).
    """
    organization_id = await Pool.filter(id=pool_id).first().values_list("organization_id", flat=True)
    if organization_id is None:
        raise NotFound("pool_not_found", pool_id=pool_id)
    return (await pool_summaries(organization_id=organization_id, today=today, pool_ids=[pool_id]))[pool_id]


async def pool_summaries(*, organization_id: int, today: date,
                         pool_ids: Iterable[int] | None = None) -> dict[int, PoolSummary]:
    """pool_summary of many pools of the organization (all when pool_ids is None), keyed by pool id, in three
    queries: the pools, their daily costs grouped by pool, and the day of each pool's first expense."""
    pools = {pool[0]: pool for pool in await Pool.filter(organization_id=organization_id).values_list(
        "id", "name", "parent_id", "monthly_limit")}
    wanted = [pool_id for pool_id in (pools if pool_ids is None else pool_ids) if pool_id in pools]
    children = _children([(pool_id, pool[2]) for pool_id, pool in pools.items()])
    subtrees = {pool_id: _subtree(pool_id, children) for pool_id in wanted}
    if not subtrees:
        return {}
    expenses = Expense.filter(resource__pool_id__in=sorted({p for subtree in subtrees.values() for p in subtree}))
    daily: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for pool_id, day, total in await (expenses.filter(day__gte=history_start(today), day__lte=today)
                                      .annotate(total=Sum("cost")).group_by("resource__pool_id", "day")
                                      .values_list("resource__pool_id", "day", "total")):
        daily[pool_id][day] = stored(total)
    first_days = dict(await expenses.annotate(first=Min("day")).group_by("resource__pool_id")
                      .values_list("resource__pool_id", "first"))
    return {pool_id: _summary(pools[pool_id], today, [daily[p] for p in subtree],
                              [first_days[p] for p in subtree if p in first_days])
            for pool_id, subtree in subtrees.items()}


def _summary(pool: tuple, today: date, daily: list[dict[date, Decimal]], first_days: list[date]) -> PoolSummary:
    """One pool's summary, (id, name, parent id, limit) given, from the daily costs and first expense days of each
    pool of its subtree."""
    totals: dict[date, Decimal] = defaultdict(Decimal)
    for costs in daily:
        for day, cost in costs.items():
            totals[day] += cost
    result = forecast(today=today, daily=totals, first_day=min(first_days, default=None))
    limit = pool[3]
    return PoolSummary(pool_id=pool[0], pool_name=pool[1], cost=result.mtd, limit=limit, forecast=result,
                       exceeded=limit > 0 and result.mtd > limit,
                       forecast_overspend=limit > 0 and result.value > limit)


def _children(links: Iterable[tuple[int, int | None]]) -> dict[int | None, list[int]]:
    """Pool id -> ids of its direct sub-pools, from (id, parent id) pairs."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for child_id, parent_id in links:
        children[parent_id].append(child_id)
    return children


def _subtree(pool_id: int, children: dict[int | None, list[int]]) -> list[int]:
    """The pool's id and the ids of every pool below it."""
    ids = [pool_id]
    for current in ids:
        ids.extend(children.get(current, []))
    return ids


def _expenses(pool_ids: list[int]) -> QuerySet[Expense]:
    """Expenses of the pools' resources; a subquery, since a join makes Tortoise group by every column."""
    return Expense.filter(resource_id__in=Subquery(Resource.filter(pool_id__in=pool_ids).values("id")))

