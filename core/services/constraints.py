"""Pool constraint policies and resources' own constraints: set, switch and remove them.

What applies to a resource and what it breaks is read in core.queries.constraints.
"""

from __future__ import annotations

from datetime import datetime

from core import validate
from core.clock import utcnow
from core.db import transaction
from core.errors import NotFound
from core.models import ConstraintKind, Pool, PoolPolicy, ResourceConstraint
from core.permissions import load_actor, require_owner_or_manager, require_pool_manager
from core.rules import constraints as rules
from core.services import lookup


async def set_pool_policy(*, actor_id: int, pool_id: int, kind: str, value: object) -> PoolPolicy:
    """Create or change a pool's policy of one kind; a new one is active, an edited one keeps its switch.

    Raises: NotFound (pool), PermissionDenied (not a manager of the pool), InvalidInput (kind, value).
    """
    pool, kind = await _managed_pool(actor_id, pool_id, kind)
    value = rules.policy_value(kind, value)
    async with transaction():
        policy, _ = await PoolPolicy.update_or_create(pool=pool, kind=kind, defaults={"value": value})
    return policy


async def set_pool_policy_active(*, actor_id: int, pool_id: int, kind: str, active: bool) -> PoolPolicy:
    """Switch a pool policy on or off without losing its value.

    Raises: NotFound (pool, policy), PermissionDenied (not a manager of the pool), InvalidInput (kind).
    """
    pool, kind = await _managed_pool(actor_id, pool_id, kind)
    async with transaction():
        policy = await PoolPolicy.select_for_update().get_or_none(pool_id=pool.id, kind=kind)
        if policy is None:
            raise NotFound("pool_policy_not_found", pool=pool.name, kind=kind.value)
        policy.active = bool(active)
        await policy.save(update_fields=["active"])
    return policy


async def delete_pool_policy(*, actor_id: int, pool_id: int, kind: str) -> None:
    """Remove a pool's policy of one kind; its resources fall back to the policy of a pool above.

    Raises: NotFound (pool, policy), PermissionDenied (not a manager of the pool), InvalidInput (kind).
    """
    pool, kind = await _managed_pool(actor_id, pool_id, kind)
    async with transaction():
        if not await PoolPolicy.filter(pool_id=pool.id, kind=kind).delete():
            raise NotFound("pool_policy_not_found", pool=pool.name, kind=kind.value)


async def set_resource_ttl(*, actor_id: int, resource_id: int, until: datetime,
                           now: datetime | None = None) -> ResourceConstraint:
    """Give a resource its own TTL, a time in the future; it overrides any pool TTL policy.

    Raises: NotFound (resource), PermissionDenied (not owner or pool manager), InvalidInput (until).
    """
    actor = await load_actor(actor_id)
    resource = await lookup.resource(resource_id, actor.organization_id)
    await require_owner_or_manager(actor, resource)
    until = rules.ttl_until(until, now or utcnow())
    async with transaction():
        constraint, _ = await ResourceConstraint.update_or_create(
            resource=resource, kind=ConstraintKind.TTL, defaults={"until": until, "amount": None})
    return constraint


async def set_resource_limit(*, actor_id: int, resource_id: int, kind: str, amount: object) -> ResourceConstraint:
    """Give a resource its own daily or total expense limit (0 = off); it overrides the pool policy.

    Raises: NotFound (resource), PermissionDenied (not owner or pool manager), InvalidInput (kind, amount).
    """
    actor = await load_actor(actor_id)
    resource = await lookup.resource(resource_id, actor.organization_id)
    await require_owner_or_manager(actor, resource)
    kind = rules.limit_kind(kind)
    amount = rules.limit_amount(kind, amount)
    async with transaction():
        constraint, _ = await ResourceConstraint.update_or_create(
            resource=resource, kind=kind, defaults={"amount": amount, "until": None})
    return constraint


async def remove_resource_constraint(*, actor_id: int, resource_id: int, kind: str) -> None:
    """Reset a resource to its pool policy by removing its own constraint of one kind.

    Raises: NotFound (resource, own constraint), PermissionDenied (not owner or pool manager), InvalidInput.
    """
    actor = await load_actor(actor_id)
    resource = await lookup.resource(resource_id, actor.organization_id)
    await require_owner_or_manager(actor, resource)
    kind = validate.choice("kind", kind, ConstraintKind)
    async with transaction():
        if not await ResourceConstraint.filter(resource_id=resource.id, kind=kind).delete():
            raise NotFound("resource_constraint_not_found", resource=resource.label, kind=kind.value)


async def _managed_pool(actor_id: int, pool_id: int, kind: str) -> tuple[Pool, ConstraintKind]:
    """The pool the actor manages and the constraint kind a pool-policy service acts on."""
    actor = await load_actor(actor_id)
    pool = await lookup.pool(pool_id, actor.organization_id)
    await require_pool_manager(actor, pool)
    return pool, validate.choice("kind", kind, ConstraintKind)
