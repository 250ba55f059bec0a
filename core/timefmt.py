"""How a moment reads in messages: to the minute, with its zone; None reads as an open end."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

OPEN_END = "further notice"


def show(moment: datetime | None, tz: str | None = None) -> str:
    """The moment in the IANA zone `tz` ("2026-05-01 11:00 CEST"), in UTC when no zone is given."""
    if moment is None:
        return OPEN_END
    if tz is None:
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")
