"""org → Choose: act in another organization one belongs to."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot import forms, ids
from bot.errors import guarded
from bot.identity import acting
from bot.reply import answer
from bot.screens.lists import org_page
from bot.views.common import escape
from core.services import slack_links


async def on_choose(ack, body, action, context, client) -> None:
    await ack()
    await acting(context, client)  # links on first contact, like every other action
    member = await slack_links.choose_organization(team_id=context.team_id, slack_user_id=context.user_id,
                                                   organization_id=forms.number(action["value"]))
    notice = f"You now act in {escape((await member.organization).name)}."
    page = await org_page(context.team_id, context.user_id, console=context["console"], notice=notice)
    await answer(body, client, page, replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.ORG_CHOOSE)(guarded(on_choose))
