"""Environment buttons: Details, paging, Book (modal, for someone else by managers), Release, Extend (presets
or a modal), Delete, and the waitlist (tell me, or give it to me for how long)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp

from bot import forms, ids
from bot.errors import guarded
from bot.identity import acting, current_timezone, member_of
from bot.reply import answer, origin
from bot.screens.envs import env_page, envs_page
from bot.views.common import escape, from_micros, when
from bot.views.envs import book_modal, extend_modal, length_label, waitlist_modal
from core.clock import utcnow
from core.models import Member
from core.queries.environments import EnvironmentDetail, environment_detail
from core.services import bookings, slack_links, waitlist


async def _environment(member: Member, environment_id: int) -> EnvironmentDetail:
    return await environment_detail(organization_id=member.organization_id, environment_id=environment_id,
                                    member_id=member.id, upcoming=0)


async def on_details(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    await answer(body, client, await env_page(member, forms.number(action["value"]), console=context["console"]))


async def on_page(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    offset, _, filter_text = action["value"].partition(":")
    page = await envs_page(member, console=context["console"], filter_text=filter_text, offset=forms.number(offset))
    await answer(body, client, page, replace=True)


async def on_book(ack, body, action, context, client) -> None:
    """The Book modal; who manages the environment may also book it for someone else."""
    await ack()
    member = await acting(context, client)
    env = await _environment(member, forms.number(action["value"]))
    view = book_modal(env_name=env.name, timezone=await current_timezone(context, client),
                      metadata=origin(body, environment_id=env.id), for_others=env.can_manage)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_book_submit(ack, body, view, context, client) -> None:
    meta, member, now = forms.metadata(view), await acting(context, client), utcnow()
    zone = await slack_links.slack_timezone(team_id=context.team_id, slack_user_id=context.user_id)
    values = forms.submitted(view)
    starts, ends = forms.booking_window(values, zone, now)
    holder = member
    if values.get(ids.FOR_USER):
        holder = await member_of(context, client, str(values[ids.FOR_USER]), member.organization_id)
    booking = await bookings.create_booking(actor_id=member.id, environment_id=meta["environment_id"], starts_at=starts,
                                            ends_at=ends, member_id=holder.id, note=str(values.get(ids.NOTE) or ""),
                                            now=now)
    await ack()
    whom = "" if holder.id == member.id else f" for {escape(holder.label)}"
    notice = f"Booked{whom} from {when(booking.starts_at)} until {when(booking.ends_at)}."
    page = await env_page(member, booking.environment_id, console=context["console"], notice=notice)
    await answer(body, client, page, replace=True)


async def on_release(ack, body, action, context, client) -> None:
    await ack()
    member, (booking_id, env_id) = await acting(context, client), forms.numbers(action["value"], 2)
    await bookings.release_booking(actor_id=member.id, booking_id=booking_id)
    await answer(body, client, await env_page(member, env_id, console=context["console"], notice="Released."),
                 replace=True)


async def on_extend(ack, body, action, context, client) -> None:
    await ack()
    member, (booking_id, env_id, ends) = await acting(context, client), forms.numbers(action["value"], 3)
    delta = ids.EXTEND_DELTAS[ids.BOOKING_EXTEND.match(action["action_id"]).group(1)]
    new_end = from_micros(ends) + delta
    await bookings.extend_booking(actor_id=member.id, booking_id=booking_id, ends_at=new_end)
    page = await env_page(member, env_id, console=context["console"], notice=f"Extended until {when(new_end)}.")
    await answer(body, client, page, replace=True)


async def on_extend_to(ack, body, action, context, client) -> None:
    """The Extend modal: a new end in the person's time zone, starting from the current end."""
    await ack()
    member, (booking_id, env_id, ends) = await acting(context, client), forms.numbers(action["value"], 3)
    env = await _environment(member, env_id)
    zone = await current_timezone(context, client)
    ends_at = from_micros(ends)
    view = extend_modal(env_name=env.name, ends_at=ends_at, local_end=ends_at.astimezone(ZoneInfo(zone)),
                        timezone=zone, metadata=origin(body, booking_id=booking_id, environment_id=env.id))
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_extend_submit(ack, body, view, context, client) -> None:
    meta, member = forms.metadata(view), await acting(context, client)
    zone = await slack_links.slack_timezone(team_id=context.team_id, slack_user_id=context.user_id)
    booking = await bookings.extend_booking(actor_id=member.id, booking_id=meta["booking_id"],
                                            ends_at=forms.custom_end(forms.submitted(view), zone))
    await ack()
    page = await env_page(member, meta["environment_id"], console=context["console"],
                          notice=f"Extended until {when(booking.ends_at)}.")
    await answer(body, client, page, replace=True)


async def on_delete(ack, body, action, context, client) -> None:
    await ack()
    member, (booking_id, env_id) = await acting(context, client), forms.numbers(action["value"], 2)
    await bookings.delete_booking(actor_id=member.id, booking_id=booking_id)
    await answer(body, client, await env_page(member, env_id, console=context["console"], notice="Booking deleted."),
                 replace=True)


async def on_join_waitlist(ack, body, action, context, client) -> None:
    """'Tell me when it is free'."""
    await ack()
    member, env_id = await acting(context, client), forms.number(action["value"])
    await waitlist.join_waitlist(actor_id=member.id, environment_id=env_id, acquire=False)
    notice = "You are on the waitlist; I will tell you when it is free."
    await answer(body, client, await env_page(member, env_id, console=context["console"], notice=notice), replace=True)


async def on_acquire(ack, body, action, context, client) -> None:
    """'Give it to me when it is free': a modal asking for how long."""
    await ack()
    member = await acting(context, client)
    env = await _environment(member, forms.number(action["value"]))
    view = waitlist_modal(env_name=env.name, lengths=forms.wait_lengths(env.max_booking_minutes),
                          max_minutes=env.max_booking_minutes, metadata=origin(body, environment_id=env.id))
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_acquire_submit(ack, body, view, context, client) -> None:
    meta, member = forms.metadata(view), await acting(context, client)
    minutes = forms.submitted(view).get(ids.DURATION)
    entry = await waitlist.join_waitlist(actor_id=member.id, environment_id=meta["environment_id"], acquire=True,
                                         duration_minutes=minutes or None)
    await ack()
    length = f"for {length_label(entry.duration_minutes)}" if entry.duration_minutes else "until you release it"
    notice = f"You are on the waitlist; when it is free I will book it for you {length} and tell you."
    page = await env_page(member, meta["environment_id"], console=context["console"], notice=notice)
    await answer(body, client, page, replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.ENV_DETAILS)(guarded(on_details))
    app.action(ids.ENV_PAGE)(guarded(on_page))
    app.action(ids.ENV_BOOK)(guarded(on_book))
    app.view(ids.BOOK_VIEW)(guarded(on_book_submit))
    app.action(ids.BOOKING_RELEASE)(guarded(on_release))
    app.action(ids.BOOKING_EXTEND)(guarded(on_extend))
    app.action(ids.BOOKING_EXTEND_TO)(guarded(on_extend_to))
    app.view(ids.EXTEND_VIEW)(guarded(on_extend_submit))
    app.action(ids.BOOKING_DELETE)(guarded(on_delete))
    app.action(ids.WAITLIST_JOIN)(guarded(on_join_waitlist))
    app.action(ids.WAITLIST_ACQUIRE)(guarded(on_acquire))
    app.view(ids.WAITLIST_VIEW)(guarded(on_acquire_submit))
