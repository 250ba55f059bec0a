"""Console sign-in: by password (throttled), by a one-time link the bot sends, or by Slack's verified email."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.clock import utcnow
from core.db import transaction
from core.errors import InvalidInput, NotFound
from core.models import Credential, Member
from core.services import passwords, slack_links, throttle, tokens

SIGN_IN_LINK_LIFETIME = timedelta(minutes=5)
MAX_EMAIL = 255  # no member has a longer one (and the database would refuse to compare it)


async def sign_in(*, email: str, password: str, address: str, now: datetime | None = None) -> Member:
    """The member whose email and password these are.

    Raises: Conflict (sign_in_throttled), InvalidInput (sign_in_failed, on the password field).
    """
    now = now or utcnow()
    account = throttle.account_key(email)
    keys = {account: throttle.ACCOUNT_LIMIT, throttle.address_key(address): throttle.ADDRESS_LIMIT}
    await throttle.refuse_locked(list(keys), now)
    email = (email or "").strip().lower()
    found = [] if len(email) > MAX_EMAIL else await (
        Credential.filter(member__email=email, member__organization__is_demo=False)
        .order_by("member_id").values_list("member_id", "password_hash"))
    for member_id, password_hash in found or [(None, None)]:
        if await passwords.matches(password_hash, password):
            await throttle.clear(account)
            return await Member.get(id=member_id)
    await throttle.record_failure(keys, now)
    raise InvalidInput("sign_in_failed", field="password")


async def issue_sign_in_link(*, member_id: int, now: datetime | None = None) -> str:
    """A token for a one-time sign-in link (valid SIGN_IN_LINK_LIFETIME) for the member asking for it.

    Raises: NotFound (member).
    """
    if not await Member.exists(id=member_id):
        raise NotFound("member_not_found", member_id=member_id)
    async with transaction():
        return await tokens.issue(member_id=member_id, purpose=tokens.SIGN_IN, lifetime=SIGN_IN_LINK_LIFETIME,
                                  now=now or utcnow())


async def redeem_sign_in_link(*, token: str, now: datetime | None = None) -> Member:
    """The member a sign-in link was issued to; the link works once.

    Raises: NotFound (sign_in_link_invalid: unknown, used or expired).
    """
    async with transaction():
        row = await tokens.use(token, tokens.SIGN_IN, now or utcnow(), code="sign_in_link_invalid")
        return await Member.get(id=row.member_id)


async def sign_in_with_slack(*, email: str | None, email_verified: bool, team_id: str = "") -> Member:
    """The member with the email Slack verified; in the organization the workspace works for when there is one.

    Raises: InvalidInput (slack_sign_in_unverified), NotFound (slack_sign_in_no_member).
    """
    email = (email or "").strip().lower()
    if not email or not email_verified or len(email) > MAX_EMAIL:
        raise InvalidInput("slack_sign_in_unverified")
    members = Member.filter(email=email, organization__is_demo=False)
    org = await slack_links.workspace_organization(team_id) if team_id else None
    member = await (members.filter(organization_id=org.id) if org else members).order_by("id").first()
    if member is None:
        raise NotFound("slack_sign_in_no_member", email=email)
    return member
