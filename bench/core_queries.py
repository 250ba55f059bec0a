"""Benchmark of the core's costly reads and writes, each next to a hand-written SQL baseline.

Seeds one organization (a pool tree of 1 + 10 x 10 pools, RESOURCES resources, DAYS days of expenses),
then times, RUNS times each: the root pool's summary (cost + forecast over the whole tree) vs one raw
SUM over the same rows; the organization's constraint check vs a raw per-resource GROUP BY; a
10,000-row expense upsert vs a raw executemany INSERT. Reports medians and the ratio to the baseline.

    python bench/core_queries.py [--resources 2000] [--days 60] [--runs 7] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import asyncpg
from tortoise import connections

from core import db
from core.models import ConstraintKind, Expense, PoolPolicy, Resource
from core.queries import constraints
from core.queries.costs import pool_summary
from core.services import orgs, pools
from core.services.resources import upsert_expenses

TODAY = date(2026, 11, 20)


async def seed(resources: int, days: int) -> tuple[int, int, list[int]]:
    org, boss = await orgs.create_organization(name="Bench", manager_email="bench@example.com")
    root = await orgs.root_pool(org.id)
    leaves = []
    for i in range(10):
        team = await pools.create_pool(actor_id=boss.id, parent_id=root.id, name=f"team-{i}")
        for j in range(10):
            leaves.append(await pools.create_pool(actor_id=boss.id, parent_id=team.id, name=f"squad-{j}"))
    await PoolPolicy.create(pool=root, kind=ConstraintKind.DAILY_EXPENSE_LIMIT, value=5)
    seen = datetime(2026, 9, 1, tzinfo=timezone.utc)
    await Resource.bulk_create([Resource(organization=org, cloud_resource_id=f"i-{n:06d}", resource_type="instance",
                                         pool=leaves[n % len(leaves)], first_seen=seen, last_seen=seen)
                                for n in range(resources)], batch_size=1000)
    ids = await Resource.filter(organization=org).values_list("id", flat=True)
    await Expense.bulk_create([Expense(resource_id=rid, day=TODAY - timedelta(days=d), cost=Decimal(rid % 9) + Decimal("0.25"))
                               for rid in ids for d in range(days)], batch_size=5000)
    return org.id, root.id, ids


async def timed(work, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def measure(url: str, label: str, args) -> None:
    await db.migrate(url)
    await db.start(url)
    try:
        org_id, root_id, ids = await seed(args.resources, args.days)
        conn = connections.get("default")
        mark = "$1" if conn.capabilities.dialect == "postgres" else "?"
        raw_sum = f"SELECT SUM(cost) FROM expense WHERE day >= {mark}"
        raw_group = f"SELECT resource_id, SUM(cost) FROM expense WHERE day >= {mark} GROUP BY resource_id"
        now = datetime.combine(TODAY, datetime.min.time(), timezone.utc) + timedelta(hours=12)
        rows = [(ids[n % len(ids)], TODAY - timedelta(days=n // len(ids)), Decimal("1.5")) for n in range(10_000)]
        insert = "INSERT INTO expense (resource_id, day, cost) VALUES ({0}) ON CONFLICT (resource_id, day) DO UPDATE SET cost = excluded.cost"
        insert = insert.format(", ".join(["$1", "$2", "$3"] if mark == "$1" else ["?"] * 3))
        cases = [
            ("root pool summary", lambda: pool_summary(root_id, today=TODAY),
             lambda: conn.execute_query(raw_sum, [TODAY - timedelta(days=30)])),
            ("constraint check", lambda: constraints.check_organization(organization_id=org_id, now=now),
             lambda: conn.execute_query(raw_group, [TODAY - timedelta(days=1)])),
            ("upsert 10k expenses", lambda: upsert_expenses(rows=rows),
             lambda: conn.execute_many(insert, [[r, d, str(c)] for r, d, c in rows])),
        ]
        print(f"\n{label}: {args.resources} resources x {args.days} days, median of {args.runs}")
        for name, work, baseline in cases:
            ours, base = await timed(work, args.runs), await timed(baseline, args.runs)
            print(f"  {name:22s} {ours * 1000:9.1f} ms   baseline {base * 1000:8.1f} ms   ratio {ours / base:5.1f}x")
    finally:
        await db.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await measure(f"sqlite://{tmp}/bench.sqlite3", "SQLite", args)
    from tortoise.backends.base import executor
    executor.EXECUTOR_CACHE.clear()
    name = f"cloudtuner_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.postgres)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        await measure(args.postgres.rsplit("/", 1)[0] + "/" + name, "PostgreSQL", args)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
