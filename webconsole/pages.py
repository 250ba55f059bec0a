"""Rendering pages with the shared context, and the error pages (403, 404, 400, generic 500 with a reference)."""

from __future__ import annotations

import logging
import uuid

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session

from core.errors import CoreError, NotFound, PermissionDenied
from core.models import Role
from webconsole import sessions
from webconsole.security import SLACK_PREFIX, csrf_token

log = logging.getLogger(__name__)

NAV = web.AppKey("console_nav", list)
TITLES = {400: "Request not understood", 403: "Not allowed", 404: "Not found", 405: "Not allowed",
          413: "Too large", 429: "Too many requests"}
TEXTS = {404: "There is no such page here.", 405: "This page does not take that kind of request."}
CSRF_TEXT = "This form has expired or did not come from this site. Go back, reload the page and try again."


def add_nav(app: web.Application, label: str, path: str, *, managers_only: bool) -> None:
    """A navigation entry; managers_only entries are shown to organization managers alone."""
    app.setdefault(NAV, []).append((label, path, managers_only))


async def context(request: web.Request) -> dict:
    """What base.html needs on every page: the member, their navigation, the CSRF token and flashes."""
    member = await sessions.member(request)
    manager = member is not None and member.role == Role.ORG_MANAGER
    nav = [(label, path) for label, path, managers_only in request.app.get(NAV, [])
           if member is not None and (manager or not managers_only)]
    return {"member": member, "nav": nav, "csrf_token": csrf_token(await get_session(request)),
            "flashes": await sessions.take_flashes(request), "path": request.path}


async def render(request: web.Request, template: str, values: dict, *, status: int = 200) -> web.Response:
    return aiohttp_jinja2.render_template(template, request, {**await context(request), **values}, status=status)


def reference(exc: BaseException) -> str:
    """Log an unexpected failure with a short reference a person can quote; never its details on a page."""
    ref = uuid.uuid4().hex[:10]
    log.error("console failure ref=%s: %s", ref, type(exc).__name__, exc_info=exc)
    return ref


def unexpected(ref: str) -> str:
    return f"Something went wrong on our side (reference {ref}). Try again; if it keeps happening, quote the reference."


async def _error_page(request: web.Request, status: int, text: str) -> web.Response:
    title = TITLES.get(status, "Error")
    return await render(request, "error.html", {"title": title, "text": text}, status=status)


@web.middleware
async def error_pages(request: web.Request, handler) -> web.StreamResponse:
    """Core refusals and HTTP errors as pages; anything unexpected as a generic 500 with a logged reference."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or request.path.startswith(SLACK_PREFIX) or request.path == "/healthz":
            raise
        text = CSRF_TEXT if exc.reason == "csrf" else TEXTS.get(exc.status, TITLES.get(exc.status, "Error") + ".")
        return await _error_page(request, exc.status, text)
    except PermissionDenied as exc:
        return await _error_page(request, 403, str(exc))
    except NotFound as exc:
        return await _error_page(request, 404, str(exc))
    except CoreError as exc:
        return await _error_page(request, 400, str(exc))
    except Exception as exc:  # the one place that turns any failure into a page instead of a traceback
        return await _error_page(request, 500, unexpected(reference(exc)))
