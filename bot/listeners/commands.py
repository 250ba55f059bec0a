"""`/cloudtuner <cmd>`, the same words as a direct message, and the command buttons of the App Home."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot import commands, ids
from bot.errors import guarded
from bot.reply import answer


async def is_direct_message(event: dict) -> bool:
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


async def on_slash_command(ack, body, command, context, client) -> None:
    await ack()
    await answer(body, client, await commands.run(command.get("text"), context, client))


async def on_direct_message(body, event, context, client) -> None:
    await answer(body, client, await commands.run(event.get("text"), context, client))


async def on_command_button(ack, body, action, context, client) -> None:
    """`run_command:<name>`; the value, if any, is the command's argument (such as a pool for resources)."""
    await ack()
    name = action["action_id"].partition(":")[2]
    await answer(body, client, await commands.run(f"{name} {action.get('value') or ''}", context, client))


def register(app: AsyncApp) -> None:
    app.command(ids.COMMAND)(guarded(on_slash_command))
    app.event("message", matchers=[is_direct_message])(guarded(on_direct_message))
    app.action(ids.RUN_COMMAND)(guarded(on_command_button))
