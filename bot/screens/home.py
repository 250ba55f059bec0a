"""The App Home dashboard: my resources and their constraints, my bookings, pools needing attention.

Pools needing attention are summarized all at once (core.queries.costs.pool_summaries: one grouped query
of daily costs for every pool the person manages), so the tab costs the same number of queries however
many pools there are; it shows the POOLS_SHOWN most over their limit and says how many more there are.
"""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.views.home import MyBooking, PoolAttention, home_view
from core.clock import utcnow
from core.models import Member
from core.queries.costs import PoolSummary, pool_summaries, pool_tree
from core.queries.environments import booked_by_member
from core.queries.resources import list_resources
from core.queries.viewer import viewer

TOP_RESOURCES = 5
POOLS_SHOWN = 10


async def dashboard(member: Member, *, console: Console, now: datetime | None = None) -> dict:
    now = now or utcnow()
    org = await member.organization
    page = await list_resources(organization_id=org.id, member_id=member.id, owner_id=member.id, limit=TOP_RESOURCES,
                                now=now)
    pools, more = await attention(member, now)
    return home_view(organization=org.name, currency=org.currency,
                     resources=list(page.rows),
                     bookings=await my_bookings(member, now), pools=pools, more_pools=more, console=console, now=now)


async def my_bookings(member: Member, now: datetime) -> list[MyBooking]:
    """The member's current and next bookings, one per environment."""
    found = []
    for env in await booked_by_member(organization_id=member.organization_id, member_id=member.id, now=now):
        for booking, current in ((env.current, True), (env.next, False)):
            if booking is not None and booking.member_id == member.id:
                found.append(MyBooking(env.id, env.name, booking.starts_at, booking.ends_at, current))
    return sorted(found, key=lambda b: b.starts_at)


async def attention(member: Member, now: datetime) -> tuple[list[PoolAttention], int]:
    """Pools with a limit that the member manages and that are over it or forecast to be, most over first:
    the first POOLS_SHOWN of them, and how many more there are."""
    tree = await pool_tree(member.organization_id)
    who = await viewer(organization_id=member.organization_id, member_id=member.id)
    limited = [row.pool.id for row in tree if row.pool.monthly_limit > 0 and who.manages(row.pool.id)]
    summaries = await pool_summaries(member.organization_id, today=now.date(), pool_ids=limited)
    over = sorted((s for s in summaries.values() if s.exceeded or s.forecast_overspend), key=_most_over)
    shown = [PoolAttention(s.pool.id, s.pool.name, s.cost, s.limit, s.forecast.value, s.exceeded, s.forecast.formula)
             for s in over[:POOLS_SHOWN]]
    return shown, len(over) - len(shown)


def _most_over(summary: PoolSummary) -> tuple:
    """Over the limit already before only forecast over it, then by forecast per unit of limit."""
    return not summary.exceeded, -(summary.forecast.value / summary.limit), summary.pool.name, summary.pool.id
