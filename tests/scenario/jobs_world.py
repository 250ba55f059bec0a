"""One organization in which every kind of proactive message is due at NOW, and a Slack to deliver them to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest_asyncio

from bot.notify.deliverer import slack_sender
from core.crypto import SecretBox
from core.models import Booking, DataSource, Member, Pool, Resource
from core.services import alerts, constraints, environments, schedules, slack_links, waitlist
from core.services.resources import upsert_expenses
from jobs.runner import Deps
from tests.factories import OrgFixture, make_member, make_org, make_resource
from tests.integration import fake_cloud
from tests.scenario.notify_fake import TroubledSlack
from tests.scenario.slack_fake import CONSOLE, SECRET_KEY, TEAM

NOW = datetime(2026, 3, 2, 18, 30, tzinfo=timezone.utc)  # a Monday
ALERTS, ENVS = "C0ALERTS01", "C0ENVCHAN1"
BOSS, OWNER, WAITER = "UBOSS", "UOWNER", "UWAITER"
SEEN = datetime(2026, 2, 1, tzinfo=timezone.utc)


@dataclass
class JobsWorld:
    fx: OrgFixture
    owner: Member
    waiter: Member
    dev: Pool
    expired: Resource
    expiring: Resource
    office_vm: Resource
    failing_vm: Resource


def deps_for(fake: TroubledSlack, worker: str = "test") -> Deps:
    box = SecretBox(SECRET_KEY)
    send = slack_sender(box=box, public_url=CONSOLE, bot_token="xoxb-test", api_url=fake.api_url)
    return Deps(worker=worker, box=box, open_adapter=fake_cloud.open_adapter, senders=dict.fromkeys(send.kinds, send))


@pytest_asyncio.fixture
async def fake(db):
    slack = TroubledSlack()
    await slack.start()
    yield slack
    await slack.close()


async def make_jobs_world(cloud: fake_cloud.FakeCloud) -> JobsWorld:
    fx = await make_org()
    owner = await make_member(fx, "owner@acme.test")
    waiter = await make_member(fx, "waiter@acme.test")
    await slack_links.bind_workspace(team_id=TEAM, organization_id=fx.org.id)
    for user, member in ((BOSS, fx.manager), (OWNER, owner), (WAITER, waiter)):
        await slack_links.link_by_email(team_id=TEAM, slack_user_id=user, email=member.email, email_verified=True)
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev", monthly_limit=100)
    for basis, channel in (("constraint", ALERTS), ("env_change", ENVS)):
        await alerts.create_alert(actor_id=fx.manager.id, pool_id=fx.root.id, based_on=basis, threshold=0,
                                  threshold_type="absolute", include_children=True, channels=[channel])
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="cost", threshold=50,
                              threshold_type="percentage", channels=[ALERTS])
    cloud_source = await DataSource.create(organization=fx.org, name="cloud", kind=fake_cloud.KIND, pool=fx.root)
    await DataSource.create(organization=fx.org, name="k8s billing", kind="kubernetes", pool=fx.root)  # no adapter
    seen = {"region": "eu-west-1", "first_seen": SEEN, "last_seen": SEEN, "data_source": cloud_source}
    world = JobsWorld(fx, owner, waiter, dev, *[await make_resource(dev, name, owner=owner, **seen) for name in
                                               ("expired", "expiring", "office-vm", "failing-vm")])
    await constraints.set_resource_ttl(actor_id=owner.id, resource_id=world.expired.id, until=NOW - timedelta(hours=1),
                                       now=NOW - timedelta(days=1))
    await constraints.set_resource_ttl(actor_id=owner.id, resource_id=world.expiring.id,
                                       until=NOW + timedelta(hours=10), now=NOW)
    await upsert_expenses(rows=[(world.expired.id, date(2026, 3, 1), "60")])
    await _power(world, cloud)
    await _bookings(world)
    return world


async def _power(world: JobsWorld, cloud: fake_cloud.FakeCloud) -> None:
    """office-vm stops at 19:00 (warned now); failing-vm stops now and the cloud refuses it."""
    for name, stop in (("office-vm", "19:00"), ("failing-vm", "18:30")):
        schedule = await schedules.create_schedule(actor_id=world.fx.manager.id, name=name, timezone="UTC",
                                                   periods=[{"weekdays": [0], "start": "08:00", "stop": stop}])
        resource = world.office_vm if name == "office-vm" else world.failing_vm
        await schedules.attach_resources(actor_id=world.fx.manager.id, schedule_id=schedule.id,
                                         resource_ids=[resource.id])
        cloud.states[name] = "running"
    cloud.failing.add("failing-vm")


async def _bookings(world: JobsWorld) -> None:
    """"stage" was released 20 s ago with someone waiting; "perf" was taken 30 s ago."""
    fx = world.fx
    stage = await environments.create_environment(actor_id=fx.manager.id, pool_id=world.dev.id, name="stage")
    perf = await environments.create_environment(actor_id=fx.manager.id, pool_id=world.dev.id, name="perf")
    await Booking.create(environment=stage, member=world.owner, created_by=world.owner,
                         starts_at=NOW - timedelta(hours=2), ends_at=NOW - timedelta(seconds=20))
    await waitlist.join_waitlist(actor_id=world.waiter.id, environment_id=stage.id, acquire=False)
    await Booking.create(environment=perf, member=world.owner, created_by=world.owner,
                         starts_at=NOW - timedelta(seconds=30), ends_at=NOW + timedelta(hours=2))
