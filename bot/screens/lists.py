"""The `org`, `alerts` and `schedules` answers."""

from __future__ import annotations

from bot.links import Console
from bot.views.alerts import alert_list, pool_options
from bot.views.common import Message
from bot.views.orgs import org_list
from bot.views.schedules import ScheduleCard, schedule_list
from core.models import Member, Role
from core.permissions import manages_pool
from core.queries.costs import pool_tree
from core.services import slack_links
from core.services.alerts import list_alerts
from core.services.schedules import list_schedules


async def org_page(team_id: str, slack_user_id: str, *, console: Console, notice: str = "") -> Message:
    links = await slack_links.links_of(team_id=team_id, slack_user_id=slack_user_id)
    return org_list(links, console=console, notice=notice)


async def alerts_page(member: Member, *, console: Console) -> Message:
    org = await member.organization
    alerts = await list_alerts(org.id)
    return alert_list(alerts, currency=org.currency, can_manage=member.role != Role.ENGINEER, console=console)


async def schedules_page(member: Member, *, console: Console) -> Message:
    cards = [ScheduleCard(s.id, s.name, s.timezone, s.mode.value, s.enabled, tuple(s.periods),
                          await s.resources.all().count())
             for s in await list_schedules(member.organization_id)]
    return schedule_list(cards, console=console)


async def pool_choices(member: Member, query: str) -> list[dict]:
    """Pools the member manages whose name contains the query, as options for the alert modal's search."""
    await member.fetch_related("managed_pools")
    text = (query or "").strip().lower()
    found = []
    for row in await pool_tree(member.organization_id):
        if text in row.pool.name.lower() and await manages_pool(member, row.pool):
            found.append((row.pool.id, row.pool.name))
    return pool_options(found)
