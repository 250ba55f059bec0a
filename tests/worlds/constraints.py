"""Root > Team > Squad, Root > Other, a vm in Squad with an owner, and its daily costs: the constraint tests' world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from core.models import ConstraintKind, Expense, Member, Pool, Resource
from tests.factories import make_member, make_org, make_pool, make_pool_manager, make_resource

TTL, DAILY, TOTAL = ConstraintKind.TTL, ConstraintKind.DAILY_EXPENSE_LIMIT, ConstraintKind.TOTAL_EXPENSE_LIMIT
NOW = datetime(2024, 5, 10, 12, 0, tzinfo=timezone.utc)
TODAY, YESTERDAY = date(2024, 5, 10), date(2024, 5, 9)
FIRST_SEEN = datetime(2024, 5, 1, tzinfo=timezone.utc)


@dataclass
class World:
    org_id: int
    boss: Member
    root: Pool
    team: Pool
    squad: Pool
    other: Pool
    owner: Member
    eng: Member
    team_manager: Member
    other_manager: Member
    vm: Resource


async def seen_resource(pool: Pool, name: str, owner: Member | None = None, active: bool = True) -> Resource:
    """A resource first seen on FIRST_SEEN and last seen NOW."""
    return await make_resource(pool, name, owner=owner, cloud_resource_id=f"id-{name}", active=active,
                               first_seen=FIRST_SEEN, last_seen=NOW)


async def make_world() -> World:
    fx = await make_org()
    team = await make_pool(fx, "Team")
    squad, other = await make_pool(fx, "Squad", team), await make_pool(fx, "Other")
    owner = await make_member(fx, "owner@acme.test")
    return World(fx.org.id, fx.manager, fx.root, team, squad, other, owner, await make_member(fx, "eng@acme.test"),
                 await make_pool_manager(fx, "team@acme.test", team),
                 await make_pool_manager(fx, "other@acme.test", other), await seen_resource(squad, "vm", owner))


async def spend(resource: Resource, **days: str) -> None:
    """Costs by day: `today=`, `yesterday=` or `dYYYY-MM-DD=`."""
    named = {"today": TODAY, "yesterday": YESTERDAY}
    for key, cost in days.items():
        day = named.get(key) or date.fromisoformat(key.removeprefix("d"))
        await Expense.create(resource=resource, day=day, cost=Decimal(cost))
