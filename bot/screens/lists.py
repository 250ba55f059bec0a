"""The `org`, `alerts` and `schedules` answers, and which pools a member manages (alert pool search, App Home)."""

from __future__ import annotations

from bot.links import Console
from bot.views.alerts import alert_list, pool_options
from bot.views.common import Message
from bot.views.orgs import org_list
from bot.views.schedules import ScheduleCard, schedule_list
from core import permissions
from core.models import Member, Role
from core.queries.costs import TreeRow, pool_tree
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
    tree = await pool_tree(member.organization_id)
    managed = await managed_pool_ids(member, tree)
    text = (query or "").strip().lower()
    return pool_options([(row.pool.id, row.pool.name) for row in tree
                         if row.pool.id in managed and text in row.pool.name.lower()])


async def managed_pool_ids(member: Member, tree: list[TreeRow]) -> set[int]:
    """The pools of the tree the member manages (core.permissions' rule, for the whole tree at once)."""
    return await permissions.managed_pool_ids(member, {row.pool.id: row.pool.parent_id for row in tree})
