"""Root > Team > Squad, Root > Other, with the vm and the hand-made environment "stage" in Squad: the world of
the environment, booking and waitlist tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from core.models import Member, Resource, SharedEnvironment
from core.services import environments as envs
from tests.factories import make_member, make_org, make_pool_manager, make_resource
from tests.worlds.teams import Teams, make_teams

NOW = datetime(2030, 3, 4, 10, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


@dataclass
class World(Teams):
    holder: Member
    eng: Member
    team_manager: Member
    other_manager: Member
    vm: Resource
    env: SharedEnvironment


async def make_world() -> World:
    fx = await make_org()
    teams = await make_teams(fx)
    vm = await make_resource(teams.squad, "vm", cloud_resource_id="i-vm", first_seen=NOW - 24 * HOUR, last_seen=NOW)
    env = await envs.create_environment(actor_id=fx.manager.id, pool_id=teams.squad.id, name="stage",
                                        properties={"IP": "10.0.0.1"})
    return World(**vars(teams), holder=await make_member(fx, "holder@acme.test"),
                 eng=await make_member(fx, "eng@acme.test"),
                 team_manager=await make_pool_manager(fx, "team@acme.test", teams.team),
                 other_manager=await make_pool_manager(fx, "other@acme.test", teams.other), vm=vm, env=env)


async def other_org_member() -> Member:
    return (await make_org("Globex", "boss@globex.test")).manager
