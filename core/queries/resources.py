"""Resources with their month-to-date cost, one resource's details, and the assignment rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.expressions import Q
from tortoise.functions import Coalesce, Sum

from core.errors import NotFound
from core.models import AssignmentRule, Expense, Resource
from core.money import stored



@dataclass(frozen=True)
class ResourceRow:
    resource: Resource
    cost: Decimal


async def list_resources(organization_id: int, *, month_start: date, today: date, owner_id: int | None = None,
                         pool_ids: list[int] | None = None, limit: int = 50, offset: int = 0) -> list[ResourceRow]:
    """Resources (optionally of one owner / some pools) with their cost from month_start through today,
    most expensive first, then by id."""
    query = Resource.filter(organization_id=organization_id)
    if owner_id is not None:
        query = query.filter(owner_id=owner_id)
    if pool_ids is not None:
        query = query.filter(pool_id__in=pool_ids)
    in_month = Q(expenses__day__gte=month_start, expenses__day__lte=today)
    resources = await (query.annotate(month_cost=Coalesce(Sum("expenses__cost", _filter=in_month), 0))
                       .order_by("-month_cost", "id").offset(offset).limit(limit)
                       .prefetch_related("pool", "owner"))
    return [ResourceRow(resource=r, cost=stored(r.month_cost)) for r in resources]


async def resource_detail(resource_id: int, organization_id: int) -> Resource:
    """One resource with its pool, owner and data source loaded.

    Raises: NotFound (no such resource in the organization).
    """
    resource = await (Resource.get_or_none(id=resource_id, organization_id=organization_id)
                      .prefetch_related("pool", "owner", "data_source"))
    if resource is None:
        raise NotFound("resource_not_found", resource_id=resource_id)
    return resource


async def resource_cost(resource_id: int, *, start_day: date, end_day: date) -> Decimal:
    """The resource's cost from start_day through end_day."""
    total = await (Expense.filter(resource_id=resource_id, day__gte=start_day, day__lte=end_day)
                   .annotate(total=Sum("cost")).first().values_list("total", flat=True))
    return stored(total)


async def list_rules(organization_id: int, *, pool_id: int | None = None) -> list[AssignmentRule]:
    """The organization's assignment rules top first (optionally only those targeting one pool)."""
    query = AssignmentRule.filter(organization_id=organization_id)
    if pool_id is not None:
        query = query.filter(pool_id=pool_id)
    return list(await query.order_by("priority", "id").prefetch_related("pool", "owner"))

