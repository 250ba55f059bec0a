"""Outbox payloads as Slack messages: the catalog text, buttons where the reader can act, a console link.

Pure functions (payload in, Message out). Buttons for the listeners: the pre-stop warning carries
Snooze 1h / Snooze 2h (`power_snooze:1h|2h`) and Skip tonight (`power_skip_tonight`), the TTL warning
the TTL presets of bot.ids (`ttl_preset:1d|3d`); each button's value is the resource id.
"""

from __future__ import annotations

import re

from bot import ids
from bot.links import Console
from bot.views.common import Message, actions, button, console_footer, context, escape, section
from core.messages import render

SNOOZE = re.compile(r"^power_snooze:(1h|2h)$")
SNOOZE_HOURS = {"1h": 1, "2h": 2}
SKIP_TONIGHT = "power_skip_tonight"
TTL_EXTENSIONS = {"1d": "Extend: 1 day from now", "3d": "Extend: 3 days from now"}


def snooze(code: str) -> str:
    return f"power_snooze:{code}"


def notification(kind: str, payload: dict, console: Console) -> Message:
    """The Slack message for one outbox row's kind and payload."""
    text = render(payload.get("code", kind), **payload.get("params", {}))
    blocks = []
    if payload.get("rerouted_from"):
        blocks.append(context(escape(render("notice_rerouted", channel=payload["rerouted_from"],
                                            reason=payload.get("reroute_reason", "")))))
    blocks.append(section(escape(text)))
    buttons = _buttons(kind, payload)
    if buttons:
        blocks.append(actions(*buttons, block_id=f"notify:{kind}"))
    blocks.append(console_footer(_link(payload, console)))
    return Message(text=text, blocks=blocks)


def _buttons(kind: str, payload: dict) -> list[dict]:
    resource_id = payload.get("resource_id")
    if kind == "power_warning":
        return [button("Snooze 1h", snooze("1h"), resource_id), button("Snooze 2h", snooze("2h"), resource_id),
                button("Skip tonight", SKIP_TONIGHT, resource_id, style="primary")]
    if kind == "ttl_expiring":
        return [button(label, ids.ttl_preset(code), resource_id) for code, label in TTL_EXTENSIONS.items()]
    if kind == "pool_alert":
        return [button("Top resources", ids.run_command("resources"), payload.get("pool_id", ""))]
    return []


def _link(payload: dict, console: Console) -> str:
    if "resource_id" in payload:
        return console.resource(payload["resource_id"])
    if "environment_id" in payload:
        return console.environment(payload["environment_id"])
    if "pool_id" in payload:
        return console.pool(payload["pool_id"])
    return console.home()
