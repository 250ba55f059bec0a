"""Shared environments: the `envs` list, one environment's details with booking actions, and the Book modal."""

from __future__ import annotations

from datetime import datetime

from bot import ids
from bot.links import Console
from bot.views.common import (Message, actions, button, confirm, console_footer, context, escape, header,
                              input_block, link, micros, modal, option, plain, section, when)
from core.queries.environments import EnvironmentDetail, EnvironmentRow
from core.queries.paging import Page
from core.rules.bookings import EnvStatus

STATUS_ICONS = {EnvStatus.IN_USE: ":red_circle:", EnvStatus.AVAILABLE: ":large_green_circle:",
                EnvStatus.UNAVAILABLE: ":white_circle:"}
DESCRIPTION_SHOWN = 1000  # a section holds 3000 characters
DURATIONS = {"1h": "1 hour", "2h": "2 hours", "4h": "4 hours", "8h": "8 hours", "1d": "1 day", "3d": "3 days",
             "7d": "1 week"}


def status_line(card: EnvironmentRow) -> str:
    line = f"{STATUS_ICONS[card.status]} {card.status.value.capitalize()}"
    if card.current is not None:
        line += f" — {escape(card.current.person)} until {when(card.current.ends_at)}"
    if card.next is not None:
        line += f"\nNext: {escape(card.next.person)} from {when(card.next.starts_at)}"
    return line


def env_list(page: Page[EnvironmentRow], *, filter_text: str, console: Console) -> Message:
    """One page of environments with status, current and next booking, and Book / Details buttons."""
    cards, offset = page.rows, page.offset
    title = f"Shared environments matching “{filter_text}”" if filter_text else "Shared environments"
    if not cards and offset == 0:
        text = f"No shared environments match “{filter_text}”." if filter_text else "There are no shared environments yet."
        return Message(text, [section(escape(text)), console_footer(console.environments(), "All environments")])
    blocks = [header(title)]
    for card in cards:
        blocks.append(section(f"*{link(console.environment(card.id), card.name)}*  `{escape(card.resource_type)}` · "
                              f"{escape(card.pool_name)}\n{status_line(card)}"))
        buttons = [button("Details", ids.ENV_DETAILS, card.id)]
        if card.can_book:
            buttons.insert(0, button("Book", ids.ENV_BOOK, card.id, style="primary"))
        blocks.append(actions(*buttons, block_id=f"env:{card.id}"))
    if page.has_more:
        blocks.append(actions(button("More", ids.ENV_PAGE, f"{offset + len(cards)}:{filter_text}")))
    blocks.append(console_footer(console.environments(), "All environments"))
    return Message(title, blocks)


def env_detail(card: EnvironmentDetail, *, console: Console, notice: str = "") -> Message:
    """An environment's properties, bookings and waitlist with Book, Release, Extend, Delete and the two ways
    of joining the waitlist: to be told when it is free, or to be given it."""
    blocks = [header(card.name)]
    if notice:
        blocks.append(section(f":white_check_mark: {notice}"))
    about = f"`{escape(card.resource_type)}` · {escape(card.pool_name)}\n{status_line(card)}"
    if card.description:
        about += f"\n{escape(card.description[:DESCRIPTION_SHOWN])}"
    blocks.append(section(about))
    if card.properties:
        blocks.append(context(*(f"*{escape(k)}*: {escape(v)}" for k, v in card.properties[:10])))
    if card.current is not None:
        b = card.current
        blocks.append(section(f"*In use* by {escape(b.person)} since {when(b.starts_at)} until {when(b.ends_at)}"))
        buttons = [button("Release", ids.BOOKING_RELEASE, f"{b.id}:{card.id}", style="danger")] if b.can_release else []
        if b.can_extend:
            buttons += [*(button(f"Extend {label}", ids.booking_extend(code), f"{b.id}:{card.id}:{micros(b.ends_at)}")
                          for code, label in (("1h", "1 hour"), ("1d", "1 day"))),
                        button("Extend to…", ids.BOOKING_EXTEND_TO, f"{b.id}:{card.id}:{micros(b.ends_at)}")]
        if b.can_delete:
            buttons.append(button("Delete", ids.BOOKING_DELETE, f"{b.id}:{card.id}", confirm=confirm(
                "Delete booking?", "The booking disappears from the calendar.", "Delete")))
        if buttons:
            blocks.append(actions(*buttons, block_id=f"booking:{b.id}"))
    for b in card.upcoming:
        delete = button("Delete", ids.BOOKING_DELETE, f"{b.id}:{card.id}",
                        confirm=confirm("Delete booking?", "It will not happen.", "Delete"))
        blocks.append(section(f"{escape(b.person)}: {when(b.starts_at)} → {when(b.ends_at)}",
                              accessory=delete if b.can_delete else None))
    waiting = f"{card.waiting} waiting" if card.waiting else "Nobody waiting"
    blocks.append(context(waiting))
    buttons = [button("Tell me when free", ids.WAITLIST_JOIN, card.id),
               button("Give it to me when free…", ids.WAITLIST_ACQUIRE, card.id)]
    if card.can_book:
        buttons.insert(0, button("Book", ids.ENV_BOOK, card.id, style="primary"))
    blocks.append(actions(*buttons, block_id=f"env:{card.id}"))
    blocks.append(console_footer(console.environment(card.id)))
    return Message(f"{card.name}: {card.status.value}", blocks)


