"""Benchmark: import a generated CUR 2.0 export of >= 1,000,000 line items through moto's S3 into SQLite and
PostgreSQL, next to the time pyarrow alone takes to read the same file.

    /tmp/venv/bin/python bench/import_cur.py [--rows 1008000] [--runs 3] [--backends sqlite,postgres]

Prints medians over the runs and the ratio import / pyarrow read (the figure to improve): the first import
(creates everything), re-imports of the same file, and one re-import of a file where every cost changed.
Not a test: it asserts nothing about time. PostgreSQL comes from --pg-url (a scratch database is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import boto3  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from tortoise.backends.base import executor  # noqa: E402

from core import db  # noqa: E402
from core.adapters.aws import cur  # noqa: E402
from core.crypto import SecretBox  # noqa: E402
from core.services import orgs  # noqa: E402
from core.services.datasources import connect_data_source  # noqa: E402
from core.services.imports import run_import  # noqa: E402

ACCOUNT = "123456789012"
MONTH = date(2025, 3, 1)
KEY = "cur/daily/data/BILLING_PERIOD=2025-03/daily-00001.snappy.parquet"
BOX = SecretBox("bench" * 8)


def generate(rows: int, resources: int, rate: float = 0.0104) -> bytes:
    """Hourly line items of `resources` instances and volumes; a few rows of an unconnected account."""
    hours = -(-rows // resources)
    base = int(datetime(MONTH.year, MONTH.month, 1, tzinfo=timezone.utc).timestamp())
    n = resources * hours
    ids = [f"i-{r:017x}" if r % 3 else f"vol-{r:017x}" for r in range(resources)]
    accounts = [ACCOUNT if i % 1000 else "333333333333" for i in range(n)]
    table = pa.table({
        "bill_payer_account_id": pa.array([ACCOUNT] * n),
        "identity_line_item_id": pa.array([f"li-{i}" for i in range(n)]),
        "line_item_line_item_type": pa.array(["Usage"] * n),
        "line_item_usage_account_id": pa.array(accounts),
        "line_item_usage_start_date": pa.array([(base + (i // resources) * 3600) * 1000 for i in range(n)],
                                               pa.timestamp("ms", "UTC")),
        "line_item_product_code": pa.array(["AmazonEC2"] * n),
        "line_item_usage_type": pa.array(["BoxUsage:t3.micro" if i % 3 else "EBS:VolumeUsage.gp3"
                                          for i in range(n)]),
        "line_item_resource_id": pa.array([ids[i % resources] for i in range(n)]),
        "line_item_usage_amount": pa.array([1.0] * n),
        "line_item_currency_code": pa.array(["USD"] * n),
        "line_item_unblended_cost": pa.array([rate + (i % resources) * 1e-6 for i in range(n)]),
        "product_region_code": pa.array(["us-east-1" if i % 2 else "eu-west-1" for i in range(n)]),
        "resource_tags": pa.array([[("user_team", f"team-{i % resources % 7}")] for i in range(n)],
                                  pa.map_(pa.string(), pa.string())),
    })
    out = io.BytesIO()
    pq.write_table(table, out, compression="snappy", store_schema=False)  # as AWS writes it: no arrow schema
    return out.getvalue()


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def parse_only(body: bytes) -> int:
    """The adapter's parsing and summing alone (no S3, no database)."""
    summary = cur.Summary()
    table, used, tags, missing = cur.read(io.BytesIO(body), KEY, summary)
    cur.add(summary, table, used, tags, missing, cur.Scope(MONTH, date(2025, 3, 31), frozenset({ACCOUNT}), "USD"))
    return cur.totals(summary).num_rows


async def import_runs(url: str, endpoint: str, runs: int, upload, files) -> list[tuple[float, int]]:
    """(seconds, line items read) per run: the first creates resources, the others re-import the same file, the
    last one a file where every cost changed."""
    executor.EXECUTOR_CACHE.clear()
    await db.migrate(url)
    await db.start(url)
    try:
        _, manager = await orgs.create_organization(name="Bench", manager_email="bench@example.com")
        fields = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "x", "export_type": "cur2",
                  "bucket": "billing", "prefix": "cur", "export_name": "daily", "regions": "us-east-1",
                  "endpoint_url": endpoint}
        source = await connect_data_source(actor_id=manager.id, kind="aws_root", name="bench", fields=fields, box=BOX)
        results = []
        for body in [files[0]] * runs + [files[1]]:
            upload(body)
            started = time.perf_counter()
            summary = await run_import(data_source_id=source.id, box=BOX, start=MONTH,
                                       now=datetime(2025, 4, 2, tzinfo=timezone.utc))
            results.append((time.perf_counter() - started, summary.items_read))
        return results
    finally:
        await db.stop()


async def postgres_runs(admin_url: str, endpoint: str, runs: int, upload, files) -> list[tuple[float, int]]:
    name = f"cloudtuner_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return await import_runs(admin_url.rsplit("/", 1)[0] + "/" + name, endpoint, runs, upload, files)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_008_000)
    parser.add_argument("--resources", type=int, default=1_400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=os.environ.get("CLOUDTUNER_TEST_POSTGRES_URL",
                                                           "postgres://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = "http://%s:%s" % server.get_host_and_port()
    try:
        body = generate(args.rows, args.resources)
        files = (body, generate(args.rows, args.resources, rate=0.0208))
        s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="x",
                          aws_secret_access_key="x")
        s3.create_bucket(Bucket="billing")

        def upload(data: bytes) -> None:
            s3.put_object(Bucket="billing", Key=KEY, Body=data)
        boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="x",
                     aws_secret_access_key="x").describe_regions()  # moto's first EC2 call is slow: not ours to time
        rows = pq.ParquetFile(io.BytesIO(body)).metadata.num_rows
        print(f"CUR 2.0 parquet: {rows:,} line items, {len(body) / 1e6:.1f} MB, {args.resources:,} resources")
        read = statistics.median(timed(lambda: pq.read_table(io.BytesIO(body))) for _ in range(args.runs))
        parse = statistics.median(timed(lambda: parse_only(body)) for _ in range(args.runs))
        print(f"pyarrow read_table alone : {read:7.3f} s  ({rows / read:12,.0f} items/s)  ratio 1.0")
        print(f"adapter parse + sum      : {parse:7.3f} s  ({rows / parse:12,.0f} items/s)  ratio {parse / read:.1f}")
        for backend in args.backends.split(","):
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    results = asyncio.run(import_runs(f"sqlite://{tmp}/bench.sqlite3", endpoint, args.runs, upload,
                                                      files))
            else:
                results = asyncio.run(postgres_runs(args.pg_url, endpoint, args.runs, upload, files))
            items = results[0][1]
            again = [seconds for seconds, _ in results[1:-1]] or [results[0][0]]
            for label, seconds in (("first", results[0][0]), ("re-import median", statistics.median(again)),
                                   ("all costs changed", results[-1][0])):
                print(f"import {backend:<8} {label:<17}: {seconds:7.3f} s  ({items / seconds:12,.0f} items/s)  "
                      f"ratio {seconds / read:.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
