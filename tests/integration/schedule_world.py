"""An organization with two pools, a pool manager, two engineers and resources, for the schedule tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from core.models import Member, Pool, Resource
from core.services import orgs, schedules
from tests.factories import OrgFixture, make_member, make_org, make_resource

OFFICE = [{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "stop": "19:00"}]
SEEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@dataclass
class World:
    fx: OrgFixture
    dev: Pool
    ops: Pool
    pool_manager: Member
    engineer: Member
    other_engineer: Member
    dev_vm: Resource
    ops_vm: Resource

    @property
    def manager(self) -> Member:
        return self.fx.manager


async def make_world(name: str = "Acme") -> World:
    fx = await make_org(name=name, email=f"boss@{name.lower()}.test")
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev")
    ops = await Pool.create(organization=fx.org, parent=fx.root, name="Ops")
    pool_manager = await make_member(fx, f"pm@{name.lower()}.test")
    await orgs.grant_pool(actor_id=fx.manager.id, member_id=pool_manager.id, pool_id=dev.id)
    engineer = await make_member(fx, f"eng@{name.lower()}.test")
    other = await make_member(fx, f"other@{name.lower()}.test")
    dev_vm = await make_resource(dev, "dev-vm", owner=engineer, first_seen=SEEN, last_seen=SEEN)
    ops_vm = await make_resource(ops, "ops-vm", first_seen=SEEN, last_seen=SEEN)
    return World(fx, dev, ops, await Member.get(id=pool_manager.id), engineer, other, dev_vm, ops_vm)


async def office_schedule(world: World, name: str = "Office", **options):
    return await schedules.create_schedule(actor_id=world.manager.id, name=name, timezone="UTC", periods=OFFICE,
                                           **options)
