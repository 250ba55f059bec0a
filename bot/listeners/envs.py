"""Environment buttons: Details, paging, Book (modal), Release, Extend, Delete and Join waitlist."""

from __future__ import annotations

import json

from slack_bolt.async_app import AsyncApp

from bot import forms, ids
from bot.errors import guarded
from bot.identity import acting, current_timezone
from bot.reply import answer, origin
from bot.screens.envs import env_page, envs_page
from bot.views.common import from_micros, when
from bot.views.envs import book_modal
from core.clock import utcnow
from core.services import bookings, slack_links, waitlist
from core.services.environments import load_environment


def _ids(value: str) -> list[int]:
    return [int(part) for part in value.split(":")]


async def on_details(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    await answer(body, client, await env_page(member, int(action["value"]), console=context["console"]))


async def on_page(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    offset, _, filter_text = action["value"].partition(":")
    page = await envs_page(member, console=context["console"], filter_text=filter_text, offset=int(offset))
    await answer(body, client, page, replace=True)


async def on_book(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    env = await load_environment(int(action["value"]), member.organization_id)
    view = book_modal(env_name=env.name, timezone=await current_timezone(context, client),
                      metadata=origin(body, environment_id=env.id))
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_book_submit(ack, body, view, context, client) -> None:
    meta, member, now = json.loads(view["private_metadata"]), await acting(context, client), utcnow()
    zone = await slack_links.slack_timezone(team_id=context.team_id, slack_user_id=context.user_id)
    values = forms.submitted(view)
    starts, ends = forms.booking_window(values, zone, now)
    booking = await bookings.create_booking(actor_id=member.id, environment_id=meta["environment_id"], starts_at=starts,
                                            ends_at=ends, note=str(values.get(ids.NOTE) or ""), now=now)
    await ack()
    notice = f"Booked from {when(booking.starts_at)} until {when(booking.ends_at)}."
    page = await env_page(member, booking.environment_id, console=context["console"], notice=notice)
    await answer(body, client, page, replace=True)


async def on_release(ack, body, action, context, client) -> None:
    await ack()
    member, (booking_id, env_id) = await acting(context, client), _ids(action["value"])
    await bookings.release_booking(actor_id=member.id, booking_id=booking_id)
    await answer(body, client, await env_page(member, env_id, console=context["console"], notice="Released."),
                 replace=True)


async def on_extend(ack, body, action, context, client) -> None:
    await ack()
    member, (booking_id, env_id, ends) = await acting(context, client), _ids(action["value"])
    delta = ids.EXTEND_DELTAS[ids.BOOKING_EXTEND.match(action["action_id"]).group(1)]
    new_end = from_micros(ends) + delta
    await bookings.extend_booking(actor_id=member.id, booking_id=booking_id, ends_at=new_end)
    page = await env_page(member, env_id, console=context["console"], notice=f"Extended until {when(new_end)}.")
    await answer(body, client, page, replace=True)


async def on_delete(ack, body, action, context, client) -> None:
    await ack()
    member, (booking_id, env_id) = await acting(context, client), _ids(action["value"])
    await bookings.delete_booking(actor_id=member.id, booking_id=booking_id)
    await answer(body, client, await env_page(member, env_id, console=context["console"], notice="Booking deleted."),
                 replace=True)


async def on_join_waitlist(ack, body, action, context, client) -> None:
    await ack()
    member, env_id = await acting(context, client), int(action["value"])
    await waitlist.join_waitlist(actor_id=member.id, environment_id=env_id, acquire=False)
    notice = "You are on the waitlist; I will tell you when it is free."
    await answer(body, client, await env_page(member, env_id, console=context["console"], notice=notice), replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.ENV_DETAILS)(guarded(on_details))
    app.action(ids.ENV_PAGE)(guarded(on_page))
    app.action(ids.ENV_BOOK)(guarded(on_book))
    app.view(ids.BOOK_VIEW)(guarded(on_book_submit))
    app.action(ids.BOOKING_RELEASE)(guarded(on_release))
    app.action(ids.BOOKING_EXTEND)(guarded(on_extend))
    app.action(ids.BOOKING_DELETE)(guarded(on_delete))
    app.action(ids.WAITLIST_JOIN)(guarded(on_join_waitlist))
