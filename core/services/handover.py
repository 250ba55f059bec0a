"""When a booking begins or ends: its event, and for an end the waitlist turns it causes.

Used by the time-based check (core.services.checks) and by the release use case (core.services.bookings):
a booking's start and each of its ends are claimed once (keyed by the booking and the moment), so
whichever of them comes first records it and the other records nothing.
"""

from __future__ import annotations

from datetime import datetime, timezone

from core.db import transaction
from core.events import BookingEnded, BookingReleased, BookingStarted, WaitlistTurn
from core.events.record import record
from core.events.routing import Router
from core.models import Booking, SharedEnvironment
from core.services.outbox import claim_notice
from core.services.waitlist import TurnOutcome, next_waitlist_turn


def about(booking: Booking) -> dict:
    """The fields every booking event carries (environment and member loaded)."""
    env = booking.environment
    return {"booking_id": booking.id, "environment_id": env.id, "environment": env.name, "pool_id": env.pool_id,
            "member_id": booking.member_id, "person": booking.member.label, "starts_at": booking.starts_at,
            "ends_at": booking.ends_at}


async def booking_started(booking: Booking, *, router: Router, now: datetime) -> int:
    """Record that the booking began (once per booking and start); 1 when it was new."""
    return await record(BookingStarted(**about(booking)), organization_id=router.organization_id, now=now,
                        router=router, key=f"booking:{booking.id}:start:{_iso(booking.starts_at)}")


async def booking_ended(booking: Booking, *, router: Router, now: datetime, released: bool = False) -> int:
    """Record the end (a release when a person ended it) once per booking and end, and serve the waitlist
    of the environment it frees, in one transaction; 1 when it was new."""
    async with transaction():
        if not await claim_notice(organization_id=router.organization_id, now=now,
                                  key=f"booking:{booking.id}:end:{_iso(booking.ends_at)}"):
            return 0
        ended = BookingReleased if released else BookingEnded
        await record(ended(**about(booking)), organization_id=router.organization_id, now=now, router=router)
        await _serve_waitlist(booking.environment, router, now)
    return 1


async def _serve_waitlist(env: SharedEnvironment, router: Router, now: datetime) -> None:
    """Tell waiting members in turn while the environment stays free; hand it to the first who asked for it."""
    while True:
        turn = await next_waitlist_turn(env.id, now=now)
        if turn.outcome not in (TurnOutcome.NOTIFY, TurnOutcome.ACQUIRED):
            return
        given = turn.booking
        event = WaitlistTurn(env.id, env.name, turn.entry.member_id, acquired=given is not None,
                             starts_at=given.starts_at if given else None, ends_at=given.ends_at if given else None)
        await record(event, organization_id=router.organization_id, now=now, router=router,
                     key=f"waitlist:{turn.entry.id}")
        if given is not None:
            given.member = turn.entry.member
            given.environment = env
            await booking_started(given, router=router, now=now)
            return


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()
