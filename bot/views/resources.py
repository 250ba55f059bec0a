"""Resources: the `resources` list (mine, most expensive first) and one resource's details with its actions."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import ids
from bot.links import Console
from bot.views.common import (Message, actions, button, console_footer, context, escape, fields, header, input_block,
                              link, modal, money, section, when)
from core.models.enums import ConstraintKind
from core.queries.paging import Page
from core.queries.resources import ResourceRow

SOON = timedelta(hours=24)
TTL_PRESETS = {"3h": "3 hours", "1d": "1 day", "3d": "3 days"}
KIND_LABELS = {ConstraintKind.TTL: "TTL", ConstraintKind.DAILY_EXPENSE_LIMIT: "Daily limit",
               ConstraintKind.TOTAL_EXPENSE_LIMIT: "Total limit"}


def warnings(card: ResourceRow, currency: str, now: datetime) -> list[str]:
    """Broken constraints first, then a TTL ending within a day."""
    found = []
    for violation in card.violations:
        if violation.kind == ConstraintKind.TTL:
            found.append(f":warning: TTL passed {when(violation.limit)}")
        elif violation.kind == ConstraintKind.DAILY_EXPENSE_LIMIT:
            found.append(f":warning: {money(violation.actual, currency)} on {violation.period_key}, above the "
                         f"daily limit of {money(violation.limit, currency)}")
        else:
            found.append(f":warning: {money(violation.actual, currency)} in total, above the limit of "
                         f"{money(violation.limit, currency)}")
    ttl = next((c for c in card.constraints if c.kind == ConstraintKind.TTL), None)
    if ttl is not None and now < ttl.value <= now + SOON:
        found.append(f":hourglass_flowing_sand: TTL ends {when(ttl.value)}")
    return found


def resource_list(page: Page[ResourceRow], *, title: str, empty: str, currency: str, console: Console, now: datetime,
                  pool: str = "") -> Message:
    """One page of resources (the person's, or a pool's when `pool` is set) with cost this month and warnings."""
    cards, offset = page.rows, page.offset
    if not cards and offset == 0:
        return Message(empty, [section(escape(empty)), console_footer(console.resources(), "All resources")])
    first, last = offset + 1, offset + len(cards)
    blocks = [header(title), context(f"{first}–{last}, most expensive first · cost this month")]
    for card in cards:
        blocks.append(section(
            f"*{link(console.resource(card.id), card.name)}*  `{escape(card.resource_type)}`"
            f"{' · ' + escape(card.region) if card.region else ''} · {escape(card.pool_name)}\n"
            f"*{money(card.cost, currency)}* this month",
            accessory=button("Details", ids.RESOURCE_DETAILS, card.id)))
        found = warnings(card, currency, now)
        if found:
            blocks.append(context(*found))
    if page.has_more:
        blocks.append(actions(button("Next page", ids.RESOURCE_PAGE, f"{offset + len(cards)}:{pool}")))
    blocks.append(console_footer(console.resources(), "All resources"))
    return Message(f"{title} ({first}–{last})", blocks)


def resource_detail(card: ResourceRow, *, currency: str, console: Console, now: datetime, notice: str = "") -> Message:
    """Everything about one resource, with Update TTL presets, custom TTL, reset and daily limit for who may
    change it."""
    blocks = [header(card.name)]
    if notice:
        blocks.append(section(f":white_check_mark: {notice}"))
    blocks.append(fields(("Type", escape(card.resource_type)), ("Region", escape(card.region or "—")),
                         ("Pool", link(console.pool(card.pool_id), card.pool_name)),
                         ("Owner", escape(card.owner_name or "nobody")),
                         ("Cost this month", money(card.cost, currency)),
                         ("Cloud id", f"`{escape(card.cloud_resource_id)}`")))
    blocks.append(section("*Constraints*\n" + "\n".join(_constraint_lines(card, currency))))
    found = warnings(card, currency, now)
    if found:
        blocks.append(context(*found))
    if card.can_change:
        blocks.append(actions(
            *(button(f"TTL {label}", ids.ttl_preset(code), card.id) for code, label in TTL_PRESETS.items()),
            button("Custom TTL…", ids.TTL_CUSTOM, card.id), button("Reset TTL to pool policy", ids.TTL_RESET, card.id),
            button("Daily limit…", ids.DAILY_LIMIT, card.id), block_id=f"resource:{card.id}"))
    blocks.append(console_footer(console.resource(card.id)))
    return Message(f"{card.name}: {money(card.cost, currency)} this month", blocks)


def _constraint_lines(card: ResourceRow, currency: str) -> list[str]:
    by_kind = {c.kind: c for c in card.constraints}
    lines = []
    for kind, label in KIND_LABELS.items():
        constraint = by_kind.get(kind)
        if constraint is None:
            lines.append(f"{label}: none")
            continue
        value = when(constraint.value) if kind == ConstraintKind.TTL else (
            "off" if constraint.value == 0 else money(constraint.value, currency))
        source = "own" if constraint.pool_id is None else f"policy of {constraint.pool_name}"
        lines.append(f"{label}: {value} ({escape(source)})")
    return lines


def ttl_modal(*, resource: str, timezone: str, metadata: str) -> dict:
    hint = f"In your Slack time zone, {timezone}."
    blocks = [section(f"Keep *{escape(resource)}* until:"),
              input_block(ids.TTL_DATE, "Date", {"type": "datepicker", "action_id": ids.TTL_DATE}),
              input_block(ids.TTL_TIME, "Time", {"type": "timepicker", "action_id": ids.TTL_TIME}, hint=hint)]
    return modal(ids.TTL_VIEW, "Update TTL", blocks, submit="Set TTL", metadata=metadata)


def limit_modal(*, resource: str, currency: str, metadata: str) -> dict:
    blocks = [section(f"Alert the owner when *{escape(resource)}* costs more than this in one day."),
              input_block(ids.LIMIT, f"Daily limit in {currency}", {
                  "type": "number_input", "action_id": ids.LIMIT, "is_decimal_allowed": False, "min_value": "0"},
                          hint="0 switches the limit off; it overrides the pool's policy.")]
    return modal(ids.LIMIT_VIEW, "Daily limit", blocks, submit="Save", metadata=metadata)
