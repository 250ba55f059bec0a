"""Resources and their daily expenses: batch upserts for imports, owner/pool changes by people."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping, Sequence

from core import validate
from core.db import fetch_rows, transaction, upsert_rows
from core.errors import InvalidInput, NotFound
from core.models import DataSource, Expense, Member, Resource, SharedEnvironment
from core.money import COST_LIMIT, STORED
from core.permissions import load_actor, require_owner_or_manager, require_pool_manager
from core.services.assignment import facts_of, load_assigner
from core.services import lookup

BATCH = 500
EXPENSES, RESOURCES = "expense", "resource"  # the tables core/models/resource.py names


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
    details: Mapping | None = None  # what the cloud says about it (state, type...); None keeps what is stored
    first_seen: datetime | None = None  # an earlier sighting in the same batch (billing spans days); default seen_at


@dataclass(frozen=True)
class UpsertCounts:
    created: int
    updated: int


async def upsert_resources(*, organization_id: int, data_source_id: int | None,
                           items: Iterable[ResourceItem | Mapping]) -> UpsertCounts:
    """Create unknown resources (pool and owner from the assignment rules, else the data source's pool
    and no owner) and refresh known ones (name, tags, region, active, details, last seen) keeping pool and
    owner. Items are keyed by cloud resource id within the organization; an older observation only widens
    first seen and does not overwrite newer values; resources that nothing changed are not written.

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
        changed = [r for r in existing.values() if _refresh(r, cleaned[r.cloud_resource_id])]
        await Resource.bulk_update(changed, batch_size=BATCH, fields=list(_REFRESHED))
        assigner = await load_assigner(organization_id)
        new = [_new(organization_id, data_source_id, item, assigner)
               for cid, item in cleaned.items() if cid not in existing]
        await Resource.bulk_create(new, batch_size=BATCH)
    return UpsertCounts(created=len(new), updated=len(existing))


def _item(position: int, raw: ResourceItem | Mapping) -> ResourceItem:
    item = raw if isinstance(raw, ResourceItem) else ResourceItem(**raw)
    seen_at, first_seen = item.seen_at, item.first_seen
    if not isinstance(seen_at, datetime) or seen_at.tzinfo is None:
        raise InvalidInput("resource_seen_at_invalid", field="items.seen_at", position=position, value=seen_at)
    if first_seen is not None and (not isinstance(first_seen, datetime) or first_seen.tzinfo is None
                                   or first_seen > seen_at):
        raise InvalidInput("resource_seen_at_invalid", field="items.seen_at", position=position, value=first_seen)
    return ResourceItem(
        cloud_resource_id=validate.text("items.cloud_resource_id", item.cloud_resource_id, max_length=512,
                                        position=position),
        resource_type=validate.text("items.resource_type", item.resource_type, max_length=64, position=position),
        name=validate.text("items.name", item.name, max_length=512, required=False, position=position),
        region=validate.text("items.region", item.region, max_length=64, required=False, position=position),
        tags={str(k): str(v) for k, v in (item.tags or {}).items()},
        seen_at=seen_at, active=bool(item.active), details=_details(position, item.details),
        first_seen=first_seen or seen_at)


def _details(position: int, details: Mapping | None) -> dict | None:
    """A copy of the details as stored (JSON), or None to keep the stored ones."""
    if details is None:
        return None
    try:
        return json.loads(json.dumps(dict(details), allow_nan=False))
    except (TypeError, ValueError):
        raise InvalidInput("datasource_field_invalid", field="items.details", position=position, value=details) from None


_REFRESHED = ("name", "tags", "region", "active", "details", "first_seen", "last_seen")


def _refresh(resource: Resource, item: ResourceItem) -> bool:
    """Apply a newer observation (an older one only widens first seen); True when a stored field changed."""
    before = [getattr(resource, name) for name in _REFRESHED]
    resource.first_seen = min(resource.first_seen, item.first_seen)
    if item.seen_at >= resource.last_seen:
        resource.name, resource.tags, resource.region = item.name, dict(item.tags), item.region
        resource.active, resource.last_seen = item.active, item.seen_at
        if item.details is not None:
            resource.details = dict(item.details)
    return before != [getattr(resource, name) for name in _REFRESHED]


