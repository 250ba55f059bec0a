"""The App Home dashboard: my resources and their constraints, my bookings, pools needing attention.

Pools needing attention are summarized all at once (core.queries.costs.pool_summaries: one grouped query
of daily costs for every pool the person manages), so the tab costs the same number of queries however
many pools there are; it shows the POOLS_SHOWN most over their limit and says how many more there are.
"""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.screens.lists import managed_pool_ids
from bot.screens.resources import cards, pool_names
from bot.views.home import MyBooking, PoolAttention, home_view
from core.clock import utcnow
from core.models import Member
from core.queries.costs import PoolSummary, pool_summaries, pool_tree
from core.queries.resources import list_resources
from core.services.environments import list_environments

TOP_RESOURCES = 5
POOLS_SHOWN = 10


async def dashboard(member: Member, *, console: Console, now: datetime | None = None) -> dict:
    now = now or utcnow()
    org = await member.organization
    today = now.date()
    rows = await list_resources(org.id, month_start=today.replace(day=1), today=today, owner_id=member.id,
                                limit=TOP_RESOURCES)
    pools, more = await attention(member, now)
    return home_view(organization=org.name, currency=org.currency,
                     resources=await cards(rows, org.currency, await pool_names(org.id), now),
                     bookings=await my_bookings(member, now), pools=pools, more_pools=more, console=console, now=now)


async def my_bookings(member: Member, now: datetime) -> list[MyBooking]:
    """The member's current and next bookings, one per environment."""
    found = []
    for view in await list_environments(member.organization_id, now=now):
        for booking, current in ((view.current, True), (view.next, False)):
            if booking is not None and booking.member_id == member.id:
                found.append(MyBooking(view.environment.id, view.environment.name, booking.starts_at,
                                       booking.ends_at, current))
    return sorted(found, key=lambda b: b.starts_at)


async def attention(member: Member, now: datetime) -> tuple[list[PoolAttention], int]:
    """Pools with a limit that the member manages and that are over it or forecast to be, most over first:
    the first POOLS_SHOWN of them, and how many more there are."""
    tree = await pool_tree(member.organization_id)
    managed = await managed_pool_ids(member, tree)
    limited = [row.pool.id for row in tree if row.pool.monthly_limit > 0 and row.pool.id in managed]
    summaries = await pool_summaries(member.organization_id, today=now.date(), pool_ids=limited)
    over = sorted((s for s in summaries.values() if s.exceeded or s.forecast_overspend), key=_most_over)
    shown = [PoolAttention(s.pool.id, s.pool.name, s.cost, s.limit, s.forecast.value, s.exceeded, s.forecast.formula)
             for s in over[:POOLS_SHOWN]]
    return shown, len(over) - len(shown)


def _most_over(summary: PoolSummary) -> tuple:
    """Over the limit already before only forecast over it, then by forecast per unit of limit."""
    return not summary.exceeded, -(summary.forecast.value / summary.limit), summary.pool.name, summary.pool.id
