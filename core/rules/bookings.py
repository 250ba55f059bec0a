"""Booking rules: half-open time ranges, booking lengths, past starts and environment status.

A booking covers [starts_at, ends_at); an end of None is open-ended (it never ends). Two bookings
that touch (one ends exactly when the other starts) do not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Protocol, TypeVar

from core.errors import InvalidInput
from core.timefmt import show

PAST_GRACE = timedelta(minutes=1)
MAX_BOOKING_MINUTES = 366 * 24 * 60
OVERLAP_CONSTRAINT = "booking_no_overlap"


class EnvStatus(str, Enum):
    IN_USE = "in use"
    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"


class Span(Protocol):
    starts_at: datetime
    ends_at: datetime | None


S = TypeVar("S", bound=Span)


def aware(field: str, value: datetime) -> datetime:
    """The moment in UTC; a datetime without a time zone is refused."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("booking_time_without_zone", field=field)
    return value.astimezone(timezone.utc)


def overlaps(start_a: datetime, end_a: datetime | None, start_b: datetime, end_b: datetime | None) -> bool:
    """Whether two half-open ranges share a moment."""
    return (end_b is None or start_a < end_b) and (end_a is None or start_b < end_a)


def covers(span: Span, moment: datetime) -> bool:
    return span.starts_at <= moment and (span.ends_at is None or moment < span.ends_at)


def has_started(span: Span, now: datetime) -> bool:
    """Started strictly before now: a booking starting this very moment can still be deleted by its owner."""
    return span.starts_at < now


def has_ended(span: Span, now: datetime) -> bool:
    return span.ends_at is not None and span.ends_at <= now


def starts_in_past(starts_at: datetime, now: datetime) -> bool:
    """Earlier than now, beyond a small grace so that "book from now" is never in the past."""
    return starts_at < now - PAST_GRACE


def check_range(starts_at: datetime, ends_at: datetime | None, *, max_minutes: int | None) -> None:
    """Refuse an empty or reversed range, and one longer than the environment's maximum (if any)."""
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput("booking_ends_before_start", field="ends_at", starts=show(starts_at), ends=show(ends_at))
    if max_minutes is None:
        return
    if ends_at is None:
        raise InvalidInput("booking_open_ended_not_allowed", field="ends_at", max_minutes=max_minutes)
    if ends_at - starts_at > timedelta(minutes=max_minutes):
        raise InvalidInput("booking_too_long", field="ends_at", max_minutes=max_minutes)


def current_and_next(spans: Iterable[S], now: datetime) -> tuple[S | None, S | None]:
    """The booking covering now and the earliest one starting after now."""
    current = next_one = None
    for span in spans:
        if current is None and covers(span, now):
            current = span
        elif span.starts_at > now and (next_one is None or span.starts_at < next_one.starts_at):
            next_one = span
    return current, next_one


def status(active: bool, current: Span | None) -> EnvStatus:
    if not active:
        return EnvStatus.UNAVAILABLE
    return EnvStatus.IN_USE if current is not None else EnvStatus.AVAILABLE


def waitlist_end(now: datetime, *, duration_minutes: int | None, max_minutes: int | None,
                 next_start: datetime | None) -> datetime | None:
    """End of a booking handed to the waitlist: the wanted length, capped by the maximum and the next booking."""
    lengths = [m for m in (duration_minutes, max_minutes) if m is not None]
    ends = [now + timedelta(minutes=min(lengths))] if lengths else []
    if next_start is not None:
        ends.append(next_start)
    return min(ends) if ends else None


def is_overlap_violation(exc: Exception) -> bool:
    """Whether a database error is PostgreSQL's exclusion constraint refusing overlapping bookings."""
    return OVERLAP_CONSTRAINT in str(exc)
