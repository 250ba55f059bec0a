"""Where a notification goes in Slack: the organization's workspace token and a member's Slack user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.crypto import SecretBox
from core.models.slack import SlackInstallation, SlackUserLink, SlackWorkspace


async def team_of(organization_id: int) -> str | None:
    """The Slack workspace (team id) bound to the organization, if any."""
    return await SlackWorkspace.filter(organization_id=organization_id).order_by("id").first().values_list(
        "team_id", flat=True)


async def slack_user_for(organization_id: int, member_id: int) -> str | None:
    """The member's Slack user id in the organization's workspace (their DM channel for the bot)."""
    team = await team_of(organization_id)
    links = SlackUserLink.filter(member_id=member_id).select_related("slack_user").order_by("id")
    if team is not None:
        links = links.filter(slack_user__team_id=team)
    link = await links.first()
    return link.slack_user.slack_user_id if link else None


def token_lookup(box: SecretBox, fixed_token: str = "") -> Callable[[int], Awaitable[str | None]]:
    """A lookup of the bot token per organization: a configured single-workspace token, else the
    installation of the organization's workspace (its sealed token opened with the secret box)."""

    async def token_for(organization_id: int) -> str | None:
        if fixed_token:
            return fixed_token
        team = await team_of(organization_id)
        if team is None:
            return None
        sealed = await SlackInstallation.filter(team_id=team).order_by("-installed_at").first().values_list(
            "bot_token", flat=True)
        return box.open(sealed) if sealed else None

    return token_for
