"""Slack's HTTP endpoints on the one aiohttp server: events, commands and interactivity; OAuth install."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from core import log_context
from webconsole.slack_requests import problem, signed

EVENTS_PATH = "/slack/events"
log = logging.getLogger("cloudtuner.web")


def slack_routes(bolt: AsyncApp, *, signing_secret: str) -> Callable[[web.Application], None]:
    """A route installer for build_app: POST /slack/events, and GET /slack/install + /slack/oauth_redirect
    when the app installs itself through OAuth. Without a signing secret every POST is refused."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    async def events(request: web.Request) -> web.Response:
        body = signed(verifier, await request.read(), request.headers)
        if body is None:
            return web.json_response({"error": "invalid request"}, status=401)
        reason = problem(body, request.content_type)
        if reason is not None:
            log.warning("refused a signed Slack request Slack would not send: %s", reason)
            return web.json_response({"error": "malformed request", "reason": reason}, status=400)
        bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=request.headers)
        kind = bolt_request.body.get("command") or bolt_request.body.get("type") or ""
        with log_context.bound(slack=str(kind), team=bolt_request.context.team_id or "",
                               user=bolt_request.context.user_id or ""):
            return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.oauth_flow.handle_installation(await to_bolt_request(request)))

    async def oauth_redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.oauth_flow.handle_callback(await to_bolt_request(request)))

    def add(app: web.Application) -> None:
        app.router.add_post(EVENTS_PATH, events)
        if bolt.oauth_flow is not None:
            app.router.add_get(bolt.oauth_flow.install_path, install)
            app.router.add_get(bolt.oauth_flow.redirect_uri_path, oauth_redirect)

    return add
