"""Running the bot inside the process: Socket Mode when an app token is set, else Slack's HTTP endpoints."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.app import BotConfig, build_bolt_app, close_bolt_app

OFF_MESSAGE = (
    "Slack bot is off. To turn it on set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (one workspace), or "
    "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET (OAuth, many workspaces); add SLACK_APP_TOKEN "
    "for Socket Mode (no public URL). See docs/slack-manifest.yaml and the README.")
TOKEN_CHECK_EVERY = 60.0


@dataclass
class Bot:
    """A running bot: the Bolt app, its Socket Mode connection if any, and a health probe."""

    app: AsyncApp
    config: BotConfig
    socket: AsyncSocketModeHandler | None = None
    _token_ok_at: float = field(default=0.0)

    @property
    def mode(self) -> str:
        return ("socket" if self.socket else "http") + (" + oauth" if self.config.oauth else "")

    async def check(self) -> None:
        """Healthy when the Socket Mode connection is up, and the bot token works (asked at most once a minute)."""
        if self.socket is not None and not await self.socket.client.is_connected():
            raise RuntimeError("Socket Mode is not connected")
        if not self.config.oauth and time.monotonic() - self._token_ok_at > TOKEN_CHECK_EVERY:
            await self.app.client.auth_test()
            self._token_ok_at = time.monotonic()

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
        await close_bolt_app(self.app)


async def start_bot(config: BotConfig) -> Bot:
    """Build the app; in Socket Mode also open the connection (HTTP mode waits for the web server)."""
    app = build_bolt_app(config)
    if not config.app_token:
        return Bot(app, config)
    socket = AsyncSocketModeHandler(app, app_token=config.app_token)
    await socket.connect_async()
    return Bot(app, config, socket)
