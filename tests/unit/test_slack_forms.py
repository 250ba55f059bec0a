"""Reading modal input in the person's time zone, command words, delivery keys and where errors show."""

import ast
import string
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import bot
from bot import ids
from bot.commands import parse
from bot.deliveries import delivery_key
from bot.errors import field_for
from bot.forms import DURATIONS, booking_window, custom_end, custom_ttl, local_moment, submitted, wait_lengths
from bot.views.envs import DURATIONS as OFFERED
from core.errors import InvalidInput
from core.messages import CATALOG

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
UTC = timezone.utc


def test_submitted_reads_every_element_kind():
    view = {"state": {"values": {
        "a": {"d": {"type": "datepicker", "selected_date": "2026-03-11"}},
        "b": {"t": {"type": "timepicker", "selected_time": "09:30"}},
        "c": {"s": {"type": "static_select", "selected_option": {"value": "2h"}},
              "n": {"type": "static_select", "selected_option": None}},
        "e": {"x": {"type": "checkboxes", "selected_options": [{"value": "me"}, {"value": "include_children"}]},
              "r": {"type": "radio_buttons", "selected_option": {"value": "absolute"}}},
        "f": {"c": {"type": "conversations_select", "selected_conversation": "C1"},
              "p": {"type": "plain_text_input", "value": "hi"}, "u": {"type": "number_input", "value": None}}}}}
    assert submitted(view) == {"d": "2026-03-11", "t": "09:30", "s": "2h", "n": None,
                               "x": ["me", "include_children"], "r": "absolute", "c": "C1", "p": "hi", "u": None}


