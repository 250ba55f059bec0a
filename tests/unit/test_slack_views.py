"""Block Kit builders: pure data in, exact blocks out."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from bot import ids
from bot.links import Console
from bot.views.alerts import alert_list, describe, pool_options
from bot.views.common import escape, from_micros, link, micros, money, when
from bot.views.envs import (BookingLine, EnvCard, book_modal, env_list, extend_modal, length_label, status_line,
                            waitlist_modal)
from bot.views.help import help_message
from bot.views.resources import Constraint, ResourceCard, resource_list, warnings
from bot.views.schedules import days
from core.models.enums import ConstraintKind
from core.rules.bookings import EnvStatus
from core.rules.constraints import Violation
from core.services.alerts import AlertSummary

CONSOLE = Console("https://ct.test")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def _card(**changes) -> ResourceCard:
    values = dict(id=7, name="vm-<big>", resource_type="instance", region="eu-west-1", pool_id=3, pool="Dev",
                  owner="ann", cloud_resource_id="i-1", cost=Decimal("1234.5"), currency="EUR")
    return ResourceCard(**{**values, **changes})


def test_text_helpers():
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert link("https://x/1", "a|b<c") == "<https://x/1|a¦b&lt;c>"
    assert when(NOW) == "<!date^1773144000^{date_short_pretty} {time}|2026-03-10 12:00 UTC>"
    assert when(None) == "further notice"
    assert money(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    moment = NOW + timedelta(microseconds=123457)
    assert from_micros(micros(moment)) == moment


def test_resource_list_is_exactly_this():
    message = resource_list([_card()], title="Your resources in Acme", empty="-", offset=0, has_more=True,
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
    message = resource_list([], title="t", empty="You own no resources in Acme.", offset=0, has_more=False,
                            console=CONSOLE, now=NOW)
    assert message.text == "You own no resources in Acme." and len(message.blocks) == 2


def test_warnings_name_each_broken_constraint_and_a_ttl_ending_soon():
    card = _card(constraints=(Constraint(ConstraintKind.TTL, NOW + timedelta(hours=3), "own"),),
                 violations=(Violation(ConstraintKind.DAILY_EXPENSE_LIMIT, 10, Decimal("12.5"), "2026-03-10"),
                             Violation(ConstraintKind.TOTAL_EXPENSE_LIMIT, 100, Decimal("150"), "total:100")))
    assert warnings(card, NOW) == [
        ":warning: 12.50 EUR on 2026-03-10, above the daily limit of 10.00 EUR",
        ":warning: 150.00 EUR in total, above the limit of 100.00 EUR",
        f":hourglass_flowing_sand: TTL ends {when(NOW + timedelta(hours=3))}"]
    later = _card(constraints=(Constraint(ConstraintKind.TTL, NOW + timedelta(days=2), "own"),))
    assert warnings(later, NOW) == []
    passed = _card(violations=(Violation(ConstraintKind.TTL, NOW - timedelta(hours=1), NOW, "x"),))
    assert warnings(passed, NOW) == [f":warning: TTL passed {when(NOW - timedelta(hours=1))}"]


def test_env_list_offers_book_only_when_it_can_be_booked():
    booking = BookingLine(5, "eng", NOW, NOW + timedelta(hours=1))
    cards = [EnvCard(1, "staging", "environment", "Dev", EnvStatus.IN_USE, current=booking),
             EnvCard(2, "old", "instance", "Dev", EnvStatus.UNAVAILABLE)]
    message = env_list(cards, filter_text="", offset=0, has_more=False, console=CONSOLE)
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert [[e["action_id"] for e in a["elements"]] for a in actions] == [[ids.ENV_BOOK, ids.ENV_DETAILS],
                                                                          [ids.ENV_DETAILS]]
    assert status_line(cards[0]) == f":red_circle: In use — eng until {when(NOW + timedelta(hours=1))}"


def test_env_list_pages_with_the_filter_kept():
    cards = [EnvCard(i, f"e{i}", "environment", "Dev", EnvStatus.AVAILABLE) for i in range(3)]
    message = env_list(cards, filter_text="stag", offset=15, has_more=True, console=CONSOLE)
    more = message.blocks[-2]["elements"][0]
    assert (more["action_id"], more["value"]) == (ids.ENV_PAGE, "18:stag")
    assert message.text == "Shared environments matching “stag”"


def test_alerts_describe_threshold_and_targets():
    alert = AlertSummary(id=1, pool_id=3, pool_name="Dev", based_on="forecast", threshold=Decimal("500"),
                         threshold_type="absolute", include_children=True, channels=("C0123ABCD",),
                         recipient_ids=(4,), recipients=("ann",))
    assert describe(alert, "USD") == "Forecast for this month reaches 500.00 USD (with sub-pools) → <#C0123ABCD>, ann"
    engineer = alert_list([alert], currency="USD", can_manage=False, console=CONSOLE)
    assert all("accessory" not in b for b in engineer.blocks) and all(b["type"] != "actions" for b in engineer.blocks)
    manager = alert_list([alert], currency="USD", can_manage=True, console=CONSOLE)
    assert manager.blocks[1]["accessory"]["action_id"] == ids.ALERT_DELETE
    assert manager.blocks[1]["accessory"]["confirm"]["style"] == "danger"
    assert len(pool_options([(i, f"p{i}") for i in range(150)])) == 100


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
