"""Pool alert evaluation: fire once per crossing per month, re-arm when the value falls back below.

Semantics (cost and forecast alerts):
- the threshold amount is the absolute threshold, or `threshold`% of the pool's monthly limit;
  a percentage alert on a pool without a limit (0) has no amount and never fires;
- the value reaches the threshold when value >= amount (exactly at the threshold counts);
- the alert fires when the value reaches the threshold and it was below at the previous evaluation
  of the same month; while it stays above nothing fires; falling below re-arms it;
- a new month starts below (un-fired): a value already above at its first evaluation fires once;
- an evaluation for a month before the stored one is stale: it never fires and keeps the state.
Percentage thresholds are whole numbers 1..MAX_PERCENTAGE (a pool can overshoot its limit 5 times).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.money import shown

THRESHOLD_BASES = frozenset({"cost", "forecast"})
MAX_PERCENTAGE = 500
DEFAULT_FORMULA = "month-to-date cost + average daily cost × days left in the month"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Decision:
    """The outcome of one evaluation: whether to notify, the state to store, and the message to send."""

    fire: bool
    new_state_month: str
    new_state_above: bool
    threshold_amount: Decimal | None
    value: Decimal
    limit: Decimal
    message_code: str
    params: dict[str, str]


def is_month(value: object) -> bool:
    """True for a calendar month written "YYYY-MM"."""
    return isinstance(value, str) and bool(_MONTH.match(value))


def threshold_amount(*, threshold: Decimal, threshold_type: str, limit: Decimal) -> Decimal | None:
    """The amount that trips the alert; None for a percentage alert on a pool without a limit."""
    if _name(threshold_type) == "absolute":
        return Decimal(threshold)
    if limit <= 0:
        return None
    return Decimal(limit) * Decimal(threshold) / 100


def describe(*, based_on: str, threshold: Decimal, threshold_type: str, limit: Decimal, value: Decimal,
             formula: str | None = None) -> tuple[str, dict[str, str]]:
    """The message code and its params (money to the cent); the caller adds `pool` and `currency`."""
    basis = _name(based_on)
    amount = threshold_amount(threshold=threshold, threshold_type=threshold_type, limit=limit)
    params = {
        "value": shown(value),
        "limit": shown(limit),
        "threshold_amount": shown(amount) if amount is not None else "n/a",
        "percent_of_limit": f"{(Decimal(value) * 100 / limit).quantize(_TENTH, ROUND_HALF_UP)}%" if limit > 0 else "n/a",
        "formula": (formula or DEFAULT_FORMULA) if basis == "forecast" else "",
    }
    code = f"alert_{basis}_reached" + ("" if limit > 0 else "_no_limit")
    return code, params


def evaluate(*, based_on: str, threshold: Decimal, threshold_type: str, limit: Decimal, value: Decimal,
             month: str, state_month: str, state_above: bool, formula: str | None = None) -> Decision:
    """Decide whether a cost or forecast alert fires for `value` in `month`, given the stored state.

    Raises ValueError for an alert that has no threshold (constraint, env_change) or a malformed month.
    """
    if _name(based_on) not in THRESHOLD_BASES:
        raise ValueError(f"{_name(based_on)} alerts are not evaluated against a threshold")
    if not is_month(month):
        raise ValueError(f"month must be YYYY-MM, got {month!r}")
    value, limit = Decimal(value), Decimal(limit)
    amount = threshold_amount(threshold=threshold, threshold_type=threshold_type, limit=limit)
    code, params = describe(based_on=based_on, threshold=threshold, threshold_type=threshold_type,
                            limit=limit, value=value, formula=formula)
    if state_month and month < state_month:
        return Decision(False, state_month, state_above, amount, value, limit, code, params)
    above = amount is not None and value >= amount
    was_above = state_above and state_month == month
    return Decision(above and not was_above, month, above, amount, value, limit, code, params)


def _name(value: object) -> str:
    """The plain string of an enum member or a string."""
    return str(getattr(value, "value", value))
