"""Inviting people into an organization: a member row plus a one-time link on which they set a password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict
from core.models import Credential, Member, Organization, SlackUserLink, SlackWorkspace
from core.permissions import load_actor, require_org_manager
from core.events import MemberInvited
from core.events.record import record
from core.services import lookup, orgs, passwords, tokens

INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class Invite:
    """What the accept page shows: who is invited where, as what."""

    member: Member
    organization: Organization


async def invite(*, actor_id: int, email: str, role: str, name: str = "",
                 now: datetime | None = None) -> tuple[Member, str, bool]:
    """Add a member and make an invite token (valid INVITE_LIFETIME) for their link. When the bot already knows
    the person (someone in the organization's Slack workspace is linked to a member with this email), they are
    linked to the new member too and get a Slack message through the outbox; the third value says so.

    Raises: PermissionDenied (not an org manager), InvalidInput (email, role), Conflict (already a member).
    """
    now = now or utcnow()
    async with transaction():
        member = await orgs.add_member(actor_id=actor_id, email=email, name=name, role=role)
        token = await tokens.issue(member_id=member.id, purpose=tokens.INVITE, lifetime=INVITE_LIFETIME,
                                   now=now, created_by_id=actor_id)
        told = await _tell_in_slack(member, now)
    return member, token, told


async def _tell_in_slack(member: Member, now: datetime) -> bool:
    """Link the person the bot knows by this email to the new member and message them; call in a transaction."""
    teams = SlackWorkspace.filter(organization_id=member.organization_id).values_list("team_id", flat=True)
    known = await (SlackUserLink.filter(member__email=member.email, slack_user__team_id__in=await teams)
                   .exclude(member_id=member.id).order_by("id").first())
    if known is None:
        return False
    await SlackUserLink.get_or_create(slack_user_id=known.slack_user_id, member_id=member.id)
    org = await Organization.get(id=member.organization_id)
    await record(MemberInvited(member_id=member.id, organization=org.name, role=member.role.value.replace("_", " ")),
                 organization_id=org.id, now=now, key=f"member_invited:{member.id}")
    return True


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
