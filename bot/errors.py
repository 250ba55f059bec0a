"""What a person sees when something fails: the catalog's text for core errors, a reference for the rest.

Raised in a modal submission before its ack, the text goes next to the field it is about and the modal
stays open with what was typed; otherwise it is a short note only the person sees. Every listener runs
`guarded`, so Slack always gets its ack.
"""

from __future__ import annotations

import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot import deliveries, ids
from bot.reply import tell
from core import db
from core.errors import CoreError
from core.messages import render

log = logging.getLogger("cloudtuner.bot")

INPUT_OF = {  # the argument key an error names (core.messages.fields) -> the modal input that takes it
    "starts_at": ids.START_DATE, "ends_at": ids.END_DATE, "duration": ids.DURATION,
    "duration_minutes": ids.DURATION, "note": ids.NOTE, "member_id": ids.FOR_USER, "until": ids.TTL_DATE,
    "amount": ids.LIMIT, "pool_id": ids.POOL, "based_on": ids.BASED_ON, "threshold": ids.THRESHOLD,
    "threshold_type": ids.THRESHOLD_TYPE, "channels": ids.CHANNEL,
}


def describe(error: Exception) -> str:
    """The person's text; an unexpected error is logged with a reference they can quote."""
    if isinstance(error, CoreError):
        return str(error)
    if db.unavailable(error):
        log.warning("Slack request failed: the database is not answering (%s)", type(error).__name__)
        return render("database_unavailable")
    ref = secrets.token_hex(4)
    log.error("Slack request failed (ref %s)", ref, exc_info=error)
    return f"Something went wrong (ref {ref}). Please try again; if it keeps happening, give this ref to your admin."


def field_for(error: Exception, view: dict) -> str:
    """The input block taking the argument an error names, else the modal's first input."""
    inputs = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input" and b.get("block_id")]
    wanted = INPUT_OF.get(error.params.get("field")) if isinstance(error, CoreError) else None
    if wanted in inputs:
        return wanted
    return inputs[0] if inputs else ""


async def handle(error: Exception, *, body: dict, ack: AsyncAck, client: AsyncWebClient) -> None:
    """Acknowledge if the listener had not (field errors for a modal), then tell the person."""
    text = describe(error)
    if ack.response is None:
        view = body.get("view") or {}
        if body.get("type") == "view_submission" and field_for(error, view):
            await ack(response_action="errors", errors={field_for(error, view): text})
            return
        if body.get("type") == "block_suggestion":
            await ack(options=[])
        else:
            await ack()
    try:
        await tell(body, client, text)
    except Exception:  # telling must never hide the original failure
        log.exception("could not show an error to the Slack user")


def guarded(listener: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """The listener, with every failure handled here rather than by Bolt's runner (which answers a failure
    after the ack with a 3-second wait and a 404); a retried event (already acknowledged) is dropped."""
    wanted = inspect.getfullargspec(listener).args

    async def run(ack, body, client, context, action, command, event, view) -> None:
        given = {"ack": ack, "body": body, "client": client, "context": context, "action": action,
                 "command": command, "event": event, "view": view}
        try:
            if await deliveries.seen_before(body):
                return
            await listener(**{name: given[name] for name in wanted})
        except Exception as error:
            await handle(error, body=body, ack=ack, client=client)

    run.__name__ = listener.__name__
    return run
