"""Assignment rules: create, edit, reorder, delete, and re-apply them to resources."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import F

from core import validate
from core.db import transaction
from core.errors import NotFound
from core.models import AssignmentRule, DataSource, Organization, Pool, Resource, SharedEnvironment
from core.permissions import load_actor, require_org_manager, require_pool_manager
from core.rules.assignment import ConditionType, ResourceFacts, RuleMove, first_match, reorder, validate_conditions
from core.services import lookup

_CHUNK = 500


@dataclass(frozen=True)
class ReapplyCounts:
    evaluated: int
    moved: int


@dataclass(frozen=True)
class Assigner:
    """An organization's active rules and fallback pools, loaded once per batch of resources."""

    rules: list[AssignmentRule]
    source_pools: dict[int, int]
    root_pool_id: int

    def target(self, facts: ResourceFacts) -> tuple[int, int | None] | None:
        """(pool id, owner id) of the first matching rule, or None when no rule matches."""
        rule = first_match(self.rules, facts)
        return (rule.pool_id, rule.owner_id) if rule else None

    def fallback_pool(self, data_source_id: int | None) -> int:
        """The data source's pool; the root pool when the resource has no data source."""
        return self.source_pools.get(data_source_id, self.root_pool_id)


async def load_assigner(organization_id: int) -> Assigner:
    rules = await AssignmentRule.filter(organization_id=organization_id, active=True).order_by("priority", "id")
    sources = await DataSource.filter(organization_id=organization_id).values_list("id", "pool_id")
    root = await Pool.get(organization_id=organization_id, parent_id=None)
    return Assigner(rules=list(rules), source_pools=dict(sources), root_pool_id=root.id)


async def create_rule(*, actor_id: int, name: str, conditions: list[dict], pool_id: int, owner_id: int,
                      active: bool = True) -> AssignmentRule:
    """Add a rule at the top of the organization's list (priority 1); the others shift down.

    Raises: InvalidInput (name, conditions), NotFound (pool, owner, data source), PermissionDenied.
    """
    actor = await load_actor(actor_id)
    org_id = actor.organization_id
    name = validate.text("name", name)
    conditions = validate_conditions(conditions)
    pool = await lookup.pool(pool_id, org_id)
    await require_pool_manager(actor, pool)
    await lookup.member(owner_id, org_id)
    await _check_sources(conditions, org_id)
    async with transaction():
        await _lock_rules(org_id)
        await AssignmentRule.filter(organization_id=org_id).update(priority=F("priority") + 1)
        return await AssignmentRule.create(organization_id=org_id, name=name, priority=1, active=active,
                                           conditions=conditions, pool_id=pool.id, owner_id=owner_id)


async def update_rule(*, actor_id: int, rule_id: int, name: str | None = None, conditions: list[dict] | None = None,
                      pool_id: int | None = None, owner_id: int | None = None,
                      active: bool | None = None) -> AssignmentRule:
    """Edit a rule's name, conditions, target pool/owner or enable/disable it; None leaves a field as is.

    Raises: InvalidInput, NotFound (rule, pool, owner, data source), PermissionDenied (rule's or new pool).
    """
    actor = await load_actor(actor_id)
    org_id = actor.organization_id
    rule = await _rule(rule_id, org_id)
    await require_pool_manager(actor, await Pool.get(id=rule.pool_id))
    if name is not None:
        rule.name = validate.text("name", name)
    if conditions is not None:
        rule.conditions = validate_conditions(conditions)
        await _check_sources(rule.conditions, org_id)
    if pool_id is not None:
        pool = await lookup.pool(pool_id, org_id)
        await require_pool_manager(actor, pool)
        rule.pool_id = pool.id
    if owner_id is not None:
        rule.owner_id = (await lookup.member(owner_id, org_id)).id
    if active is not None:
        rule.active = bool(active)
    async with transaction():
        await rule.save(update_fields=["name", "conditions", "pool_id", "owner_id", "active"])
    return rule


async def move_rule(*, actor_id: int, rule_id: int, move: str) -> list[int]:
    """Prioritize, promote, demote or deprioritize a rule; returns the rule ids top first.

    Raises: InvalidInput (move), NotFound (rule), PermissionDenied.
    """
    actor = await load_actor(actor_id)
    move = validate.choice("move", move, RuleMove)
    rule = await _rule(rule_id, actor.organization_id)
    await require_pool_manager(actor, await Pool.get(id=rule.pool_id))
    async with transaction():
        priorities = await _lock_rules(actor.organization_id)
        if rule.id not in priorities:
            raise NotFound("assignment_rule_not_found", rule_id=rule_id)
        order = reorder(list(priorities), rule.id, move)
        await _renumber(priorities, order)
    return order


