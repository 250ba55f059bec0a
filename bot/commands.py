"""The text commands, shared by the slash command, direct messages and the App Home buttons."""

from __future__ import annotations

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.identity import acting
from bot.links import Console
from bot.screens.envs import envs_page
from bot.screens.lists import alerts_page, org_page, schedules_page
from bot.screens.resources import resources_page
from bot.views.common import Message, escape
from bot.views.help import help_message, link_code_message, sign_in_link_message
from core.services import auth, slack_links

ALIASES = {"resource": "resources", "res": "resources", "env": "envs", "environments": "envs", "orgs": "org",
           "organization": "org", "organizations": "org", "alert": "alerts", "schedule": "schedules"}
KNOWN = ("resources", "envs", "org", "alerts", "schedules", "help", "link", "code", "console")


def parse(text: str | None) -> tuple[str, str]:
    """(command, argument); an empty text is `help`."""
    words = (text or "").strip().split(maxsplit=1)
    if not words:
        return "help", ""
    name = words[0].lower()
    return ALIASES.get(name, name), words[1].strip() if len(words) > 1 else ""


async def run(text: str | None, context: AsyncBoltContext, client: AsyncWebClient) -> Message:
    """The answer to a command; unknown commands get help. Raises: CoreError (not linked, bad code...)."""
    console: Console = context["console"]
    name, arg = parse(text)
    if name not in KNOWN or name == "help":
        return help_message(console=console, unknown="" if name == "help" else (text or "").strip())
    if name == "link":
        member = await slack_links.redeem_link_code(team_id=context.team_id, slack_user_id=context.user_id, code=arg,
                                                    box=context["box"])
        notice = escape(f"Linked: you are {member.label} in {(await member.organization).name}.")
        return await org_page(context.team_id, context.user_id, console=console, notice=notice)
    member = await acting(context, client)
    if name == "code":
        code = await slack_links.issue_link_code(actor_id=member.id, email=arg, box=context["box"])
        return link_code_message(code, arg)
    if name == "console":
        token = await auth.issue_sign_in_link(member_id=member.id)
        return sign_in_link_message(console.sign_in(token), int(auth.SIGN_IN_LINK_LIFETIME.total_seconds() // 60))
    if name == "resources":
        return await resources_page(member, console=console, pool=arg)
    if name == "envs":
        return await envs_page(member, console=console, filter_text=arg)
    if name == "alerts":
        return await alerts_page(member, console=console)
    if name == "schedules":
        return await schedules_page(member, console=console)
    return await org_page(context.team_id, context.user_id, console=console)
