"""Console passwords: argon2id hashes (argon2-cffi), computed off the event loop."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.clock import utcnow
from core.db import transaction
from core.errors import InvalidInput
from core.models import Credential, Member
from core.permissions import load_actor

MIN_LENGTH, MAX_LENGTH = 10, 1024
# OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): strong, and cheap enough for a 2-core server.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY = _HASHER.hash("a password nobody has")


def checked(password: str, field: str = "password") -> str:
    """The password when it is long enough and not absurdly long.

    Raises: InvalidInput (password_too_short, password_too_long).
    """
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise InvalidInput("password_too_short", field=field, min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput("password_too_long", field=field, max=MAX_LENGTH)
    return password


async def hashed(password: str, field: str = "password") -> str:
    """The argon2 hash of a checked password. Raises: InvalidInput (see checked)."""
    return await asyncio.to_thread(_HASHER.hash, checked(password, field))


async def matches(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no hash a dummy is verified so both take the same time."""

    def verify() -> bool:
        try:
            return _HASHER.verify(password_hash or _DUMMY, password or "") and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


async def store(member_id: int, password_hash: str) -> None:
    """Keep the member's new password hash; call inside the caller's transaction."""
    await Credential.update_or_create(member_id=member_id,
                                      defaults={"password_hash": password_hash, "updated_at": utcnow()})


async def set_password(*, member_id: int, password: str) -> Member:
    """Set a member's console password (the operator's `cloudtuner init`).

    Raises: InvalidInput (password too short/long), NotFound (member).
    """
    member = await load_actor(member_id)
    password_hash = await hashed(password)
    async with transaction():
        await store(member.id, password_hash)
    return member
