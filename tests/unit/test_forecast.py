"""The month-end forecast: windows, edges of the month, short or missing history, rounding, formula."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.rules.forecast import days_left_in_month, forecast, history_start

D = Decimal


def _flat(start: date, end: date, cost: str) -> dict[date, Decimal]:
    return {start + timedelta(days=i): D(cost) for i in range((end - start).days + 1)}


@pytest.mark.parametrize("today, left", [
    (date(2024, 3, 1), 30), (date(2024, 3, 31), 0), (date(2024, 2, 29), 0), (date(2023, 2, 28), 0),
    (date(2024, 2, 28), 1), (date(2024, 4, 21), 9), (date(2024, 12, 31), 0),
])
def test_days_left_counts_days_after_today(today, left):
    assert days_left_in_month(today) == left


def test_history_start_covers_the_average_window_and_the_month():
    assert history_start(date(2024, 3, 31)) == date(2024, 3, 1)
    assert history_start(date(2024, 3, 1)) == date(2024, 1, 31)


def test_no_expenses_forecasts_zero():
    result = forecast(today=date(2024, 4, 21), daily={}, first_day=None)
    assert (result.value, result.mtd, result.daily_average, result.days_averaged) == (0, 0, 0, 0)
    assert result.days_left == 9
    assert result.formula == "0.00 month-to-date + 0.00/day avg (no full day of history yet) × 9 days left = 0.00"


def test_full_history_mid_month():
    today = date(2024, 4, 21)
    daily = _flat(date(2024, 1, 1), today, "10")
    result = forecast(today=today, daily=daily, first_day=date(2024, 1, 1))
    assert result.mtd == D("210.00")
    assert result.daily_average == D("10.00") and result.days_averaged == 30
    assert result.value == D("300.00")
    assert result.formula == "210.00 month-to-date + 10.00/day avg over last 30 days × 9 days left = 300.00"


def test_average_uses_the_30_complete_days_before_today_only():
    today = date(2024, 4, 21)
    daily = {today - timedelta(days=31): D("1000"), today - timedelta(days=30): D("30"), today: D("500")}
    result = forecast(today=today, daily=daily, first_day=date(2024, 1, 1))
    assert result.daily_average == D("1.00")  # 30 over 30 days; the day before and today are out
    assert result.mtd == D("500.00")
    assert result.value == D("509.00")


def test_first_day_of_month_uses_last_months_days():
    today = date(2024, 5, 1)
    daily = _flat(date(2024, 3, 1), date(2024, 4, 30), "20") | {today: D("3.5")}
    result = forecast(today=today, daily=daily, first_day=date(2024, 3, 1))
    assert result.mtd == D("3.50")
    assert result.daily_average == D("20.00") and result.days_averaged == 30
    assert result.days_left == 30
    assert result.value == D("603.50")


def test_first_day_of_month_before_any_cost_today():
    result = forecast(today=date(2024, 5, 1), daily=_flat(date(2024, 4, 1), date(2024, 4, 30), "2"),
                      first_day=date(2024, 4, 1))
    assert result.mtd == 0 and result.value == D("60.00")


def test_last_day_of_month_forecast_is_the_month_to_date():
    today = date(2024, 4, 30)
    result = forecast(today=today, daily=_flat(date(2024, 3, 1), today, "7.25"), first_day=date(2024, 3, 1))
    assert result.days_left == 0
    assert result.mtd == D("217.50") and result.value == result.mtd
    assert result.formula.endswith("× 0 days left = 217.50")


def test_fewer_than_30_days_of_history_averages_since_the_first_expense():
    today = date(2024, 4, 21)
    daily = {date(2024, 4, 16): D("12"), date(2024, 4, 18): D("18"), today: D("4")}
    result = forecast(today=today, daily=daily, first_day=date(2024, 4, 16))
    assert result.days_averaged == 5  # 16..20; days without cost count as zero
    assert result.daily_average == D("6.00")
    assert result.mtd == D("34.00") and result.value == D("88.00")
    assert "over last 5 days" in result.formula


def test_one_day_of_history_is_singular():
    today = date(2024, 4, 21)
    result = forecast(today=today, daily={date(2024, 4, 20): D("5")}, first_day=date(2024, 4, 20))
    assert result.days_averaged == 1 and result.value == D("50.00")
    assert "over last 1 day ×" in result.formula


def test_first_expense_today_has_no_average_yet():
    today = date(2024, 4, 21)
    result = forecast(today=today, daily={today: D("9.99")}, first_day=today)
    assert result.days_averaged == 0 and result.daily_average == 0
    assert result.value == D("9.99")
    assert "(no full day of history yet)" in result.formula


def test_history_that_spans_the_month_start():
    today = date(2024, 4, 10)
    daily = _flat(date(2024, 3, 27), date(2024, 3, 31), "100") | _flat(date(2024, 4, 1), today, "1")
    result = forecast(today=today, daily=daily, first_day=date(2024, 3, 27))
    assert result.mtd == D("10.00")
    assert result.days_averaged == 14  # Mar 27 .. Apr 9
    assert result.daily_average == D("36.36")  # 509 / 14 = 36.357
    assert result.value == D("10.00") + D("36.36") * 20


def test_amounts_are_rounded_to_cents_and_the_formula_adds_up():
    today = date(2024, 4, 21)
    daily = _flat(date(2024, 3, 1), date(2024, 4, 20), "41.1533") | {today: D("1234.504999")}
    result = forecast(today=today, daily=daily, first_day=date(2024, 3, 1))
    assert result.daily_average == D("41.15")
    assert result.mtd == D("2057.57")  # 20 × 41.1533 + 1234.504999 = 2057.570999
    assert result.value == D("2427.92")  # 2057.57 + 41.15 × 9, not 2427.95 from the unrounded average
    assert result.formula.endswith("41.15/day avg over last 30 days × 9 days left = 2,427.92")


def test_half_cents_round_up():
    today = date(2024, 5, 1)
    result = forecast(today=today, daily={date(2024, 4, 30): D("0.005"), today: D("0.125")},
                      first_day=date(2024, 4, 30))
    assert result.daily_average == D("0.01") and result.mtd == D("0.13")


def test_formula_uses_thousands_separators():
    today = date(2024, 4, 21)
    daily = _flat(date(2024, 3, 22), date(2024, 4, 20), "1234.5")
    result = forecast(today=today, daily=daily, first_day=date(2024, 1, 1))
    assert result.formula == ("24,690.00 month-to-date + 1,234.50/day avg over last 30 days "
                              "× 9 days left = 35,800.50")
