"""Pool alerts: the `alerts` list with Delete and Add (managers), the Add modal and its pool search options."""

from __future__ import annotations

from bot import ids
from bot.links import Console
from bot.views.common import (Message, actions, button, confirm, console_footer, escape, header, input_block, link,
                              modal, money, option, plain, section)
from core.queries.alerts import AlertList, AlertRow

BASES = {"cost": "Cost this month", "forecast": "Forecast for this month", "constraint": "Constraint violations",
         "env_change": "Environment changes"}
MAX_OPTIONS = 100


def describe(alert: AlertRow, currency: str) -> str:
    """One line: what fires it and where it goes."""
    if alert.based_on in ("cost", "forecast"):
        limit = (f"{alert.threshold:.0f}% of the monthly limit" if alert.threshold_type == "percentage"
                 else money(alert.threshold, currency))
        what = f"{BASES[alert.based_on]} reaches {limit}"
    else:
        what = BASES[alert.based_on]
    if alert.include_children:
        what += " (with sub-pools)"
    targets = [f"<#{channel}>" for channel in alert.channels] + [escape(name) for name in alert.recipients]
    return f"{what} → {', '.join(targets)}"


def alert_list(alerts: AlertList, *, currency: str, console: Console) -> Message:
    """The alerts with Delete on those the viewer may delete, and Add alert for who may add one."""
    blocks = [header("Alerts")]
    if not alerts.rows:
        blocks.append(section("No alerts yet."))
    for alert in alerts.rows:
        accessory = button("Delete", ids.ALERT_DELETE, alert.id, style="danger",
                           confirm=confirm("Delete alert?", f"Stop alerting on {escape(alert.pool_name)}.", "Delete"))
        blocks.append(section(f"*{link(console.pool(alert.pool_id), alert.pool_name)}*: {describe(alert, currency)}",
                              accessory=accessory if alert.can_delete else None))
    if alerts.can_add:
        blocks.append(actions(button("Add alert", ids.ALERT_ADD, "", style="primary")))
    blocks.append(console_footer(console.alerts(), "Alerts in the console"))
    return Message(f"{len(alerts.rows)} alert(s)", blocks)


def alert_modal(*, metadata: str = "") -> dict:
    """Pool (searched as you type), basis, threshold and its type, sub-pools, and where to send it."""
    blocks = [
        input_block(ids.POOL, "Pool", {"type": "external_select", "action_id": ids.POOL, "min_query_length": 0,
                                       "placeholder": plain("Type to search pools")}),
        input_block(ids.BASED_ON, "Based on", {
            "type": "static_select", "action_id": ids.BASED_ON, "initial_option": option(BASES["cost"], "cost"),
            "options": [option(label, value) for value, label in BASES.items()]}),
        input_block(ids.THRESHOLD, "Threshold", {"type": "number_input", "action_id": ids.THRESHOLD,
                                                 "is_decimal_allowed": True, "min_value": "0"},
                    optional=True, hint="For cost and forecast alerts."),
        input_block(ids.THRESHOLD_TYPE, "Threshold is", {
            "type": "radio_buttons", "action_id": ids.THRESHOLD_TYPE,
            "initial_option": option("% of the pool's monthly limit", "percentage"),
            "options": [option("% of the pool's monthly limit", "percentage"), option("An amount", "absolute")]}),
        input_block(ids.OPTIONS, "Options", {
            "type": "checkboxes", "action_id": ids.OPTIONS,
            "options": [option("Include sub-pools", "include_children"), option("Also send it to me", "me")]},
                    optional=True),
        input_block(ids.CHANNEL, "Channel", {"type": "conversations_select", "action_id": ids.CHANNEL,
                                             "filter": {"include": ["public", "private"],
                                                        "exclude_bot_users": True}},
                    optional=True, hint="Invite the app to the channel so it can post there."),
    ]
    return modal(ids.ALERT_VIEW, "Add alert", blocks, submit="Add", metadata=metadata)


def pool_options(pools: list[tuple[int, str]]) -> list[dict]:
    """Options for the pool search, at most Slack's 100."""
    return [option(name, str(pool_id)) for pool_id, name in pools[:MAX_OPTIONS]]
