"""Resources and their daily expenses: batch upserts for imports, owner/pool changes by people."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping, Sequence

from tortoise.expressions import Subquery

from core import validate
from core.db import transaction
from core.errors import InvalidInput, NotFound
from core.models import DataSource, Expense, Member, Pool, Resource, SharedEnvironment
from core.permissions import load_actor, require_owner_or_manager, require_pool_manager
from core.services.assignment import facts_of, load_assigner

BATCH = 500
_COST_PLACES = Decimal("0.000001")
_COST_LIMIT = Decimal("1e14")


@dataclass(frozen=True)
class ResourceItem:
    """One resource as an import sees it."""

    cloud_resource_id: str
    resource_type: str
    seen_at: datetime
    name: str = ""
    region: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)
    active: bool = True


@dataclass(frozen=True)
class UpsertCounts:
    created: int
    updated: int


async def upsert_resources(*, organization_id: int, data_source_id: int | None,
                           items: Iterable[ResourceItem | Mapping]) -> UpsertCounts:
    """Create unknown resources (pool and owner from the assignment rules, else the data source's pool
    and no owner) and refresh known ones (name, tags, region, active, last seen) keeping pool and owner.
    Items are keyed by cloud resource id within the organization; an older observation only widens
    first seen and does not overwrite newer values.

    Raises: InvalidInput (an item), NotFound (data source).
    """
    cleaned = {item.cloud_resource_id: item for item in (_item(n, raw) for n, raw in enumerate(items, start=1))}
    if data_source_id is not None and not await DataSource.exists(id=data_source_id, organization_id=organization_id):
        raise NotFound("data_source_not_found", data_source_id=data_source_id)
    async with transaction():
        existing: dict[str, Resource] = {}
        ids = list(cleaned)
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            found = await Resource.filter(organization_id=organization_id, cloud_resource_id__in=batch)
            existing.update((r.cloud_resource_id, r) for r in found)
        for resource in existing.values():
            _refresh(resource, cleaned[resource.cloud_resource_id])
        await Resource.bulk_update(list(existing.values()), batch_size=BATCH,
                                   fields=["name", "tags", "region", "active", "first_seen", "last_seen"])
        assigner = await load_assigner(organization_id)
        new = [_new(organization_id, data_source_id, item, assigner)
               for cid, item in cleaned.items() if cid not in existing]
        await Resource.bulk_create(new, batch_size=BATCH)
    return UpsertCounts(created=len(new), updated=len(existing))


def _item(position: int, raw: ResourceItem | Mapping) -> ResourceItem:
    item = raw if isinstance(raw, ResourceItem) else ResourceItem(**raw)
    seen_at = item.seen_at
    if not isinstance(seen_at, datetime) or seen_at.tzinfo is None:
        raise InvalidInput("resource_seen_at_invalid", position=position, value=seen_at)
    return ResourceItem(
        cloud_resource_id=validate.text(f"Item {position} cloud resource id", item.cloud_resource_id,
                                        max_length=512),
        resource_type=validate.text(f"Item {position} resource type", item.resource_type, max_length=64),
        name=validate.text(f"Item {position} name", item.name, max_length=512, required=False),
        region=validate.text(f"Item {position} region", item.region, max_length=64, required=False),
        tags={str(k): str(v) for k, v in (item.tags or {}).items()},
        seen_at=seen_at, active=bool(item.active))


def _refresh(resource: Resource, item: ResourceItem) -> None:
    resource.first_seen = min(resource.first_seen, item.seen_at)
    if item.seen_at >= resource.last_seen:
        resource.name, resource.tags, resource.region = item.name, dict(item.tags), item.region
        resource.active, resource.last_seen = item.active, item.seen_at


def _new(organization_id: int, data_source_id: int | None, item: ResourceItem, assigner) -> Resource:
    values = asdict(item)
    values.update(data_source_id=data_source_id, tags=dict(item.tags))
    pool_id, owner_id = assigner.target(facts_of(values)) or (assigner.fallback_pool(data_source_id), None)
    seen_at = values.pop("seen_at")
    return Resource(organization_id=organization_id, pool_id=pool_id, owner_id=owner_id,
                    first_seen=seen_at, last_seen=seen_at, **values)


async def upsert_expenses(*, rows: Iterable[tuple[int, date, object]]) -> int:
    """Write daily costs keyed by (resource, day); a repeated key replaces the cost. Returns rows written.

    Raises: InvalidInput (day or cost), NotFound (resource).
    """
    cleaned = _expense_rows(rows)
    async with transaction():
        await _require_resources({resource_id for resource_id, _ in cleaned})
        await _write_expenses(cleaned)
    return len(cleaned)


async def replace_expenses(*, start_day: date, end_day: date, rows: Iterable[tuple[int, date, object]],
                           resource_ids: Sequence[int] | None = None, data_source_id: int | None = None) -> int:
    """Delete the expenses of the resources (or of a data source's resources) from start_day to end_day
    inclusive and write rows instead; every row must fall in that scope. Returns rows written.

    Raises: InvalidInput (scope, range, a row outside it, day or cost), NotFound (resource).
    """
    if (resource_ids is None) == (data_source_id is None):
        raise InvalidInput("expense_scope_required")
    if not isinstance(start_day, date) or not isinstance(end_day, date) or start_day > end_day:
        raise InvalidInput("expense_range_invalid", start=start_day, end=end_day)
    cleaned = _expense_rows(rows)
    for (resource_id, day) in cleaned:
        if not start_day <= day <= end_day:
            raise InvalidInput("expense_day_outside_range", day=day, start=start_day, end=end_day)
    async with transaction():
        sources = await _require_resources({resource_id for resource_id, _ in cleaned})
        scope = (set(resource_ids) if resource_ids is not None
                 else {rid for rid, source in sources.items() if source == data_source_id})
        stray = next((rid for rid, _ in cleaned if rid not in scope), None)
        if stray is not None:
            raise InvalidInput("expense_resource_outside_scope", resource_id=stray)
        days = Expense.filter(day__gte=start_day, day__lte=end_day)
        if data_source_id is not None:
            of_source = Subquery(Resource.filter(data_source_id=data_source_id).values("id"))
            await days.filter(resource_id__in=of_source).delete()
        for start in range(0, len(resource_ids or []), BATCH):
            await days.filter(resource_id__in=list(resource_ids[start:start + BATCH])).delete()
        await _write_expenses(cleaned)
    return len(cleaned)


def _expense_rows(rows: Iterable[tuple[int, date, object]]) -> dict[tuple[int, date], Decimal]:
    """(resource id, day) -> cost with 6 decimals; a later row for the same key wins."""
    cleaned: dict[tuple[int, date], Decimal] = {}
    for resource_id, day, cost in rows:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidInput("expense_day_invalid", value=day)
        try:
            amount = Decimal(str(cost)).quantize(_COST_PLACES)
        except (InvalidOperation, ValueError):
            raise InvalidInput("expense_cost_invalid", value=cost) from None
        if abs(amount) >= _COST_LIMIT:
            raise InvalidInput("expense_cost_invalid", value=cost)
        cleaned[(int(resource_id), day)] = amount
    return cleaned


async def _require_resources(ids: set[int]) -> dict[int, int | None]:
    """Resource id -> data source id; NotFound for the first id that does not exist."""
    wanted, found = sorted(ids), {}
    for start in range(0, len(wanted), BATCH):
        found.update(await Resource.filter(id__in=wanted[start:start + BATCH]).values_list("id", "data_source_id"))
    missing = next((rid for rid in wanted if rid not in found), None)
    if missing is not None:
        raise NotFound("resource_not_found", resource_id=missing)
    return found


async def _write_expenses(cleaned: dict[tuple[int, date], Decimal]) -> None:
    objects = [Expense(resource_id=rid, day=day, cost=cost) for (rid, day), cost in cleaned.items()]
    await Expense.bulk_create(objects, batch_size=BATCH, on_conflict=["resource_id", "day"], update_fields=["cost"])


async def set_resource_owner_pool(*, actor_id: int, resource_id: int, pool_id: int | None = None,
                                  owner_id: int | None = None) -> Resource:
    """Move a resource to another pool and/or give it another owner.

    The actor must be the owner or a manager of the current pool, and manage the target pool
    (the current one when only the owner changes).
    Raises: InvalidInput (nothing to change), NotFound (resource, pool, member), PermissionDenied.
    """
    actor = await load_actor(actor_id)
    org_id = actor.organization_id
    if pool_id is None and owner_id is None:
        raise InvalidInput("resource_change_empty")
    resource = await Resource.get_or_none(id=resource_id, organization_id=org_id)
    if resource is None:
        raise NotFound("resource_not_found", resource_id=resource_id)
    await require_owner_or_manager(actor, resource)
    target = await Pool.get_or_none(id=pool_id if pool_id is not None else resource.pool_id, organization_id=org_id)
    if target is None:
        raise NotFound("pool_not_found", pool_id=pool_id)
    await require_pool_manager(actor, target)
    if owner_id is not None and not await Member.exists(id=owner_id, organization_id=org_id):
        raise NotFound("member_not_found", member_id=owner_id)
    resource.pool_id = target.id
    if owner_id is not None:
        resource.owner_id = owner_id
    async with transaction():
        await resource.save(update_fields=["pool_id", "owner_id"])
        await SharedEnvironment.filter(resource_id=resource.id).update(pool_id=target.id)
    return resource
