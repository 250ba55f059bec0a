"""Slack's HTTP endpoints on the one aiohttp server: events, commands and interactivity; OAuth install."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

EVENTS_PATH = "/slack/events"


def slack_routes(bolt: AsyncApp) -> Callable[[web.Application], None]:
    """A route installer for build_app: POST /slack/events, and GET /slack/install + /slack/oauth_redirect
    when the app installs itself through OAuth."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

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
