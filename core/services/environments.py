"""Shared environments: mark resources shareable, make environments by hand, edit, (de)activate and delete them.

Managing an environment (create, edit, (de)activate, delete) needs managing its pool: an org manager
or a manager of that pool or of a pool above it. The pool of an environment made from a resource is
the resource's pool when it was marked.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core import validate
from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.events import EnvironmentActivation, EnvironmentChanged
from core.events.record import record
from core.models import Booking, Member, PowerSchedule, Resource, SharedEnvironment
from core.permissions import load_actor, manages_pool, require_pool_manager
from core.rules import bookings as rules
from core.services import lookup
from core.timefmt import show

SHAREABLE_TYPES = ("instance", "cluster", "k8s_cluster")
MAX_PROPERTIES = 50
PROPERTY_NAME_MAX = 64
PROPERTY_VALUE_MAX = 1000
DESCRIPTION_MAX = 2000


async def load_environment(environment_id: int, organization_id: int) -> SharedEnvironment:
    """The environment with its pool, scoped to the organization; NotFound otherwise."""
    env = await SharedEnvironment.get_or_none(id=environment_id, organization_id=organization_id).select_related("pool")
    if env is None:
        raise NotFound("environment_not_found", environment_id=environment_id)
    return env


async def manages_environment(actor: Member, env: SharedEnvironment) -> bool:
    return await manages_pool(actor, env.pool)


async def require_environment_manager(actor: Member, env: SharedEnvironment) -> None:
    if not await manages_environment(actor, env):
        raise PermissionDenied("not_pool_manager", pool=env.pool.name)


async def mark_shareable(*, actor_id: int, resource_id: int) -> SharedEnvironment:
    """Make an instance or cluster a shared environment in the resource's pool.

    Raises: NotFound (resource), PermissionDenied (not a manager of its pool), InvalidInput (type), Conflict (already shared).
    """
    actor = await load_actor(actor_id)
    try:
        async with transaction():
            resource = await Resource.get_or_none(id=resource_id, organization_id=actor.organization_id).select_related("pool")
            if resource is None:
                raise NotFound("env_resource_not_found", resource_id=resource_id)
            if not await manages_pool(actor, resource.pool):
                raise PermissionDenied("not_pool_manager", pool=resource.pool.name)
            if resource.resource_type.lower() not in SHAREABLE_TYPES:
                raise InvalidInput("resource_not_shareable", field="resource_id", resource=resource.label,
                                   resource_type=resource.resource_type, choices=", ".join(SHAREABLE_TYPES))
            if await SharedEnvironment.exists(resource_id=resource.id):
                raise Conflict("resource_already_shared", resource=resource.label)
            return await SharedEnvironment.create(
                organization_id=actor.organization_id, pool=resource.pool, resource=resource,
                name=resource.label[:255], resource_type=resource.resource_type)
    except IntegrityError:
        raise Conflict("resource_already_shared", resource=resource.label) from None


async def create_environment(*, actor_id: int, pool_id: int, name: str, resource_type: str = "environment",
                             description: str = "", properties: Mapping[str, str] | None = None,
                             ssh_only: bool = False, max_booking_minutes: int | None = None,
                             power_schedule_id: int | None = None) -> SharedEnvironment:
    """Create an environment by hand, not tied to a cloud resource.

    Raises: InvalidInput (name, type, description, properties, maximum), NotFound (pool, schedule),
    PermissionDenied (not a manager of the pool), Conflict (name taken).
    """
    actor = await load_actor(actor_id)
    values = _form(name, description, properties, ssh_only, max_booking_minutes)
    resource_type = validate.text("resource_type", resource_type, max_length=64)
    async with transaction():
        pool = await lookup.pool(pool_id, actor.organization_id)
        await require_pool_manager(actor, pool)
        await _refuse_taken_name(actor.organization_id, values["name"], None)
        schedule = await _schedule(power_schedule_id, actor.organization_id)
        return await SharedEnvironment.create(organization_id=actor.organization_id, pool=pool,
                                              resource_type=resource_type, power_schedule=schedule, **values)


async def update_environment(*, actor_id: int, environment_id: int, name: str, description: str,
                             properties: Mapping[str, str] | None, ssh_only: bool,
                             max_booking_minutes: int | None, power_schedule_id: int | None) -> SharedEnvironment:
    """Replace an environment's editable fields (like a form); existing bookings keep their length.

    Raises: NotFound, PermissionDenied, InvalidInput, Conflict (name taken).
    """
    actor = await load_actor(actor_id)
    values = _form(name, description, properties, ssh_only, max_booking_minutes)
    async with transaction():
        env = await load_environment(environment_id, actor.organization_id)
        await require_environment_manager(actor, env)
        await _refuse_taken_name(actor.organization_id, values["name"], env.id)
        env.power_schedule = await _schedule(power_schedule_id, actor.organization_id)
        env.update_from_dict(values)
        await env.save()
        await record(EnvironmentChanged(env.id, env.name, env.pool_id), organization_id=actor.organization_id,
                     now=utcnow())
    return env


async def set_environment_active(*, actor_id: int, environment_id: int, active: bool) -> SharedEnvironment:
    """Activate or deactivate an environment; a deactivated one cannot be booked, its bookings stay.

    Raises: NotFound, PermissionDenied.
    """
    actor = await load_actor(actor_id)
    async with transaction():
        env = await load_environment(environment_id, actor.organization_id)
        await require_environment_manager(actor, env)
        if env.active != bool(active):
            env.active = bool(active)
            await env.save(update_fields=["active"])
            await record(EnvironmentActivation(env.id, env.name, env.pool_id, active=env.active),
                         organization_id=actor.organization_id, now=utcnow())
    return env


async def delete_environment(*, actor_id: int, environment_id: int, now: datetime | None = None) -> None:
    """Delete an environment with its bookings and waitlist; refused while a booking is in progress.

    Raises: NotFound, PermissionDenied, Conflict (in use).
    """
    actor = await load_actor(actor_id)
    async with transaction():
        await _delete(actor, await load_environment(environment_id, actor.organization_id), now or utcnow())


async def unmark_shareable(*, actor_id: int, resource_id: int, now: datetime | None = None) -> None:
    """Stop sharing a resource: delete its environment; the resource itself stays.

    Raises: NotFound (resource not shared), PermissionDenied, Conflict (in use).
    """
    actor = await load_actor(actor_id)
    async with transaction():
        env = await SharedEnvironment.get_or_none(
            resource_id=resource_id, organization_id=actor.organization_id).select_related("pool")
        if env is None:
            raise NotFound("resource_not_shared", resource_id=resource_id)
        await _delete(actor, env, now or utcnow())


async def _open_bookings(environment_ids: list[int], now: datetime) -> list[Booking]:
    if not environment_ids:
        return []
    return await (Booking.filter(environment_id__in=environment_ids)
                  .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
                  .select_related("member").order_by("starts_at"))


async def _delete(actor: Member, env: SharedEnvironment, now: datetime) -> None:
    await require_environment_manager(actor, env)
    current, _ = rules.current_and_next(await _open_bookings([env.id], now), now)
    if current is not None:
        raise Conflict("environment_in_use", environment=env.name, person=current.member.label,
                       ends=show(current.ends_at))
    await env.delete()


def _form(name: str, description: str, properties: Mapping[str, str] | None, ssh_only: bool,
          max_booking_minutes: int | None) -> dict:
    maximum = None
    if max_booking_minutes is not None:
        maximum = validate.whole_number("max_booking_minutes", max_booking_minutes,
                                        minimum=1, maximum=rules.MAX_BOOKING_MINUTES)
    return {"name": validate.text("name", name),
            "description": validate.text("description", description, max_length=DESCRIPTION_MAX, required=False),
            "properties": _properties(properties), "ssh_only": bool(ssh_only), "max_booking_minutes": maximum}


def _properties(value: Mapping[str, str] | None) -> dict[str, str]:
    """Custom properties (IP, software, anything): text names, unique after trimming, and text values."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput("properties_not_a_mapping", field="properties")
    if len(value) > MAX_PROPERTIES:
        raise InvalidInput("too_many_properties", field="properties", max=MAX_PROPERTIES)
    cleaned: dict[str, str] = {}
    for key, text in value.items():
        if not isinstance(key, str) or not isinstance(text, str):
            raise InvalidInput("property_not_text", field="properties", name=key)
        name = validate.text("properties.name", key, max_length=PROPERTY_NAME_MAX)
        if name in cleaned:
            raise InvalidInput("duplicate_property", field="properties", name=name)
        cleaned[name] = validate.text("properties.value", text, max_length=PROPERTY_VALUE_MAX, required=False, name=name)
    return cleaned


async def _refuse_taken_name(organization_id: int, name: str, own_id: int | None) -> None:
    same = SharedEnvironment.filter(organization_id=organization_id, name__iexact=name)
    if own_id is not None:
        same = same.exclude(id=own_id)
    if await same.exists():
        raise Conflict("environment_exists", field="name", name=name)


async def _schedule(power_schedule_id: int | None, organization_id: int) -> PowerSchedule | None:
    if power_schedule_id is None:
        return None
    schedule = await PowerSchedule.get_or_none(id=power_schedule_id, organization_id=organization_id)
    if schedule is None:
        raise NotFound("env_schedule_not_found", power_schedule_id=power_schedule_id)
    return schedule
