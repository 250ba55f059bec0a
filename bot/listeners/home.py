"""The App Home tab: a dashboard, or how to get linked."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.errors import guarded
from bot.identity import acting
from bot.screens.home import dashboard
from bot.views.home import home_unlinked
from core.errors import CoreError


async def is_home_tab(event: dict) -> bool:
    return event.get("tab") == "home"


async def on_home_opened(event, context, client) -> None:
    try:
        view = await dashboard(await acting(context, client), console=context["console"])
    except CoreError as refusal:
        view = home_unlinked(text=str(refusal), console=context["console"])
    await client.views_publish(user_id=event["user"], view=view)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened", matchers=[is_home_tab])(guarded(on_home_opened))
