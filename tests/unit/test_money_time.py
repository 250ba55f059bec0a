"""Money and moments read one way everywhere."""

from datetime import datetime, timezone
from decimal import Decimal

from core.money import cents, shown, stored
from core.timefmt import OPEN_END, show


def test_stored_amounts_keep_six_decimals_and_nothing_reads_as_zero():
    assert stored(None) == Decimal(0)
    assert stored("12.3456789") == Decimal("12.345679") and str(stored(Decimal("2"))) == "2.000000"
    assert stored(1.5) == Decimal("1.5")


def test_cents_round_half_up_and_people_see_thousands_separated():
    assert cents(Decimal("0.125")) == Decimal("0.13") and cents(Decimal("-0.125")) == Decimal("-0.13")
    assert shown(Decimal("1234567.005")) == "1,234,567.01" and shown(5) == "5.00"


def test_a_moment_reads_in_utc_by_default_and_in_a_given_zone():
    moment = datetime(2026, 7, 1, 9, 30, tzinfo=timezone.utc)
    assert show(moment) == "2026-07-01 09:30 UTC"
    assert show(moment, "Europe/Berlin") == "2026-07-01 11:30 CEST"
    assert show(None) == OPEN_END == "further notice"
