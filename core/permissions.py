"""Role checks: every changing service loads its actor here and asks before it acts."""

from __future__ import annotations

from core.errors import NotFound, PermissionDenied
from core.models import Member, Pool, Resource, Role
from core.rules.constraints import pool_chain


async def load_actor(member_id: int) -> Member:
    """The acting member with their managed pools; NotFound when there is none."""
    actor = await Member.get_or_none(id=member_id).prefetch_related("managed_pools")
    if actor is None:
        raise NotFound("member_not_found", member_id=member_id)
    return actor


async def ancestry(pool: Pool) -> list[int]:
    """Ids from the pool up to the root, the pool first."""
    ids = [pool.id]
    parent_id = pool.parent_id
    while parent_id is not None:
        ids.append(parent_id)
        parent_id = await Pool.filter(id=parent_id).first().values_list("parent_id", flat=True)
    return ids


def _manages(actor: Member, chain: list[int]) -> bool:
    """Org managers manage every pool; pool managers their pools and everything below (actor.managed_pools loaded)."""
    if actor.role == Role.ORG_MANAGER:
        return True
    if actor.role != Role.POOL_MANAGER:
        return False
    return bool({p.id for p in actor.managed_pools}.intersection(chain))


async def manages_pool(actor: Member, pool: Pool) -> bool:
    """Whether the actor manages the pool (see _manages); pools of other organizations never."""
    if pool.organization_id != actor.organization_id:
        return False
    return _manages(actor, await ancestry(pool))


async def managed_pool_ids(actor: Member, parents: dict[int, int | None]) -> set[int]:
    """The same rule for a whole tree at once, given as {pool id: parent id} of the actor's organization."""
    await actor.fetch_related("managed_pools")
    return {pool_id for pool_id in parents if _manages(actor, pool_chain(pool_id, parents))}


async def organization_pools_managed(actor: Member) -> frozenset[int]:
    """Every pool of the actor's organization the actor manages, in two queries whatever the tree's size."""
    parents = dict(await Pool.filter(organization_id=actor.organization_id).values_list("id", "parent_id"))
    return frozenset(await managed_pool_ids(actor, parents))


def may_change_resource(*, owner: bool, manager: bool) -> bool:
    """Its TTL, limits and schedule: the resource's owner or a manager of its pool."""
    return owner or manager


def may_change_booking(*, holder: bool, manager: bool) -> bool:
    """Release or extend: the person holding the booking or a manager of the environment's pool."""
    return holder or manager


def may_delete_booking(*, holder: bool, manager: bool, started: bool) -> bool:
    """Managers always; the holder while it has not started."""
    return manager or (holder and not started)


def require_org_manager(actor: Member) -> None:
    if actor.role != Role.ORG_MANAGER:
        raise PermissionDenied("not_org_manager")


async def require_pool_manager(actor: Member, pool: Pool) -> None:
    if not await manages_pool(actor, pool):
        raise PermissionDenied("not_pool_manager", pool=pool.name)


async def require_owner_or_manager(actor: Member, resource: Resource) -> None:
    """The resource's owner or a manager of its pool."""
    owner = resource.owner_id == actor.id and resource.organization_id == actor.organization_id
    manager = await manages_pool(actor, await Pool.get(id=resource.pool_id))
    if not may_change_resource(owner=owner, manager=manager):
        raise PermissionDenied("not_owner_or_manager", resource=resource.label)
