"""Root > Team > Squad, Root > Other, a vm in Squad with an owner, and its daily costs: the constraint tests' world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from core.models import ConstraintKind, Expense, Member, Pool, Resource
from tests.factories import make_member, make_org, make_pool_manager, make_resource
from tests.worlds.teams import Teams, make_teams

TTL, DAILY, TOTAL = ConstraintKind.TTL, ConstraintKind.DAILY_EXPENSE_LIMIT, ConstraintKind.TOTAL_EXPENSE_LIMIT
NOW = datetime(2024, 5, 10, 12, 0, tzinfo=timezone.utc)
TODAY, YESTERDAY = date(2024, 5, 10), date(2024, 5, 9)
FIRST_SEEN = datetime(2024, 5, 1, tzinfo=timezone.utc)


@dataclass
class World(Teams):
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
    teams = await make_teams(fx)
    owner = await make_member(fx, "owner@acme.test")
    return World(**vars(teams), owner=owner, eng=await make_member(fx, "eng@acme.test"),
                 team_manager=await make_pool_manager(fx, "team@acme.test", teams.team),
                 other_manager=await make_pool_manager(fx, "other@acme.test", teams.other),
                 vm=await seen_resource(teams.squad, "vm", owner))


async def spend(resource: Resource, **days: str) -> None:
    """Costs by day: `today=`, `yesterday=` or `dYYYY-MM-DD=`."""
    named = {"today": TODAY, "yesterday": YESTERDAY}
    for key, cost in days.items():
        day = named.get(key) or date.fromisoformat(key.removeprefix("d"))
        await Expense.create(resource=resource, day=day, cost=Decimal(cost))
