"""An organization bound to the fake workspace, with one Slack person per role, resources and environments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from core import clock
from core.models import Member, Pool, Resource, SharedEnvironment
from core.services import environments, orgs, resources, slack_links
from tests import factories
from tests.factories import OrgFixture, make_member, make_org
from tests.scenario.slack_fake import TEAM, FakeSlack

NOW = datetime(2026, 5, 13, 10, 0, tzinfo=timezone.utc)  # the world's clock starts on a mid-month Wednesday
# Slack user ids of the people, by role.
BOSS, POOL_MANAGER, OWNER, ENGINEER, STRANGER = "UBOSS", "UPM", "UOWNER", "UENG", "USTRANGER"


@dataclass
class World:
    fx: OrgFixture
    dev: Pool
    pool_manager: Member
    owner: Member
    engineer: Member
    big: Resource
    small: Resource
    ops_db: Resource
    staging: SharedEnvironment
    perf: SharedEnvironment
    now: datetime

    @property
    def boss(self) -> Member:
        return self.fx.manager

    def member(self, user: str) -> Member | None:
        return {BOSS: self.boss, POOL_MANAGER: self.pool_manager, OWNER: self.owner, ENGINEER: self.engineer}.get(user)


async def make_resource(fx: OrgFixture, pool: Pool, name: str, owner: Member | None, first_seen: datetime) -> Resource:
    """An instance of the world's cloud (id "i-<name>", in eu-west-1), last seen when first seen."""
    return await factories.make_resource(pool, name, owner=owner, cloud_resource_id=f"i-{name}", region="eu-west-1",
                                         first_seen=first_seen, last_seen=first_seen)


async def make_world(fake: FakeSlack) -> World:
    """The organization, on a clock pinned to NOW (tests/conftest.py puts the real clock back after each test)."""
    now = NOW
    clock.pin(now)
    fx = await make_org()
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev", monthly_limit=100)
    pool_manager = await make_member(fx, "pm@acme.test")
    await orgs.grant_pool(actor_id=fx.manager.id, member_id=pool_manager.id, pool_id=dev.id)
    owner = await make_member(fx, "owner@acme.test")
    engineer = await make_member(fx, "eng@acme.test")
    seen = now - timedelta(days=3)
    big = await make_resource(fx, dev, "vm-big", owner, seen)
    small = await make_resource(fx, dev, "vm-small", owner, seen)
    ops_db = await make_resource(fx, fx.root, "ops-db", None, seen)
    today = now.date()
    await resources.upsert_expenses(rows=[(big.id, today, "12.5"), (big.id, today - timedelta(days=1), "30"),
                                          (small.id, today, "1")])
    staging = await environments.create_environment(actor_id=fx.manager.id, pool_id=dev.id, name="staging",
                                                    description="Staging stand", properties={"ip": "10.0.0.5"})
    perf = await environments.create_environment(actor_id=fx.manager.id, pool_id=fx.root.id, name="perf")
    await slack_links.bind_workspace(team_id=TEAM, organization_id=fx.org.id, team_name="Acme")
    for user, email in ((BOSS, "boss@acme.test"), (POOL_MANAGER, "pm@acme.test"), (OWNER, "owner@acme.test"),
                        (ENGINEER, "eng@acme.test"), (STRANGER, "stranger@else.test")):
        fake.add_user(user, email)
    return World(fx, dev, await Member.get(id=pool_manager.id), owner, engineer, big, small, ops_db, staging, perf,
                 now)
