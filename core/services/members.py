"""Removing a member: their resources keep their pool and lose their owner; upcoming bookings are cancelled."""

from __future__ import annotations

from datetime import datetime

from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict
from core.models import Booking, Member, Organization, Role
from core.permissions import load_actor, require_org_manager
from core.events import BookingCancelledMemberRemoved
from core.events.record import record
from core.services import lookup


async def remove_member(*, actor_id: int, member_id: int, now: datetime | None = None) -> Member:
    """Remove a member from the actor's organization; org managers get a notice per cancelled booking.

    Raises: PermissionDenied, NotFound, Conflict (cannot_remove_self, last_org_manager).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    now = now or utcnow()
    async with transaction():
        member = await lookup.member(member_id, actor.organization_id)
        if member.id == actor.id:
            raise Conflict("cannot_remove_self")
        if member.role == Role.ORG_MANAGER and await Member.filter(
                organization_id=actor.organization_id, role=Role.ORG_MANAGER).count() == 1:
            raise Conflict("last_org_manager")
        upcoming = await (Booking.filter(member_id=member.id, starts_at__gt=now)
                          .select_related("environment").order_by("starts_at"))
        org = await Organization.get(id=actor.organization_id)
        for booking in upcoming:
            await record(BookingCancelledMemberRemoved(
                environment_id=booking.environment_id, environment=booking.environment.name, member=member.label,
                removed_member_id=member.id, organization=org.name), organization_id=org.id, now=now,
                key=f"booking_cancelled:{booking.id}")
        await Booking.filter(created_by_id=member.id).exclude(member_id=member.id).update(created_by_id=actor.id)
        await member.delete()
    return member
