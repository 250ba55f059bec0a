"""Reading modal submissions: the values Slack sends, and local dates and times in the person's time zone."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot import ids
from core.errors import InvalidInput

DURATIONS = {"1h": timedelta(hours=1), "2h": timedelta(hours=2), "4h": timedelta(hours=4),
             "8h": timedelta(hours=8), "1d": timedelta(days=1), "3d": timedelta(days=3), "7d": timedelta(days=7)}
_VALUE_KEYS = ("selected_date", "selected_time", "selected_conversation", "selected_channel", "selected_user",
               "value")


def submitted(view: dict) -> dict[str, object]:
    """action id -> the plain value of each input: text, date, time, user, option value, or a list for checkboxes."""
    found: dict[str, object] = {}
    for block in ((view.get("state") or {}).get("values") or {}).values():
        for action_id, state in block.items():
            found[action_id] = _plain(state)
    return found


def _plain(state: dict) -> object:
    if state.get("type") == "checkboxes":
        return [o["value"] for o in state.get("selected_options") or []]
    if "selected_option" in state:
        return (state["selected_option"] or {}).get("value")
    return next((state[key] for key in _VALUE_KEYS if key in state), None)


class _Kept(dict):
    """A modal's private_metadata; a key the bot always writes but that is missing means someone else wrote it."""

    def __missing__(self, key: str) -> object:
        raise InvalidInput("slack_value_unexpected", value=key)


def number(value: object) -> int:
    """A whole number the bot put into a button value, a select option or a modal's metadata.

    Raises: InvalidInput (slack_value_unexpected: not a number, so the bot did not send it).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else ""
    if not (text.isascii() and text.removeprefix("-").isdigit()):
        raise InvalidInput("slack_value_unexpected", value=str(value)[:40])
    return int(text)


def numbers(value: object, count: int) -> list[int]:
    """`count` whole numbers joined by colons in one button value."""
    parts = value.split(":") if isinstance(value, str) else []
    if len(parts) != count:
        raise InvalidInput("slack_value_unexpected", value=str(value)[:40])
    return [number(part) for part in parts]


def metadata(view: dict) -> dict[str, object]:
    """A modal's private_metadata as the bot wrote it (see bot.reply.origin), its ids as numbers.

    Raises: InvalidInput (slack_value_unexpected: not the bot's).
    """
    try:
        kept = json.loads(view.get("private_metadata") or "")
    except ValueError:
        kept = None
    if not isinstance(kept, dict):
        raise InvalidInput("slack_value_unexpected", value=str(view.get("private_metadata"))[:40])
    return _Kept({key: number(value) if key.endswith("_id") else value for key, value in kept.items()})


def local_moment(day: object, clock: object, zone: str, *, field: str) -> datetime | None:
    """A date and a time picked in the person's time zone, in UTC; None when both are empty.

    A time that does not exist locally (a DST gap) moves forward by the gap, like the scheduler does.
    """
    if not day and not clock:
        return None
    if not day or not clock:
        raise InvalidInput("slack_time_incomplete", field=field)
    local = datetime.combine(datetime.strptime(str(day), "%Y-%m-%d").date(), time.fromisoformat(str(clock)))
    aware = local.replace(tzinfo=ZoneInfo(zone))
    return aware.astimezone(timezone.utc)


def booking_window(values: dict[str, object], zone: str, now: datetime) -> tuple[datetime, datetime | None]:
    """Start (empty = now) and end (an end time, or start + a duration, or None = open-ended)."""
    starts = local_moment(values.get(ids.START_DATE), values.get(ids.START_TIME), zone, field="starts_at") or now
    ends = local_moment(values.get(ids.END_DATE), values.get(ids.END_TIME), zone, field="ends_at")
    duration = values.get(ids.DURATION)
    if duration:
        if ends is not None:
            raise InvalidInput("slack_end_and_duration", field="duration")
        if duration not in DURATIONS:
            raise InvalidInput("slack_duration_invalid", field="duration", value=duration)
        ends = starts + DURATIONS[duration]
    return starts, ends


def custom_ttl(values: dict[str, object], zone: str) -> datetime:
    """The TTL picked in the custom TTL modal, in UTC."""
    return _required_moment(values, ids.TTL_DATE, ids.TTL_TIME, zone, field="until")


def custom_end(values: dict[str, object], zone: str) -> datetime:
    """The new end picked in the Extend modal, in UTC."""
    return _required_moment(values, ids.END_DATE, ids.END_TIME, zone, field="ends_at")


def _required_moment(values: dict[str, object], day: str, clock: str, zone: str, *, field: str) -> datetime:
    moment = local_moment(values.get(day), values.get(clock), zone, field=field)
    if moment is None:
        raise InvalidInput("slack_time_incomplete", field=field)
    return moment


def wait_lengths(max_minutes: int | None) -> list[int]:
    """Booking lengths in minutes to offer when waiting for an environment: the Book modal's durations up to
    the environment's maximum, and the maximum itself."""
    offered = [int(length / timedelta(minutes=1)) for length in DURATIONS.values()]
    if max_minutes is None:
        return offered
    return sorted({minutes for minutes in offered if minutes < max_minutes} | {max_minutes})
