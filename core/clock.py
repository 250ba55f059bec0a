"""The one source of the current time: services take `now`, everything else asks `utcnow()`.

`pin(moment)` sets the clock so that it reads `moment` now and runs on from there (tests pin the served app
to a known day); `pin(None)` goes back to the real time.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

_offset = timedelta(0)


def utcnow() -> datetime:
    return datetime.now(timezone.utc) + _offset


def pin(moment: datetime | None) -> None:
    global _offset
    _offset = timedelta(0) if moment is None else moment - datetime.now(timezone.utc)
