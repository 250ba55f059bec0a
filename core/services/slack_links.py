"""Who a Slack person is: the workspace's organization, their members (by verified email or a one-time
link code from a manager) and the one they act as when they belong to several organizations.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import utcnow
from core.crypto import SecretBox
from core.db import transaction
from core.errors import Conflict, InvalidInput, NotFound
from core.models import (Member, Organization, Role, SlackLinkAttempt, SlackLinkCode, SlackUser, SlackUserLink,
                         SlackWorkspace)
from core.permissions import load_actor, require_org_manager
from core.services import lookup

LINK_CODE_LIFETIME = timedelta(hours=24)
WRONG_CODES_ALLOWED = 5  # per Slack person within WRONG_CODE_WINDOW
WRONG_CODE_WINDOW = timedelta(hours=1)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_TEAM = re.compile(r"^T[A-Z0-9]{2,31}$")


@dataclass(frozen=True)
class Link:
    """One organization a Slack person belongs to, as the member they are there."""

    member: Member
    organization: Organization
    active: bool


def team_id_of(value: str) -> str:
    """A Slack workspace id such as T0123ABCD."""
    cleaned = (value or "").strip().upper()
    if not _TEAM.match(cleaned):
        raise InvalidInput("slack_team_id_invalid", field="team_id", value=value)
    return cleaned


async def bind_workspace(*, team_id: str, organization_id: int, team_name: str = "") -> SlackWorkspace:
    """Make a workspace work for an organization (replacing an earlier binding); for install and operators.

    Raises: InvalidInput (team id), NotFound (organization).
    """
    team_id = team_id_of(team_id)
    async with transaction():
        if not await Organization.exists(id=organization_id):
            raise NotFound("organization_not_found", name=organization_id)
        workspace, _ = await SlackWorkspace.update_or_create(
            team_id=team_id, defaults={"organization_id": organization_id, "team_name": team_name.strip()[:255]})
    return workspace


async def bind_workspace_by_name(*, team_id: str, organization: str) -> SlackWorkspace:
    """bind_workspace for an organization given by name (the CLI).

    Raises: InvalidInput (team id), NotFound (organization).
    """
    org = await Organization.get_or_none(name=organization.strip())
    if org is None:
        raise NotFound("organization_not_found", name=organization)
    return await bind_workspace(team_id=team_id, organization_id=org.id)


async def bind_for_installer(*, team_id: str, email: str | None, email_verified: bool, team_name: str = "",
                             organization_id: int | None = None) -> Organization | None:
    """At install: bind the workspace to the one organization whose org manager installed it (verified email),
    optionally the one the install link named; None when that is not exactly one, so an operator binds it.

    Raises: InvalidInput (team id).
    """
    if not email or not email_verified:
        return None
    managers = Member.filter(email=email.strip().lower(), role=Role.ORG_MANAGER)
    if organization_id is not None:
        managers = managers.filter(organization_id=organization_id)
    found = set(await managers.values_list("organization_id", flat=True))
    if len(found) != 1:
        return None
    workspace = await bind_workspace(team_id=team_id, organization_id=found.pop(), team_name=team_name)
    return await workspace.organization


async def workspace_organization(team_id: str) -> Organization | None:
    workspace = await SlackWorkspace.get_or_none(team_id=team_id).select_related("organization")
    return workspace.organization if workspace else None


async def acting_member(*, team_id: str, slack_user_id: str) -> Member | None:
    """The member a Slack person acts as: the one they chose, else their earliest link; None when unlinked."""
    person = await SlackUser.get_or_none(team_id=team_id, slack_user_id=slack_user_id)
    if person is None:
        return None
    if person.active_member_id is not None:
        return await Member.get_or_none(id=person.active_member_id)
    link = await SlackUserLink.filter(slack_user_id=person.id).order_by("id").select_related("member").first()
    return link.member if link else None


async def link_by_email(*, team_id: str, slack_user_id: str, email: str | None, email_verified: bool,
                        timezone: str = "UTC") -> Member:
    """Link a Slack person to the member of the workspace's organization with their verified email.

    Raises: Conflict (workspace not bound), InvalidInput (no email, unverified), NotFound (no such member).
    """
    org = await workspace_organization(team_id)
    if org is None:
        raise Conflict("slack_workspace_unbound", team_id=team_id)
    email = (email or "").strip().lower()
    if not email:
        raise InvalidInput("slack_email_missing")
    if not email_verified:
        raise InvalidInput("slack_email_unverified", email=email)
    member = await Member.get_or_none(organization_id=org.id, email=email)
    if member is None:
        raise NotFound("slack_no_member", email=email, organization=org.name)
    async with transaction():
        await _link(team_id, slack_user_id, member, timezone)
    return member


async def issue_link_code(*, actor_id: int, box: SecretBox, member_id: int | None = None, email: str | None = None,
                          now: datetime | None = None) -> str:
    """A one-time code (valid 24 hours) that links whoever sends it to the bot to the member (by id or email).

    Raises: PermissionDenied (not an org manager), NotFound (member).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    if email is not None:
        member = await Member.get_or_none(email=email.strip().lower(), organization_id=actor.organization_id)
        if member is None:
            raise NotFound("link_code_no_member", email=email.strip())
    else:
        member = await lookup.member(member_id, actor.organization_id)
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    async with transaction():
        await SlackLinkCode.create(code_hash=_digest(box, code), member=member, created_by=actor,
                                   expires_at=(now or utcnow()) + LINK_CODE_LIFETIME)
    return f"{code[:4]}-{code[4:]}"


