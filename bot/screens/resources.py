"""The `resources` list and one resource's details, with its constraints and warnings."""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.views.common import Message
from bot.views.resources import Constraint, ResourceCard, resource_detail, resource_list
from core.clock import utcnow
from core.models import Member
from core.errors import NotFound
from core.queries.costs import pool_tree, subtree_ids
from core.queries.resources import ResourceRow, list_resources, resource_cost
from core.queries.resources import resource_detail as load_resource
from core.rules.constraints import RESOURCE
from core.services import constraints
from core.services.constraints import ResourceConstraints

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
    shown = await cards(rows[:PAGE], org.currency, pools, now)
    return resource_list(shown, title=title, empty=empty, offset=offset, has_more=len(rows) > PAGE,
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
    found = await cards([ResourceRow(resource, cost)], org.currency, await pool_names(org.id), now)
    return resource_detail(found[0], console=console, now=now, notice=notice)


async def pool_names(organization_id: int) -> dict[int, str]:
    return {row.pool.id: row.pool.name for row in await pool_tree(organization_id)}


async def cards(rows: list[ResourceRow], currency: str, pools: dict[int, str], now: datetime) -> list[ResourceCard]:
    """Resources with their cost, the constraints that apply (and where from) and the ones they break; the
    constraints of all of them are read at once, so a page costs the same number of queries however long."""
    if not rows:
        return []
    found = await constraints.constraints_of(organization_id=rows[0].resource.organization_id,
                                             resource_ids=[row.resource.id for row in rows], now=now)
    return [_card(row, currency, pools, found[row.resource.id]) for row in rows]


def _card(row: ResourceRow, currency: str, pools: dict[int, str], found: ResourceConstraints) -> ResourceCard:
    resource = row.resource
    applied = tuple(Constraint(kind, e.value, "own" if e.source == RESOURCE else
                               f"policy of {pools.get(int(e.source.split(':')[1]), 'a pool')}")
                    for kind, e in found.effective.items())
    owner = resource.owner  # loaded with the resource by the queries
    return ResourceCard(id=resource.id, name=resource.label, resource_type=resource.resource_type,
                        region=resource.region, pool_id=resource.pool_id, pool=pools.get(resource.pool_id, ""),
                        owner=owner.label if owner else "nobody", cloud_resource_id=resource.cloud_resource_id,
                        cost=row.cost, currency=currency, constraints=applied, violations=tuple(found.violations))
