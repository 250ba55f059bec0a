"""Security headers on every response, and the CSRF check of every console form."""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web
from aiohttp_session import Session, get_session

CSRF_FIELD = "csrf_token"
SLACK_PREFIX = "/slack/"  # Slack's endpoints verify Slack's own signature instead
HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@web.middleware
async def security_headers(request: web.Request, handler) -> web.StreamResponse:
    response = await handler(request)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path != "/healthz" and not request.path.startswith(SLACK_PREFIX):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def csrf_token(session: Session) -> str:
    """The session's CSRF token, made on first use."""
    if not session.get("csrf"):
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@web.middleware
async def csrf_check(request: web.Request, handler) -> web.StreamResponse:
    """Every unsafe request outside Slack's endpoints must carry the session's token; else 403."""
    if request.method in UNSAFE and not request.path.startswith(SLACK_PREFIX):
        expected = (await get_session(request)).get("csrf") or ""
        sent = (await request.post()).get(CSRF_FIELD) or ""
        if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
            raise web.HTTPForbidden(reason="csrf")
    return await handler(request)
