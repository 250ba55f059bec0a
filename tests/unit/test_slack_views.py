"""Block Kit builders: pure data in, exact blocks out."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from bot import ids
from bot.links import Console
from bot.views.alerts import alert_list, describe, pool_options
from bot.views.common import escape, from_micros, link, micros, money, when
from bot.views.envs import (book_modal, env_detail, env_list, extend_modal, length_label, status_line,
                            waitlist_modal)
from bot.views.help import help_message
from bot.views.resources import resource_detail, resource_list, warnings
from bot.views.schedules import days, schedule_list
from core.models.enums import ConstraintKind
from core.queries.alerts import AlertList, AlertRow
from core.queries.environments import BookingRow, EnvironmentDetail, EnvironmentRow
from core.queries.paging import Page
from core.queries.resources import AppliedConstraint, ResourceRow
from core.queries.schedules import ScheduleRow
from core.rules.bookings import EnvStatus
from core.rules.constraints import Violation

CONSOLE = Console("https://ct.test")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def _card(**changes) -> ResourceRow:
    values = dict(id=7, name="vm-<big>", cloud_resource_id="i-1", resource_type="instance", region="eu-west-1",
                  pool_id=3, pool_name="Dev", owner_id=4, owner_name="ann", active=True, cost=Decimal("1234.5"),
                  constraints=(), violations=(), can_change=True)
    return ResourceRow(**{**values, **changes})


def test_text_helpers():
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert link("https://x/1", "a|b<c") == "<https://x/1|a¦b&lt;c>"
    assert when(NOW) == "<!date^1773144000^{date_short_pretty} {time}|2026-03-10 12:00 UTC>"
    assert when(None) == "further notice"
    assert money(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    moment = NOW + timedelta(microseconds=123457)
    assert from_micros(micros(moment)) == moment


def test_resource_list_is_exactly_this():
    message = resource_list(Page((_card(),), total=2), title="Your resources in Acme", empty="-", currency="EUR",
                            console=CONSOLE, now=NOW)
    assert message.text == "Your resources in Acme (1–1)"
    assert message.blocks == [
        {"type": "header", "text": {"type": "plain_text", "text": "Your resources in Acme", "emoji": True}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "1–1, most expensive first · cost this month"}]},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*<https://ct.test/resources/7|vm-&lt;big&gt;>*  `instance` · eu-west-1 · Dev\n*1,234.50 EUR* this month")},
         "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Details", "emoji": True},
                       "action_id": ids.RESOURCE_DETAILS, "value": "7"}},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Next page",
                                                                     "emoji": True},
                                          "action_id": ids.RESOURCE_PAGE, "value": "1:"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": ":link: <https://ct.test/resources|All resources>"}]},
    ]


def test_an_empty_first_page_says_so():
    message = resource_list(Page((), total=0), title="t", empty="You own no resources in Acme.", currency="EUR",
                            console=CONSOLE, now=NOW)
    assert message.text == "You own no resources in Acme." and len(message.blocks) == 2


def test_warnings_name_each_broken_constraint_and_a_ttl_ending_soon():
    card = _card(constraints=(AppliedConstraint(ConstraintKind.TTL, NOW + timedelta(hours=3)),),
                 violations=(Violation(ConstraintKind.DAILY_EXPENSE_LIMIT, 10, Decimal("12.5"), "2026-03-10"),
                             Violation(ConstraintKind.TOTAL_EXPENSE_LIMIT, 100, Decimal("150"), "total:100")))
    assert warnings(card, "EUR", NOW) == [
        ":warning: 12.50 EUR on 2026-03-10, above the daily limit of 10.00 EUR",
        ":warning: 150.00 EUR in total, above the limit of 100.00 EUR",
        f":hourglass_flowing_sand: TTL ends {when(NOW + timedelta(hours=3))}"]
    later = _card(constraints=(AppliedConstraint(ConstraintKind.TTL, NOW + timedelta(days=2)),))
    assert warnings(later, "EUR", NOW) == []
    passed = _card(violations=(Violation(ConstraintKind.TTL, NOW - timedelta(hours=1), NOW, "x"),))
    assert warnings(passed, "EUR", NOW) == [f":warning: TTL passed {when(NOW - timedelta(hours=1))}"]


def _env(id: int, name: str, status: EnvStatus, **changes) -> EnvironmentRow:
    values = dict(id=id, name=name, resource_type="environment", pool_id=3, pool_name="Dev",
                  active=status != EnvStatus.UNAVAILABLE, status=status, current=None, next=None,
                  can_book=status != EnvStatus.UNAVAILABLE, can_manage=False)
    return EnvironmentRow(**{**values, **changes})


def _booking(id: int, **flags) -> BookingRow:
    values = dict(can_release=False, can_extend=False, can_delete=False)
    return BookingRow(id, 1, 4, "eng", NOW, NOW + timedelta(hours=1), "", **{**values, **flags})


def test_resource_detail_offers_its_actions_only_to_who_may_change_it():
    policy = AppliedConstraint(ConstraintKind.DAILY_EXPENSE_LIMIT, 10, pool_id=3, pool_name="Dev")
    owner = resource_detail(_card(constraints=(policy,)), currency="EUR", console=CONSOLE, now=NOW)
    assert "Daily limit: 10.00 EUR (policy of Dev)" in owner.blocks[2]["text"]["text"]
    assert [b.get("block_id") for b in owner.blocks if b["type"] == "actions"] == ["resource:7"]
    other = resource_detail(_card(can_change=False), currency="EUR", console=CONSOLE, now=NOW)
    assert all(b["type"] != "actions" for b in other.blocks)


def test_env_list_offers_book_only_when_it_can_be_booked():
    cards = (_env(1, "staging", EnvStatus.IN_USE, current=_booking(5)), _env(2, "old", EnvStatus.UNAVAILABLE))
    message = env_list(Page(cards, total=2), filter_text="", console=CONSOLE)
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert [[e["action_id"] for e in a["elements"]] for a in actions] == [[ids.ENV_BOOK, ids.ENV_DETAILS],
                                                                          [ids.ENV_DETAILS]]
    assert status_line(cards[0]) == f":red_circle: In use — eng until {when(NOW + timedelta(hours=1))}"


def test_env_list_pages_with_the_filter_kept():
    cards = tuple(_env(i, f"e{i}", EnvStatus.AVAILABLE) for i in range(3))
    message = env_list(Page(cards, total=19, offset=15), filter_text="stag", console=CONSOLE)
    more = message.blocks[-2]["elements"][0]
    assert (more["action_id"], more["value"]) == (ids.ENV_PAGE, "18:stag")
    assert message.text == "Shared environments matching “stag”"
    last = env_list(Page(cards, total=18, offset=15), filter_text="stag", console=CONSOLE)
    assert all(e["action_id"] != ids.ENV_PAGE for b in last.blocks if b["type"] == "actions" for e in b["elements"])


@pytest.mark.parametrize("flags, shown", [
    ({}, []),
    ({"can_release": True, "can_extend": True}, [ids.BOOKING_RELEASE, ids.booking_extend("1h"),
                                                 ids.booking_extend("1d"), ids.BOOKING_EXTEND_TO]),
    ({"can_delete": True}, [ids.BOOKING_DELETE]),
])
def test_env_detail_shows_only_the_booking_actions_the_viewer_may_take(flags, shown):
    current = _booking(5, **flags)
    detail = EnvironmentDetail(**vars(_env(1, "staging", EnvStatus.IN_USE, current=current)),
                               upcoming=(_booking(6, **flags),))
    blocks = env_detail(detail, console=CONSOLE).blocks
    booking_actions = [e["action_id"] for b in blocks if b.get("block_id") == "booking:5" for e in b["elements"]]
    assert booking_actions == shown
    upcoming = next(b for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("eng:"))
    assert ("accessory" in upcoming) == flags.get("can_delete", False)


def test_alerts_describe_threshold_and_targets_and_offer_what_the_viewer_may_do():
    alert = AlertRow(id=1, pool_id=3, pool_name="Dev", based_on="forecast", threshold=Decimal("500"),
                     threshold_type="absolute", include_children=True, channels=("C0123ABCD",),
                     recipient_ids=(4,), recipients=("ann",), can_delete=False)
    assert describe(alert, "USD") == "Forecast for this month reaches 500.00 USD (with sub-pools) → <#C0123ABCD>, ann"
    engineer = alert_list(AlertList((alert,), can_add=False), currency="USD", console=CONSOLE)
    assert all("accessory" not in b for b in engineer.blocks) and all(b["type"] != "actions" for b in engineer.blocks)
    other_pool = alert_list(AlertList((alert,), can_add=True), currency="USD", console=CONSOLE)
    assert "accessory" not in other_pool.blocks[1] and other_pool.blocks[2]["elements"][0]["action_id"] == ids.ALERT_ADD
    manager = alert_list(AlertList((replace(alert, can_delete=True),), can_add=True), currency="USD", console=CONSOLE)
    assert manager.blocks[1]["accessory"]["action_id"] == ids.ALERT_DELETE
    assert manager.blocks[1]["accessory"]["confirm"]["style"] == "danger"
    assert len(pool_options([(i, f"p{i}") for i in range(150)])) == 100


def test_schedule_list_says_how_many_more_there_are():
    row = ScheduleRow(1, "Office", "Europe/Berlin", "start_and_stop", True,
                      ({"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "stop": "19:00"},), 2)
    shown = schedule_list(Page((row,), total=3), console=CONSOLE)
    assert "Mon–Fri 08:00–19:00 · 2 resource(s)" in shown.blocks[1]["text"]["text"]
    assert shown.blocks[2]["elements"][0]["text"] == "…and 2 more in the console." and shown.text == "3 power schedule(s)"
    assert all(b["type"] != "context" for b in schedule_list(Page((row,), total=1), console=CONSOLE).blocks[:-1])


def test_weekday_ranges_and_help():
    assert days([0, 1, 2, 3, 4]) == "Mon–Fri" and days([5, 0, 6]) == "Mon, Sat–Sun" and days([2]) == "Wed"
    message = help_message(console=CONSOLE, unknown="<x>")
    assert message.blocks[0]["text"]["text"] == "I don't know “&lt;x&gt;”. Here is what I can do:"


@pytest.mark.parametrize("minutes, label", [(1, "1 minute"), (45, "45 minutes"), (60, "1 hour"), (90, "90 minutes"),
                                            (120, "2 hours"), (1440, "1 day"), (2880, "2 days"), (1500, "25 hours")])
def test_length_labels(minutes, label):
    assert length_label(minutes) == label


def test_the_waitlist_modal_requires_a_length_only_under_a_maximum():
    free = waitlist_modal(env_name="perf", lengths=[60, 1440], max_minutes=None, metadata="{}")
    picker = free["blocks"][1]
    assert free["callback_id"] == ids.WAITLIST_VIEW and picker["block_id"] == ids.DURATION and picker["optional"]
    assert [(o["text"]["text"], o["value"]) for o in picker["element"]["options"]] == [("1 hour", "60"), ("1 day", "1440")]
    capped = waitlist_modal(env_name="perf", lengths=[60, 90], max_minutes=90, metadata="{}")
    assert capped["blocks"][1]["optional"] is False
    assert capped["blocks"][1]["hint"]["text"] == "It can be booked for at most 90 minutes at a time."


def test_the_book_modal_asks_for_whom_only_when_asked_to():
    own = book_modal(env_name="staging", timezone="UTC", metadata="{}")
    assert ids.FOR_USER not in [b.get("block_id") for b in own["blocks"]]
    managed = book_modal(env_name="staging", timezone="UTC", metadata="{}", for_others=True)
    picker = managed["blocks"][1]
    assert (picker["block_id"], picker["element"]["type"], picker["optional"]) == (ids.FOR_USER, "users_select", True)


def test_the_extend_modal_starts_from_the_current_end_in_local_time():
    local = datetime(2026, 3, 10, 8, 5, tzinfo=timezone(timedelta(hours=-4)))
    view = extend_modal(env_name="staging", ends_at=NOW, local_end=local, timezone="America/New_York", metadata="{}")
    assert view["callback_id"] == ids.EXTEND_VIEW and when(NOW) in view["blocks"][0]["text"]["text"]
    assert view["blocks"][1]["element"]["initial_date"] == "2026-03-10"
    assert view["blocks"][2]["element"]["initial_time"] == "08:05"
    assert view["blocks"][2]["hint"]["text"] == "In your Slack time zone, America/New_York."
