"""The benchmark's organization, generated fast: a few rows through the services, the bulk through one
COPY (PostgreSQL) or executemany (SQLite) per table, never the ORM one object at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from tortoise import connections

from core.db import transaction
from core.models import (Booking, DataSource, Expense, Member, Pool, PowerSchedule, Resource, ResourceConstraint,
                         SharedEnvironment)
from core.services import orgs, slack_links

TEAM, BOSS, OWNER = "T0BENCH", "UBOSS", "UOWNER"
REGIONS = ("eu-west-1", "us-east-1", "eu-central-1", "ap-south-1")
SEEN = datetime(2026, 9, 1, tzinfo=timezone.utc)
OWNED = 2_000  # the resources of the owner whose `resources` round trip is measured


@dataclass
class World:
    organization_id: int
    boss_id: int
    owner_id: int
    resource_ids: list[int]
    scheduled: int
    due_at: datetime


async def insert(model: type, columns: tuple[str, ...], records: list[tuple]) -> None:
    """Write rows of database-ready values (JSON already a string) in one COPY or one executemany."""
    if not records:
        return
    conn, table = connections.get("default"), model._meta.db_table
    if conn.capabilities.dialect == "postgres":
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table(table, records=records, columns=list(columns))
        return
    quoted, marks = ", ".join(f'"{c}"' for c in columns), ", ".join("?" * len(columns))
    async with transaction() as trx:  # one transaction: SQLite would commit every row on its own
        await trx.execute_many(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', records)


async def ids_of(model: type, **where: object) -> list[int]:
    return list(await model.filter(**where).order_by("id").values_list("id", flat=True))


async def build(*, resources: int, environments: int, scheduled: int, schedules: int, today: date,
                due_at: datetime, days: int = 30, violating: float = 0.05) -> World:
    """One organization: 1 + 10 x 10 pools, `resources` instances with `days` daily expenses, a TTL passed on
    `violating` of them, `environments` shared environments (a third booked now), and `scheduled` instances
    with a cloud account on `schedules` schedules that all stop at `due_at`."""
    org, boss = await orgs.create_organization(name="Bench Corp", manager_email="boss@bench.test")
    root = await orgs.root_pool(org.id)
    now = datetime.combine(today, datetime.min.time(), timezone.utc)
    pool = ("organization_id", "parent_id", "name", "monthly_limit", "created_at")
    await insert(Pool, pool, [(org.id, root.id, f"team-{t}", Decimal(0), now) for t in range(10)])
    teams = await ids_of(Pool, organization_id=org.id, parent_id=root.id)
    await insert(Pool, pool, [(org.id, team, f"squad-{s}", Decimal(0), now) for team in teams for s in range(10)])
    leaves = await ids_of(Pool, organization_id=org.id, parent_id__in=teams)
    owner = await Member.create(organization_id=org.id, email="owner@bench.test", name="Owner")
    source = await DataSource.create(organization_id=org.id, name="bench-cloud", kind="aws_root", pool_id=root.id)
    periods = json.dumps([{"weekdays": list(range(7)), "start": (due_at - timedelta(hours=12)).strftime("%H:%M"),
                           "stop": due_at.strftime("%H:%M")}])
    await insert(PowerSchedule, ("organization_id", "name", "timezone", "periods", "skip_dates", "mode", "enabled",
                                 "warn_minutes", "created_at"),
                 [(org.id, f"schedule-{s}", "UTC", periods, "[]", "start_and_stop", True, 0, now)
                  for s in range(schedules)])
    plans = await ids_of(PowerSchedule, organization_id=org.id)
    await insert(Resource, ("organization_id", "cloud_resource_id", "name", "resource_type", "region", "tags",
                            "details", "pool_id", "owner_id", "first_seen", "last_seen", "active", "data_source_id",
                            "power_schedule_id"),
                 [(org.id, f"i-{n:08d}", f"vm-{n}", "instance", REGIONS[n % len(REGIONS)], "{}", "{}",
                   leaves[n % len(leaves)], owner.id if n < OWNED else None, SEEN, now, True,
                   source.id if n < scheduled else None, plans[n % len(plans)] if n < scheduled else None)
                  for n in range(resources)])
    resource_ids = await ids_of(Resource, organization_id=org.id)
    costs = [Decimal(c) + Decimal("0.125") for c in range(7)]
    day_list = [today - timedelta(days=d) for d in range(days)]
    for start in range(0, len(resource_ids), 20_000):
        await insert(Expense, ("resource_id", "day", "cost"),
                     [(rid, day, costs[rid % 7]) for rid in resource_ids[start:start + 20_000] for day in day_list])
    step = round(1 / violating) if violating else 0
    await insert(ResourceConstraint, ("resource_id", "kind", "until", "amount"),
                 [(rid, "ttl", now - timedelta(hours=1), None) for rid in resource_ids[::step]] if step else [])
    await insert(SharedEnvironment, ("organization_id", "pool_id", "name", "resource_type", "description",
                                     "properties", "ssh_only", "active", "created_at"),
                 [(org.id, leaves[e % len(leaves)], f"env-{e:04d}", "environment", "",
                   json.dumps({"ip": f"10.0.{e // 250}.{e % 250}"}), False, True, now) for e in range(environments)])
    env_ids = await ids_of(SharedEnvironment, organization_id=org.id)
    await insert(Booking, ("environment_id", "member_id", "created_by_id", "starts_at", "ends_at", "note", "created_at"),
                 [(env, owner.id, owner.id, now - timedelta(days=1), now + timedelta(days=30), "", now)
                  for env in env_ids[::3]])
    await slack_links.bind_workspace(team_id=TEAM, organization_id=org.id, team_name="Bench")
    for user, email in ((BOSS, "boss@bench.test"), (OWNER, "owner@bench.test")):
        await slack_links.link_by_email(team_id=TEAM, slack_user_id=user, email=email, email_verified=True,
                                        timezone="UTC")
    return World(org.id, boss.id, owner.id, resource_ids, scheduled, due_at)
