"""One-time link tokens (invites, sign-in links): random, stored only as a hash, single use, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from core.errors import NotFound
from core.models import OneTimeToken

INVITE, SIGN_IN = "invite", "sign_in"


def digest(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


async def issue(*, member_id: int, purpose: str, lifetime: timedelta, now: datetime,
                created_by_id: int | None = None) -> str:
    """A new token for the member; call inside the caller's transaction. Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    await OneTimeToken.create(token_hash=digest(token), purpose=purpose, member_id=member_id,
                              created_by_id=created_by_id, expires_at=now + lifetime)
    return token


async def valid(token: str, purpose: str, now: datetime, *, code: str, lock: bool = False) -> OneTimeToken:
    """The unused, unexpired token row (locked for update when asked).

    Raises: NotFound (`code`) when the token is unknown, used, expired or for another purpose.
    """
    query = OneTimeToken.filter(token_hash=digest(token), purpose=purpose)
    row = await (query.select_for_update() if lock else query).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise NotFound(code)
    return row


async def use(token: str, purpose: str, now: datetime, *, code: str) -> OneTimeToken:
    """Mark the token used, once; call inside a transaction.

    Raises: NotFound (`code`).
    """
    row = await valid(token, purpose, now, code=code, lock=True)
    updated = await OneTimeToken.filter(id=row.id, used_at__isnull=True).update(used_at=now)
    if not updated:
        raise NotFound(code)
    return row
