"""Power schedules: create, change and attach them, snooze or skip their stops, and say what is due.

Schedules are organization-wide: org managers and pool managers create them; changing or deleting
one that already drives resources (or environments) needs a manager of every pool involved.
Attaching a resource, snoozing or skipping its stop needs its owner or a manager of its pool.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from core import validate
from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import (Member, OverrideKind, PowerSchedule, Resource, Role, ScheduleMode, ScheduleOverride,
                         SharedEnvironment)
from core.permissions import load_actor, manages_pool, require_owner_or_manager
from core.rules import power
from core.rules.power_periods import check_date_range, parse_date, parse_periods, parse_skip_dates

WARN_MINUTES_MAX = 24 * 60
SNOOZE_HOURS_MAX = 24
_CHECKS = {
    "name": lambda v: validate.text("name", v),
    "timezone": lambda v: validate.timezone_name("timezone", str(v).strip()),
    "periods": lambda v: [p.to_json() for p in parse_periods(v)],
    "mode": lambda v: validate.choice("mode", v, ScheduleMode),
    "start_date": lambda v: parse_date("start_date", v),
    "end_date": lambda v: parse_date("end_date", v),
    "skip_dates": lambda v: [d.isoformat() for d in parse_skip_dates(v)],
    "enabled": bool,
    "warn_minutes": lambda v: validate.whole_number("warn_minutes", v, minimum=0, maximum=WARN_MINUTES_MAX),
}


class DueAction(NamedTuple):
    resource_id: int
    action: str
    at: datetime


class DueWarning(NamedTuple):
    resource_id: int
    stop_at: datetime


async def create_schedule(*, actor_id: int, name: str, timezone: str, periods: list[dict],
                          mode: str = ScheduleMode.START_AND_STOP.value, start_date: object = None,
                          end_date: object = None, skip_dates: object = (), enabled: bool = True,
                          warn_minutes: object = 30) -> PowerSchedule:
    """Create a schedule in the actor's organization; dates are local "YYYY-MM-DD", inclusive.

    Raises: PermissionDenied (engineer), InvalidInput (any field), Conflict (name taken).
    """
    actor = await load_actor(actor_id)
    _require_schedule_manager(actor)
    values = _checked(name=name, timezone=timezone, periods=periods, mode=mode, start_date=start_date,
                      end_date=end_date, skip_dates=skip_dates, enabled=enabled, warn_minutes=warn_minutes)
    check_date_range(values.get("start_date"), values.get("end_date"))
    async with transaction():
        await _require_unique_name(actor.organization_id, values["name"])
        return await PowerSchedule.create(organization_id=actor.organization_id, **values)


async def update_schedule(*, actor_id: int, schedule_id: int, name: str | None = None, timezone: str | None = None,
                          periods: list[dict] | None = None, mode: str | None = None, start_date: object = None,
                          end_date: object = None, skip_dates: object = None, enabled: bool | None = None,
                          warn_minutes: object = None) -> PowerSchedule:
    """Change the fields given; None leaves a field as it is, "" clears a start or end date.

    Raises: PermissionDenied, NotFound, InvalidInput, Conflict (name taken).
    """
    actor = await load_actor(actor_id)
    _require_schedule_manager(actor)
    changes = _checked(name=name, timezone=timezone, periods=periods, mode=mode, start_date=start_date,
                       end_date=end_date, skip_dates=skip_dates, enabled=enabled, warn_minutes=warn_minutes)
    async with transaction():
        schedule = await _schedule_in_org(schedule_id, actor)
        await _require_manages_attached(actor, schedule)
        if "name" in changes:
            await _require_unique_name(actor.organization_id, changes["name"], exclude_id=schedule.id)
        check_date_range(changes.get("start_date", schedule.start_date), changes.get("end_date", schedule.end_date))
        for field, value in changes.items():
            setattr(schedule, field, value)
        if changes:
            await schedule.save(update_fields=list(changes))
    return schedule


async def delete_schedule(*, actor_id: int, schedule_id: int) -> int:
    """Delete a schedule; its resources and environments stay as they are, unscheduled. Returns the
    number of resources it drove.

    Raises: PermissionDenied, NotFound.
    """
    actor = await load_actor(actor_id)
    _require_schedule_manager(actor)
    async with transaction():
        schedule = await _schedule_in_org(schedule_id, actor)
        await _require_manages_attached(actor, schedule)
        detached = await Resource.filter(power_schedule_id=schedule.id).update(power_schedule_id=None)
        await SharedEnvironment.filter(power_schedule_id=schedule.id).update(power_schedule_id=None)
        await schedule.delete()
    return detached


async def attach_resources(*, actor_id: int, schedule_id: int, resource_ids: list[int]) -> list[Resource]:
    """Put resources on a schedule (moving them off any other one).

    Raises: InvalidInput (no ids), NotFound (schedule, resource), PermissionDenied (not owner or manager).
    """
    actor = await load_actor(actor_id)
    ids = _resource_ids(resource_ids)
    async with transaction():
        schedule = await _schedule_in_org(schedule_id, actor)
        resources = await _resources_in_org(ids, actor)
        for resource in resources:
            await require_owner_or_manager(actor, resource)
        await Resource.filter(id__in=ids).update(power_schedule_id=schedule.id)
    for resource in resources:
        resource.power_schedule_id = schedule.id
    return resources


async def detach_resources(*, actor_id: int, schedule_id: int, resource_ids: list[int]) -> list[Resource]:
    """Take resources off a schedule; they keep their current power state.

    Raises: InvalidInput (no ids), NotFound, PermissionDenied, Conflict (a resource is not on it).
    """
    actor = await load_actor(actor_id)
    ids = _resource_ids(resource_ids)
    async with transaction():
        schedule = await _schedule_in_org(schedule_id, actor)
        resources = await _resources_in_org(ids, actor)
        for resource in resources:
            if resource.power_schedule_id != schedule.id:
                raise Conflict("resource_not_on_schedule", resource=resource.label, schedule=schedule.name)
            await require_owner_or_manager(actor, resource)
        await Resource.filter(id__in=ids).update(power_schedule_id=None)
    for resource in resources:
        resource.power_schedule_id = None
    return resources


async def add_override(*, actor_id: int, resource_id: int, kind: str, until: datetime,
                       now: datetime | None = None) -> ScheduleOverride:
    """Suspend a resource's scheduled stops until `until` (see core.rules.power.with_overrides).

    Raises: InvalidInput (kind, until not in the future), NotFound, PermissionDenied, Conflict (no schedule).
    """
    actor = await load_actor(actor_id)
    kind = validate.choice("kind", kind, OverrideKind)
    now = now or utcnow()
    if until.tzinfo is None:
        raise InvalidInput("override_until_needs_timezone", field="until", until=until.isoformat())
    if until <= now:
        raise InvalidInput("override_until_past", field="until", until=until.isoformat())
    async with transaction():
        resource, _ = await _override_target(actor, resource_id)
        return await ScheduleOverride.create(resource=resource, kind=kind, until=until, created_by=actor)


async def snooze(*, actor_id: int, resource_id: int, hours: object, now: datetime | None = None) -> ScheduleOverride:
    """Keep a resource running for the next `hours` (1..24); a stop due meanwhile happens at the end.

    Raises: InvalidInput (hours), NotFound, PermissionDenied, Conflict (no schedule).
    """
    hours = validate.whole_number("hours", hours, minimum=1, maximum=SNOOZE_HOURS_MAX)
    now = now or utcnow()
    return await add_override(actor_id=actor_id, resource_id=resource_id, kind=OverrideKind.KEEP_RUNNING_UNTIL.value,
                              until=now + timedelta(hours=hours), now=now)


async def skip_tonight(*, actor_id: int, resource_id: int, now: datetime | None = None) -> ScheduleOverride:
    """Skip the resource's next stop; it then runs until the stop after that.

    Raises: NotFound, PermissionDenied, Conflict (no schedule, no stop ahead).
    """
    actor = await load_actor(actor_id)
    now = now or utcnow()
    async with transaction():
        resource, schedule = await _override_target(actor, resource_id)
        overrides = (await _overrides_by_resource(after=now, resource_id=resource.id)).get(resource.id, ())
        stop = power.next_transition(power.ScheduleSpec.from_model(schedule), now, overrides, action=power.STOP)
        if stop is None:
            raise Conflict("no_stop_to_skip", schedule=schedule.name)
        return await ScheduleOverride.create(resource=resource, kind=OverrideKind.SKIP_STOP,
                                             until=stop.at_utc + timedelta(minutes=1), created_by=actor)


async def due_actions(organization_id: int, *, since: datetime, now: datetime) -> list[DueAction]:
    """What the scheduler owes for (since, now]: at most one action per active scheduled resource,
    the latest transition after overrides, so a restart after downtime acts once.
    """
    due = []
    owed = lru_cache(maxsize=None)(power.catch_up)  # once per schedule (and overrides), not per resource
    for resource_id, spec, overrides in await _scheduled(organization_id, since):
        last = owed(spec, since, now, overrides)
        if last is not None:
            due.append(DueAction(resource_id, last.action, last.at_utc))
    return sorted(due, key=lambda d: (d.at, d.resource_id))


async def due_warnings(organization_id: int, *, since: datetime, now: datetime) -> list[DueWarning]:
    """Stops whose pre-stop warning time falls in (since, now], per active scheduled resource."""
    due = []
    for resource_id, spec, overrides in await _scheduled(organization_id, since):
        due.extend(DueWarning(resource_id, t.at_utc) for t in power.warnings_due(spec, since, now, overrides=overrides))
    return sorted(due, key=lambda d: (d.stop_at, d.resource_id))


async def _scheduled(organization_id: int, since: datetime) -> list[tuple[int, power.ScheduleSpec, tuple]]:
    """Ids of the active resources on enabled schedules (plain rows, no model objects), with their spec and
    the overrides still live after `since`; three statements."""
    schedules = await PowerSchedule.filter(organization_id=organization_id, enabled=True)
    specs = {s.id: power.ScheduleSpec.from_model(s) for s in schedules}
    rows = await (Resource.filter(organization_id=organization_id, active=True, power_schedule_id__in=list(specs))
                  .order_by("id").values_list("id", "power_schedule_id"))
    overrides = await _overrides_by_resource(after=since, resource__organization_id=organization_id)
    return [(rid, specs[schedule_id], overrides.get(rid, ())) for rid, schedule_id in rows]


async def _overrides_by_resource(*, after: datetime, **where: object) -> dict[int, tuple[power.Override, ...]]:
    """The overrides matching `where` that are still live after `after`, per resource."""
    found: dict[int, list[power.Override]] = {}
    for row in await ScheduleOverride.filter(until__gt=after, **where).order_by("id"):
        found.setdefault(row.resource_id, []).append(power.Override.from_model(row))
    return {rid: tuple(items) for rid, items in found.items()}


def _checked(**values: object) -> dict:
    """Validated, normalized values of the fields given (None = not given)."""
    return {field: _CHECKS[field](value) for field, value in values.items() if value is not None}


def _require_schedule_manager(actor: Member) -> None:
    if actor.role not in (Role.ORG_MANAGER, Role.POOL_MANAGER):
        raise PermissionDenied("not_schedule_manager")


async def _require_manages_attached(actor: Member, schedule: PowerSchedule) -> None:
    """A pool manager may change a schedule only when every pool it acts in is theirs."""
    if actor.role == Role.ORG_MANAGER:
        return
    resources = await Resource.filter(power_schedule_id=schedule.id).prefetch_related("pool")
    environments = await SharedEnvironment.filter(power_schedule_id=schedule.id).prefetch_related("pool")
    for item, label in [(r, r.label) for r in resources] + [(e, e.name) for e in environments]:
        if not await manages_pool(actor, item.pool):
            raise PermissionDenied("schedule_drives_other_pools", schedule=schedule.name, item=label)


async def _require_unique_name(organization_id: int, name: str, *, exclude_id: int | None = None) -> None:
    query = PowerSchedule.filter(organization_id=organization_id, name=name)
    if exclude_id is not None:
        query = query.exclude(id=exclude_id)
    if await query.exists():
        raise Conflict("schedule_exists", field="name", name=name)


async def _schedule_in_org(schedule_id: int, actor: Member) -> PowerSchedule:
    schedule = await PowerSchedule.get_or_none(id=schedule_id, organization_id=actor.organization_id)
    if schedule is None:
        raise NotFound("schedule_not_found", schedule_id=schedule_id)
    return schedule


def _resource_ids(values: list[int]) -> list[int]:
    ids = list(dict.fromkeys(validate.whole_number("resource_ids", v, minimum=1, maximum=2**31 - 1)
                             for v in values or ()))
    if not ids:
        raise InvalidInput("schedule_no_resources_given", field="resource_ids")
    return ids


async def _resources_in_org(ids: list[int], actor: Member) -> list[Resource]:
    found = {r.id: r for r in await Resource.filter(id__in=ids, organization_id=actor.organization_id)}
    for resource_id in ids:
        if resource_id not in found:
            raise NotFound("schedule_resource_not_found", resource_id=resource_id)
    return [found[i] for i in ids]


async def _override_target(actor: Member, resource_id: int) -> tuple[Resource, PowerSchedule]:
    """The resource (owner or manager only) and the schedule an override on it would act on."""
    resource = (await _resources_in_org([resource_id], actor))[0]
    await require_owner_or_manager(actor, resource)
    if resource.power_schedule_id is None:
        raise Conflict("resource_has_no_schedule", resource=resource.label)
    return resource, await PowerSchedule.get(id=resource.power_schedule_id)
