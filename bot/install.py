"""OAuth install for any number of workspaces: /slack/install → Slack → /slack/oauth_redirect.

`/slack/install?org=<id>` names the organization to connect; the workspace is bound when the installer is
an org manager of exactly one (that) organization by their verified Slack email. Otherwise the page says
how the operator binds it.
"""

from __future__ import annotations

import html

from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.identity import slack_user
from bot.stores import TortoiseInstallationStore, TortoiseStateStore
from core.crypto import SecretBox
from core.errors import CoreError
from core.services import slack_links

SCOPES = ["commands", "chat:write", "chat:write.public", "im:history", "im:read", "im:write", "users:read",
          "users:read.email", "channels:read", "groups:read"]


class InstallFlow(AsyncOAuthFlow):
    """Bolt's flow, with the organization named on the install link kept in the state row."""

    async def issue_new_state(self, request: AsyncBoltRequest) -> str:
        asked = (request.query.get("org") or [""])[0]
        return await self.settings.state_store.async_issue(organization_id=int(asked) if asked.isdigit() else None)


def _page(status: int, title: str, text: str) -> BoltResponse:
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")
    return BoltResponse(status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def build_install_flow(*, client: AsyncWebClient, client_id: str, client_secret: str, public_url: str,
                       box: SecretBox) -> InstallFlow:
    states = TortoiseStateStore()

    async def installed(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        operator = f"The operator can run: cloudtuner slack bind --team-id {installation.team_id} --org NAME"
        try:
            user = await slack_user(client, installation.user_id, token=installation.bot_token, needs_email=True)
        except CoreError as refusal:
            return _page(200, "Cloudtuner is installed, not yet connected", f"{refusal} {operator}")
        org = await slack_links.bind_for_installer(
            team_id=installation.team_id, team_name=installation.team_name or "",
            email=(user.get("profile") or {}).get("email"), email_verified=bool(user.get("is_email_confirmed")),
            organization_id=await states.organization_asked((args.request.query.get("state") or [None])[0]))
        if org is not None:
            return _page(200, "Cloudtuner is installed", f"{installation.team_name} now works for {org.name}. "
                         "Open Slack and send the app `help`.")
        return _page(200, "Cloudtuner is installed, not yet connected",
                     "Only an organization manager installing it connects the workspace to their organization. "
                     + operator)

    async def failed(args: AsyncFailureArgs) -> BoltResponse:
        return _page(args.suggested_status_code, "Installation failed",
                     f"Slack did not complete the installation ({args.reason}). Start again from /slack/install.")

    settings = AsyncOAuthSettings(
        client_id=client_id, client_secret=client_secret, scopes=SCOPES,
        redirect_uri=f"{public_url}/slack/oauth_redirect", installation_store=TortoiseInstallationStore(box),
        installation_store_bot_only=True, state_store=states,
        callback_options=AsyncCallbackOptions(success=installed, failure=failed))
    return InstallFlow(client=client, settings=settings)
