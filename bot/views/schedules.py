"""Power schedules of the organization: when they start and stop things, and how many resources they drive."""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.views.common import Message, console_footer, context, escape, header, link, section, when
from core.queries.paging import Page
from core.queries.schedules import ScheduleRow

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MODES = {"start_and_stop": "starts and stops", "stop_only": "stops only", "start_only": "starts only"}


def days(weekdays: list[int]) -> str:
    """Weekday numbers (Monday = 0) as ranges: [0, 1, 2, 3, 4] -> Mon–Fri."""
    ordered = sorted(set(weekdays))
    runs: list[list[int]] = []
    for day in ordered:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}–{DAYS[r[-1]]}" for r in runs)


def schedule_list(page: Page[ScheduleRow], *, console: Console) -> Message:
    """The first page of schedules; how many more there are, in the console."""
    blocks = [header("Power schedules")]
    if not page.rows:
        blocks.append(section("No power schedules yet."))
    for card in page.rows:
        periods = "; ".join(f"{days(p['weekdays'])} {p['start']}–{p['stop']}" for p in card.periods)
        state = MODES.get(card.mode, card.mode) if card.enabled else "disabled"
        blocks.append(section(f"*{link(console.schedule(card.id), card.name)}* · {escape(card.timezone)} · {state}\n"
                              f"{periods or 'no periods'} · {card.resources} resource(s)"))
    if page.has_more:
        blocks.append(context(f"…and {page.total - page.offset - len(page.rows)} more in the console."))
    blocks.append(console_footer(console.schedules(), "Schedules in the console"))
    return Message(f"{page.total} power schedule(s)", blocks)


def override_notice(*, resource_id: int, resource: str, until: datetime, skipped: bool, console: Console) -> Message:
    """What replaces a pre-stop warning once someone snoozed or skipped the stop."""
    name = link(console.resource(resource_id), resource)
    text = (f":white_check_mark: Tonight's stop of {name} is skipped; it keeps running until the stop after that."
            if skipped else f":white_check_mark: {name} keeps running until {when(until)}.")
    return Message(text, [section(text), console_footer(console.resource(resource_id))])
