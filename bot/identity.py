"""Who is asking: the member a Slack person acts as, linked by their verified Slack email on first contact."""

from __future__ import annotations

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from core.models import Member
from core.services import slack_links


async def acting(context: AsyncBoltContext, client: AsyncWebClient) -> Member:
    """The member to act as; on first contact, link by the email Slack verified (users.info).

    Raises: Conflict (workspace not bound), InvalidInput (no or unverified email), NotFound (no such member).
    """
    member = await slack_links.acting_member(team_id=context.team_id, slack_user_id=context.user_id)
    if member is not None:
        return member
    user = (await client.users_info(user=context.user_id))["user"]
    return await slack_links.link_by_email(
        team_id=context.team_id, slack_user_id=context.user_id, email=(user.get("profile") or {}).get("email"),
        email_verified=bool(user.get("is_email_confirmed")), timezone=user.get("tz") or "UTC")


async def current_timezone(context: AsyncBoltContext, client: AsyncWebClient) -> str:
    """The person's Slack time zone as Slack says now (people travel), remembered for later."""
    user = (await client.users_info(user=context.user_id))["user"]
    await slack_links.remember_timezone(team_id=context.team_id, slack_user_id=context.user_id,
                                        timezone=user.get("tz") or "UTC")
    return await slack_links.slack_timezone(team_id=context.team_id, slack_user_id=context.user_id)
