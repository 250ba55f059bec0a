"""The one source of the current time, so services can take `now` in tests."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
