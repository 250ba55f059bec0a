"""Power-schedule transitions: zones, DST, overnight periods, date limits, modes, catch-up and look-ahead."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from core.models.enums import ScheduleMode
from core.rules.power import ScheduleSpec, catch_up, next_transition, transitions_between
from core.rules.power_periods import parse_periods

WEEKDAYS = (0, 1, 2, 3, 4)


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def spec(*periods, tz="UTC", **options):
    raw = [{"weekdays": list(days), "start": start, "stop": stop} for days, start, stop in periods]
    return ScheduleSpec(timezone=tz, periods=parse_periods(raw), **options)


def moments(transitions):
    return [(t.action, t.at_utc) for t in transitions]


OFFICE = spec((WEEKDAYS, "08:00", "19:00"))


def test_weekday_period_in_utc_over_a_week():
    week = transitions_between(OFFICE, utc(2026, 3, 2), utc(2026, 3, 9))
    expected = []
    for day in range(2, 7):
        expected += [("start", utc(2026, 3, day, 8)), ("stop", utc(2026, 3, day, 19))]
    assert moments(week) == expected
    assert {t.day.weekday() for t in week} == set(WEEKDAYS)


def test_window_is_open_at_its_start_and_closed_at_its_end():
    assert moments(transitions_between(OFFICE, utc(2026, 3, 2, 8), utc(2026, 3, 2, 19))) == [("stop", utc(2026, 3, 2, 19))]
    assert moments(transitions_between(OFFICE, utc(2026, 3, 2, 7, 59), utc(2026, 3, 2, 8))) == [("start", utc(2026, 3, 2, 8))]
    assert transitions_between(OFFICE, utc(2026, 3, 2, 19), utc(2026, 3, 2, 8)) == []


@pytest.mark.parametrize("tz, day, start_hour_utc", [
    ("Europe/Berlin", date(2026, 1, 5), 7), ("Europe/Berlin", date(2026, 7, 6), 6),
    ("America/New_York", date(2026, 1, 5), 13), ("America/New_York", date(2026, 7, 6), 12),
])
def test_local_times_are_read_in_the_schedule_zone(tz, day, start_hour_utc):
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
    start, stop = transitions_between(spec((WEEKDAYS, "08:00", "19:00"), tz=tz), midnight, midnight + timedelta(days=1))
    assert start.at_utc == midnight + timedelta(hours=start_hour_utc)
    assert stop.at_utc == midnight + timedelta(hours=start_hour_utc + 11)
    assert (start.local.hour, start.local.minute, str(start.local.tzinfo)) == (8, 0, tz)
    assert start.day == day


def test_local_day_decides_the_weekday_not_the_utc_day():
    evening = spec(((0,), "21:00", "23:30"), tz="America/New_York")
    start, stop = transitions_between(evening, utc(2026, 3, 2), utc(2026, 3, 4))
    assert (start.at_utc, stop.at_utc) == (utc(2026, 3, 3, 2), utc(2026, 3, 3, 4, 30))
    assert start.day == stop.day == date(2026, 3, 2)


def test_several_periods_per_day_in_order():
    split = spec(((0,), "13:00", "17:30"), ((0,), "08:00", "12:00"), tz="Europe/Berlin")
    found = transitions_between(split, utc(2026, 1, 5), utc(2026, 1, 6))
    assert moments(found) == [("start", utc(2026, 1, 5, 7)), ("stop", utc(2026, 1, 5, 11)),
                              ("start", utc(2026, 1, 5, 12)), ("stop", utc(2026, 1, 5, 16, 30))]
    assert [t.period for t in found] == [1, 1, 0, 0]


def test_overnight_period_belongs_to_the_day_it_starts():
    friday_night = spec(((4,), "22:00", "02:00"))
    found = transitions_between(friday_night, utc(2026, 3, 6), utc(2026, 3, 8))
    assert moments(found) == [("start", utc(2026, 3, 6, 22)), ("stop", utc(2026, 3, 7, 2))]
    assert {t.day for t in found} == {date(2026, 3, 6)}
    only_stop = transitions_between(friday_night, utc(2026, 3, 7), utc(2026, 3, 7, 3))
    assert moments(only_stop) == [("stop", utc(2026, 3, 7, 2))]


def test_sunday_overnight_stops_on_monday():
    found = transitions_between(spec(((6,), "23:00", "01:00")), utc(2026, 3, 2), utc(2026, 3, 9))
    assert moments(found) == [("stop", utc(2026, 3, 2, 1)), ("start", utc(2026, 3, 8, 23))]
    assert found[0].day == date(2026, 3, 1)


@pytest.mark.parametrize("tz, periods, expected", [
    # Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC)
    ("Europe/Berlin", ("02:30", "18:00"), [("start", utc(2026, 3, 29, 1)), ("stop", utc(2026, 3, 29, 16))]),
    ("Europe/Berlin", ("01:30", "03:30"), [("start", utc(2026, 3, 29, 0, 30)), ("stop", utc(2026, 3, 29, 1, 30))]),
    # New York 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC)
    ("America/New_York", ("02:15", "09:00"), [("start", utc(2026, 3, 8, 7)), ("stop", utc(2026, 3, 8, 13))]),
    ("America/New_York", ("01:30", "04:00"), [("start", utc(2026, 3, 8, 6, 30)), ("stop", utc(2026, 3, 8, 8))]),
])
def test_spring_forward_moves_a_skipped_time_to_the_end_of_the_gap(tz, periods, expected):
    sunday = spec(((6,), *periods), tz=tz)
    window = transitions_between(sunday, expected[0][1] - timedelta(hours=12), expected[-1][1] + timedelta(hours=12))
    assert moments(window) == expected


def test_spring_forward_stop_from_saturday_night_fires_at_the_gap_end():
    found = transitions_between(spec(((5,), "20:00", "02:30"), tz="Europe/Berlin"), utc(2026, 3, 28), utc(2026, 3, 30))
    assert moments(found) == [("start", utc(2026, 3, 28, 19)), ("stop", utc(2026, 3, 29, 1))]
    assert (found[1].local.hour, found[1].local.minute) == (3, 0)


def test_a_period_entirely_inside_the_gap_does_nothing_that_day():
    ghost = spec(((6,), "02:10", "02:40"), tz="Europe/Berlin")
    assert transitions_between(ghost, utc(2026, 3, 28), utc(2026, 3, 30)) == []
    assert len(transitions_between(ghost, utc(2026, 4, 4), utc(2026, 4, 6))) == 2


@pytest.mark.parametrize("tz, periods, expected", [
    # Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:00-03:00 happens twice
    ("Europe/Berlin", ((6,), "02:30", "18:00"), [("start", utc(2026, 10, 25, 0, 30)), ("stop", utc(2026, 10, 25, 17))]),
    ("Europe/Berlin", ((5,), "20:00", "02:30"), [("start", utc(2026, 10, 24, 18)), ("stop", utc(2026, 10, 25, 0, 30))]),
    ("Europe/Berlin", ((6,), "01:30", "03:30"), [("start", utc(2026, 10, 24, 23, 30)), ("stop", utc(2026, 10, 25, 2, 30))]),
    # New York 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00 UTC); 01:00-02:00 happens twice
    ("America/New_York", ((6,), "01:30", "05:00"), [("start", utc(2026, 11, 1, 5, 30)), ("stop", utc(2026, 11, 1, 10))]),
    ("America/New_York", ((6,), "00:30", "03:00"), [("start", utc(2026, 11, 1, 4, 30)), ("stop", utc(2026, 11, 1, 8))]),
])
def test_fall_back_fires_a_doubled_time_once_at_its_first_occurrence(tz, periods, expected):
    schedule = spec(periods, tz=tz)
    start, end = expected[0][1] - timedelta(hours=6), expected[-1][1] + timedelta(hours=6)
    assert moments(transitions_between(schedule, start, end)) == expected
    sliced = []
    while start < end:  # a scheduler ticking every 10 minutes sees each transition exactly once
        sliced += transitions_between(schedule, start, start + timedelta(minutes=10))
        start += timedelta(minutes=10)
    assert moments(sliced) == expected


def test_spring_forward_fires_once_for_a_ticking_scheduler():
    schedule = spec(((6,), "02:30", "18:00"), tz="Europe/Berlin")
    start, sliced = utc(2026, 3, 28, 20), []
    while start < utc(2026, 3, 29, 20):
        sliced += transitions_between(schedule, start, start + timedelta(minutes=7))
        start += timedelta(minutes=7)
    assert moments(sliced) == [("start", utc(2026, 3, 29, 1)), ("stop", utc(2026, 3, 29, 16))]


def test_touching_periods_keep_running_instead_of_stopping_and_starting():
    relay = spec(((0,), "08:00", "12:00"), ((0,), "12:00", "17:00"))
    assert moments(transitions_between(relay, utc(2026, 3, 2), utc(2026, 3, 3))) == [
        ("start", utc(2026, 3, 2, 8)), ("stop", utc(2026, 3, 2, 17))]
    stop_only = spec(((0,), "08:00", "12:00"), ((0,), "12:00", "17:00"), mode=ScheduleMode.STOP_ONLY)
    assert moments(transitions_between(stop_only, utc(2026, 3, 2), utc(2026, 3, 3))) == [("stop", utc(2026, 3, 2, 17))]


def test_start_and_end_dates_are_inclusive_local_dates():
    limited = spec((WEEKDAYS, "08:00", "19:00"), start_date=date(2026, 3, 4), end_date=date(2026, 3, 5))
    found = transitions_between(limited, utc(2026, 3, 1), utc(2026, 3, 15))
    assert [t.at_utc for t in found] == [utc(2026, 3, 4, 8), utc(2026, 3, 4, 19), utc(2026, 3, 5, 8), utc(2026, 3, 5, 19)]


def test_date_limits_keep_overnight_pairs_together():
    nightly = spec(((0, 1, 2, 3, 4, 5, 6), "22:00", "02:00"), start_date=date(2026, 3, 4), end_date=date(2026, 3, 5))
    assert moments(transitions_between(nightly, utc(2026, 3, 1), utc(2026, 3, 10))) == [
        ("start", utc(2026, 3, 4, 22)), ("stop", utc(2026, 3, 5, 2)),
        ("start", utc(2026, 3, 5, 22)), ("stop", utc(2026, 3, 6, 2))]


def test_end_date_is_a_date_in_the_schedule_zone():
    evening = spec(((0, 1, 2, 3, 4, 5, 6), "21:00", "23:00"), tz="America/New_York", end_date=date(2026, 3, 4))
    found = transitions_between(evening, utc(2026, 3, 4, 12), utc(2026, 3, 7))
    assert [t.at_utc for t in found] == [utc(2026, 3, 5, 2), utc(2026, 3, 5, 4)]


def test_skip_dates_drop_that_day():
    holiday = spec((WEEKDAYS, "08:00", "19:00"), skip_dates=frozenset({date(2026, 3, 4)}))
    found = transitions_between(holiday, utc(2026, 3, 2), utc(2026, 3, 9))
    assert len(found) == 8 and date(2026, 3, 4) not in {t.day for t in found}


@pytest.mark.parametrize("skip, expected", [
    (date(2026, 3, 6), [("start", utc(2026, 3, 5, 22)), ("stop", utc(2026, 3, 6, 2))]),
    (date(2026, 3, 5), []),
])
def test_skip_dates_apply_to_the_day_an_overnight_period_starts(skip, expected):
    thursday_night = spec(((3,), "22:00", "02:00"), skip_dates=frozenset({skip}))
    assert moments(transitions_between(thursday_night, utc(2026, 3, 2), utc(2026, 3, 9))) == expected


@pytest.mark.parametrize("skip, count", [(date(2026, 3, 4), 0), (date(2026, 3, 5), 2)])
def test_skip_dates_are_local_dates(skip, count):
    evening = spec(((2,), "21:00", "23:00"), tz="America/New_York", skip_dates=frozenset({skip}))
    assert len(transitions_between(evening, utc(2026, 3, 2), utc(2026, 3, 9))) == count


@pytest.mark.parametrize("mode, actions", [
    (ScheduleMode.START_AND_STOP, ["start", "stop"] * 5),
    (ScheduleMode.STOP_ONLY, ["stop"] * 5),
    (ScheduleMode.START_ONLY, ["start"] * 5),
])
def test_modes_filter_the_actions(mode, actions):
    schedule = spec((WEEKDAYS, "08:00", "19:00"), mode=mode)
    assert [t.action for t in transitions_between(schedule, utc(2026, 3, 2), utc(2026, 3, 9))] == actions


def test_a_disabled_schedule_has_no_transitions():
    off = spec((WEEKDAYS, "08:00", "19:00"), enabled=False)
    assert transitions_between(off, utc(2026, 3, 2), utc(2026, 3, 9)) == []
    assert next_transition(off, utc(2026, 3, 2)) is None


@pytest.mark.parametrize("last_run, now, expected", [
    (utc(2026, 3, 6, 18), utc(2026, 3, 9, 10), ("start", utc(2026, 3, 9, 8))),   # down Friday to Monday
    (utc(2026, 3, 4, 10), utc(2026, 3, 7, 12), ("stop", utc(2026, 3, 6, 19))),   # down Wednesday to Saturday
    (utc(2026, 3, 7), utc(2026, 3, 8, 23), None),                                 # down over the weekend only
])
def test_catch_up_acts_once_with_the_latest_missed_transition(last_run, now, expected):
    owed = catch_up(OFFICE, last_run, now)
    assert (owed and (owed.action, owed.at_utc)) == expected


def test_next_transition_looks_ahead_over_weekends_and_by_action():
    assert next_transition(OFFICE, utc(2026, 3, 6, 19)).at_utc == utc(2026, 3, 9, 8)
    assert next_transition(OFFICE, utc(2026, 3, 6, 19), action="stop").at_utc == utc(2026, 3, 9, 19)
    assert next_transition(OFFICE, utc(2026, 3, 9, 7, 59)).at_utc == utc(2026, 3, 9, 8)


def test_next_transition_jumps_to_a_far_start_date_and_stops_after_the_end_date():
    later = spec((WEEKDAYS, "08:00", "19:00"), start_date=date(2028, 6, 5))
    assert next_transition(later, utc(2026, 3, 2)).at_utc == utc(2028, 6, 5, 8)
    ended = spec((WEEKDAYS, "08:00", "19:00"), end_date=date(2026, 3, 4))
    assert next_transition(ended, utc(2026, 3, 4, 19)) is None


def test_next_transition_looks_past_skipped_weeks():
    mondays = [date(2026, 3, 9) + timedelta(weeks=n) for n in range(4)]
    monday_only = spec(((0,), "08:00", "19:00"), skip_dates=frozenset(mondays))
    assert next_transition(monday_only, utc(2026, 3, 3)).at_utc == utc(2026, 4, 6, 8)


def test_a_week_of_touching_periods_never_transitions():
    always = spec(((0, 1, 2, 3, 4, 5, 6), "08:00", "20:00"), ((0, 1, 2, 3, 4, 5, 6), "20:00", "08:00"))
    assert transitions_between(always, utc(2026, 3, 1), utc(2026, 4, 1)) == []
    assert next_transition(always, utc(2026, 3, 1)) is None


def test_spec_from_model_reads_stored_values():
    row = SimpleNamespace(timezone="Europe/Berlin", periods=[{"weekdays": [0], "start": "08:00", "stop": "19:00"}],
                          mode="stop_only", start_date=date(2026, 1, 1), end_date=None, skip_dates=["2026-12-24"],
                          enabled=True, warn_minutes=15)
    built = ScheduleSpec.from_model(row)
    assert built == spec(((0,), "08:00", "19:00"), tz="Europe/Berlin", mode=ScheduleMode.STOP_ONLY,
                         start_date=date(2026, 1, 1), skip_dates=frozenset({date(2026, 12, 24)}), warn_minutes=15)
