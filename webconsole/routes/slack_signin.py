"""Sign in with Slack (OpenID Connect) when the app's OAuth client is configured.

/signin/slack sends the person to Slack's authorize page with a state kept in their session; Slack sends
them back to /signin/slack/callback with a code, which is exchanged (openid.connect.token) for an access
token whose userInfo gives the verified email and the workspace.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode, urljoin

from aiohttp import ClientError, web
from aiohttp_session import get_session
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.errors import CoreError
from core.messages import render
from core.services import auth
from webconsole import forms, sessions
from webconsole.options import CONFIG, SlackSignIn
from webconsole.routes.signin import show_form

STATE = "slack_oidc_state"
CALLBACK = "/signin/slack/callback"
TEAM_CLAIM = "https://slack.com/team_id"


def _client(request: web.Request) -> SlackSignIn:
    found = request.app[CONFIG].slack_sign_in
    if found is None:
        raise web.HTTPNotFound()
    return found


def _redirect_uri(request: web.Request) -> str:
    return request.app[CONFIG].public_url + CALLBACK


async def start(request: web.Request) -> web.StreamResponse:
    client = _client(request)
    state = secrets.token_urlsafe(24)
    (await get_session(request))[STATE] = state
    query = urlencode({"response_type": "code", "scope": "openid email profile", "client_id": client.client_id,
                       "state": state, "nonce": secrets.token_urlsafe(16), "redirect_uri": _redirect_uri(request)})
    raise web.HTTPFound(urljoin(client.api_url, "../openid/connect/authorize") + "?" + query)


async def _identity(client: SlackSignIn, code: str, redirect_uri: str) -> dict:
    """Slack's userInfo for the code. Raises: SlackApiError, ClientError, TimeoutError."""
    web_client = AsyncWebClient(base_url=client.api_url, timeout=15)
    tokens = await web_client.openid_connect_token(client_id=client.client_id, client_secret=client.client_secret,
                                                   code=code, redirect_uri=redirect_uri)
    return (await web_client.openid_connect_userInfo(token=tokens["access_token"])).data


async def callback(request: web.Request) -> web.StreamResponse:
    client = _client(request)
    expected = (await get_session(request)).pop(STATE, None)
    code, state = request.query.get("code", ""), request.query.get("state", "")
    if not expected or not secrets.compare_digest(expected, state) or not code:
        return await _failed(request, "the sign-in did not start here or was already used")
    try:
        info = await _identity(client, code, _redirect_uri(request))
    except SlackApiError as exc:
        return await _failed(request, exc.response.get("error") or "refused")
    except (ClientError, TimeoutError):
        return await _failed(request, "Slack could not be reached")
    try:
        member = await auth.sign_in_with_slack(email=info.get("email"), email_verified=info.get("email_verified") is True,
                                               team_id=info.get(TEAM_CLAIM) or "")
    except CoreError as exc:
        return await show_form(request, forms.Form(errors={forms.GENERAL: str(exc)}), 400)
    await sessions.begin(request, member)
    raise web.HTTPSeeOther("/")


async def _failed(request: web.Request, error: str) -> web.Response:
    return await show_form(request, forms.Form(errors={forms.GENERAL: render("slack_sign_in_failed", error=error)}), 400)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/signin/slack", start)
    app.router.add_get(CALLBACK, callback)