async def delete_rule(*, actor_id: int, rule_id: int) -> None:
    """Delete a rule; the rules below move up so priorities stay 1..n.

    Raises: NotFound (rule), PermissionDenied.
    """
    actor = await load_actor(actor_id)
    rule = await _rule(rule_id, actor.organization_id)
    await require_pool_manager(actor, await Pool.get(id=rule.pool_id))
    async with transaction():
        priorities = await _lock_rules(actor.organization_id)
        await AssignmentRule.filter(id=rule.id).delete()
        await _renumber(priorities, [i for i in priorities if i != rule.id])


async def reapply_rules(*, actor_id: int, pool_id: int | None = None, include_children: bool = False) -> ReapplyCounts:
    """Re-evaluate resources against the rules: matched ones go to the rule's pool and owner, unmatched
    ones to their data source's pool keeping their owner. Scope: the organization, or one pool
    (with its sub-pools when include_children).

    Raises: NotFound (pool), PermissionDenied (org manager for the organization, pool manager for a pool).
    """
    actor = await load_actor(actor_id)
    org_id = actor.organization_id
    if pool_id is None:
        require_org_manager(actor)
        scope = Resource.filter(organization_id=org_id)
    else:
        pool = await lookup.pool(pool_id, org_id)
        await require_pool_manager(actor, pool)
        pool_ids = await _subtree(pool, org_id) if include_children else [pool.id]
        scope = Resource.filter(organization_id=org_id, pool_id__in=pool_ids)
    async with transaction():
        assigner = await load_assigner(org_id)
        rows = await scope.values("id", "name", "cloud_resource_id", "resource_type", "region", "tags",
                                  "data_source_id", "pool_id", "owner_id")
        moves: dict[tuple[int, int | None], list[int]] = {}
        for row in rows:
            target = assigner.target(facts_of(row))
            target = target or (assigner.fallback_pool(row["data_source_id"]), row["owner_id"])
            if target != (row["pool_id"], row["owner_id"]):
                moves.setdefault(target, []).append(row["id"])
        for (to_pool, to_owner), ids in moves.items():
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                await Resource.filter(id__in=chunk).update(pool_id=to_pool, owner_id=to_owner)
                await SharedEnvironment.filter(resource_id__in=chunk).update(pool_id=to_pool)
    return ReapplyCounts(evaluated=len(rows), moved=sum(len(ids) for ids in moves.values()))


def facts_of(row: dict) -> ResourceFacts:
    """Condition facts from a resource's values."""
    return ResourceFacts(name=row["name"] or "", cloud_resource_id=row["cloud_resource_id"],
                         resource_type=row["resource_type"] or "", region=row["region"] or "",
                         tags=row["tags"] or {}, data_source_id=row["data_source_id"])


async def _subtree(pool: Pool, org_id: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, parent in await Pool.filter(organization_id=org_id).values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pid)
    found, stack = [], [pool.id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


async def _lock_rules(org_id: int) -> dict[int, int]:
    """Serialize rule changes per organization; rule id -> priority, top first."""
    await Organization.filter(id=org_id).select_for_update().values_list("id", flat=True)
    rows = await AssignmentRule.filter(organization_id=org_id).order_by("priority", "id").values_list("id", "priority")
    return dict(rows)


async def _renumber(priorities: dict[int, int], order: list[int]) -> None:
    """Write priority = position + 1 (so 1..n) for the rules whose priority differs."""
    for position, rule_id in enumerate(order, start=1):
        if priorities[rule_id] != position:
            await AssignmentRule.filter(id=rule_id).update(priority=position)


async def _check_sources(conditions: list[dict], org_id: int) -> None:
    for c in conditions:
        if c["type"] != ConditionType.SOURCE_IS.value:
            continue
        if not await DataSource.exists(id=c["value"], organization_id=org_id):
            raise NotFound("data_source_not_found", data_source_id=c["value"])


async def _rule(rule_id: int, org_id: int) -> AssignmentRule:
    rule = await AssignmentRule.get_or_none(id=rule_id, organization_id=org_id)
    if rule is None:
        raise NotFound("assignment_rule_not_found", rule_id=rule_id)
    return rule