@pytest.mark.parametrize("day, clock, zone, expected", [
    ("2026-01-15", "09:00", "Europe/Berlin", datetime(2026, 1, 15, 8, 0, tzinfo=UTC)),
    ("2026-07-15", "09:00", "Europe/Berlin", datetime(2026, 7, 15, 7, 0, tzinfo=UTC)),
    ("2026-03-08", "02:30", "America/New_York", datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),  # DST gap: moves on
    ("2026-11-01", "01:30", "America/New_York", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # doubled: first
    ("2026-03-10", "23:59", "Asia/Kolkata", datetime(2026, 3, 10, 18, 29, tzinfo=UTC)),
])
def test_local_moments_become_utc(day, clock, zone, expected):
    assert local_moment(day, clock, zone, field="starts_at") == expected


def test_a_date_without_a_time_is_refused_and_neither_is_none():
    assert local_moment(None, None, "UTC", field="starts_at") is None
    for day, clock in (("2026-01-01", None), (None, "10:00")):
        with pytest.raises(InvalidInput) as err:
            local_moment(day, clock, "UTC", field="ends_at")
        assert err.value.code == "slack_time_incomplete" and err.value.params == {"field": "ends_at"}


def test_booking_window():
    assert booking_window({}, "UTC", NOW) == (NOW, None)
    assert booking_window({ids.DURATION: "1d"}, "UTC", NOW) == (NOW, NOW + timedelta(days=1))
    start = {ids.START_DATE: "2026-03-12", ids.START_TIME: "10:00"}
    begins = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    assert booking_window({**start, ids.DURATION: "2h"}, "Europe/Berlin", NOW) == (begins, begins + timedelta(hours=2))
    ends = {ids.END_DATE: "2026-03-12", ids.END_TIME: "18:00"}
    assert booking_window({**start, **ends}, "Europe/Berlin", NOW) == (begins, datetime(2026, 3, 12, 17, 0, tzinfo=UTC))
    for values, code in (({**ends, ids.DURATION: "2h"}, "slack_end_and_duration"),
                         ({ids.DURATION: "forever"}, "slack_duration_invalid")):
        with pytest.raises(InvalidInput) as err:
            booking_window(values, "UTC", NOW)
        assert err.value.code == code


def test_custom_ttl_needs_both_parts():
    assert custom_ttl({ids.TTL_DATE: "2026-04-01", ids.TTL_TIME: "00:00"}, "Europe/Berlin") == datetime(
        2026, 3, 31, 22, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        custom_ttl({}, "UTC")


@pytest.mark.parametrize("text, expected", [
    (None, ("help", "")), ("", ("help", "")), ("  Resources ", ("resources", "")), ("envs  stag ing", ("envs", "stag ing")),
    ("env x", ("envs", "x")), ("orgs", ("org", "")), ("link ab-cd", ("link", "ab-cd")), ("dance", ("dance", "")),
])
def test_command_words(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("body, key", [
    ({"type": "event_callback", "event_id": "Ev1", "event": {}}, "event:Ev1"),
    ({"type": "block_actions", "trigger_id": "1.2"}, None),
    ({"command": "/cloudtuner", "trigger_id": "3.4"}, None),
    ({"type": "view_submission", "trigger_id": "5.6", "event_id": "x"}, None),
    ({"type": "block_suggestion", "value": "de"}, None),
    ({"type": "url_verification"}, None),
])
def test_delivery_keys(body, key):
    assert delivery_key(body) == key


def test_errors_show_next_to_the_field_they_are_about():
    view = {"blocks": [{"type": "section"}, {"type": "input", "block_id": ids.START_DATE},
                       {"type": "input", "block_id": ids.START_TIME}, {"type": "input", "block_id": ids.END_DATE},
                       {"type": "input", "block_id": ids.DURATION}]}
    assert field_for(InvalidInput("slack_end_and_duration", field="duration"), view) == ids.DURATION
    assert field_for(InvalidInput("slack_time_incomplete", field="starts_at"), view) == ids.START_DATE
    assert field_for(InvalidInput("booking_ends_before_start", field="ends_at"), view) == ids.END_DATE
    assert field_for(InvalidInput("not_a_whole_number", field="threshold"), view) == ids.START_DATE
    assert field_for(InvalidInput("booking_ends_before_start"), view) == ids.START_DATE
    assert field_for(RuntimeError("boom"), view) == ids.START_DATE
    assert field_for(InvalidInput("x"), {"blocks": []}) == ""


def test_every_code_the_bot_raises_has_a_message_with_its_params():
    raised = {}
    for path in Path(bot.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("InvalidInput", "PermissionDenied",
                                                                                "NotFound", "Conflict")
                    and node.args and isinstance(node.args[0], ast.Constant)):
                raised.setdefault(node.args[0].value, set()).update(k.arg for k in node.keywords)
    assert {"slack_time_incomplete", "alerts_need_manager", "slack_end_and_duration"} <= set(raised)
    for code, params in raised.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(CATALOG[code]) if name}
        assert fields <= params, code


def test_the_book_modal_offers_exactly_the_durations_the_form_reads():
    assert list(OFFERED) == list(DURATIONS)


def test_a_picked_person_and_a_new_end_are_read():
    view = {"state": {"values": {ids.FOR_USER: {ids.FOR_USER: {"type": "users_select", "selected_user": "U1"}}}}}
    assert submitted(view) == {ids.FOR_USER: "U1"}
    assert custom_end({ids.END_DATE: "2026-03-12", ids.END_TIME: "18:30"}, "Europe/Berlin") == datetime(
        2026, 3, 12, 17, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput) as err:
        custom_end({ids.END_DATE: "2026-03-12"}, "UTC")
    assert err.value.params == {"field": "ends_at"}
    with pytest.raises(InvalidInput):
        custom_end({}, "UTC")


@pytest.mark.parametrize("maximum, lengths", [
    (None, [60, 120, 240, 480, 1440, 4320, 10080]), (90, [60, 90]), (120, [60, 120]), (30, [30]),
    (20160, [60, 120, 240, 480, 1440, 4320, 10080, 20160]),
])
def test_wait_lengths_stop_at_the_maximum_and_offer_it(maximum, lengths):
    assert wait_lengths(maximum) == lengths
