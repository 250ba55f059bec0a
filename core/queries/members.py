"""The members page: people of an organization with their role, managed pools, password and Slack state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.clock import utcnow
from core.models import Booking, Credential, Member, Pool, Resource, SlackUserLink
from core.permissions import load_actor, require_org_manager
from core.services import lookup

PAGE = 50


@dataclass(frozen=True)
class MemberRow:
    member: Member
    pools: list[str]
    has_password: bool
    slack_linked: bool


@dataclass(frozen=True)
class MemberPage:
    rows: list[MemberRow]
    total: int
    pools: list[Pool]


async def members_page(*, actor_id: int, offset: int = 0, limit: int = PAGE) -> MemberPage:
    """One page of the actor's organization's members by email, and the pools one can grant (org managers).

    Raises: PermissionDenied, NotFound (actor).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    query = Member.filter(organization_id=actor.organization_id)
    members = await query.order_by("email", "id").offset(max(0, offset)).limit(limit).prefetch_related("managed_pools")
    ids = [m.id for m in members]
    with_password = set(await Credential.filter(member_id__in=ids).values_list("member_id", flat=True))
    linked = set(await SlackUserLink.filter(member_id__in=ids).values_list("member_id", flat=True))
    rows = [MemberRow(m, sorted(p.name for p in m.managed_pools), m.id in with_password, m.id in linked)
            for m in members]
    pools = await Pool.filter(organization_id=actor.organization_id).order_by("name", "id").limit(500)
    return MemberPage(rows=rows, total=await query.count(), pools=pools)


@dataclass(frozen=True)
class Removal:
    """What removing a member changes: resources that lose their owner, upcoming bookings cancelled."""

    member: Member
    resources: int
    bookings: int


async def removal_preview(*, actor_id: int, member_id: int, now: datetime | None = None) -> Removal:
    """Raises: PermissionDenied, NotFound."""
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    member = await lookup.member(member_id, actor.organization_id)
    return Removal(member=member, resources=await Resource.filter(owner_id=member.id).count(),
                   bookings=await Booking.filter(member_id=member.id, starts_at__gt=now or utcnow()).count())