def _new(organization_id: int, data_source_id: int | None, item: ResourceItem, assigner) -> Resource:
    values = {"cloud_resource_id": item.cloud_resource_id, "resource_type": item.resource_type, "name": item.name,
              "region": item.region, "tags": dict(item.tags), "active": item.active,
              "details": dict(item.details or {}), "data_source_id": data_source_id}
    pool_id, owner_id = assigner.target(facts_of(values)) or (assigner.fallback_pool(data_source_id), None)
    return Resource(organization_id=organization_id, pool_id=pool_id, owner_id=owner_id,
                    first_seen=item.first_seen, last_seen=item.seen_at, **values)


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
    """Make the expenses of the resources (or of a data source's resources) from start_day to end_day
    inclusive exactly `rows`: others in that range are deleted, rows whose cost did not change are left
    unwritten. Every row must fall in that scope. Returns the number of rows now in place.

    Raises: InvalidInput (scope, range, a row outside it, day or cost), NotFound (resource).
    """
    if (resource_ids is None) == (data_source_id is None):
        raise InvalidInput("expense_scope_required", field="resource_ids")
    if not isinstance(start_day, date) or not isinstance(end_day, date) or start_day > end_day:
        raise InvalidInput("expense_range_invalid", field="end_day", start=start_day, end=end_day)
    cleaned = _expense_rows(rows)
    for (resource_id, day) in cleaned:
        if not start_day <= day <= end_day:
            raise InvalidInput("expense_day_outside_range", field="rows", day=day, start=start_day, end=end_day)
    async with transaction():
        sources = await _require_resources({resource_id for resource_id, _ in cleaned})
        scope = (set(resource_ids) if resource_ids is not None
                 else {rid for rid, source in sources.items() if source == data_source_id})
        stray = next((rid for rid, _ in cleaned if rid not in scope), None)
        if stray is not None:
            raise InvalidInput("expense_resource_outside_scope", field="rows", resource_id=stray)
        stored = await _stored_costs(start_day, end_day, resource_ids, data_source_id)
        stale = [expense_id for key, (expense_id, _) in stored.items() if key not in cleaned]
        for start in range(0, len(stale), BATCH):
            await Expense.filter(id__in=stale[start:start + BATCH]).delete()
        await _write_expenses({key: cost for key, cost in cleaned.items()
                               if key not in stored or stored[key][1] != cost})
    return len(cleaned)


async def _stored_costs(start_day: date, end_day: date, resource_ids: Sequence[int] | None,
                        data_source_id: int | None) -> dict[tuple[int, date], tuple[int, Decimal]]:
    """(resource id, day) -> (expense id, cost) stored in the range and scope; read raw, as the rows are many."""
    if data_source_id is not None:
        scopes = [(f"SELECT id FROM {RESOURCES} WHERE data_source_id = ?", [data_source_id])]
    else:
        chunks = [list(resource_ids[start:start + BATCH]) for start in range(0, len(resource_ids), BATCH)]
        scopes = [(", ".join("?" * len(chunk)), chunk) for chunk in chunks]
    stored = {}
    for inner, params in scopes:
        sql = f"SELECT id, resource_id, day, cost FROM {EXPENSES} WHERE day >= ? AND day <= ? AND resource_id IN ({inner})"
        rows = await fetch_rows(sql, [start_day, end_day, *params], types=(int, int, date, Decimal))
        stored.update(((resource_id, day), (expense_id, cost)) for expense_id, resource_id, day, cost in rows)
    return stored


def _expense_rows(rows: Iterable[tuple[int, date, object]]) -> dict[tuple[int, date], Decimal]:
    """(resource id, day) -> cost with 6 decimals; a later row for the same key wins."""
    cleaned: dict[tuple[int, date], Decimal] = {}
    for resource_id, day, cost in rows:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidInput("expense_day_invalid", field="rows", value=day)
        try:
            amount = Decimal(str(cost)).quantize(STORED)
        except (InvalidOperation, ValueError):
            raise InvalidInput("expense_cost_invalid", field="rows", value=cost) from None
        if abs(amount) >= COST_LIMIT:
            raise InvalidInput("expense_cost_invalid", field="rows", value=cost)
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
    """Upsert keyed by (resource, day), no model objects: the rows are many."""
    await upsert_rows(EXPENSES, {"resource_id": "int", "day": "date", "cost": "numeric"},
                      [(rid, day, cost) for (rid, day), cost in cleaned.items()], conflict=("resource_id", "day"),
                      update=("cost",))


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
        raise InvalidInput("resource_change_empty", field="pool_id")
    resource = await lookup.resource(resource_id, org_id)
    await require_owner_or_manager(actor, resource)
    target = await lookup.pool(pool_id if pool_id is not None else resource.pool_id, org_id)
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
