"""Pool alert evaluation: once per crossing per month, re-arm below, reset each month."""

from decimal import Decimal

import pytest

from core.messages import CATALOG, render
from core.rules.alerts import Decision, describe, evaluate, is_month, threshold_amount

LIMIT = Decimal("1000")


class Alert:
    """An alert's stored state, fed through evaluate the way the service does."""

    def __init__(self, threshold, threshold_type="percentage", based_on="cost"):
        self.threshold, self.threshold_type, self.based_on = Decimal(threshold), threshold_type, based_on
        self.state_month, self.state_above = "", False

    def check(self, value, month="2024-05", limit=LIMIT, formula=None) -> Decision:
        decision = evaluate(based_on=self.based_on, threshold=self.threshold, threshold_type=self.threshold_type,
                            limit=Decimal(limit), value=Decimal(value), month=month,
                            state_month=self.state_month, state_above=self.state_above, formula=formula)
        self.state_month, self.state_above = decision.new_state_month, decision.new_state_above
        return decision


def fired(alert: Alert, values, **kwargs) -> list[bool]:
    return [alert.check(v, **kwargs).fire for v in values]


def test_50_and_90_percent_alerts_each_fire_once_as_cost_grows():
    half, most = Alert(50), Alert(90)
    costs = [100, 499.99, 500, 700, 899, 900, 950, 1200]
    assert fired(half, costs) == [False, False, True, False, False, False, False, False]
    assert fired(most, costs) == [False, False, False, False, False, True, False, False]


def test_staying_above_does_not_fire_again():
    alert = Alert(50)
    assert fired(alert, [600, 600, 700, 2000]) == [True, False, False, False]
    assert alert.state_above is True


def test_falling_below_rearms_and_crossing_again_fires_again():
    alert = Alert(50)
    assert fired(alert, [600, 450, 480, 520, 530, 100, 501]) == [True, False, False, True, False, False, True]


def test_new_month_resets_state_and_fires_once_if_already_above():
    alert = Alert(50)
    assert alert.check(600, month="2024-05").fire
    first = alert.check(600, month="2024-06")
    assert first.fire and first.new_state_month == "2024-06"
    assert not alert.check(650, month="2024-06").fire


def test_new_month_below_threshold_starts_unfired():
    alert = Alert(50)
    alert.check(600, month="2024-05")
    decision = alert.check(10, month="2024-06")
    assert (decision.fire, decision.new_state_month, decision.new_state_above) == (False, "2024-06", False)
    assert alert.check(500, month="2024-06").fire


def test_year_boundary_is_a_new_month():
    alert = Alert(50)
    alert.check(600, month="2024-12")
    assert alert.check(600, month="2025-01").fire


def test_stale_month_never_fires_and_keeps_state():
    alert = Alert(50)
    alert.check(100, month="2024-06")
    decision = alert.check(900, month="2024-05")
    assert (decision.fire, decision.new_state_month, decision.new_state_above) == (False, "2024-06", False)


def test_exactly_at_threshold_counts_as_crossing():
    assert Alert(50).check("500.00").fire
    assert Alert("250.50", "absolute").check("250.50").fire
    assert not Alert("250.50", "absolute").check("250.49").fire


def test_absolute_threshold_ignores_limit():
    alert = Alert(300, "absolute")
    assert fired(alert, [299, 300], limit=0) == [False, True]
    assert Alert(300, "absolute").check(300, limit=100).fire


def test_percentage_threshold_follows_the_limit():
    assert threshold_amount(threshold=Decimal(50), threshold_type="percentage", limit=Decimal(1000)) == 500
    assert threshold_amount(threshold=Decimal(150), threshold_type="percentage", limit=Decimal(200)) == 300
    assert threshold_amount(threshold=Decimal(80), threshold_type="absolute", limit=Decimal(0)) == 80
    assert not Alert(50).check(600, limit=2000).fire
    assert Alert(50).check(600, limit=1200).fire


def test_percentage_alert_on_pool_without_limit_never_fires():
    alert = Alert(1)
    decisions = [alert.check(v, limit=0) for v in [0, 1, 10**9]]
    assert [d.fire for d in decisions] == [False, False, False]
    assert all(d.threshold_amount is None and d.new_state_above is False for d in decisions)
    assert threshold_amount(threshold=Decimal(50), threshold_type="percentage", limit=Decimal(0)) is None


