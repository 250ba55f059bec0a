"""Root > Team > Squad, Root > Other: the pool tree the constraint and environment worlds grow from."""

from __future__ import annotations

from dataclasses import dataclass

from core.models import Member, Pool
from tests.factories import OrgFixture, make_pool


@dataclass
class Teams:
    org_id: int
    boss: Member
    root: Pool
    team: Pool
    squad: Pool
    other: Pool


async def make_teams(fx: OrgFixture) -> Teams:
    team = await make_pool(fx, "Team")
    return Teams(fx.org.id, fx.manager, fx.root, team, await make_pool(fx, "Squad", team), await make_pool(fx, "Other"))
