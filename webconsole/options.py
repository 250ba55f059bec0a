"""What the composition root hands the console: its URL, the secret key, and the Slack parts it may use."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web


@dataclass(frozen=True)
class SlackSetup:
    """What the Slack page shows and can do, handed in by the composition root (the console never imports bot/)."""

    mode: str                                    # "http", "socket", with " + oauth" in OAuth mode
    oauth: bool
    manifest: str                                # the app manifest with this install's URLs filled in
    check: Callable[[], Awaitable[None]] | None = None           # the bot's health probe
    workspace: Callable[[], Awaitable[tuple[str, str]]] | None = None  # token mode: (team id, name) of the token


@dataclass(frozen=True)
class SlackSignIn:
    """"Sign in with Slack" (OpenID Connect) with the app's OAuth client."""

    client_id: str
    client_secret: str
    api_url: str = ""


@dataclass(frozen=True)
class ConsoleConfig:
    public_url: str
    secret_key: str
    slack: SlackSetup | None = None
    slack_sign_in: SlackSignIn | None = None

    @property
    def secure(self) -> bool:
        return self.public_url.startswith("https://")


CONFIG = web.AppKey("console_config", ConsoleConfig)
