"""Builds the Bolt app: token mode (one workspace) or OAuth (many), its middleware and guarded listeners."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import ClientSession
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot import listeners
from bot.install import build_install_flow
from bot.links import Console
from bot.reply import rate_limit_handlers
from core.crypto import SecretBox

SLACK_API = "https://slack.com/api/"


@dataclass(frozen=True)
class BotConfig:
    """Token mode needs bot_token; OAuth mode client_id and client_secret. HTTP mode needs signing_secret."""

    public_url: str
    secret_key: str
    signing_secret: str = ""
    bot_token: str = ""
    client_id: str = ""
    client_secret: str = ""
    app_token: str = ""
    api_url: str = ""

    @property
    def oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)


def api_base(url: str) -> str:
    """The Web API base URL as slack_sdk wants it: ending with a slash."""
    return (url or SLACK_API).rstrip("/") + "/"


def build_bolt_app(config: BotConfig) -> AsyncApp:
    """The app, its Web API client (retrying 429s) pointed at Slack or CLOUDTUNER_SLACK_API_URL, with one HTTP
    session for every call and reply (close it with close_bolt_app). Call it with the event loop running."""
    client = AsyncWebClient(token=None if config.oauth else config.bot_token, base_url=api_base(config.api_url),
                            session=ClientSession(), retry_handlers=[AsyncConnectionErrorRetryHandler(),
                                                                     *rate_limit_handlers()])
    console, box = Console(config.public_url), SecretBox(config.secret_key)
    flow = None
    if config.oauth:
        flow = build_install_flow(client=client, client_id=config.client_id, client_secret=config.client_secret,
                                  public_url=config.public_url, box=box)
    app = AsyncApp(name="cloudtuner", client=client, signing_secret=config.signing_secret, oauth_flow=flow,
                   installation_store_bot_only=True if flow else None,
                   user_facing_authorize_error_message=(
                       "Cloudtuner is not installed in this workspace. An organization manager can install it: "
                       f"{console.slack_install()}"))

    async def with_console(context, next) -> None:  # and the box that keys link codes
        context["console"] = console
        context["box"] = box
        await next()

    app.middleware(with_console)
    listeners.register(app)
    if flow is not None:
        app.enable_token_revocation_listeners()
    return app


async def close_bolt_app(app: AsyncApp) -> None:
    """Close the app's shared HTTP session."""
    if app.client.session is not None:
        await app.client.session.close()