def test_raising_the_limit_rearms_a_percentage_alert():
    alert = Alert(50)
    assert fired(alert, [600], limit=1000) == [True]
    assert fired(alert, [600], limit=2000) == [False]
    assert fired(alert, [1000], limit=2000) == [True]


def test_negative_cost_after_credits_is_below():
    alert = Alert(50)
    assert fired(alert, [600, -20, 600]) == [True, False, True]


def test_forecast_alert_carries_formula_and_fires_like_cost():
    alert = Alert(100, based_on="forecast")
    formula = "120.00 + 4.00/day × 25 days = 220.00"
    decision = alert.check(1100, formula=formula)
    assert decision.fire and decision.params["formula"] == formula
    assert decision.message_code == "alert_forecast_reached"
    assert fired(alert, [950, 1000], formula=formula) == [False, True]


def test_forecast_without_formula_states_the_default_one():
    decision = Alert(100, based_on="forecast").check(1100)
    assert "average daily cost" in decision.params["formula"]


def test_cost_alert_has_no_formula():
    assert Alert(50).check(600, formula="ignored").params["formula"] == ""


def test_decision_reports_amounts():
    decision = Alert(90).check("912.345")
    assert decision.threshold_amount == 900 and decision.value == Decimal("912.345") and decision.limit == LIMIT


def test_describe_formats_money_to_the_cent_and_percent_of_limit():
    code, params = describe(based_on="cost", threshold=Decimal(50), threshold_type="percentage",
                            limit=Decimal(1234), value=Decimal("617.005"))
    assert code == "alert_cost_reached"
    assert params == {"value": "617.01", "limit": "1,234.00", "threshold_amount": "617.00",
                      "percent_of_limit": "50.0%", "formula": ""}


def test_describe_without_limit_uses_the_no_limit_message():
    code, params = describe(based_on="forecast", threshold=Decimal(300), threshold_type="absolute",
                            limit=Decimal(0), value=Decimal(310), formula="f")
    assert code == "alert_forecast_reached_no_limit"
    assert params["percent_of_limit"] == "n/a" and params["threshold_amount"] == "300.00"


@pytest.mark.parametrize("based_on, limit", [("cost", 1000), ("cost", 0), ("forecast", 1000), ("forecast", 0)])
def test_every_decision_message_renders_with_value_limit_and_formula(based_on, limit):
    alert = Alert(300, "absolute", based_on=based_on)
    decision = alert.check(1500, limit=limit, formula="a + b × c")
    assert decision.message_code in CATALOG
    text = render(decision.message_code, pool="Dev", currency="EUR", **decision.params)
    assert "{" not in text and "Dev" in text and "1,500.00 EUR" in text and "300.00 EUR" in text
    assert ("1,000.00 EUR" in text and "150.0%" in text) if limit else "no monthly limit" in text
    assert ("a + b × c" in text) == (based_on == "forecast")


@pytest.mark.parametrize("based_on", ["constraint", "env_change"])
def test_alerts_without_threshold_are_not_evaluated(based_on):
    with pytest.raises(ValueError):
        Alert(0, based_on=based_on).check(100)


@pytest.mark.parametrize("month", ["2024-5", "2024-13", "2024-00", "24-05", "", "2024-05-01"])
def test_malformed_month_is_refused(month):
    assert not is_month(month)
    with pytest.raises(ValueError):
        Alert(50).check(100, month=month)


@pytest.mark.parametrize("month", ["2024-01", "2024-12", "1999-09"])
def test_well_formed_months(month):
    assert is_month(month)


def test_enum_members_work_like_their_values():
    from core.models import AlertBasis, ThresholdType

    decision = evaluate(based_on=AlertBasis.COST, threshold=Decimal(50), threshold_type=ThresholdType.PERCENTAGE,
                        limit=LIMIT, value=Decimal(500), month="2024-05", state_month="", state_above=False)
    assert decision.fire and decision.message_code == "alert_cost_reached"
