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

from bot import ids
from bot.reply import tell
from core.errors import CoreError

log = logging.getLogger("cloudtuner.bot")

FIELD_OF = {  # error code -> the inputs it may be about, in the order to try
    "slack_end_and_duration": (ids.DURATION,), "slack_duration_invalid": (ids.DURATION,),
    "booking_ends_before_start": (ids.END_DATE,), "booking_too_long": (ids.END_DATE,),
    "booking_open_ended_not_allowed": (ids.END_DATE,), "booking_in_past": (ids.START_DATE,),
    "booking_overlaps": (ids.START_DATE,), "booking_time_without_zone": (ids.START_DATE,),
    "ttl_in_past": (ids.TTL_DATE,), "ttl_not_a_time": (ids.TTL_DATE,),
    "not_a_whole_number": (ids.LIMIT, ids.THRESHOLD), "value_out_of_range": (ids.LIMIT, ids.THRESHOLD),
    "not_an_amount": (ids.THRESHOLD,), "threshold_not_positive": (ids.THRESHOLD,),
    "percentage_alert_needs_limit": (ids.THRESHOLD_TYPE,), "alert_needs_target": (ids.CHANNEL,),
    "invalid_slack_channel": (ids.CHANNEL,), "pool_not_found": (ids.POOL,), "not_pool_manager": (ids.POOL,),
    "booking_for_others_needs_manager": (ids.FOR_USER,), "slack_person_not_a_member": (ids.FOR_USER,),
    "member_not_found": (ids.FOR_USER,), "extend_not_later": (ids.END_DATE,),
    "waitlist_duration_required": (ids.DURATION,),
}
TIME_FIELDS = {"Start": ids.START_TIME, "End": ids.END_TIME, "TTL": ids.TTL_TIME}


def describe(error: Exception) -> str:
    """The person's text; an unexpected error is logged with a reference they can quote."""
    if isinstance(error, CoreError):
        return str(error)
    ref = secrets.token_hex(4)
    log.error("Slack request failed (ref %s)", ref, exc_info=error)
    return f"Something went wrong (ref {ref}). Please try again; if it keeps happening, give this ref to your admin."


def field_for(error: Exception, view: dict) -> str:
    """The input block an error is about, else the modal's first input."""
    inputs = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    if isinstance(error, CoreError):
        time_field = TIME_FIELDS.get(error.params.get("field")) if error.code == "slack_time_incomplete" else None
        wanted = (time_field,) if time_field else FIELD_OF.get(error.code, ())
        found = next((block for block in wanted if block in inputs), None)
        if found is not None:
            return found
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
    after the ack with a 3-second wait and a 404)."""
    wanted = inspect.getfullargspec(listener).args

    async def run(ack, body, client, context, action, command, event, view) -> None:
        given = {"ack": ack, "body": body, "client": client, "context": context, "action": action,
                 "command": command, "event": event, "view": view}
        try:
            await listener(**{name: given[name] for name in wanted})
        except Exception as error:
            await handle(error, body=body, ack=ack, client=client)

    run.__name__ = listener.__name__
    return run
