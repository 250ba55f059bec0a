"""Builds the aiohttp application from the parts the composition root hands in."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from aiohttp import web

from core import log_context
from webconsole import health


@web.middleware
async def request_in_log(request: web.Request, handler) -> web.StreamResponse:
    """Every log line written while answering carries the request's id (X-Request-Id when given) and path."""
    given = request.headers.get("X-Request-Id", "")
    ident = given[:64] if given.isascii() and given.isprintable() and given else secrets.token_hex(6)
    with log_context.bound(request=ident, path=request.path):
        return await handler(request)


def build_app(*, checks: dict[str, health.Check],
              routes: Iterable[Callable[[web.Application], None]] = ()) -> web.Application:
    """The app with /healthz and whatever each route installer adds (such as Slack's endpoints)."""
    app = web.Application(middlewares=[request_in_log])
    health.add_routes(app, checks)
    for add in routes:
        add(app)
    return app
