"""The web console as a route installer for build_app: templates, sessions, security middleware, features."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from webconsole import pages, sessions
from webconsole.options import CONFIG, ConsoleConfig
from webconsole.routes import FEATURES
from webconsole.security import csrf_check, security_headers

STATIC = Path(__file__).parent / "static"


def console_routes(config: ConsoleConfig) -> Callable[[web.Application], None]:
    """Install the console: Jinja2 templates, the middleware (headers, error pages, session, CSRF), its pages."""

    def add(app: web.Application) -> None:
        app[CONFIG] = config
        aiohttp_jinja2.setup(app, loader=jinja2.PackageLoader("webconsole", "templates"),
                             autoescape=jinja2.select_autoescape(default=True), undefined=jinja2.StrictUndefined)
        app.middlewares.extend([security_headers, pages.error_pages,
                                sessions.middleware(config.secret_key, secure=config.secure), csrf_check])
        app.router.add_static("/static", STATIC)
        for feature in FEATURES:
            feature.add_routes(app)

    return add
