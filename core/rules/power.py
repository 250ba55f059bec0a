"""Power-schedule transitions: the instants a schedule starts or stops its resources.

The scheduler acts on transitions, never on a desired state: a VM started by hand during off-hours
stays up until the next stop. Wall times are read in the schedule's time zone: a time skipped by a
DST jump fires at the first valid instant after the gap, a time that occurs twice fires once, at its
first occurrence (fold=0). A period occurrence belongs to the local date it starts on: weekdays,
start/end dates and skip dates are checked against that date, so its start and stop come and go
together (Fri 22:00 -> Sat 02:00 is Friday's). A stop and a start at the same instant (touching
periods) cancel out: the resource just keeps running.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from itertools import groupby
from zoneinfo import ZoneInfo

from core.models.enums import OverrideKind, ScheduleMode
from core.rules.power_periods import Period, parse_periods, parse_skip_dates

UTC = timezone.utc
START, STOP = "start", "stop"
WEEK = timedelta(days=7)
_MODE_ACTIONS = {
    ScheduleMode.START_AND_STOP: {START, STOP},
    ScheduleMode.STOP_ONLY: {STOP},
    ScheduleMode.START_ONLY: {START},
}


@dataclass(frozen=True)
class Transition:
    """One action of a schedule: when (UTC and local), what, from which period and period day."""

    at_utc: datetime
    action: str
    local: datetime
    period: int
    day: date


@dataclass(frozen=True)
class Override:
    """Stops before `until` are suppressed; a keep-running override re-issues the stop at `until`."""

    kind: OverrideKind
    until: datetime

    @classmethod
    def from_model(cls, row: object) -> Override:
        return cls(kind=OverrideKind(row.kind), until=row.until)


@dataclass(frozen=True)
class ScheduleSpec:
    """A power schedule as plain values, so the rules never touch the ORM."""

    timezone: str
    periods: tuple[Period, ...]
    mode: ScheduleMode = ScheduleMode.START_AND_STOP
    start_date: date | None = None
    end_date: date | None = None
    skip_dates: frozenset[date] = frozenset()
    enabled: bool = True
    warn_minutes: int = 30

    @classmethod
    def from_model(cls, schedule: object) -> ScheduleSpec:
        """The rules' view of a PowerSchedule row (its JSON fields were checked when saved)."""
        return cls(timezone=schedule.timezone, periods=parse_periods(schedule.periods),
                   mode=ScheduleMode(schedule.mode), start_date=schedule.start_date, end_date=schedule.end_date,
                   skip_dates=frozenset(parse_skip_dates(schedule.skip_dates)), enabled=schedule.enabled,
                   warn_minutes=schedule.warn_minutes)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def runs_on(self, day: date) -> bool:
        """Whether period occurrences starting on this local date count."""
        if self.start_date is not None and day < self.start_date:
            return False
        if self.end_date is not None and day > self.end_date:
            return False
        return day not in self.skip_dates


def transitions_between(spec: ScheduleSpec, start_utc: datetime, end_utc: datetime) -> list[Transition]:
    """The schedule's transitions in (start_utc, end_utc], oldest first; none when it is disabled."""
    if not spec.enabled or end_utc <= start_utc:
        return []
    tz = spec.tz
    day = start_utc.astimezone(tz).date() - timedelta(days=1)
    last = end_utc.astimezone(tz).date()
    found: list[Transition] = []
    while day <= last:
        if spec.runs_on(day):
            for index, period in enumerate(spec.periods):
                if day.weekday() in period.weekdays:
                    found.extend(_occurrence(tz, day, index, period))
        day += timedelta(days=1)
    allowed = _MODE_ACTIONS[spec.mode]
    return [t for t in _net(found) if start_utc < t.at_utc <= end_utc and t.action in allowed]


