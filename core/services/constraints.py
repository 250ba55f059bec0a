"""Pool constraint policies, resource constraints, and checking resources against them.

The precedence rules (own constraint, else nearest active pool policy) live in core.rules.constraints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from tortoise.expressions import Q
from tortoise.functions import Sum

from core import validate
from core.clock import utcnow
from core.db import transaction
from core.errors import NotFound
from core.models import ConstraintKind, Expense, Pool, PoolPolicy, Resource, ResourceConstraint
from core.money import stored
from core.permissions import load_actor, require_owner_or_manager, require_pool_manager
from core.rules import constraints as rules
from core.rules.constraints import Effective, Own, Policy, Violation
from core.services import lookup



@dataclass(frozen=True)
class ResourceViolations:
    resource: Resource
    violations: list[Violation]


@dataclass(frozen=True)
class ResourceConstraints:
    """A resource, the constraints that apply to it by kind (with their source) and those it breaks."""

    resource: Resource
    effective: dict[ConstraintKind, Effective]
    violations: list[Violation]


@dataclass(frozen=True)
class _Costs:
    today_cost: Decimal = Decimal(0)
    yesterday_cost: Decimal = Decimal(0)
    total_cost: Decimal = Decimal(0)


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


async def resource_constraints(*, resource_id: int, organization_id: int) -> dict[ConstraintKind, Effective]:
    """The constraints that apply to a resource, each with its source ("resource" or "pool:<id>").

    Raises: NotFound (resource).
    """
    resource = await lookup.resource(resource_id, organization_id)
    return (await _effective(organization_id, [resource], resource_id=resource.id))[resource.id]


async def check_resource(*, resource_id: int, organization_id: int,
                         now: datetime | None = None) -> list[Violation]:
    """The constraints a resource breaks at `now`, from its state and its expenses.

    Raises: NotFound (resource).
    """
    found = await constraints_of(organization_id=organization_id, resource_ids=[resource_id], now=now)
    if resource_id not in found:
        raise NotFound("resource_not_found", resource_id=resource_id)
    return found[resource_id].violations


async def constraints_of(*, organization_id: int, resource_ids: Iterable[int],
                         now: datetime | None = None) -> dict[int, ResourceConstraints]:
    """Per resource id: the constraints that apply (with their source) and those broken at `now`.

    Ids of resources of other organizations are left out; a fixed number of queries however many ids.
    """
    ids = sorted(set(resource_ids))
    if not ids:
        return {}
    checked = await _checked(organization_id, now or utcnow(), Q(id__in=ids), resource_id__in=ids)
    return {found.resource.id: found for found in checked}


async def check_organization(*, organization_id: int, now: datetime | None = None) -> list[ResourceViolations]:
    """Every active resource of the organization that breaks a constraint at `now`, in a fixed number of queries."""
    checked = await _checked(organization_id, now or utcnow(), Q(active=True), resource__active=True)
    return [ResourceViolations(found.resource, found.violations) for found in checked if found.violations]


async def _checked(organization_id: int, now: datetime, scope: Q, **related: object) -> list[ResourceConstraints]:
    """The organization's resources in `scope` (by id) with their constraints and violations; `related`
    selects the same resources from the constraint and expense tables."""
    resources = await Resource.filter(scope, organization_id=organization_id).order_by("id")
    if not resources:
        return []
    related["resource__organization_id"] = organization_id
    effective = await _effective(organization_id, resources, **related)
    costs = await _costs(now, **related) if any(effective.values()) else {}
    return [ResourceConstraints(r, effective[r.id], rules.violations(effective[r.id], active=r.active, now=now,
                                                                     **vars(costs.get(r.id, _Costs()))))
            for r in resources]


async def _effective(organization_id: int, resources: list[Resource],
                     **related: object) -> dict[int, dict[ConstraintKind, Effective]]:
    """Per resource, the constraints that apply: its own (selected by `related`) over its pools' policies."""
    chains = await _policy_chains(organization_id)
    own = await _own_constraints(**related)
    return {r.id: rules.effective_constraints(r.first_seen, own[r.id], chains.get(r.pool_id, [])) for r in resources}


async def _policy_chains(organization_id: int) -> dict[int, list[Policy]]:
    """For every pool of the organization, the policies of it and its ancestors, nearest first."""
    parents = dict(await Pool.filter(organization_id=organization_id).values_list("id", "parent_id"))
    by_pool: dict[int, list[Policy]] = defaultdict(list)
    rows = await PoolPolicy.filter(pool__organization_id=organization_id).values_list("pool_id", "kind", "value", "active")
    for pool_id, kind, value, active in rows:
        by_pool[pool_id].append(Policy(pool_id, ConstraintKind(kind), value, active))
    return {pool_id: [p for a in rules.pool_chain(pool_id, parents) for p in by_pool[a]] for pool_id in parents}


async def _own_constraints(**filters: object) -> dict[int, list[Own]]:
    found: dict[int, list[Own]] = defaultdict(list)
    for resource_id, kind, until, amount in await ResourceConstraint.filter(**filters).values_list(
            "resource_id", "kind", "until", "amount"):
        found[resource_id].append(Own(ConstraintKind(kind), until, amount))
    return found


async def _costs(now: datetime, **filters: object) -> dict[int, _Costs]:
    """Today's, yesterday's (UTC days) and total cost per resource, in two queries."""
    today = now.astimezone(timezone.utc).date()
    yesterday = today - timedelta(days=1)
    totals = await (Expense.filter(**filters).annotate(total=Sum("cost")).group_by("resource_id")
                    .values_list("resource_id", "total"))
    days: dict[tuple[int, date], Decimal] = {
        (rid, day): stored(cost) for rid, day, cost in
        await Expense.filter(**filters, day__in=[yesterday, today]).values_list("resource_id", "day", "cost")}
    return {rid: _Costs(today_cost=days.get((rid, today), Decimal(0)),
                        yesterday_cost=days.get((rid, yesterday), Decimal(0)),
                        total_cost=stored(total)) for rid, total in totals}



async def _managed_pool(actor_id: int, pool_id: int, kind: str) -> tuple[Pool, ConstraintKind]:
    """The pool the actor manages and the constraint kind a pool-policy service acts on."""
    actor = await load_actor(actor_id)
    pool = await lookup.pool(pool_id, actor.organization_id)
    await require_pool_manager(actor, pool)
    return pool, validate.choice("kind", kind, ConstraintKind)
