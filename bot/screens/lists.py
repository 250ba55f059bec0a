"""The `org`, `alerts` and `schedules` answers, and the pools a member may put an alert on (the alert modal's search)."""

from __future__ import annotations

from bot.links import Console
from bot.views.alerts import alert_list, pool_options
from bot.views.common import Message
from bot.views.orgs import org_list
from bot.views.schedules import schedule_list
from core.models import Member
from core.queries.alerts import alert_pools, list_alerts
from core.queries.schedules import list_schedules
from core.services import slack_links

SCHEDULES_SHOWN = 40  # a message holds 50 blocks


async def org_page(team_id: str, slack_user_id: str, *, console: Console, notice: str = "") -> Message:
    links = await slack_links.links_of(team_id=team_id, slack_user_id=slack_user_id)
    return org_list(links, console=console, notice=notice)


async def alerts_page(member: Member, *, console: Console) -> Message:
    org = await member.organization
    alerts = await list_alerts(organization_id=org.id, member_id=member.id)
    return alert_list(alerts, currency=org.currency, console=console)


async def schedules_page(member: Member, *, console: Console) -> Message:
    page = await list_schedules(organization_id=member.organization_id, limit=SCHEDULES_SHOWN)
    return schedule_list(page, console=console)


async def pool_choices(member: Member, query: str) -> list[dict]:
    """Pools the member manages whose name contains the query, as options for the alert modal's search."""
    return pool_options(await alert_pools(organization_id=member.organization_id, member_id=member.id, search=query))
