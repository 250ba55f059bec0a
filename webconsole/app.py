"""Builds the aiohttp application from the parts the composition root hands in."""

from __future__ import annotations

from aiohttp import web

from webconsole import health


def build_app(*, checks: dict[str, health.Check]) -> web.Application:
    app = web.Application()
    health.add_routes(app, checks)
    return app
