"""Where an answer goes: the response_url of a command or a message button, the DM it came from, or a new DM.

Outgoing calls retry on Slack's 429 after its Retry-After, both for the Web API and for response_url, and
share the Web API client's HTTP session (one per process, see bot.app), so a reply reuses open connections.
"""

from __future__ import annotations

import json

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.views.common import Message

RATE_LIMIT_RETRIES = 3


def rate_limit_handlers() -> list:
    return [AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]


def response_url(body: dict) -> str | None:
    """The URL Slack gave for answering this request: a command's, a message button's, or a modal's origin."""
    if body.get("response_url"):
        return body["response_url"]
    try:
        kept = json.loads((body.get("view") or {}).get("private_metadata") or "null")
    except ValueError:  # not the bot's metadata: answer elsewhere
        return None
    url = kept.get("response_url") if isinstance(kept, dict) else None
    return url if isinstance(url, str) and url else None


def origin(body: dict, **values: object) -> str:
    """A modal's private_metadata: its values plus where to answer once it is submitted."""
    return json.dumps({**values, "response_url": response_url(body)})


def user_id(body: dict) -> str:
    return body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")


async def _post(client: AsyncWebClient, url: str, payload: dict) -> None:
    await AsyncWebhookClient(url=url, session=client.session, retry_handlers=rate_limit_handlers()).send_dict(payload)


async def answer(body: dict, client: AsyncWebClient, message: Message, *, replace: bool = False) -> None:
    """Show a message to the person who asked; `replace` updates the message whose button was clicked."""
    url = response_url(body)
    if url:
        await _post(client, url, {"text": message.text, "blocks": message.blocks, "response_type": "ephemeral",
                          "replace_original": replace})
        return
    event = body.get("event") or {}
    channel = event.get("channel") if event.get("channel_type") == "im" else user_id(body)
    await client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)


async def tell(body: dict, client: AsyncWebClient, text: str) -> None:
    """A short note only the person sees (a refusal, an error)."""
    url = response_url(body)
    if url:
        await _post(client, url, {"text": text, "response_type": "ephemeral", "replace_original": False})
        return
    event = body.get("event") or {}
    if event.get("channel_type") == "im":
        await client.chat_postEphemeral(channel=event["channel"], user=event["user"], text=text)
        return
    await client.chat_postMessage(channel=user_id(body), text=text)
