"""Every event type survives the outbox (encoded to JSON and read back equal) and says something complete."""

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from core import events
from core.events import base, decode, encode
from core.messages import CATALOG

AT = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc)
BOOKING = dict(booking_id=1, environment_id=2, environment="stage", pool_id=3, member_id=4, person="holder",
               starts_at=AT, ends_at=None)
RESOURCE = dict(resource_id=5, resource="vm-1", pool_id=3, owner_id=4)
ALERT = dict(alert_id=6, pool_id=3, pool="Dev", based_on="env_change", channels=("C0ENVCHAN1",), recipient_ids=(4,))
SAMPLES = [
    events.BookingCreated(**BOOKING), events.BookingExtended(**BOOKING, previous_end=AT),
    events.BookingDeleted(**BOOKING), events.BookingStarted(**BOOKING), events.BookingEnded(**BOOKING),
    events.BookingReleased(**BOOKING), events.WaitlistTurn(2, "stage", 4, acquired=True, starts_at=AT, ends_at=AT),
    events.EnvironmentChanged(2, "stage", 3), events.EnvironmentActivation(2, "stage", 3, active=False),
    events.TtlPassed(**RESOURCE, period_key="ttl", ttl=AT),
    events.ExpenseLimitExceeded(**RESOURCE, period_key="2026-03-09", daily=True, actual=Decimal("12.504"),
                                limit=Decimal(10), currency="USD"),
    events.TtlExpiring(**RESOURCE, ttl=AT),
    events.PoolAlertCrossed(6, 3, "Dev", "forecast", Decimal(50), "percentage", Decimal(100), Decimal("60.5"), "USD",
                            "month-to-date cost"),
    events.AlertAdded(**ALERT), events.AlertRemoved(**ALERT),
    events.PowerWarning(5, "vm-1", 4, "Office", "Europe/Berlin", "2026-03-10 10:30", AT),
    events.PowerActionFailed(5, "power", {"schedule": "Office", "action": "stop", "resource": "vm-1",
                                          "detail": "IncorrectInstanceState"}, (4,)),
    events.ImportFailed(7, "aws", "AWS refused the credentials"),
    events.CatalogNotice("notice_waitlist_free", {"environment": "stage"}, environment_id=2),
    events.MemberInvited(4, "Acme", "engineer"),
    events.BookingCancelledMemberRemoved(2, "stage", "Pat", 4, "Acme"),
]


def test_every_registered_type_has_a_sample():
    assert sorted(type(e).type for e in SAMPLES) == sorted(base._TYPES)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.type)
def test_an_event_reads_back_equal_from_its_json(event):
    stored = json.loads(json.dumps(encode(event)))
    assert decode(event.type, stored) == event


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.type)
def test_an_event_says_what_happened_with_every_param_filled(event):
    code, params = event.notice()
    assert code in CATALOG
    assert all(isinstance(value, str) for value in params.values())
    assert "{" not in event.text()


def test_a_type_name_is_registered_once():
    with pytest.raises(ValueError):
        base.event_type("booking_created")(type("Again", (events.Event,), {}))
