from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from core.errors import InvalidInput
from core.rules import bookings as rules
from core.rules.bookings import EnvStatus

T = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)
M = timedelta(minutes=1)


@dataclass
class B:
    starts_at: datetime
    ends_at: datetime | None


@pytest.mark.parametrize("a, b, expected", [
    ((T, T + H), (T + H, T + 2 * H), False),            # touching at the end
    ((T + H, T + 2 * H), (T, T + H), False),            # touching at the start
    ((T, T + H), (T + 2 * H, T + 3 * H), False),        # apart
    ((T, T + 2 * H), (T + H, T + 3 * H), True),         # partly
    ((T, T + 3 * H), (T + H, T + 2 * H), True),         # contains
    ((T + H, T + 2 * H), (T, T + 3 * H), True),         # inside
    ((T, T + H), (T, T + H), True),                     # same
    ((T, None), (T + 100 * H, T + 101 * H), True),      # open-ended blocks everything after
    ((T, None), (T - H, T), False),                     # but not what ends when it starts
    ((T - H, T + M), (T, None), True),
    ((T, None), (T + H, None), True),
    ((T + H, None), (T, T + H), False),
])
def test_overlaps_is_half_open_and_symmetric(a, b, expected):
    assert rules.overlaps(*a, *b) is expected
    assert rules.overlaps(*b, *a) is expected


@pytest.mark.parametrize("span, moment, expected", [
    (B(T, T + H), T, True), (B(T, T + H), T + H - M, True), (B(T, T + H), T + H, False),
    (B(T, T + H), T - M, False), (B(T, None), T + 1000 * H, True), (B(T, None), T - M, False),
])
def test_covers(span, moment, expected):
    assert rules.covers(span, moment) is expected


@pytest.mark.parametrize("span, started, ended", [
    (B(T + M, T + H), False, False), (B(T, T + H), False, False), (B(T - M, T + H), True, False),
    (B(T - H, T), True, True), (B(T - H, T + M), True, False), (B(T - H, None), True, False),
])
def test_started_and_ended_at_T(span, started, ended):
    assert rules.has_started(span, T) is started
    assert rules.has_ended(span, T) is ended


@pytest.mark.parametrize("starts_at, in_past", [
    (T, False), (T - M, False), (T - M - timedelta(seconds=1), True), (T - H, True), (T + H, False),
])
def test_starts_in_past_allows_a_minute_of_grace(starts_at, in_past):
    assert rules.starts_in_past(starts_at, T) is in_past


@pytest.mark.parametrize("ends_at, max_minutes", [
    (T + M, None), (T + 1000 * H, None), (None, None), (T + H, 60), (T + M, 1),
])
def test_check_range_accepts(ends_at, max_minutes):
    rules.check_range(T, ends_at, max_minutes=max_minutes)


@pytest.mark.parametrize("ends_at, max_minutes, code", [
    (T, None, "booking_ends_before_start"), (T - M, None, "booking_ends_before_start"),
    (T - M, 60, "booking_ends_before_start"), (None, 60, "booking_open_ended_not_allowed"),
    (T + H + M, 60, "booking_too_long"), (T + 2 * M, 1, "booking_too_long"),
])
def test_check_range_refuses(ends_at, max_minutes, code):
    with pytest.raises(InvalidInput) as err:
        rules.check_range(T, ends_at, max_minutes=max_minutes)
    assert err.value.code == code


def test_current_and_next_pick_the_covering_and_the_earliest_later_booking():
    past, now, soon, later = B(T - 2 * H, T - H), B(T - H, T + H), B(T + 2 * H, T + 3 * H), B(T + 4 * H, None)
    assert rules.current_and_next([later, soon, now, past], T) == (now, soon)
    assert rules.current_and_next([later, past], T) == (None, later)
    assert rules.current_and_next([now], T + H) == (None, None)
    assert rules.current_and_next([], T) == (None, None)
    assert rules.current_and_next([B(T, None)], T) == (B(T, None), None)


@pytest.mark.parametrize("active, current, expected", [
    (True, None, EnvStatus.AVAILABLE), (True, B(T, None), EnvStatus.IN_USE),
    (False, None, EnvStatus.UNAVAILABLE), (False, B(T, None), EnvStatus.UNAVAILABLE),
])
def test_status(active, current, expected):
    assert rules.status(active, current) == expected


@pytest.mark.parametrize("duration, maximum, next_start, expected", [
    (None, None, None, None),
    (30, None, None, T + 30 * M),
    (None, 60, None, T + H),
    (90, 60, None, T + H),
    (30, 60, None, T + 30 * M),
    (None, None, T + 2 * H, T + 2 * H),
    (180, None, T + 2 * H, T + 2 * H),
    (30, 60, T + 2 * H, T + 30 * M),
])
def test_waitlist_end(duration, maximum, next_start, expected):
    assert rules.waitlist_end(T, duration_minutes=duration, max_minutes=maximum, next_start=next_start) == expected


def test_aware_converts_to_utc_and_refuses_naive_or_non_datetimes():
    plus_two = datetime(2030, 1, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert rules.aware("Start", plus_two) == T and rules.aware("Start", plus_two).tzinfo == timezone.utc
    for bad in (datetime(2030, 1, 1, 12, 0), "2030-01-01T12:00Z", None):
        with pytest.raises(InvalidInput) as err:
            rules.aware("Start", bad)
        assert err.value.code == "booking_time_without_zone" and err.value.params == {"field": "Start"}


def test_show():
    assert rules.show(datetime(2030, 1, 1, 14, 5, 59, tzinfo=timezone(timedelta(hours=2)))) == "2030-01-01 12:05 UTC"
    assert rules.show(None) == "further notice"
