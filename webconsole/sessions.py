"""Who is signed in: the member id in an encrypted session cookie (aiohttp-session), and flash messages."""

from __future__ import annotations

import hashlib

from aiohttp import web
from aiohttp_session import get_session, new_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from core.models import Member
from webconsole.security import csrf_token

COOKIE = "cloudtuner_session"
MEMBER = web.RequestKey("console_member", object)
MAX_AGE = 14 * 24 * 3600


def middleware(secret_key: str, *, secure: bool):
    """The session middleware: HttpOnly, SameSite=Lax, Secure over https, keyed by the process secret."""
    key = hashlib.sha256(("cloudtuner-session:" + secret_key).encode()).digest()
    storage = EncryptedCookieStorage(key, cookie_name=COOKIE, httponly=True, samesite="Lax", secure=secure,
                                     max_age=MAX_AGE)
    return session_middleware(storage)


async def begin(request: web.Request, member: Member) -> None:
    """A fresh session (new CSRF token, nothing carried over) for the member who just signed in."""
    session = await new_session(request)
    session["member_id"] = member.id
    csrf_token(session)


async def end(request: web.Request) -> None:
    (await get_session(request)).invalidate()


async def member(request: web.Request) -> Member | None:
    """The signed-in member, or None (also when the member was removed since)."""
    if MEMBER not in request:
        member_id = (await get_session(request)).get("member_id")
        request[MEMBER] = await Member.get_or_none(id=member_id) if isinstance(member_id, int) else None
    return request[MEMBER]


async def required(request: web.Request) -> Member:
    """The signed-in member; everyone else goes to the sign-in page."""
    found = await member(request)
    if found is None:
        raise web.HTTPSeeOther("/signin")
    return found


async def flash(request: web.Request, text: str, kind: str = "ok") -> None:
    session = await get_session(request)
    session["flash"] = [*session.get("flash", []), [kind, text]][-5:]


async def take_flashes(request: web.Request) -> list[list[str]]:
    return (await get_session(request)).pop("flash", [])
