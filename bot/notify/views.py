"""Events as Slack messages: the catalog text, buttons where the reader can act, a console link.

Pure functions (a delivery in, a Message out). Buttons for the listeners (ids in bot.ids): the pre-stop
warning carries Snooze 1h / Snooze 2h and Skip tonight, the TTL warning the TTL presets, a pool alert
Top resources; each button's value is the id of what the message is about.
"""

from __future__ import annotations

from bot import ids
from bot.links import Console
from bot.views.common import Message, actions, button, console_footer, context, escape, section
from core.events import Event, PoolAlertCrossed, PowerWarning, TtlExpiring
from core.messages import render
from core.services.outbox import Delivery

TTL_EXTENSIONS = {"1d": "Extend: 1 day from now", "3d": "Extend: 3 days from now"}


def notification(message: Delivery, console: Console) -> Message:
    """The Slack message for one delivery of an event."""
    event = message.event
    text = event.text()
    blocks = []
    if message.rerouted_from:
        blocks.append(context(escape(render("notice_rerouted", channel=message.rerouted_from,
                                            reason=message.reroute_reason))))
    blocks.append(section(escape(text)))
    buttons = _buttons(event)
    if buttons:
        blocks.append(actions(*buttons, block_id=ids.notification_block(event.type)))
    blocks.append(console_footer(_link(event, console)))
    return Message(text=text, blocks=blocks)


def _buttons(event: Event) -> list[dict]:
    match event:
        case PowerWarning():
            return [button("Snooze 1h", ids.snooze("1h"), event.resource_id),
                    button("Snooze 2h", ids.snooze("2h"), event.resource_id),
                    button("Skip tonight", ids.SKIP_TONIGHT, event.resource_id, style="primary")]
        case TtlExpiring():
            return [button(label, ids.ttl_preset(code), event.resource_id) for code, label in TTL_EXTENSIONS.items()]
        case PoolAlertCrossed():
            return [button("Top resources", ids.run_command("resources"), event.pool_id)]
    return []


def _link(event: Event, console: Console) -> str:
    subject = event.subject()
    if subject is None:
        return console.home()
    return {"resource": console.resource, "environment": console.environment, "pool": console.pool}[subject.kind](
        subject.id)
