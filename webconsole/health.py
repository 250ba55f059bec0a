"""GET /healthz: 200 when every registered part answers, 503 naming the ones that do not."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]
CHECKS = web.AppKey("health_checks", dict)


async def healthz(request: web.Request) -> web.Response:
    results: dict[str, str] = {}
    for name, check in request.app[CHECKS].items():
        try:
            await check()
            results[name] = "ok"
        except Exception as exc:  # a health probe reports every failure instead of raising
            log.warning("health check %s failed: %s", name, exc)
            results[name] = "failing"
    healthy = all(v == "ok" for v in results.values())
    return web.json_response({"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503)


def add_routes(app: web.Application, checks: dict[str, Check]) -> None:
    app[CHECKS] = checks
    app.router.add_get("/healthz", healthz)
