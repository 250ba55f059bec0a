"""The waitlist of a shared environment: "tell me when it is free" and "give it to me when it is free".

Anyone may join the waitlist of an active environment, even one that is free right now: the entry
waits for the next time a booking ends. The scheduler calls `next_waitlist_turn` when a booking of
the environment ends; each call serves at most the oldest open entry, so it calls again while the
outcome is NOTIFY (the environment is still free) and stops at EMPTY, BUSY or ACQUIRED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core import validate
from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict, InvalidInput, NotFound
from core.models import Booking, SharedEnvironment, WaitlistEntry
from core.permissions import load_actor
from core.rules import bookings as rules
from core.services.environments import load_environment

WAITLIST_NOTE = "Given from the waitlist."


class TurnOutcome(str, Enum):
    EMPTY = "empty"
    BUSY = "busy"
    NOTIFY = "notify"
    ACQUIRED = "acquired"


@dataclass
class WaitlistTurn:
    """What next_waitlist_turn did: the served entry and, for ACQUIRED, the booking it made."""

    outcome: TurnOutcome
    entry: WaitlistEntry | None = None
    booking: Booking | None = None


async def join_waitlist(*, actor_id: int, environment_id: int, acquire: bool,
                        duration_minutes: int | None = None) -> WaitlistEntry:
    """Wait for an environment; with acquire it is booked for the actor when it frees up.

    duration_minutes is the wanted booking length (acquire only); it is required when the
    environment has a maximum booking length, otherwise leaving it out books open-ended.
    Raises: NotFound, Conflict (inactive, already waiting), InvalidInput (length).
    """
    actor = await load_actor(actor_id)
    async with transaction():
        env = await load_environment(environment_id, actor.organization_id)
        if not env.active:
            raise Conflict("environment_inactive", environment=env.name)
        duration = _duration(env, bool(acquire), duration_minutes)
        if await WaitlistEntry.exists(environment_id=env.id, member_id=actor.id, done_at=None):
            raise Conflict("already_on_waitlist", environment=env.name)
        try:
            return await WaitlistEntry.create(environment=env, member=actor, acquire=bool(acquire),
                                              duration_minutes=duration)
        except IntegrityError:  # a concurrent join won the waitlist_open_once index
            raise Conflict("already_on_waitlist", environment=env.name) from None


async def leave_waitlist(*, actor_id: int, environment_id: int) -> None:
    """Leave the waitlist of an environment.

    Raises: NotFound (environment, not waiting).
    """
    actor = await load_actor(actor_id)
    async with transaction():
        env = await load_environment(environment_id, actor.organization_id)
        deleted = await WaitlistEntry.filter(environment_id=env.id, member_id=actor.id, done_at=None).delete()
        if not deleted:
            raise NotFound("not_on_waitlist", environment=env.name)


async def next_waitlist_turn(environment_id: int, *, now: datetime | None = None) -> WaitlistTurn:
    """Serve the oldest open entry if the environment is active and free now (system use, no actor).

    An acquiring entry gets a booking from now for its length, capped by the environment's maximum
    and by the next booking; a notifying entry is closed and returned for the message.
    Raises: NotFound (environment).
    """
    now = now or utcnow()
    try:
        async with transaction():
            env = await SharedEnvironment.get_or_none(id=environment_id)
            if env is None:
                raise NotFound("environment_not_found", environment_id=environment_id)
            bookings = await Booking.filter(environment_id=env.id).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            current, upcoming = rules.current_and_next(bookings, now)
            if not env.active or current is not None:
                return WaitlistTurn(TurnOutcome.BUSY)
            entry = await (WaitlistEntry.filter(environment_id=env.id, done_at=None)
                           .select_related("member").order_by("created_at", "id").first())
            if entry is None:
                return WaitlistTurn(TurnOutcome.EMPTY)
            entry.done_at = now
            await entry.save(update_fields=["done_at"])
            if not entry.acquire:
                return WaitlistTurn(TurnOutcome.NOTIFY, entry)
            ends_at = rules.waitlist_end(now, duration_minutes=entry.duration_minutes, max_minutes=env.max_booking_minutes,
                                         next_start=upcoming.starts_at if upcoming else None)
            booking = await Booking.create(environment=env, member_id=entry.member_id, created_by_id=entry.member_id,
                                           starts_at=now, ends_at=ends_at, note=WAITLIST_NOTE)
            return WaitlistTurn(TurnOutcome.ACQUIRED, entry, booking)
    except IntegrityError as exc:
        if not rules.is_overlap_violation(exc):
            raise
        return WaitlistTurn(TurnOutcome.BUSY)


def _duration(env: SharedEnvironment, acquire: bool, duration_minutes: int | None) -> int | None:
    if duration_minutes is None:
        if acquire and env.max_booking_minutes is not None:
            raise InvalidInput("waitlist_duration_required", field="duration_minutes", environment=env.name, max_minutes=env.max_booking_minutes)
        return None
    if not acquire:
        raise InvalidInput("waitlist_duration_without_acquire", field="duration_minutes")
    return validate.whole_number("duration_minutes", duration_minutes, minimum=1,
                                 maximum=env.max_booking_minutes or rules.MAX_BOOKING_MINUTES)
