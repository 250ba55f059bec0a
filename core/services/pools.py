"""The budget tree: create, edit and delete pools under the limit-sum rule."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import validate
from core.db import transaction
from core.errors import Conflict, InvalidInput, NotFound
from core.models import AssignmentRule, DataSource, Member, Pool, Resource, SharedEnvironment
from core.permissions import load_actor, require_pool_manager

MAX_LIMIT = 10**12


@dataclass(frozen=True)
class PoolDeletion:
    """What a deletion moved: resources and environments to the parent, rules and sources to the root."""

    name: str
    parent: Pool
    root: Pool
    resources: int
    environments: int
    rules: int
    data_sources: int


async def create_pool(*, actor_id: int, parent_id: int, name: str, monthly_limit: object = 0) -> Pool:
    """Create a sub-pool under a pool the actor manages.

    Raises: InvalidInput (name, limit, limit-sum rule), NotFound, PermissionDenied, Conflict (name taken).
    """
    actor = await load_actor(actor_id)
    name = validate.text("name", name)
    limit = _limit(monthly_limit)
    async with transaction():
        parent = await _pool_in_org(parent_id, actor)
        await require_pool_manager(actor, parent)
        await _require_unique_name(parent, name)
        await _require_room(parent, limit)
        return await Pool.create(organization_id=actor.organization_id, parent=parent, name=name,
                                 monthly_limit=limit)


async def update_pool(*, actor_id: int, pool_id: int, name: str | None = None,
                      monthly_limit: object | None = None) -> Pool:
    """Rename a pool and/or change its monthly limit (0 = none); None leaves a field as it is.

    Raises: InvalidInput (name, limit, limit-sum rule both ways), NotFound, PermissionDenied, Conflict.
    """
    actor = await load_actor(actor_id)
    name = None if name is None else validate.text("name", name)
    limit = None if monthly_limit is None else _limit(monthly_limit)
    async with transaction():
        pool = await _pool_in_org(pool_id, actor)
        await require_pool_manager(actor, pool)
        parent = None if pool.parent_id is None else await _pool_in_org(pool.parent_id, actor)
        if name is not None and parent is not None:
            await _require_unique_name(parent, name, exclude_id=pool.id)
        if limit is not None:
            if parent is not None:
                await _require_room(parent, limit, exclude_id=pool.id)
            await _require_children_fit(pool, limit)
        pool.name = pool.name if name is None else name
        pool.monthly_limit = pool.monthly_limit if limit is None else limit
        await pool.save(update_fields=["name", "monthly_limit"])
    return pool


async def delete_pool(*, actor_id: int, pool_id: int) -> PoolDeletion:
    """Delete a leaf pool: resources/environments to its parent, rules/data sources to the root, the rest cascades.

    Raises: NotFound, Conflict (root pool, has sub-pools), PermissionDenied (not a manager of the parent).
    """
    actor = await load_actor(actor_id)
    async with transaction():
        pool = await _pool_in_org(pool_id, actor)
        if pool.parent_id is None:
            raise Conflict("root_pool_undeletable", pool=pool.name)
        parent = await _pool_in_org(pool.parent_id, actor)
        await require_pool_manager(actor, parent)
        children = await Pool.filter(parent_id=pool.id).count()
        if children:
            raise Conflict("pool_has_sub_pools", pool=pool.name, count=children)
        root = await Pool.get(organization_id=actor.organization_id, parent_id=None)
        deletion = PoolDeletion(
            name=pool.name, parent=parent, root=root,
            resources=await Resource.filter(pool_id=pool.id).update(pool_id=parent.id),
            environments=await SharedEnvironment.filter(pool_id=pool.id).update(pool_id=parent.id),
            rules=await AssignmentRule.filter(pool_id=pool.id).update(pool_id=root.id),
            data_sources=await DataSource.filter(pool_id=pool.id).update(pool_id=root.id),
        )
        await pool.delete()
    return deletion


def _limit(value: object) -> Decimal:
    return Decimal(validate.whole_number("monthly_limit", value, minimum=0, maximum=MAX_LIMIT))


async def _pool_in_org(pool_id: int, actor: Member) -> Pool:
    """The pool, locked for this transaction on PostgreSQL so limit checks do not race."""
    pool = await Pool.filter(id=pool_id, organization_id=actor.organization_id).select_for_update().first()
    if pool is None:
        raise NotFound("pool_not_found", pool_id=pool_id)
    return pool


async def _require_unique_name(parent: Pool, name: str, *, exclude_id: int | None = None) -> None:
    if await Pool.filter(parent_id=parent.id, name__iexact=name).exclude(id=exclude_id).exists():
        raise Conflict("pool_name_taken", field="name", name=name, parent=parent.name)


async def _require_room(parent: Pool, limit: Decimal, *, exclude_id: int | None = None) -> None:
    """The sub-pools' limits, this one included, may not add up to more than a limited parent's."""
    if parent.monthly_limit <= 0 or limit <= 0:
        return
    siblings = await Pool.filter(parent_id=parent.id).exclude(id=exclude_id).values_list("monthly_limit", flat=True)
    room = parent.monthly_limit - sum(siblings, Decimal(0))
    if limit > room:
        raise InvalidInput("pool_limit_exceeds_parent", field="monthly_limit", parent=parent.name, parent_limit=_units(parent.monthly_limit),
                           room=_units(max(room, Decimal(0))), limit=_units(limit))


async def _require_children_fit(pool: Pool, limit: Decimal) -> None:
    """A limited pool's limit may not fall below what its sub-pools' limits add up to."""
    if limit <= 0:
        return
    total = sum(await Pool.filter(parent_id=pool.id).values_list("monthly_limit", flat=True), Decimal(0))
    if limit < total:
        raise InvalidInput("pool_limit_below_children", field="monthly_limit", pool=pool.name, limit=_units(limit),
                           children_total=_units(total))


def _units(amount: Decimal) -> str:
    return f"{amount:,.0f}"
