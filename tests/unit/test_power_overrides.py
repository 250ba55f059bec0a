"""Overrides (keep running until T, skip tonight's stop) and pre-stop warnings."""

from datetime import datetime, timedelta, timezone

import pytest

from core.models.enums import OverrideKind, ScheduleMode
from core.rules.power import Override, ScheduleSpec, catch_up, next_transition, warnings_due, with_overrides
from core.rules.power_periods import parse_periods

KEEP, SKIP = OverrideKind.KEEP_RUNNING_UNTIL, OverrideKind.SKIP_STOP


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def office(tz="UTC", **options):
    periods = parse_periods([{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "stop": "19:00"}])
    return ScheduleSpec(timezone=tz, periods=periods, **options)


def moments(transitions):
    return [(t.action, t.at_utc) for t in transitions]


MONDAY, TUESDAY, WEDNESDAY = utc(2026, 3, 2), utc(2026, 3, 3), utc(2026, 3, 4)


def test_no_overrides_leaves_the_schedule_alone():
    assert moments(with_overrides(office(), (), MONDAY, TUESDAY)) == [
        ("start", utc(2026, 3, 2, 8)), ("stop", utc(2026, 3, 2, 19))]


def test_keep_running_suppresses_the_stop_and_stops_at_its_end():
    found = with_overrides(office(), [Override(KEEP, utc(2026, 3, 2, 19, 30))], MONDAY, TUESDAY)
    assert moments(found) == [("start", utc(2026, 3, 2, 8)), ("stop", utc(2026, 3, 2, 19, 30))]
    assert (found[1].period, found[1].day, found[1].local.hour, found[1].local.minute) == (0, MONDAY.date(), 19, 30)


def test_keep_running_reports_local_time_in_the_schedule_zone():
    found = with_overrides(office("Europe/Berlin"), [Override(KEEP, utc(2026, 3, 2, 19))], MONDAY, TUESDAY)
    assert moments(found)[-1] == ("stop", utc(2026, 3, 2, 19))
    assert (found[-1].local.hour, str(found[-1].local.tzinfo)) == (20, "Europe/Berlin")


def test_a_stop_at_exactly_until_is_not_suppressed_and_fires_once():
    found = with_overrides(office(), [Override(KEEP, utc(2026, 3, 2, 19))], MONDAY, TUESDAY)
    assert moments(found) == [("start", utc(2026, 3, 2, 8)), ("stop", utc(2026, 3, 2, 19))]


def test_keep_running_past_the_next_start_just_skips_the_stop():
    found = with_overrides(office(), [Override(KEEP, utc(2026, 3, 3, 10))], MONDAY, WEDNESDAY)
    assert moments(found) == [("start", utc(2026, 3, 2, 8)), ("start", utc(2026, 3, 3, 8)),
                              ("stop", utc(2026, 3, 3, 19))]


def test_keep_running_until_the_next_start_does_not_bounce_the_resource():
    found = with_overrides(office(), [Override(KEEP, utc(2026, 3, 3, 8))], MONDAY, WEDNESDAY)
    assert moments(found) == [("start", utc(2026, 3, 2, 8)), ("stop", utc(2026, 3, 3, 19))]


def test_skip_stop_drops_tonights_stop_only():
    found = with_overrides(office(), [Override(SKIP, utc(2026, 3, 2, 19, 1))], MONDAY, WEDNESDAY)
    assert moments(found) == [("start", utc(2026, 3, 2, 8)), ("start", utc(2026, 3, 3, 8)),
                              ("stop", utc(2026, 3, 3, 19))]


@pytest.mark.parametrize("override", [Override(KEEP, utc(2026, 3, 2, 12)), Override(SKIP, utc(2026, 3, 2, 19, 1))])
def test_expired_overrides_change_nothing(override):
    assert with_overrides(office(), [override], TUESDAY, WEDNESDAY) == with_overrides(office(), (), TUESDAY, WEDNESDAY)


def test_a_second_snooze_moves_the_stop_again():
    snoozes = [Override(KEEP, utc(2026, 3, 2, 19, 30)), Override(KEEP, utc(2026, 3, 2, 20, 30))]
    assert moments(with_overrides(office(), snoozes, utc(2026, 3, 2, 12), TUESDAY)) == [("stop", utc(2026, 3, 2, 20, 30))]


def test_starts_are_never_suppressed():
    found = with_overrides(office(), [Override(KEEP, utc(2026, 3, 3, 20))], MONDAY, WEDNESDAY)
    assert moments(found) == [("start", utc(2026, 3, 2, 8)), ("start", utc(2026, 3, 3, 8)),
                              ("stop", utc(2026, 3, 3, 20))]


