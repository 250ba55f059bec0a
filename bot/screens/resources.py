"""The `resources` list and one resource's details, with its constraints and warnings."""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.views.common import Message
from bot.views.resources import resource_detail, resource_list
from core.clock import utcnow
from core.errors import NotFound
from core.models import Member
from core.queries import resources
from core.queries.costs import pool_tree, subtree_ids

PAGE = 10


async def resources_page(member: Member, *, console: Console, offset: int = 0, pool: str = "",
                         now: datetime | None = None) -> Message:
    """The member's resources, or those of a pool (by id or name) and its sub-pools, most expensive first,
    PAGE at a time. Raises: NotFound (pool)."""
    now = now or utcnow()
    org = await member.organization
    scope: dict = {"owner_id": member.id}
    title, empty = f"Your resources in {org.name}", f"You own no resources in {org.name}."
    if pool:
        pool_id, name = await _pool(org.id, pool)
        scope = {"pool_ids": await subtree_ids(pool_id)}
        title, empty = f"Top resources in {name}", f"Pool {name} has no resources."
    page = await resources.list_resources(organization_id=org.id, member_id=member.id, offset=offset, limit=PAGE,
                                          now=now, **scope)
    return resource_list(page, title=title, empty=empty, currency=org.currency, console=console, now=now, pool=pool)


async def _pool(organization_id: int, wanted: str) -> tuple[int, str]:
    """A pool of the organization by id or by name (any case)."""
    wanted = wanted.strip()
    for row in await pool_tree(organization_id=organization_id):
        if str(row.id) == wanted or row.name.lower() == wanted.lower():
            return row.id, row.name
    raise NotFound("pool_not_found", pool_id=wanted)


async def resource_page(member: Member, resource_id: int, *, console: Console, notice: str = "",
                        now: datetime | None = None) -> Message:
    """One resource of the member's organization. Raises: NotFound."""
    now = now or utcnow()
    org = await member.organization
    row = await resources.resource_detail(organization_id=org.id, resource_id=resource_id, member_id=member.id, now=now)
    return resource_detail(row, currency=org.currency, console=console, now=now, notice=notice)
