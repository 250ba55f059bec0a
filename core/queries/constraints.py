"""What constraints apply to resources (their own, else the nearest active pool policy) and which they break.

The precedence rules live in core.rules.constraints; here they are fed in a fixed number of statements however
many resources are read: the pools' policies, the resources' own constraints and their costs, each in one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import NamedTuple, Protocol

from tortoise.functions import Sum

from core.clock import utcnow
from core.errors import NotFound
from core.models import ConstraintKind, Expense, Pool, PoolPolicy, Resource, ResourceConstraint
from core.money import stored
from core.rules import constraints as rules
from core.rules.constraints import Effective, Own, Policy, Violation

class Checked(Protocol):
    """What the rules need of a resource (a model instance or a plain row)."""

    id: int
    active: bool
    first_seen: datetime
    pool_id: int


@dataclass(frozen=True)
class ResourceConstraints:
    """A resource's id, the constraints that apply to it by kind (with their source) and those it breaks."""

    resource_id: int
    effective: dict[ConstraintKind, Effective]
    violations: list[Violation]


@dataclass(frozen=True)
class ResourceViolations:
    """For the constraint check job: the resource itself and what it breaks."""

    resource: Resource
    violations: list[Violation]


@dataclass(frozen=True)
class _Costs:
    today_cost: Decimal = Decimal(0)
    yesterday_cost: Decimal = Decimal(0)
    total_cost: Decimal = Decimal(0)


class _Row(NamedTuple):
    id: int
    active: bool
    first_seen: datetime
    pool_id: int


async def resource_constraints(*, organization_id: int, resource_id: int) -> dict[ConstraintKind, Effective]:
    """The constraints that apply to a resource, each with its source ("resource" or "pool:<id>").

    Raises: NotFound (resource).
    """
    return (await _one(organization_id, resource_id, utcnow())).effective


async def check_resource(*, organization_id: int, resource_id: int, now: datetime | None = None) -> list[Violation]:
    """The constraints a resource breaks at `now`, from its state and its expenses.

    Raises: NotFound (resource).
    """
    return (await _one(organization_id, resource_id, now or utcnow())).violations


async def constraints_of(*, organization_id: int, resource_ids: Iterable[int],
                         now: datetime | None = None) -> dict[int, ResourceConstraints]:
    """Per resource id: the constraints that apply (with their source) and those broken at `now`.

    Ids of resources of other organizations are left out; a fixed number of queries however many ids.
    """
    ids = sorted(set(resource_ids))
    if not ids:
        return {}
    rows = [_Row(*values) for values in await Resource.filter(id__in=ids, organization_id=organization_id)
            .order_by("id").values_list("id", "active", "first_seen", "pool_id")]
    checked = await _checked(organization_id, now or utcnow(), rows, resource_id__in=ids)
    return {found.resource_id: found for found in checked}


async def check_organization(*, organization_id: int, now: datetime | None = None) -> list[ResourceViolations]:
    """Every active resource of the organization that breaks a constraint at `now`, in a fixed number of queries."""
    resources = await Resource.filter(organization_id=organization_id, active=True).order_by("id")
    checked = await _checked(organization_id, now or utcnow(), resources, resource__active=True)
    return [ResourceViolations(resource, found.violations)
            for resource, found in zip(resources, checked) if found.violations]


async def _one(organization_id: int, resource_id: int, now: datetime) -> ResourceConstraints:
    found = await constraints_of(organization_id=organization_id, resource_ids=[resource_id], now=now)
    if resource_id not in found:
        raise NotFound("resource_not_found", resource_id=resource_id)
    return found[resource_id]


async def _checked(organization_id: int, now: datetime, resources: list[Checked],
                   **related: object) -> list[ResourceConstraints]:
    """The resources with their constraints and violations, in their order; `related` selects the same
    resources from the constraint and expense tables."""
    if not resources:
        return []
    related["resource__organization_id"] = organization_id
    effective = await _effective(organization_id, resources, **related)
    costs = await _costs(now, **related) if any(effective.values()) else {}
    return [ResourceConstraints(r.id, effective[r.id], rules.violations(effective[r.id], active=r.active, now=now,
                                                                        **vars(costs.get(r.id, _Costs()))))
            for r in resources]


async def _effective(organization_id: int, resources: list[Checked],
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

