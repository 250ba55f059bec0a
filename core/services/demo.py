"""The sample organization `cloudtuner demo` loads, so a newcomer sees real-looking data in every view.

Whoever runs it (`--manager-email`, else the first organization manager of a real organization, `init`'s) is
one of its organization managers, so their Slack account links to it by email on first contact. Its data
sources are marked `sample`: no cloud is behind them, so the import skips them and power actions are
simulated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from core.clock import utcnow
from core.db import transaction
from core.errors import Conflict
from core.services import demo_clouds, orgs
from core.models import (Alert, AlertBasis, AssignmentRule, Booking, ConstraintKind, DataSource, DataSourceKind,
                         Expense, Member, Organization, Pool, PoolPolicy, PowerSchedule, Resource,
                         ResourceConstraint, Role, SharedEnvironment, ThresholdType)

DEMO_NAME = "Demo Corp (sample data)"
HISTORY_DAYS = 60

# name, parent, monthly limit
POOLS = [("Engineering", DEMO_NAME, 12000), ("Backend", "Engineering", 6000), ("Frontend", "Engineering", 3000),
         ("QA", "Engineering", 2000), ("Marketing", DEMO_NAME, 3000), ("Data", DEMO_NAME, 4000)]
# email, name, role, managed pools
PEOPLE = [("alice@demo.example", "Alice (sample)", Role.POOL_MANAGER, ["Engineering"]),
          ("bob@demo.example", "Bob (sample)", Role.ENGINEER, []),
          ("carol@demo.example", "Carol (sample)", Role.ENGINEER, []),
          ("dave@demo.example", "Dave (sample)", Role.POOL_MANAGER, ["Marketing"])]
# data source, kind, default pool, how many resources, regions, resource types with a typical daily cost
CLOUDS = [("AWS production (sample)", DataSourceKind.AWS_ROOT, "Engineering", 24, ["us-east-1", "eu-central-1"],
           [("instance", 14), ("volume", 2), ("snapshot", 0.6), ("ip_address", 0.12), ("bucket", 3)]),
          ("Azure marketing (sample)", DataSourceKind.AZURE_SUBSCRIPTION, "Marketing", 10, ["westeurope"],
           [("instance", 11), ("volume", 1.5)]),
          ("GCP analytics (sample)", DataSourceKind.GCP, "Data", 16, ["europe-west1", "us-central1"],
           [("instance", 16), ("bucket", 4), ("k8s_cluster", 35)])]
# where each pool's resources land: (pool, owner) in turn
TEAMS = {"Engineering": [("Backend", "bob"), ("Frontend", "carol"), ("QA", "carol"), ("Backend", "alice")],
         "Marketing": [("Marketing", "dave")], "Data": [("Data", "alice"), ("Data", "bob")]}


@dataclass
class DemoSummary:
    organization: str
    pools: int
    resources: int
    expenses: int
    environments: int
    bookings: int
    managers: list[str]

    def __str__(self) -> str:
        return (f"Loaded \"{self.organization}\": {self.pools} pools, {self.resources} resources with "
                f"{self.expenses} daily expenses, {self.environments} shared environments, {self.bookings} bookings, "
                f"1 power schedule, 3 alerts; its organization managers are {', '.join(self.managers)}.")


async def load_demo(*, now: datetime | None = None, seed: int = 7, manager_email: str | None = None) -> DemoSummary:
    """Create the sample organization in one transaction; `manager_email` (default: the first organization
    manager of a real organization, if any) becomes one of its organization managers.

    Raises: Conflict (demo_exists) when it is already loaded, InvalidInput (manager_email malformed).
    """
    now = now or utcnow()
    rng = random.Random(seed)
    async with transaction():
        if await Organization.exists(name=DEMO_NAME):
            raise Conflict("demo_exists", name=DEMO_NAME)
        newcomer = manager_email or await _first_real_manager()
        org = await Organization.create(name=DEMO_NAME, currency="USD", is_demo=True)
        pools = {DEMO_NAME: await Pool.create(organization=org, name=DEMO_NAME, monthly_limit=20000)}
        for name, parent, limit in POOLS:
            pools[name] = await Pool.create(organization=org, parent=pools[parent], name=name, monthly_limit=limit)
        people = await _people(org, pools)
        managers = [people["manager"].email]
        if newcomer:
            managers.append((await orgs.add_member(actor_id=people["manager"].id, email=newcomer,
                                                   role=Role.ORG_MANAGER.value)).email)
        resources = await _resources(org, pools, people, now, rng)
        expenses = await _expenses(resources, now.date(), rng)
        environments, bookings = await _environments(org, pools, people, resources, now)
        await _policies_schedule_alerts(org, pools, people, resources, now)
    return DemoSummary(DEMO_NAME, len(pools), len(resources), expenses, environments, bookings, managers)


async def _first_real_manager() -> str | None:
    return await (Member.filter(role=Role.ORG_MANAGER, organization__is_demo=False).order_by("id").first()
                  .values_list("email", flat=True))


async def _people(org: Organization, pools: dict[str, Pool]) -> dict[str, Member]:
    people = {"manager": await Member.create(organization=org, email="manager@demo.example",
                                             name="Morgan the manager (sample)", role=Role.ORG_MANAGER)}
    for email, name, role, managed in PEOPLE:
        member = await Member.create(organization=org, email=email, name=name, role=role)
        for pool in managed:
            await member.managed_pools.add(pools[pool])
        people[email.split("@")[0]] = member
    return people


async def _resources(org, pools, people, now, rng) -> list[Resource]:
    resources = []
    for source_name, kind, pool_name, count, regions, kinds in CLOUDS:
        source = await DataSource.create(organization=org, name=source_name, kind=kind, pool=pools[pool_name],
                                         config=demo_clouds.config(kind), sample=True, last_import_at=now,
                                         last_import_status="ok: sample data")
        for index in range(count):
            rtype, _ = kinds[index % len(kinds)]
            team, owner = TEAMS[pool_name][index % len(TEAMS[pool_name])]
            name = f"{team.lower()}-{rtype.replace('_', '-')}-{index:02d}"
            region, active = regions[index % len(regions)], index % 9 != 8
            resources.append(Resource(
                organization=org, data_source=source, cloud_resource_id=demo_clouds.resource_id(kind, rtype, name, region),
                name=name, resource_type=rtype, details=demo_clouds.details(kind, rtype, region, active),
                region=region, tags={"team": team.lower(), "env": ("dev", "staging", "prod")[index % 3]},
                owner=people[owner], pool=pools[team], first_seen=now - timedelta(days=rng.randint(20, HISTORY_DAYS + 30)),
                last_seen=now, active=active))
    await Resource.bulk_create(resources)
    return await Resource.filter(organization=org).order_by("id")


async def _expenses(resources: list[Resource], today: date, rng) -> int:
    daily = {rtype: cost for *_, kinds in CLOUDS for rtype, cost in kinds}
    rows = []
    for resource in resources:
        base = daily[resource.resource_type] * rng.uniform(0.5, 1.6)
        for back in range(HISTORY_DAYS):
            day = today - timedelta(days=back)
            if day >= resource.first_seen.date():
                cost = Decimal(str(round(base * rng.uniform(0.8, 1.2), 4)))
                rows.append(Expense(resource_id=resource.id, day=day, cost=cost))
    await Expense.bulk_create(rows, batch_size=1000)
    return len(rows)


async def _environments(org, pools, people, resources, now) -> tuple[int, int]:
    instances = [r for r in resources if r.resource_type == "instance" and r.active][:3]
    envs = [await SharedEnvironment.create(organization=org, pool_id=r.pool_id, resource=r, name=name,
                                           resource_type="instance", max_booking_minutes=7 * 24 * 60)
            for r, name in zip(instances, ["Staging (sample)", "Demo stand (sample)", "QA bench (sample)"])]
    envs.append(await SharedEnvironment.create(
        organization=org, pool=pools["QA"], name="Customer demo lab (sample)", description="Hand-made environment",
        properties={"ip": "10.0.0.15", "software": "Product 4.2", "login": "demo / see vault"}, ssh_only=True))
    hour = now.replace(minute=0, second=0, microsecond=0)
    bookings = [(envs[0], people["bob"], hour - timedelta(hours=2), hour + timedelta(hours=6), "Release testing"),
                (envs[0], people["carol"], hour + timedelta(days=1), hour + timedelta(days=1, hours=8), "Regression run"),
                (envs[1], people["alice"], hour - timedelta(days=3), hour - timedelta(days=2), "Customer call"),
                (envs[3], people["carol"], hour + timedelta(hours=3), None, "Open-ended lab work")]
    for env, member, start, end, note in bookings:
        await Booking.create(environment=env, member=member, created_by=member, starts_at=start, ends_at=end, note=note)
    return len(envs), len(bookings)


async def _policies_schedule_alerts(org, pools, people, resources, now) -> None:
    await PoolPolicy.create(pool=pools["Backend"], kind=ConstraintKind.TTL, value=168)
    await PoolPolicy.create(pool=pools["QA"], kind=ConstraintKind.DAILY_EXPENSE_LIMIT, value=20)
    await PoolPolicy.create(pool=pools["Engineering"], kind=ConstraintKind.TOTAL_EXPENSE_LIMIT, value=2000)
    owned = [r for r in resources if r.owner_id == people["bob"].id][:2]
    await ResourceConstraint.create(resource=owned[0], kind=ConstraintKind.TTL, until=now + timedelta(hours=12))
    await ResourceConstraint.create(resource=owned[1], kind=ConstraintKind.DAILY_EXPENSE_LIMIT, amount=40)
    schedule = await PowerSchedule.create(
        organization=org, name="Office hours Berlin (sample)", timezone="Europe/Berlin",
        periods=[{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "stop": "19:00"}])
    dev = [r.id for r in resources if r.resource_type == "instance" and r.tags.get("env") == "dev"][:5]
    await Resource.filter(id__in=dev).update(power_schedule=schedule)
    await AssignmentRule.create(organization=org, name="Backend team tag (sample)", priority=1, pool=pools["Backend"],
                                owner=people["bob"], conditions=[{"type": "tag_is", "key": "team", "value": "backend"}])
    await AssignmentRule.create(organization=org, name="QA machines (sample)", priority=2, pool=pools["QA"],
                                owner=people["carol"], conditions=[{"type": "name_starts_with", "value": "qa-"}])
    manager = people["manager"]
    await Alert.create(organization=org, pool=pools["Engineering"], based_on=AlertBasis.COST, threshold=80,
                       threshold_type=ThresholdType.PERCENTAGE, include_children=True, channels=["C0DEMO0001"], created_by=manager)
    forecast = await Alert.create(organization=org, pool=pools[DEMO_NAME], based_on=AlertBasis.FORECAST, threshold=100,
                                  threshold_type=ThresholdType.PERCENTAGE, include_children=True, created_by=manager)
    await forecast.recipients.add(manager)
    await Alert.create(organization=org, pool=pools["QA"], based_on=AlertBasis.CONSTRAINT, threshold=0,
                       threshold_type=ThresholdType.ABSOLUTE, channels=["C0DEMO0002"], created_by=manager)
