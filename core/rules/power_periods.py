"""Power-schedule input: periods (weekdays + start/stop at minute precision) and local dates, checked.

A period runs from `start` to `stop` on each of its weekdays (Monday=0); a stop earlier than the
start runs overnight into the next day and still belongs to the day it started on. Periods may
touch (one stops when the next starts) but not overlap, so the week has one clear on/off pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from core.errors import InvalidInput

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES


@dataclass(frozen=True)
class Period:
    """Weekdays (sorted, Monday=0) on which the resource runs from `start` to `stop` local time."""

    weekdays: tuple[int, ...]
    start: time
    stop: time

    @property
    def overnight(self) -> bool:
        return self.stop < self.start

    def to_json(self) -> dict:
        return {"weekdays": list(self.weekdays), "start": self.start.strftime("%H:%M"),
                "stop": self.stop.strftime("%H:%M")}

    def week_spans(self) -> list[tuple[int, int]]:
        """[start, end) in minutes since Monday 00:00, one per weekday; may run past the week's end."""
        begin = self.start.hour * 60 + self.start.minute
        length = (self.stop.hour * 60 + self.stop.minute - begin) % DAY_MINUTES
        return [(day * DAY_MINUTES + begin, day * DAY_MINUTES + begin + length) for day in self.weekdays]


def parse_periods(raw: object) -> tuple[Period, ...]:
    """Periods from [{"weekdays": [...], "start": "HH:MM", "stop": "HH:MM"}, ...]; at least one."""
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Iterable):
        raise InvalidInput("schedule_needs_period", field="periods")
    periods = tuple(_period(number, item) for number, item in enumerate(raw, start=1))
    if not periods:
        raise InvalidInput("schedule_needs_period", field="periods")
    _require_no_overlap(periods)
    return periods


def _period(number: int, item: object) -> Period:
    if not isinstance(item, Mapping):
        raise InvalidInput("period_invalid", field="periods", period=number)
    start = _time(number, "start", item.get("start"))
    stop = _time(number, "stop", item.get("stop"))
    if start == stop:
        raise InvalidInput("period_start_equals_stop", field="periods", period=number, time=start.strftime("%H:%M"))
    return Period(weekdays=_weekdays(number, item.get("weekdays")), start=start, stop=stop)


def _weekdays(number: int, raw: object) -> tuple[int, ...]:
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        raise InvalidInput("period_needs_weekday", field="periods", period=number)
    days = set()
    for value in raw:
        day = _weekday(value)
        if day is None:
            raise InvalidInput("period_weekday_invalid", field="periods", period=number, value=value)
        days.add(day)
    if not days:
        raise InvalidInput("period_needs_weekday", field="periods", period=number)
    return tuple(sorted(days))


def _weekday(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= 6 else None


def _time(number: int, which: str, value: object) -> time:
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInput("period_time_invalid", field="periods", period=number, which=which, value=value)
    return time(int(match[1]), int(match[2]))


def _require_no_overlap(periods: tuple[Period, ...]) -> None:
    spans = [(number, span) for number, p in enumerate(periods, start=1) for span in p.week_spans()]
    for i, (first, (a_start, a_end)) in enumerate(spans):
        for second, (b_start, b_end) in spans[i + 1:]:
            for shift in (-WEEK_MINUTES, 0, WEEK_MINUTES):
                if a_start < b_end + shift and b_start + shift < a_end:
                    raise InvalidInput("periods_overlap", field="periods", first=first, second=second)


def parse_date(field: str, value: object) -> date | None:
    """A local date from a date or "YYYY-MM-DD"; None or "" means no date."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput("schedule_date_invalid", field=field, value=value)


def parse_skip_dates(values: object) -> tuple[date, ...]:
    """Holidays as sorted distinct local dates."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInput("schedule_date_invalid", field="skip_dates", value=values)
    days = {parse_date("skip_dates", value) for value in values}
    if None in days:
        raise InvalidInput("schedule_date_invalid", field="skip_dates", value="")
    return tuple(sorted(days))


def check_date_range(start: date | None, end: date | None) -> None:
    """The schedule may end on the day it starts, never before."""
    if start is not None and end is not None and end < start:
        raise InvalidInput("schedule_end_before_start", field="end_date", start=start.isoformat(), end=end.isoformat())
