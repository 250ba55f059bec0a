"""GET /metrics in the Prometheus text format, and the timing of Slack's requests.

The registry is the process's own (built by the composition root), so each app counts for itself. The outbox
figures are read from the database at scrape time; when it does not answer they are left out of that scrape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from core.clock import utcnow
from core.queries.outbox import outbox_backlog

log = logging.getLogger(__name__)

SLACK_PREFIX = "/slack/"


def metrics_routes(registry: CollectorRegistry) -> Callable[[web.Application], None]:
    """A route installer for build_app: GET /metrics, and the latency and errors of every request under /slack/."""
    backlog = Gauge("cloudtuner_outbox_backlog", "Outbox messages waiting for delivery", ["target_kind"],
                    registry=registry)
    oldest = Gauge("cloudtuner_outbox_oldest_age_seconds", "Age of the oldest waiting outbox message",
                   ["target_kind"], registry=registry)
    latency = Histogram("cloudtuner_slack_request_seconds", "Time to answer Slack's requests", registry=registry,
                        buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10))
    errors = Counter("cloudtuner_slack_request_errors", "Slack requests answered with a server error",
                     registry=registry)

    async def scrape(request: web.Request) -> web.Response:
        try:
            rows = await outbox_backlog()
        except Exception:  # the database is down: /healthz says so; the other figures still count
            log.warning("metrics: the outbox backlog could not be read", exc_info=True)
            rows = None
        if rows is not None:
            backlog.clear()
            oldest.clear()
            now = utcnow()
            for row in rows:
                backlog.labels(row.target_kind).set(row.pending)
                oldest.labels(row.target_kind).set(max((now - row.oldest).total_seconds(), 0.0))
        return web.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @web.middleware
    async def timed(request: web.Request, handler):
        if not request.path.startswith(SLACK_PREFIX):
            return await handler(request)
        with latency.time():
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                if exc.status >= 500:
                    errors.inc()
                raise
            except Exception:
                errors.inc()
                raise
        if response.status >= 500:
            errors.inc()
        return response

    def add(app: web.Application) -> None:
        app.router.add_get("/metrics", scrape)
        app.middlewares.append(timed)

    return add
