"""The App Home dashboard: my resources and their constraints, my bookings, pools needing attention.

Pools needing attention are summarized all at once (core.queries.costs.pools_needing_attention: one grouped
query of daily costs for every pool the person manages), so the tab costs the same number of queries however
many pools there are; it shows the POOLS_SHOWN most over their limit and says how many more there are.
"""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.views.home import MyBooking, PoolAttention, home_view
from core.clock import utcnow
from core.models import Member
from core.queries.costs import pools_needing_attention
from core.queries.environments import booked_by_member
from core.queries.resources import list_resources

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
    """The first POOLS_SHOWN pools the member manages that are over their limit or forecast to be, and how many
    more there are."""
    page = await pools_needing_attention(organization_id=member.organization_id, member_id=member.id,
                                         today=now.date(), limit=POOLS_SHOWN)
    shown = [PoolAttention(s.pool_id, s.pool_name, s.cost, s.limit, s.forecast.value, s.exceeded, s.forecast.formula)
             for s in page.rows]
    return shown, page.total - len(shown)