def test_the_postponed_stop_falls_in_exactly_one_window():
    snooze = [Override(KEEP, utc(2026, 3, 2, 19, 30))]
    tick, seen = utc(2026, 3, 2, 18), []
    while tick < utc(2026, 3, 2, 21):
        seen += with_overrides(office(), snooze, tick, tick + timedelta(minutes=5))
        tick += timedelta(minutes=5)
    assert moments(seen) == [("stop", utc(2026, 3, 2, 19, 30))]


@pytest.mark.parametrize("mode, expected", [
    (ScheduleMode.STOP_ONLY, [("stop", utc(2026, 3, 2, 19, 30))]),
    (ScheduleMode.START_ONLY, [("start", utc(2026, 3, 2, 8))]),
])
def test_overrides_follow_the_mode(mode, expected):
    assert moments(with_overrides(office(mode=mode), [Override(KEEP, utc(2026, 3, 2, 19, 30))], MONDAY, TUESDAY)) == expected


@pytest.mark.parametrize("override, expected", [
    (Override(KEEP, utc(2026, 3, 2, 19, 30)), ("stop", utc(2026, 3, 2, 19, 30))),
    (Override(SKIP, utc(2026, 3, 2, 19, 1)), None),
])
def test_catch_up_after_downtime_honours_overrides(override, expected):
    owed = catch_up(office(), utc(2026, 3, 2, 18), utc(2026, 3, 2, 19, 45), (override,))
    assert (owed and (owed.action, owed.at_utc)) == expected


def test_next_stop_sees_the_overrides():
    assert next_transition(office(), utc(2026, 3, 2, 18), (Override(SKIP, utc(2026, 3, 2, 19, 1)),),
                           action="stop").at_utc == utc(2026, 3, 3, 19)
    assert next_transition(office(), utc(2026, 3, 2, 18), (Override(KEEP, utc(2026, 3, 2, 19, 30)),),
                           action="stop").at_utc == utc(2026, 3, 2, 19, 30)
    three_weeks = (Override(KEEP, utc(2026, 3, 23, 20)),)
    assert next_transition(office(), utc(2026, 3, 2, 18), three_weeks, action="stop").at_utc == utc(2026, 3, 23, 20)


@pytest.mark.parametrize("window, warned", [
    ((utc(2026, 3, 2, 18, 25), utc(2026, 3, 2, 18, 35)), [utc(2026, 3, 2, 19)]),
    ((utc(2026, 3, 2, 18, 29), utc(2026, 3, 2, 18, 30)), [utc(2026, 3, 2, 19)]),
    ((utc(2026, 3, 2, 18, 30), utc(2026, 3, 2, 18, 35)), []),
    ((utc(2026, 3, 2, 7, 0), utc(2026, 3, 2, 8, 0)), []),
    ((utc(2026, 3, 2, 18), utc(2026, 3, 3, 18, 30)), [utc(2026, 3, 2, 19), utc(2026, 3, 3, 19)]),
])
def test_warnings_come_the_schedule_default_30_minutes_before_each_stop(window, warned):
    assert [t.at_utc for t in warnings_due(office(), *window)] == warned


def test_warning_lead_comes_from_the_argument_or_the_schedule():
    window = (utc(2026, 3, 2, 17, 55), utc(2026, 3, 2, 18, 5))
    assert [t.at_utc for t in warnings_due(office(), *window, warn_minutes=60)] == [utc(2026, 3, 2, 19)]
    assert warnings_due(office(), *window) == []
    assert [t.at_utc for t in warnings_due(office(warn_minutes=60), *window)] == [utc(2026, 3, 2, 19)]


def test_zero_warning_minutes_means_no_warnings():
    assert warnings_due(office(warn_minutes=0), utc(2026, 3, 2, 18), utc(2026, 3, 2, 20)) == []
    assert warnings_due(office(), utc(2026, 3, 2, 18), utc(2026, 3, 2, 20), warn_minutes=0) == []


def test_no_warnings_without_stops():
    assert warnings_due(office(mode=ScheduleMode.START_ONLY), MONDAY, TUESDAY) == []


def test_a_snoozed_stop_is_warned_about_again_before_its_new_time():
    snooze = (Override(KEEP, utc(2026, 3, 2, 19, 30)),)
    assert warnings_due(office(), utc(2026, 3, 2, 18, 25), utc(2026, 3, 2, 18, 35), overrides=snooze) == []
    again = warnings_due(office(), utc(2026, 3, 2, 18, 55), utc(2026, 3, 2, 19, 5), overrides=snooze)
    assert [t.at_utc for t in again] == [utc(2026, 3, 2, 19, 30)]
