"""Small input checks shared by services; each raises InvalidInput with a code that says what to fix.

`field` is the key of the argument checked (its label comes from core.messages.fields); `about` adds the
params a nested input's label names (its `position`, ...).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import InvalidInput
from core.money import CENT

E = TypeVar("E", bound=Enum)


def text(field: str, value: str | None, *, max_length: int = 255, required: bool = True, **about: object) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput("blank_value", field=field, **about)
    if len(cleaned) > max_length:
        raise InvalidInput("value_too_long", field=field, max=max_length, **about)
    return cleaned


def whole_number(field: str, value: object, *, minimum: int, maximum: int, **about: object) -> int:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput("not_a_whole_number", field=field, value=value, **about) from None
    if number != number.to_integral_value():
        raise InvalidInput("not_a_whole_number", field=field, value=value, **about)
    if not minimum <= number <= maximum:
        raise InvalidInput("value_out_of_range", field=field, min=minimum, max=maximum, value=value, **about)
    return int(number)


def amount(field: str, value: object, *, maximum: Decimal = Decimal("1e15")) -> Decimal:
    """A non-negative money amount with at most two decimals."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput("not_an_amount", field=field, value=value) from None
    if not number.is_finite() or number < 0 or number >= maximum or number != number.quantize(CENT):
        raise InvalidInput("not_an_amount", field=field, value=value)
    return number


def choice(field: str, value: object, enum: type[E]) -> E:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise InvalidInput("not_in_choices", field=field, value=value, choices=choices) from None


def timezone_name(field: str, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("invalid_timezone", field=field, value=value) from None
    return value
