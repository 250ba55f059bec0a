"""The App Home dashboard: my resources and their constraints, my bookings, pools needing attention."""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.screens.resources import card, pool_names
from bot.views.home import MyBooking, PoolAttention, home_view
from core.clock import utcnow
from core.models import Member
from core.permissions import manages_pool
from core.queries.costs import pool_summary, pool_tree
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
    pools = await pool_names(org.id)
    cards = [await card(row.resource, row.cost, org.currency, pools, now) for row in rows]
    return home_view(organization=org.name, currency=org.currency, resources=cards,
                     bookings=await my_bookings(member, now), pools=await attention(member, now), console=console,
                     now=now)


async def my_bookings(member: Member, now: datetime) -> list[MyBooking]:
    """The member's current and next bookings, one per environment."""
    found = []
    for view in await list_environments(member.organization_id, now=now):
        for booking, current in ((view.current, True), (view.next, False)):
            if booking is not None and booking.member_id == member.id:
                found.append(MyBooking(view.environment.id, view.environment.name, booking.starts_at,
                                       booking.ends_at, current))
    return sorted(found, key=lambda b: b.starts_at)


async def attention(member: Member, now: datetime) -> list[PoolAttention]:
    """Pools with a limit that the member manages and that are over it or forecast to be."""
    await member.fetch_related("managed_pools")
    found = []
    for row in await pool_tree(member.organization_id):
        if len(found) == POOLS_SHOWN or row.pool.monthly_limit <= 0 or not await manages_pool(member, row.pool):
            continue
        summary = await pool_summary(row.pool.id, today=now.date())
        if summary.exceeded or summary.forecast_overspend:
            found.append(PoolAttention(row.pool.id, row.pool.name, summary.cost, summary.limit,
                                       summary.forecast.value, summary.exceeded, summary.forecast.formula))
    return found
