"""The App Home tab: command buttons, my resources and their constraints, my bookings, pools needing attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot import ids
from bot.links import Console
from bot.views.common import actions, button, console_footer, context, divider, escape, header, link, money, section, when
from bot.views.resources import warnings
from core.queries.resources import ResourceRow

HOME_COMMANDS = (("resources", "My resources"), ("envs", "Environments"), ("alerts", "Alerts"),
                 ("schedules", "Schedules"), ("org", "Organizations"), ("help", "Help"))


@dataclass(frozen=True)
class MyBooking:
    environment_id: int
    environment: str
    starts_at: datetime
    ends_at: datetime | None
    current: bool


@dataclass(frozen=True)
class PoolAttention:
    id: int
    name: str
    cost: Decimal
    limit: Decimal
    forecast: Decimal
    exceeded: bool
    formula: str


def home_view(*, organization: str, currency: str, resources: list[ResourceRow], bookings: list[MyBooking],
              pools: list[PoolAttention], console: Console, now: datetime, more_pools: int = 0) -> dict:
    blocks = [header(f"Cloudtuner — {organization}"), _command_buttons(), divider(),
              section(f"*{link(console.resources(), 'My most expensive resources')}*")]
    if not resources:
        blocks.append(context("You own no resources."))
    for card in resources:
        blocks.append(section(f"{link(console.resource(card.id), card.name)} · {money(card.cost, currency)} "
                              "this month", accessory=button("Details", ids.RESOURCE_DETAILS, card.id)))
        found = warnings(card, currency, now)
        if found:
            blocks.append(context(*found))
    blocks += [divider(), section(f"*{link(console.environments(), 'My bookings')}*")]
    if not bookings:
        blocks.append(context("No current or upcoming bookings."))
    for booking in bookings:
        state = "now" if booking.current else f"from {when(booking.starts_at)}"
        blocks.append(section(f"{link(console.environment(booking.environment_id), booking.environment)} — {state} "
                              f"until {when(booking.ends_at)}",
                              accessory=button("Details", ids.ENV_DETAILS, booking.environment_id)))
    blocks += [divider(), section("*Pools needing attention*")]
    if not pools:
        blocks.append(context("Every pool you manage is within its limit and forecast."))
    for pool in pools:
        problem = "over its limit" if pool.exceeded else "forecast over its limit"
        blocks.append(section(f"{link(console.pool(pool.id), pool.name)} is {problem}: spent "
                              f"{money(pool.cost, currency)}, forecast {money(pool.forecast, currency)}, limit "
                              f"{money(pool.limit, currency)}"))
        blocks.append(context(f"Forecast = {escape(pool.formula)}"))
    if more_pools:
        blocks.append(context(f"…and {more_pools} more pool(s) over their limit or forecast: "
                              f"{link(console.home(), 'see the console')}"))
    blocks.append(console_footer(console.home()))
    return {"type": "home", "blocks": blocks[:100]}


def home_unlinked(*, text: str, console: Console) -> dict:
    """What the tab says to someone the bot cannot match to a member yet."""
    return {"type": "home", "blocks": [header("Cloudtuner"), section(escape(text)), console_footer(console.home())]}


def _command_buttons() -> dict:
    return actions(*(button(label, ids.run_command(name)) for name, label in HOME_COMMANDS))