async def redeem_link_code(*, team_id: str, slack_user_id: str, code: str, box: SecretBox, timezone: str = "UTC",
                           now: datetime | None = None) -> Member:
    """Link a Slack person to the member a code was issued for, and make that member the active one.
    After WRONG_CODES_ALLOWED wrong codes within WRONG_CODE_WINDOW the person must wait, whichever process asks.

    Raises: NotFound (code unknown, used or expired), Conflict (too many wrong codes).
    """
    now = now or utcnow()
    person = {"team_id": team_id, "slack_user_id": slack_user_id}
    async with transaction():
        await SlackLinkAttempt.filter(**person, attempted_at__lte=now - WRONG_CODE_WINDOW).delete()
        wrong = await SlackLinkAttempt.filter(**person).order_by("attempted_at").values_list("attempted_at", flat=True)
        if len(wrong) >= WRONG_CODES_ALLOWED:
            wait = wrong[-WRONG_CODES_ALLOWED] + WRONG_CODE_WINDOW - now
            raise Conflict("link_code_attempts_exceeded", minutes=max(1, -(-int(wait.total_seconds()) // 60)))
        row = await SlackLinkCode.select_for_update().get_or_none(code_hash=_digest(box, code))
        if row is None or row.used_at is not None or row.expires_at <= now:
            await SlackLinkAttempt.create(**person, attempted_at=now)
            member = None
        else:
            row.used_at = now
            await row.save(update_fields=["used_at"])
            member = await Member.get(id=row.member_id)
            linked = await _link(team_id, slack_user_id, member, timezone)
            linked.active_member_id = member.id
            await linked.save(update_fields=["active_member_id"])
    if member is None:  # raised after the transaction, so the wrong attempt stays counted
        raise NotFound("link_code_invalid")
    return member


async def links_of(*, team_id: str, slack_user_id: str) -> list[Link]:
    """The organizations a Slack person belongs to, by name, with the active one marked."""
    active = await acting_member(team_id=team_id, slack_user_id=slack_user_id)
    links = await (SlackUserLink.filter(slack_user__team_id=team_id, slack_user__slack_user_id=slack_user_id)
                   .select_related("member__organization"))
    found = [Link(link.member, link.member.organization, active is not None and link.member_id == active.id)
             for link in links]
    return sorted(found, key=lambda link: (link.organization.name.lower(), link.organization.id))


async def choose_organization(*, team_id: str, slack_user_id: str, organization_id: int) -> Member:
    """Act as one's member in another organization from now on.

    Raises: NotFound (not linked to a member of that organization).
    """
    async with transaction():
        link = await SlackUserLink.get_or_none(
            slack_user__team_id=team_id, slack_user__slack_user_id=slack_user_id,
            member__organization_id=organization_id).select_related("slack_user", "member")
        if link is None:
            raise NotFound("slack_not_a_member_of", organization_id=organization_id)
        link.slack_user.active_member_id = link.member_id
        await link.slack_user.save(update_fields=["active_member_id"])
    return link.member


async def slack_timezone(*, team_id: str, slack_user_id: str) -> str:
    """The IANA time zone Slack last reported for the person; UTC when unknown."""
    person = await SlackUser.get_or_none(team_id=team_id, slack_user_id=slack_user_id)
    return person.timezone if person else "UTC"


async def remember_timezone(*, team_id: str, slack_user_id: str, timezone: str) -> None:
    await SlackUser.filter(team_id=team_id, slack_user_id=slack_user_id).update(timezone=_zone(timezone))


async def _link(team_id: str, slack_user_id: str, member: Member, timezone: str) -> SlackUser:
    """The Slack person (created on first contact) now linked to the member; call inside a transaction."""
    person, _ = await SlackUser.get_or_create(team_id=team_id, slack_user_id=slack_user_id,
                                              defaults={"timezone": _zone(timezone)})
    await SlackUserLink.get_or_create(slack_user=person, member=member)
    return person


def _zone(value: str | None) -> str:
    """Slack's time zone name when this system knows it, else UTC (never an error: it is not user input)."""
    try:
        ZoneInfo(value or "")
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return value


def _digest(box: SecretBox, code: str) -> str:
    return box.digest("slack-link-code:" + re.sub(r"[^A-Z0-9]", "", (code or "").upper()))


async def bind_workspace_for(*, actor_id: int, team_id: str, team_name: str = "") -> SlackWorkspace:
    """bind_workspace for the actor's own organization, from the console's Slack page (org managers).

    Raises: PermissionDenied, InvalidInput (team id).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    return await bind_workspace(team_id=team_id, organization_id=actor.organization_id, team_name=team_name)