def with_overrides(spec: ScheduleSpec, overrides: tuple[Override, ...] | list[Override],
                   start_utc: datetime, end_utc: datetime) -> list[Transition]:
    """Transitions in (start_utc, end_utc] once the overrides are applied.

    Any override suppresses the stops before its `until`; a keep-running override also stops the
    resource at its `until` when the schedule's last transition before then was a stop. Past their
    `until` overrides change nothing, so they expire by themselves.
    """
    found = transitions_between(spec, start_utc, end_utc)
    for override in overrides:
        if override.kind == OverrideKind.KEEP_RUNNING_UNTIL and start_utc < override.until <= end_utc:
            previous = _previous(spec, override.until)
            if previous is not None and previous.action == STOP:
                found.append(replace(previous, at_utc=override.until, local=override.until.astimezone(spec.tz)))
    return _net(t for t in found if not _suppressed(t, overrides))


def next_transition(spec: ScheduleSpec, after_utc: datetime, overrides: tuple[Override, ...] = (),
                    action: str | None = None) -> Transition | None:
    """The first transition after `after_utc` (only of `action` when given), overrides applied."""
    low = after_utc
    if spec.start_date is not None:
        low = max(low, _midnight_utc(spec, spec.start_date - timedelta(days=2)))
    horizon = max([low + WEEK * (len(spec.skip_dates) + 2)] + [o.until + WEEK for o in overrides])
    while low < horizon:
        found = [t for t in with_overrides(spec, overrides, low, low + WEEK) if action in (None, t.action)]
        if found:
            return found[0]
        low += WEEK
    return None


def catch_up(spec: ScheduleSpec, last_run_utc: datetime, now_utc: datetime,
             overrides: tuple[Override, ...] = ()) -> Transition | None:
    """The one action owed for (last_run_utc, now_utc]: the latest transition, so a restart acts once."""
    found = with_overrides(spec, overrides, last_run_utc, now_utc)
    return found[-1] if found else None


def warnings_due(spec: ScheduleSpec, window_start: datetime, window_end: datetime,
                 warn_minutes: int | None = None, overrides: tuple[Override, ...] = ()) -> list[Transition]:
    """Stops whose warning time (stop - warn_minutes, default the schedule's) falls in the window; 0 = none."""
    minutes = spec.warn_minutes if warn_minutes is None else warn_minutes
    if minutes <= 0:
        return []
    lead = timedelta(minutes=minutes)
    return [t for t in with_overrides(spec, overrides, window_start + lead, window_end + lead) if t.action == STOP]


def _occurrence(tz: ZoneInfo, day: date, index: int, period: Period) -> list[Transition]:
    stop_day = day + timedelta(days=1) if period.overnight else day
    started = _instant(tz, day, period.start)
    stopped = _instant(tz, stop_day, period.stop)
    return [Transition(started, START, started.astimezone(tz), index, day),
            Transition(stopped, STOP, stopped.astimezone(tz), index, day)]


def _instant(tz: ZoneInfo, day: date, at: time) -> datetime:
    """The UTC instant of a wall time: the first occurrence if doubled, the end of the gap if skipped."""
    wall = datetime.combine(day, at)
    while True:
        instant = wall.replace(tzinfo=tz).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == wall:
            return instant
        wall += timedelta(minutes=1)


def _net(transitions) -> list[Transition]:
    """One transition per instant, ordered; a start and a stop at the same instant cancel out."""
    ordered = sorted(transitions, key=lambda t: (t.at_utc, t.period))
    netted = []
    for _, group in groupby(ordered, key=lambda t: t.at_utc):
        same = list(group)
        if len({t.action for t in same}) == 1:
            netted.append(same[0])
    return netted


def _suppressed(transition: Transition, overrides) -> bool:
    return transition.action == STOP and any(transition.at_utc < o.until for o in overrides)


def _previous(spec: ScheduleSpec, before_utc: datetime) -> Transition | None:
    """The schedule's last transition strictly before `before_utc`, looking back a bounded time."""
    end = before_utc - timedelta(microseconds=1)
    floor = end - WEEK * (len(spec.skip_dates) + 2)
    while end > floor:
        found = transitions_between(spec, end - WEEK, end)
        if found:
            return found[-1]
        end -= WEEK
    return None


def _midnight_utc(spec: ScheduleSpec, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=spec.tz).astimezone(UTC)
