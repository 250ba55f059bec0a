"""Sending outbox messages to Slack with slack_sdk's AsyncWebClient, each Slack answer mapped to an outcome.

The composition root registers one SlackSender for the target kinds it handles (`kinds`): a Slack
channel, and a member (a direct message to the member's linked Slack user).

Rate limits (429 / `ratelimited`) retry after Slack's Retry-After; server errors and network
failures retry with backoff; an archived channel, or one the bot is not in, falls back to the org
managers' direct messages; a request Slack will never accept fails for good.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import api_base
from bot.links import Console
from bot.notify.routing import slack_user_for, token_lookup
from bot.notify.views import notification
from core.crypto import SecretBox
from core.events.routing import MEMBER, SLACK_CHANNEL
from core.services.outbox import DELIVERED, Delivery, Outcome

log = logging.getLogger(__name__)

FALLBACK_ERRORS = frozenset({"channel_is_archived", "is_archived", "not_in_channel", "channel_not_found"})
PERMANENT_ERRORS = frozenset({"invalid_blocks", "invalid_arguments", "msg_too_long", "no_text", "user_not_found",
                              "cannot_dm_bot", "invalid_blocks_format", "user_disabled"})
RETRY_AFTER_DEFAULT = 30.0


class SlackSender:
    """Posts one message: to its channel, or as a direct message to the member's linked Slack user."""

    kinds = (SLACK_CHANNEL, MEMBER)

    def __init__(self, *, token_for: Callable[[int], Awaitable[str | None]],
                 user_for: Callable[[int, int], Awaitable[str | None]], console: Console,
                 base_url: str = AsyncWebClient.BASE_URL, timeout: int = 15) -> None:
        self._token_for = token_for
        self._user_for = user_for
        self._console = console
        self._base_url = base_url
        self._timeout = timeout

    async def __call__(self, message: Delivery) -> Outcome:
        token = await self._token_for(message.organization_id)
        if not token:
            return Outcome("retry", error="no Slack workspace is connected to this organization yet")
        target = message.target
        channel = (target.address if target.kind == SLACK_CHANNEL
                   else await self._user_for(message.organization_id, int(target.address)))
        if not channel:
            return Outcome("failed", error=f"member {target.address} has no linked Slack account")
        rendered = notification(message, self._console)
        client = AsyncWebClient(token=token, base_url=self._base_url, timeout=self._timeout)
        try:
            await client.chat_postMessage(channel=channel, text=rendered.text, blocks=rendered.blocks,
                                          unfurl_links=False)
        except SlackApiError as exc:
            return classify(exc)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            return Outcome("retry", error=f"network: {type(exc).__name__}: {exc}")
        return Outcome(DELIVERED)


def classify(exc: SlackApiError) -> Outcome:
    """The outcome of a Slack API error: retry (rate limit, server trouble, unknown), fallback or failed."""
    response = exc.response
    status = getattr(response, "status_code", 0)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    error = str(data.get("error") or f"HTTP {status}")
    if status == 429 or error == "ratelimited":
        return Outcome("retry", error=error, retry_after=_retry_after(response))
    if error in FALLBACK_ERRORS:
        return Outcome("fallback", error=error)
    if error in PERMANENT_ERRORS:
        return Outcome("failed", error=error)
    return Outcome("retry", error=error)


def _retry_after(response: object) -> float:
    headers = getattr(response, "headers", None) or {}
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(float(value), 1.0)
    except (TypeError, ValueError):
        return RETRY_AFTER_DEFAULT


def slack_sender(*, box: SecretBox, public_url: str, bot_token: str = "", api_url: str = "") -> SlackSender:
    """The process's sender: the configured bot token (token mode) or each workspace's installation."""
    return SlackSender(token_for=token_lookup(box, bot_token), user_for=slack_user_for, console=Console(public_url),
                       base_url=api_base(api_url))
