"""Power-schedule input: periods, dates and skip dates are checked with codes that say what to fix."""

from datetime import date, datetime, time

import pytest

from core.errors import InvalidInput
from core.rules.power_periods import Period, check_date_range, parse_date, parse_periods, parse_skip_dates


def period(weekdays=(0,), start="08:00", stop="19:00"):
    return {"weekdays": list(weekdays), "start": start, "stop": stop}


def code_of(call, *args):
    with pytest.raises(InvalidInput) as err:
        call(*args)
    return err.value.code, err.value.params


def test_periods_are_normalized():
    [p] = parse_periods([{"weekdays": [4, "2", 2, 0], "start": " 8:05", "stop": "23:59"}])
    assert p == Period(weekdays=(0, 2, 4), start=time(8, 5), stop=time(23, 59))
    assert p.to_json() == {"weekdays": [0, 2, 4], "start": "08:05", "stop": "23:59"}
    assert not p.overnight


def test_a_stop_before_the_start_runs_overnight():
    [p] = parse_periods([period((4,), "22:00", "02:00")])
    assert p.overnight
    assert p.week_spans() == [(4 * 1440 + 22 * 60, 5 * 1440 + 2 * 60)]


@pytest.mark.parametrize("raw", [[], None, "Mon-Fri 8-19", {"weekdays": [0]}, 5])
def test_a_schedule_needs_periods(raw):
    assert code_of(parse_periods, raw)[0] == "schedule_needs_period"


@pytest.mark.parametrize("item, code, params", [
    ("08:00-19:00", "period_invalid", {"period": 2}),
    (period(()), "period_needs_weekday", {"period": 2}),
    ({"start": "08:00", "stop": "09:00"}, "period_needs_weekday", {"period": 2}),
    ({"weekdays": "0", "start": "08:00", "stop": "09:00"}, "period_needs_weekday", {"period": 2}),
    (period((7,)), "period_weekday_invalid", {"period": 2, "value": 7}),
    (period((-1,)), "period_weekday_invalid", {"period": 2, "value": -1}),
    (period((True,)), "period_weekday_invalid", {"period": 2, "value": True}),
    (period(("mon",)), "period_weekday_invalid", {"period": 2, "value": "mon"}),
    (period(start="24:00"), "period_time_invalid", {"period": 2, "which": "start", "value": "24:00"}),
    (period(start="08:60"), "period_time_invalid", {"period": 2, "which": "start", "value": "08:60"}),
    (period(stop="7pm"), "period_time_invalid", {"period": 2, "which": "stop", "value": "7pm"}),
    (period(stop="19:00:00"), "period_time_invalid", {"period": 2, "which": "stop", "value": "19:00:00"}),
    (period(stop=None), "period_time_invalid", {"period": 2, "which": "stop", "value": None}),
    (period(start="09:30", stop="9:30"), "period_start_equals_stop", {"period": 2, "time": "09:30"}),
])
def test_bad_periods_name_the_period_and_the_problem(item, code, params):
    assert code_of(parse_periods, [period((6,)), item]) == (code, {"field": "periods", **params})


@pytest.mark.parametrize("first, second", [
    (period((0,), "08:00", "12:00"), period((0,), "11:59", "13:00")),
    (period((0, 1), "08:00", "12:00"), period((1,), "07:00", "20:00")),
    (period((0,), "22:00", "02:00"), period((1,), "01:00", "05:00")),
    (period((6,), "22:00", "02:00"), period((0,), "01:00", "05:00")),
    (period((2,), "20:00", "10:00"), period((2,), "21:00", "22:00")),
])
def test_overlapping_periods_are_refused(first, second):
    assert code_of(parse_periods, [first, second]) == ("periods_overlap", {"field": "periods", "first": 1, "second": 2})


def test_touching_periods_and_different_days_are_fine():
    periods = parse_periods([period((0,), "08:00", "12:00"), period((0,), "12:00", "17:00"),
                             period((6,), "22:00", "02:00"), period((0,), "02:00", "05:00")])
    assert len(periods) == 4


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("2026-12-24", date(2026, 12, 24)), (" 2026-02-28 ", date(2026, 2, 28)),
    (date(2026, 1, 1), date(2026, 1, 1)),
])
def test_dates(value, expected):
    assert parse_date("start_date", value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "24.12.2026", "2026-1-5", "tomorrow", 20261224,
                                   datetime(2026, 12, 24, 10, 0)])
def test_bad_dates_say_the_format(value):
    assert code_of(parse_date, "end_date", value) == ("schedule_date_invalid", {"field": "end_date", "value": value})


def test_skip_dates_are_sorted_and_distinct():
    assert parse_skip_dates(["2026-12-26", date(2026, 12, 25), "2026-12-26"]) == (date(2026, 12, 25), date(2026, 12, 26))
    assert parse_skip_dates(()) == ()


@pytest.mark.parametrize("values", ["2026-12-24", ["2026-12-24", "Christmas"], [""], None])
def test_bad_skip_dates(values):
    assert code_of(parse_skip_dates, values)[0] == "schedule_date_invalid"


def test_date_range_may_be_one_day_but_not_backwards():
    check_date_range(date(2026, 5, 1), date(2026, 5, 1))
    check_date_range(None, date(2026, 5, 1))
    check_date_range(date(2026, 5, 1), None)
    assert code_of(check_date_range, date(2026, 5, 2), date(2026, 5, 1)) == (
        "schedule_end_before_start", {"field": "end_date", "start": "2026-05-02", "end": "2026-05-01"})
