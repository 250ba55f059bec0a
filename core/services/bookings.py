"""Bookings of shared environments: book, release, extend, delete; each records its event (core.events).

A release also records the end it makes and serves the environment's waitlist at once
(core.services.handover), so the time-based check does not announce that end again.

"Manager" below means an org manager or a manager of the environment's pool (or a pool above it).
Overlaps are checked inside the transaction for a clear message; on PostgreSQL the exclusion
constraint `booking_no_overlap` also refuses them under concurrent requests, and that refusal is
reported with the same `booking_overlaps` code. On SQLite Tortoise serializes transactions on its
single connection, so the check inside the transaction is enough.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core import validate
from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.events import BookingCreated, BookingDeleted, BookingExtended
from core.events.record import record
from core.events.routing import Router
from core.models import Booking, Member
from core.permissions import load_actor, may_change_booking, may_delete_booking
from core.rules import bookings as rules
from core.services import lookup
from core.services.environments import load_environment, manages_environment
from core.services.handover import about, booking_ended
from core.timefmt import show

NOTE_MAX = 1000


async def create_booking(*, actor_id: int, environment_id: int, starts_at: datetime, ends_at: datetime | None,
                         member_id: int | None = None, note: str = "", now: datetime | None = None) -> Booking:
    """Book an environment for the actor (or, for managers, for another member); ends_at None = open-ended.

    Raises: InvalidInput (times, length, note), NotFound (environment, member),
    PermissionDenied (for someone else or in the past without being a manager), Conflict (inactive, overlap).
    """
    now = now or utcnow()
    starts_at = rules.aware("starts_at", starts_at)
    ends_at = None if ends_at is None else rules.aware("ends_at", ends_at)
    note = validate.text("note", note, max_length=NOTE_MAX, required=False)
    actor = await load_actor(actor_id)
    try:
        async with transaction():
            env = await load_environment(environment_id, actor.organization_id)
            member = await _member(actor, member_id)
            manager = await manages_environment(actor, env)
            if member.id != actor.id and not manager:
                raise PermissionDenied("booking_for_others_needs_manager", field="member_id", pool=env.pool.name, environment=env.name)
            if rules.starts_in_past(starts_at, now) and not manager:
                raise PermissionDenied("booking_in_past", field="starts_at", pool=env.pool.name)
            if not env.active:
                raise Conflict("environment_inactive", environment=env.name)
            rules.check_range(starts_at, ends_at, max_minutes=env.max_booking_minutes)
            await refuse_overlap(env.id, starts_at, ends_at)
            booking = await Booking.create(environment=env, member=member, created_by=actor,
                                           starts_at=starts_at, ends_at=ends_at, note=note)
            await record(BookingCreated(**about(booking)), organization_id=actor.organization_id, now=now)
            return booking
    except IntegrityError as exc:
        await raise_if_overlap(exc, environment_id, starts_at, ends_at)
        raise


async def release_booking(*, actor_id: int, booking_id: int, now: datetime | None = None) -> Booking:
    """End a booking in progress now, so the environment is free again.

    Raises: NotFound, PermissionDenied (neither holder nor manager), Conflict (not started yet, already ended).
    """
    now = now or utcnow()
    actor = await load_actor(actor_id)
    async with transaction():
        booking = await _booking(booking_id, actor.organization_id)
        await _require_holder_or_manager(actor, booking)
        if not rules.has_started(booking, now):
            raise Conflict("booking_not_started", starts=show(booking.starts_at))
        if rules.has_ended(booking, now):
            raise Conflict("booking_already_ended", ends=show(booking.ends_at))
        booking.ends_at = now
        await booking.save(update_fields=["ends_at"])
        await booking_ended(booking, router=Router(actor.organization_id), now=now, released=True)
    return booking


async def extend_booking(*, actor_id: int, booking_id: int, ends_at: datetime | None,
                         now: datetime | None = None) -> Booking:
    """Move a booking's end later (None = open-ended) when nothing overlaps and the maximum allows it.

    Raises: InvalidInput (time, not later, too long), NotFound, PermissionDenied,
    Conflict (already ended, already open-ended, inactive, overlap).
    """
    now = now or utcnow()
    ends_at = None if ends_at is None else rules.aware("ends_at", ends_at)
    actor = await load_actor(actor_id)
    try:
        async with transaction():
            booking = await _booking(booking_id, actor.organization_id)
            env = booking.environment
            await _require_holder_or_manager(actor, booking)
            if booking.ends_at is None:
                raise Conflict("booking_already_open_ended")
            if rules.has_ended(booking, now):
                raise Conflict("booking_already_ended", ends=show(booking.ends_at))
            if ends_at is not None and ends_at <= booking.ends_at:
                raise InvalidInput("extend_not_later", field="ends_at", ends=show(booking.ends_at))
            if not env.active:
                raise Conflict("environment_inactive", environment=env.name)
            rules.check_range(booking.starts_at, ends_at, max_minutes=env.max_booking_minutes)
            previous_end = booking.ends_at
            await refuse_overlap(env.id, previous_end, ends_at)
            booking.ends_at = ends_at
            await booking.save(update_fields=["ends_at"])
            await record(BookingExtended(**about(booking), previous_end=previous_end),
                         organization_id=actor.organization_id, now=now)
            return booking
    except IntegrityError as exc:
        await raise_if_overlap(exc, booking.environment_id, previous_end, ends_at)
        raise


async def delete_booking(*, actor_id: int, booking_id: int, now: datetime | None = None) -> None:
    """Delete a booking: its holder while it has not started, managers always.

    Raises: NotFound, PermissionDenied (not holder or manager; holder of a started booking).
    """
    now = now or utcnow()
    actor = await load_actor(actor_id)
    async with transaction():
        booking = await _booking(booking_id, actor.organization_id)
        holder, manager = booking.member_id == actor.id, await manages_environment(actor, booking.environment)
        if not may_delete_booking(holder=holder, manager=manager, started=rules.has_started(booking, now)):
            if not holder:
                raise PermissionDenied("not_booking_holder_or_manager", pool=booking.environment.pool.name)
            raise PermissionDenied("booking_started", starts=show(booking.starts_at),
                                   pool=booking.environment.pool.name)
        await record(BookingDeleted(**about(booking)), organization_id=actor.organization_id, now=now)
        await booking.delete()


async def refuse_overlap(environment_id: int, starts_at: datetime, ends_at: datetime | None) -> None:
    """Conflict naming the first booking of the environment that shares a moment with [starts_at, ends_at)."""
    query = Booking.filter(environment_id=environment_id).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at))
    if ends_at is not None:
        query = query.filter(starts_at__lt=ends_at)
    clash = await query.select_related("member").order_by("starts_at").first()
    if clash is not None:
        raise Conflict("booking_overlaps", field="starts_at", person=clash.member.label,
                       starts=show(clash.starts_at), ends=show(clash.ends_at))


async def raise_if_overlap(exc: IntegrityError, environment_id: int, starts_at: datetime,
                           ends_at: datetime | None) -> None:
    """Turn PostgreSQL's exclusion refusal into the same Conflict the pre-check raises."""
    if not rules.is_overlap_violation(exc):
        return
    await refuse_overlap(environment_id, starts_at, ends_at)
    raise Conflict("booking_overlaps", field="starts_at", person="someone else", starts=show(starts_at),
                   ends=show(ends_at)) from exc


async def _booking(booking_id: int, organization_id: int) -> Booking:
    booking = await Booking.get_or_none(id=booking_id, environment__organization_id=organization_id).select_related(
        "environment__pool", "member")
    if booking is None:
        raise NotFound("booking_not_found", booking_id=booking_id)
    return booking


async def _member(actor: Member, member_id: int | None) -> Member:
    if member_id is None or member_id == actor.id:
        return actor
    return await lookup.member(member_id, actor.organization_id)


async def _require_holder_or_manager(actor: Member, booking: Booking) -> None:
    manager = await manages_environment(actor, booking.environment)
    if not may_change_booking(holder=booking.member_id == actor.id, manager=manager):
        raise PermissionDenied("not_booking_holder_or_manager", pool=booking.environment.pool.name)
