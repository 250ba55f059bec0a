"""Builds the aiohttp application from the parts the composition root hands in."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from aiohttp import web

from webconsole import health


def build_app(*, checks: dict[str, health.Check],
              routes: Iterable[Callable[[web.Application], None]] = ()) -> web.Application:
    """The app with /healthz and whatever each route installer adds (such as Slack's endpoints)."""
    app = web.Application()
    health.add_routes(app, checks)
    for add in routes:
        add(app)
    return app
