"""Month-end cost forecast: month-to-date cost plus the recent daily average for the days left."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.money import cents

AVERAGE_DAYS = 30


@dataclass(frozen=True)
class Forecast:
    """A forecast with its parts; `value` = mtd + daily_average × days_left exactly, all in cents."""

    value: Decimal
    mtd: Decimal
    daily_average: Decimal
    days_averaged: int
    days_left: int
    formula: str


def history_start(today: date) -> date:
    """The first day whose cost a forecast for `today` reads (covers both the month and the average)."""
    return today - timedelta(days=AVERAGE_DAYS)


def days_left_in_month(today: date) -> int:
    """Whole days after today until the end of its month: 0 on the last day."""
    return calendar.monthrange(today.year, today.month)[1] - today.day


def forecast(*, today: date, daily: Mapping[date, Decimal], first_day: date | None) -> Forecast:
    """Forecast the month's cost from per-day costs and the day of the first expense ever.

    - mtd: the cost of the days from the 1st of today's month through today (today may be partial).
    - daily_average: the cost of the complete days before today, at most the last 30 (today-30 ..
      today-1), starting no earlier than `first_day`, divided by the number of calendar days in that
      window (days without cost count as 0). On the 1st of a month these are last month's days. With
      no complete day of history (no expense, or the first expense is today) the average is 0.
    - days_left: the days after today until the month's end; today is not counted again because its
      cost so far is already in mtd. On the last day of a month the forecast is the mtd.
    Amounts are rounded to cents before combining, so the formula adds up exactly.
    """
    month_start = today.replace(day=1)
    mtd = cents(sum((cost for day, cost in daily.items() if month_start <= day <= today), Decimal(0)))
    window_end = today - timedelta(days=1)
    window_start = history_start(today)
    if first_day is not None and first_day > window_start:
        window_start = first_day
    days_averaged = max((window_end - window_start).days + 1, 0) if first_day is not None else 0
    window_total = sum((cost for day, cost in daily.items() if window_start <= day <= window_end), Decimal(0))
    daily_average = cents(window_total / days_averaged) if days_averaged else cents(Decimal(0))
    days_left = days_left_in_month(today)
    value = mtd + daily_average * days_left
    return Forecast(value=value, mtd=mtd, daily_average=daily_average, days_averaged=days_averaged,
                    days_left=days_left, formula=_formula(mtd, daily_average, days_averaged, days_left, value))


def _formula(mtd: Decimal, average: Decimal, days_averaged: int, days_left: int, value: Decimal) -> str:
    window = f"over last {_days(days_averaged)}" if days_averaged else "(no full day of history yet)"
    return (f"{mtd:,.2f} month-to-date + {average:,.2f}/day avg {window} "
            f"× {_days(days_left)} left = {value:,.2f}")


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
