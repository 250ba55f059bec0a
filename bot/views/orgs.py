"""Organizations a person belongs to, the active one marked, with Choose buttons for the others."""

from __future__ import annotations

from bot import ids
from bot.links import Console
from bot.views.common import Message, button, console_footer, escape, header, section
from core.services.slack_links import Link

ROLE_LABELS = {"org_manager": "organization manager", "pool_manager": "pool manager", "engineer": "engineer"}


def org_list(links: list[Link], *, console: Console, notice: str = "") -> Message:
    blocks = [header("Your organizations")]
    if notice:
        blocks.append(section(f":white_check_mark: {notice}"))
    for item in links:
        role = ROLE_LABELS[item.member.role.value]
        if item.active:
            blocks.append(section(f"*{escape(item.organization.name)}* — Active · {role}"))
        else:
            blocks.append(section(f"*{escape(item.organization.name)}* · {role}",
                                  accessory=button("Choose", ids.ORG_CHOOSE, item.organization.id)))
    blocks.append(console_footer(console.home()))
    active = next((item.organization.name for item in links if item.active), "none")
    return Message(f"Your organizations (active: {active})", blocks)