def book_modal(*, env_name: str, timezone: str, metadata: str, for_others: bool = False) -> dict:
    """Start (empty = now), end or duration (empty = open-ended), all in the person's Slack time zone; managers
    of the environment also pick whom it is for."""
    hint = f"In your Slack time zone, {timezone}."
    blocks = [
        section(f"Book *{escape(env_name)}*. Leave the start empty to start now; leave the end and the duration "
                "empty to keep it until you release it."),
        input_block(ids.START_DATE, "Start date", {"type": "datepicker", "action_id": ids.START_DATE}, optional=True),
        input_block(ids.START_TIME, "Start time", {"type": "timepicker", "action_id": ids.START_TIME},
                    optional=True, hint=hint),
        input_block(ids.END_DATE, "End date", {"type": "datepicker", "action_id": ids.END_DATE}, optional=True),
        input_block(ids.END_TIME, "End time", {"type": "timepicker", "action_id": ids.END_TIME}, optional=True,
                    hint=hint),
        input_block(ids.DURATION, "Or for", {"type": "static_select", "action_id": ids.DURATION,
                                             "placeholder": plain("Pick a duration"),
                                             "options": [option(label, code) for code, label in DURATIONS.items()]},
                    optional=True),
        input_block(ids.NOTE, "Note", {"type": "plain_text_input", "action_id": ids.NOTE, "max_length": 1000},
                    optional=True),
    ]
    if for_others:
        blocks.insert(1, input_block(ids.FOR_USER, "For", {"type": "users_select", "action_id": ids.FOR_USER,
                                                           "placeholder": plain("Yourself")},
                                     optional=True, hint="You manage this environment, so you can book it for "
                                                         "someone else. Leave it empty to book it for yourself."))
    return modal(ids.BOOK_VIEW, f"Book {env_name}", blocks, submit="Book", metadata=metadata)


def extend_modal(*, env_name: str, ends_at: datetime, local_end: datetime, timezone: str, metadata: str) -> dict:
    """A new end date and time in the person's Slack time zone, starting from the booking's current end."""
    hint = f"In your Slack time zone, {timezone}."
    blocks = [section(f"Keep *{escape(env_name)}* until a later time. It now ends {when(ends_at)}."),
              input_block(ids.END_DATE, "New end date", {"type": "datepicker", "action_id": ids.END_DATE,
                                                         "initial_date": local_end.date().isoformat()}),
              input_block(ids.END_TIME, "New end time", {"type": "timepicker", "action_id": ids.END_TIME,
                                                         "initial_time": local_end.strftime("%H:%M")}, hint=hint)]
    return modal(ids.EXTEND_VIEW, "Extend booking", blocks, submit="Extend", metadata=metadata)


def waitlist_modal(*, env_name: str, lengths: list[int], max_minutes: int | None, metadata: str) -> dict:
    """'Give it to me when it is free': for how long; required when the environment has a maximum length."""
    if max_minutes is None:
        optional, hint = True, "Leave it empty to keep it until you release it."
    else:
        optional, hint = False, f"It can be booked for at most {length_label(max_minutes)} at a time."
    blocks = [section(f"When *{escape(env_name)}* is free, I book it for you from that moment and tell you."),
              input_block(ids.DURATION, "For how long", {
                  "type": "static_select", "action_id": ids.DURATION, "placeholder": plain("Pick a length"),
                  "options": [option(length_label(minutes), str(minutes)) for minutes in lengths]},
                          optional=optional, hint=hint)]
    return modal(ids.WAITLIST_VIEW, "Wait for it", blocks, submit="Join waitlist", metadata=metadata)


def length_label(minutes: int) -> str:
    """90 -> "90 minutes", 120 -> "2 hours", 1440 -> "1 day"."""
    unit, size = next((unit, size) for unit, size in (("day", 1440), ("hour", 60), ("minute", 1))
                      if minutes % size == 0)
    count = minutes // size
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
