"""Money, one way everywhere: `Decimal` amounts, costs stored with 6 decimals, shown to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

STORED = Decimal("0.000001")  # the precision of a stored cost
CENT = Decimal("0.01")
COST_LIMIT = Decimal("1e14")  # a stored cost stays below this (the column holds 20 digits, 6 after the point)


def stored(value: object) -> Decimal:
    """An amount read from the database (a Decimal, text on SQLite, or None for no rows) at storage precision."""
    return Decimal(0) if value is None else Decimal(str(value)).quantize(STORED)


def cents(amount: object) -> Decimal:
    """An amount rounded half up to the cent."""
    return Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)


def shown(amount: object) -> str:
    """An amount for people: to the cent, thousands separated ("1,234.50")."""
    return f"{cents(amount):,}"
