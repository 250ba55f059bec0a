"""Sign-in throttling kept in the database, so every process sharing it counts the same failures.

Each key (an account's email, a client address) may fail `limit` times in WINDOW; then it is locked for
LOCK. A successful sign-in clears the account's count, never the address's.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.db import transaction
from core.errors import Conflict
from core.models import SignInThrottle

WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


def account_key(email: str) -> str:
    return "account:" + (email or "").strip().lower()[:255]


def address_key(address: str) -> str:
    return "address:" + (address or "unknown")[:64]


async def refuse_locked(keys: list[str], now: datetime) -> None:
    """Raises: Conflict (sign_in_throttled) while any of the keys is locked."""
    until = await (SignInThrottle.filter(key__in=keys, locked_until__gt=now)
                   .order_by("-locked_until").first().values_list("locked_until", flat=True))
    if until is not None:
        raise Conflict("sign_in_throttled", minutes=max(1, math.ceil((until - now).total_seconds() / 60)))


async def record_failure(limits: dict[str, int], now: datetime) -> None:
    """Count one failure against each key (in one transaction), locking the keys that reach their limit."""
    async with transaction():
        for key, limit in limits.items():
            row = await _locked_row(key, now)
            if row.window_started_at <= now - WINDOW:
                row.failures, row.window_started_at = 0, now
            row.failures += 1
            if row.failures >= limit:
                row.locked_until = now + LOCK
                row.failures, row.window_started_at = 0, now
            await row.save(update_fields=["failures", "window_started_at", "locked_until"])


async def clear(key: str) -> None:
    await SignInThrottle.filter(key=key).delete()


async def _locked_row(key: str, now: datetime) -> SignInThrottle:
    """The key's row, locked for update; created on the first failure (another process may race us)."""
    row = await SignInThrottle.filter(key=key).select_for_update().first()
    if row is not None:
        return row
    try:
        async with transaction():
            await SignInThrottle.create(key=key, failures=0, window_started_at=now)
    except IntegrityError:
        pass
    return await SignInThrottle.filter(key=key).select_for_update().get()
