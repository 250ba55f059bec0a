"""Who is asking: the member a Slack person acts as, linked by their verified Slack email on first contact;
and who a person picked in a form is. When Slack will not say (a missing scope, a refused token), the
person is told what the Slack admin must fix."""

from __future__ import annotations

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.errors import Conflict, NotFound
from core.models import Member, SlackUserLink
from core.services import slack_links

EMAIL_SCOPE = "users:read.email"
TOKEN_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


async def acting(context: AsyncBoltContext, client: AsyncWebClient) -> Member:
    """The member to act as; on first contact, link by the email Slack verified (users.info).

    Raises: Conflict (workspace not bound, Slack refused), InvalidInput (no or unverified email),
    NotFound (no such member).
    """
    member = await slack_links.acting_member(team_id=context.team_id, slack_user_id=context.user_id)
    if member is not None:
        return member
    user = await slack_user(client, context.user_id, needs_email=True)
    return await slack_links.link_by_email(
        team_id=context.team_id, slack_user_id=context.user_id, email=(user.get("profile") or {}).get("email"),
        email_verified=bool(user.get("is_email_confirmed")), timezone=user.get("tz") or "UTC")


async def current_timezone(context: AsyncBoltContext, client: AsyncWebClient) -> str:
    """The person's Slack time zone as Slack says now (people travel), remembered for later.

    Raises: Conflict (Slack refused).
    """
    user = await slack_user(client, context.user_id)
    await slack_links.remember_timezone(team_id=context.team_id, slack_user_id=context.user_id,
                                        timezone=user.get("tz") or "UTC")
    return await slack_links.slack_timezone(team_id=context.team_id, slack_user_id=context.user_id)


async def member_of(context: AsyncBoltContext, client: AsyncWebClient, slack_user_id: str,
                    organization_id: int) -> Member:
    """The member of the organization a Slack person picked in a form is: the one they are linked to there,
    else the one with their verified Slack email.

    Raises: NotFound (no such member), Conflict (Slack refused).
    """
    link = await (SlackUserLink.filter(slack_user__team_id=context.team_id, slack_user__slack_user_id=slack_user_id,
                                       member__organization_id=organization_id).select_related("member").first())
    if link is not None:
        return link.member
    user = await slack_user(client, slack_user_id, needs_email=True)
    email = (user.get("profile") or {}).get("email")
    member = None
    if email and user.get("is_email_confirmed"):
        member = await Member.get_or_none(organization_id=organization_id, email=email.strip().lower())
    if member is None:
        raise NotFound("slack_person_not_a_member", field="member_id", person=user.get("real_name") or user.get("name") or slack_user_id)
    return member


async def slack_user(client: AsyncWebClient, slack_user_id: str, *, needs_email: bool = False,
                     token: str | None = None) -> dict:
    """users.info's user (with the client's token, or `token`); with needs_email, a token without the email
    scope is refused rather than read as a person without an email.

    Raises: Conflict (slack_scope_missing, slack_token_refused, slack_lookup_failed).
    """
    try:
        response = await client.users_info(user=slack_user_id, **({"token": token} if token else {}))
    except SlackApiError as error:
        code = error.response.get("error") or "unknown_error"
        if code == "missing_scope":
            raise Conflict("slack_scope_missing", scope=error.response.get("needed") or "users:read") from None
        if code in TOKEN_ERRORS:
            raise Conflict("slack_token_refused", error=code) from None
        raise Conflict("slack_lookup_failed", error=code) from None
    granted = (response.headers or {}).get("x-oauth-scopes")
    if needs_email and granted is not None and EMAIL_SCOPE not in granted.replace(" ", "").split(","):
        raise Conflict("slack_scope_missing", scope=EMAIL_SCOPE)
    return response["user"]
