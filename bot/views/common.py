"""Small Block Kit pieces, Slack text formatting and the Message every builder returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from core.money import shown
from core.timefmt import OPEN_END, show

HEADER_MAX = 150
BUTTON_MAX = 75
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Message:
    """What a user sees: a notification text (also the fallback) and the blocks."""

    text: str
    blocks: list[dict] = field(default_factory=list)


def escape(text: object) -> str:
    """Text safe inside mrkdwn: Slack's three control characters escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: object) -> str:
    return f"<{url}|{escape(label).replace('|', '¦')}>"


def when(moment: datetime | None, *, open_end: str = OPEN_END) -> str:
    """A moment Slack shows in each reader's own time zone, with a UTC fallback."""
    if moment is None:
        return open_end
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{show(moment)}>"


def micros(moment: datetime) -> int:
    """A moment as whole microseconds since the epoch: exact, for button values."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def money(amount: Decimal | int, currency: str) -> str:
    return f"{shown(amount)} {currency}"


def header(text: str) -> dict:
    clipped = text if len(text) <= HEADER_MAX else text[:HEADER_MAX - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": clipped, "emoji": True}}


def section(text: str, *, accessory: dict | None = None, block_id: str | None = None) -> dict:
    block: dict = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def fields(*pairs: tuple[str, str]) -> dict:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{name}*\n{value}"} for name, value in pairs]}


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text} for text in texts]}


def actions(*elements: dict, block_id: str | None = None) -> dict:
    block: dict = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def divider() -> dict:
    return {"type": "divider"}


def button(text: str, action_id: str, value: object = "", *, style: str | None = None,
           confirm: dict | None = None) -> dict:
    element: dict = {"type": "button", "text": {"type": "plain_text", "text": text[:BUTTON_MAX], "emoji": True},
                     "action_id": action_id, "value": str(value)}
    if style is not None:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    return element


def confirm(title: str, text: str, yes: str) -> dict:
    return {"title": {"type": "plain_text", "text": title}, "text": {"type": "mrkdwn", "text": text},
            "confirm": {"type": "plain_text", "text": yes}, "deny": {"type": "plain_text", "text": "Cancel"},
            "style": "danger"}


def console_footer(url: str, label: str = "Open in the Cloudtuner console") -> dict:
    return context(f":link: {link(url, label)}")


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text, "emoji": True}


def option(text: str, value: str) -> dict:
    return {"text": plain(text[:BUTTON_MAX]), "value": value}


def input_block(block_id: str, label: str, element: dict, *, optional: bool = False, hint: str | None = None) -> dict:
    block: dict = {"type": "input", "block_id": block_id, "label": plain(label), "element": element,
                   "optional": optional}
    if hint is not None:
        block["hint"] = plain(hint)
    return block


def modal(callback_id: str, title: str, blocks: list[dict], *, submit: str, metadata: str = "") -> dict:
    return {"type": "modal", "callback_id": callback_id, "title": plain(title[:24]), "submit": plain(submit),
            "close": plain("Cancel"), "private_metadata": metadata, "blocks": blocks}
