"""The `resources` list and one resource's details, with its constraints and warnings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bot.links import Console
from bot.views.common import Message
from bot.views.resources import Constraint, ResourceCard, resource_detail, resource_list
from core.clock import utcnow
from core.models import Member, Resource
from core.errors import NotFound
from core.queries.costs import pool_tree, subtree_ids
from core.queries.resources import list_resources, resource_cost
from core.queries.resources import resource_detail as load_resource
from core.rules.constraints import RESOURCE
from core.services import constraints

PAGE = 10


async def resources_page(member: Member, *, console: Console, offset: int = 0, pool: str = "",
                         now: datetime | None = None) -> Message:
    """The member's resources, or those of a pool (by id or name) and its sub-pools, most expensive first,
    PAGE at a time. Raises: NotFound (pool)."""
    now = now or utcnow()
    org = await member.organization
    today = now.date()
    pools = await pool_names(org.id)
    scope: dict = {"owner_id": member.id}
    title, empty = f"Your resources in {org.name}", f"You own no resources in {org.name}."
    if pool:
        pool_id = _pool_id(pools, pool)
        scope = {"pool_ids": await subtree_ids(pool_id)}
        title, empty = f"Top resources in {pools[pool_id]}", f"Pool {pools[pool_id]} has no resources."
    rows = await list_resources(org.id, month_start=today.replace(day=1), today=today, limit=PAGE + 1,
                                offset=offset, **scope)
    cards = [await card(row.resource, row.cost, org.currency, pools, now) for row in rows[:PAGE]]
    return resource_list(cards, title=title, empty=empty, offset=offset, has_more=len(rows) > PAGE,
                         console=console, now=now, pool=pool)


def _pool_id(pools: dict[int, str], wanted: str) -> int:
    """A pool of the organization by id or by name (any case)."""
    wanted = wanted.strip()
    for pool_id, name in pools.items():
        if str(pool_id) == wanted or name.lower() == wanted.lower():
            return pool_id
    raise NotFound("pool_not_found", pool_id=wanted)


async def resource_page(member: Member, resource_id: int, *, console: Console, notice: str = "",
                        now: datetime | None = None) -> Message:
    """One resource of the member's organization. Raises: NotFound."""
    now = now or utcnow()
    org = await member.organization
    resource = await load_resource(resource_id, org.id)
    today = now.date()
    cost = await resource_cost(resource.id, start_day=today.replace(day=1), end_day=today)
    found = await card(resource, cost, org.currency, await pool_names(org.id), now)
    return resource_detail(found, console=console, now=now, notice=notice)


async def pool_names(organization_id: int) -> dict[int, str]:
    return {row.pool.id: row.pool.name for row in await pool_tree(organization_id)}


async def card(resource: Resource, cost: Decimal, currency: str, pools: dict[int, str], now: datetime) -> ResourceCard:
    """A resource with its cost, the constraints that apply (and where from) and the ones it breaks."""
    effective = await constraints.resource_constraints(resource_id=resource.id,
                                                       organization_id=resource.organization_id)
    broken = await constraints.check_resource(resource_id=resource.id, organization_id=resource.organization_id,
                                              now=now)
    applied = tuple(Constraint(kind, e.value, "own" if e.source == RESOURCE else
                               f"policy of {pools.get(int(e.source.split(':')[1]), 'a pool')}")
                    for kind, e in effective.items())
    owner = resource.owner  # loaded with the resource by the queries
    return ResourceCard(id=resource.id, name=resource.label, resource_type=resource.resource_type,
                        region=resource.region, pool_id=resource.pool_id, pool=pools.get(resource.pool_id, ""),
                        owner=owner.label if owner else "nobody", cloud_resource_id=resource.cloud_resource_id,
                        cost=cost, currency=currency, constraints=applied, violations=tuple(broken))
