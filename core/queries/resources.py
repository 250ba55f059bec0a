"""Resources as lists and pages show them: cost this month, the constraints that apply and those broken, and
whether the viewer may change them; and the assignment rules.

A page is a fixed number of statements whatever its size or the organization's: the page of ids by cost and
its count in SQL, the rows of those ids, the pools' names, the constraints of the page (core.queries.constraints).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tortoise.expressions import Q
from tortoise.functions import Coalesce, Sum
from tortoise.queryset import QuerySet

from core.clock import utcnow
from core.errors import NotFound
from core.models import AssignmentRule, ConstraintKind, Pool, Resource
from core.money import stored
from core.permissions import may_change_resource
from core.queries.constraints import ResourceConstraints, constraints_of
from core.queries.paging import Page
from core.queries.viewer import Viewer, viewer
from core.rules.constraints import RESOURCE, Effective, Violation

_FIELDS = ("id", "name", "cloud_resource_id", "resource_type", "region", "pool_id", "owner_id", "active",
           "owner__name", "owner__email")


@dataclass(frozen=True)
class AppliedConstraint:
    """A constraint that applies: the resource's own (pool_id None) or the policy of the named pool."""

    kind: ConstraintKind
    value: datetime | int
    pool_id: int | None = None
    pool_name: str = ""


@dataclass(frozen=True)
class ResourceRow:
    id: int
    name: str
    cloud_resource_id: str
    resource_type: str
    region: str
    pool_id: int
    pool_name: str
    owner_id: int | None
    owner_name: str  # "" when nobody owns it
    active: bool
    cost: Decimal  # this month (UTC) through today
    constraints: tuple[AppliedConstraint, ...]
    violations: tuple[Violation, ...]
    can_change: bool  # TTL, limits, schedule: its owner or a manager of its pool


async def list_resources(*, organization_id: int, member_id: int, owner_id: int | None = None,
                         pool_ids: list[int] | None = None, offset: int = 0, limit: int = 50,
                         now: datetime | None = None) -> Page[ResourceRow]:
    """Resources (optionally of one owner / some pools), most expensive this month first, then by id.

    Raises: NotFound (member).
    """
    query = Resource.filter(organization_id=organization_id)
    if owner_id is not None:
        query = query.filter(owner_id=owner_id)
    if pool_ids is not None:
        query = query.filter(pool_id__in=pool_ids)
    now = now or utcnow()
    who = await viewer(organization_id=organization_id, member_id=member_id)
    rows = await _rows(organization_id, query, who, now, offset=max(offset, 0), limit=max(limit, 0))
    return Page(rows=tuple(rows), total=await query.count(), offset=offset)


async def resource_detail(*, organization_id: int, resource_id: int, member_id: int,
                          now: datetime | None = None) -> ResourceRow:
    """One resource of the organization.

    Raises: NotFound (member, resource).
    """
    who = await viewer(organization_id=organization_id, member_id=member_id)
    found = await _rows(organization_id, Resource.filter(id=resource_id, organization_id=organization_id), who,
                        now or utcnow())
    if not found:
        raise NotFound("resource_not_found", resource_id=resource_id)
    return found[0]


async def list_rules(*, organization_id: int, pool_id: int | None = None) -> list[AssignmentRule]:
    """The organization's assignment rules top first (optionally only those targeting one pool)."""
    query = AssignmentRule.filter(organization_id=organization_id)
    if pool_id is not None:
        query = query.filter(pool_id=pool_id)
    return list(await query.order_by("priority", "id").prefetch_related("pool", "owner"))


async def _rows(organization_id: int, query: QuerySet[Resource], who: Viewer, now: datetime, *, offset: int = 0,
                limit: int | None = None) -> list[ResourceRow]:
    """The resources of the query by cost this month, `limit` from `offset`, as rows."""
    today = now.date()
    in_month = Q(expenses__day__gte=today.replace(day=1), expenses__day__lte=today)
    page = query.annotate(month_cost=Coalesce(Sum("expenses__cost", _filter=in_month), 0)).order_by(
        "-month_cost", "id").offset(offset)
    costs = dict(await (page if limit is None else page.limit(limit)).values_list("id", "month_cost"))
    if not costs:
        return []
    values = {row["id"]: row for row in await Resource.filter(id__in=list(costs)).values(*_FIELDS)}
    pools = dict(await Pool.filter(organization_id=organization_id).values_list("id", "name"))
    found = await constraints_of(organization_id=organization_id, resource_ids=list(costs), now=now)
    return [_row(values[rid], stored(cost), pools, found[rid], who) for rid, cost in costs.items()]


def _row(values: dict, cost: Decimal, pools: dict[int, str], found: ResourceConstraints, who: Viewer) -> ResourceRow:
    return ResourceRow(
        id=values["id"], name=values["name"] or values["cloud_resource_id"], cloud_resource_id=values["cloud_resource_id"],
        resource_type=values["resource_type"], region=values["region"], pool_id=values["pool_id"],
        pool_name=pools.get(values["pool_id"], ""), owner_id=values["owner_id"],
        owner_name=values["owner__name"] or values["owner__email"] or "", active=values["active"], cost=cost,
        constraints=tuple(_applied(e, pools) for e in found.effective.values()), violations=tuple(found.violations),
        can_change=may_change_resource(owner=values["owner_id"] == who.member_id, manager=who.manages(values["pool_id"])))


def _applied(effective: Effective, pools: dict[int, str]) -> AppliedConstraint:
    if effective.source == RESOURCE:
        return AppliedConstraint(effective.kind, effective.value)
    pool_id = int(effective.source.split(":")[1])
    return AppliedConstraint(effective.kind, effective.value, pool_id, pools.get(pool_id, ""))

