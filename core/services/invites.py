"""Inviting people into an organization: a member row plus a one-time link on which they set a password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict
from core.models import Credential, Member, Organization
from core.permissions import load_actor, require_org_manager
from core.services import lookup, orgs, passwords, tokens

INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class Invite:
    """What the accept page shows: who is invited where, as what."""

    member: Member
    organization: Organization


async def invite(*, actor_id: int, email: str, role: str, name: str = "", now: datetime | None = None) -> tuple[Member, str]:
    """Add a member and make an invite token (valid INVITE_LIFETIME) for their link.

    Raises: PermissionDenied (not an org manager), InvalidInput (email, role), Conflict (already a member).
    """
    async with transaction():
        member = await orgs.add_member(actor_id=actor_id, email=email, name=name, role=role)
        token = await tokens.issue(member_id=member.id, purpose=tokens.INVITE, lifetime=INVITE_LIFETIME,
                                   now=now or utcnow(), created_by_id=actor_id)
    return member, token


async def reissue(*, actor_id: int, member_id: int, now: datetime | None = None) -> tuple[Member, str]:
    """A new invite link for a member who has not set a password yet (the old link stops working).

    Raises: PermissionDenied, NotFound, Conflict (invite_not_pending).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    now = now or utcnow()
    async with transaction():
        member = await lookup.member(member_id, actor.organization_id)
        if await Credential.exists(member_id=member.id):
            raise Conflict("invite_not_pending", member=member.label)
        await member.one_time_tokens.filter(purpose=tokens.INVITE, used_at__isnull=True).update(used_at=now)
        token = await tokens.issue(member_id=member.id, purpose=tokens.INVITE, lifetime=INVITE_LIFETIME,
                                   now=now, created_by_id=actor.id)
    return member, token


async def pending(*, token: str, now: datetime | None = None) -> Invite:
    """The invite behind a link, while it can still be accepted.

    Raises: NotFound (invite_invalid: unknown, used or expired).
    """
    row = await tokens.valid(token, tokens.INVITE, now or utcnow(), code="invite_invalid")
    member = await Member.get(id=row.member_id).select_related("organization")
    return Invite(member=member, organization=member.organization)


async def accept(*, token: str, password: str, name: str = "", now: datetime | None = None) -> Member:
    """Set the invited member's password (and name), once; they are signed in afterwards.

    Raises: NotFound (invite_invalid), InvalidInput (password too short/long).
    """
    password_hash = await passwords.hashed(password)
    async with transaction():
        row = await tokens.use(token, tokens.INVITE, now or utcnow(), code="invite_invalid")
        member = await Member.get(id=row.member_id)
        if name.strip():
            member.name = name.strip()[:255]
            await member.save(update_fields=["name"])
        await passwords.store(member.id, password_hash)
    return member
