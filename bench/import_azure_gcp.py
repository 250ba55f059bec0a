"""Benchmark: a month of daily costs of N resources imported from Azure (Cost Management query API, paged) and
Google Cloud (Detailed billing export in the bqemulator), next to the bare SDK / emulator read of the same data.

    .venv/bin/python bench/import_azure_gcp.py [--resources 10000] [--days 30] [--runs 3]

For each cloud, medians over the runs of: the bare read (the SDK fetching every page / the client reading every
export row of the month: the baseline, ratio 1.0), the adapter's billing() (read + check + sum per resource and
day), and run_import end to end into a SQLite file. The same local fakes as the tests serve the clouds.
Not a test: it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402
from azure.core.rest import HttpRequest  # noqa: E402
from google.api_core.client_options import ClientOptions  # noqa: E402
from google.auth.credentials import AnonymousCredentials  # noqa: E402
from google.cloud import bigquery  # noqa: E402

from core import db  # noqa: E402
from core.adapters import context  # noqa: E402
from core.adapters.azure import costs  # noqa: E402
from core.adapters.azure.session import AzureSession  # noqa: E402
from core.crypto import SecretBox  # noqa: E402
from core.services import orgs  # noqa: E402
from core.services.datasources import connect_data_source, open_adapter  # noqa: E402
from core.services.imports import run_import  # noqa: E402
from tests.integration import azure_world, gcp_world  # noqa: E402
from tests.integration.azure_fake import Arm, build_app as azure_app  # noqa: E402
from tests.integration.gcp_bigquery import Emulator, proxy  # noqa: E402
from tests.integration.gcp_export import DETAILED, Line  # noqa: E402
from tests.integration.gcp_fake import Google, build_app as google_app  # noqa: E402
from tests.integration.tls import self_signed  # noqa: E402

BOX = SecretBox("bench" * 8)
MONTH = date(2025, 3, 1)
TABLE = "gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9"


async def serve(app: web.Application, ssl=None) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


async def median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def azure(folder: Path, resources: int, days: int, runs: int, manager_id: int) -> dict[str, float]:
    cert, ssl = self_signed(folder)
    arm = Arm(page_size=5000)  # Cost Management answers 5,000 rows a page
    runner, port = await serve(azure_app(arm), ssl)
    arm.base = f"https://127.0.0.1:{port}"
    arm.add_tenant(azure_world.TENANT, azure_world.CLIENT, azure_world.SECRET)
    arm.add_subscription(azure_world.SUB_A, "Bench", readers=[azure_world.CLIENT])
    vm = "/subscriptions/%s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm-%05d"
    for r in range(resources):
        for d in range(days):
            arm.add_cost(azure_world.SUB_A, MONTH + timedelta(days=d), vm % (azure_world.SUB_A, r), "0.25",
                         tags={"team": f"t{r % 7}"})
    context.use(context.AdapterContext(azure_arm_url=arm.base, azure_authority_url=arm.base, ca_bundle=str(cert)))
    last = MONTH + timedelta(days=days - 1)

    async def bare() -> None:
        body = costs.query(MONTH, last)
        async with AzureSession(azure_world.adapter().config, context.current()) as session:
            client = session.costs()
            page = await client.query.usage(f"subscriptions/{azure_world.SUB_A}", io.BytesIO(json.dumps(body).encode()))
            link = page.next_link
            while link:
                link = (await client.send_request(HttpRequest("POST", link, json=body))).json()["properties"]["nextLink"]

    source = await connect_data_source(actor_id=manager_id, kind="azure_subscription", name="Azure bench", box=BOX,
                                       fields=azure_world.fields())
    result = {"bare": await median(runs, bare),
              "billing": await median(runs, lambda: open_adapter(source, BOX).billing(MONTH, last)),
              "import": await median(runs, lambda: run_import(data_source_id=source.id, box=BOX, start=MONTH,
                                                              now=datetime.combine(last, datetime.min.time(),
                                                                                   timezone.utc)))}
    await runner.cleanup()
    return result


async def gcp(resources: int, days: int, runs: int, manager_id: int) -> dict[str, float]:
    google = Google()
    g_runner, g_port = await serve(google_app(google))
    google.base = f"http://127.0.0.1:{g_port}"
    emulator = Emulator()
    emulator_url = await asyncio.to_thread(emulator.start)
    p_runner, p_port = await serve(proxy(google, emulator_url))
    key = gcp_world.key(google)
    google.grant(gcp_world.EMAIL, gcp_world.PROJECT, "bigquery.jobs.create", "bigquery.tables.get",
                 "bigquery.tables.getData")
    admin = bigquery.Client(project=gcp_world.PROJECT, credentials=AnonymousCredentials(),
                            client_options=ClientOptions(api_endpoint=emulator_url))
    table = f"{gcp_world.PROJECT}.billing.{TABLE}"
    admin.create_dataset(f"{gcp_world.PROJECT}.billing")
    admin.create_table(bigquery.Table(table, schema=DETAILED))
    rows = [Line(gcp_world.PROJECT, datetime(2025, 3, 1 + d, tzinfo=timezone.utc), 0.25, resource_name=f"vm-{r}",
                 global_name=f"//compute.googleapis.com/projects/{gcp_world.PROJECT}/zones/europe-west1-b/"
                             f"instances/{r}", labels={"team": f"t{r % 7}"}, credits=[-0.01]).row(True)
            for r in range(resources) for d in range(days)]
    for first in range(0, len(rows), 5000):
        await asyncio.to_thread(admin.insert_rows_json, table, rows[first:first + 5000])
    context.use(context.AdapterContext(google_api_url=google.base, bigquery_url=f"http://127.0.0.1:{p_port}"))
    last = MONTH + timedelta(days=days - 1)
    client = bigquery.Client(project=gcp_world.PROJECT, credentials=AnonymousCredentials(),
                             client_options=ClientOptions(api_endpoint=emulator_url))

    async def bare() -> None:
        await asyncio.to_thread(lambda: list(client.query(f"SELECT * FROM `{table}`").result()))

    source = await connect_data_source(actor_id=manager_id, kind="gcp", name="GCP bench", box=BOX,
                                       fields=gcp_world.fields(key))
    result = {"bare": await median(runs, bare),
              "billing": await median(runs, lambda: open_adapter(source, BOX).billing(MONTH, last)),
              "import": await median(runs, lambda: run_import(data_source_id=source.id, box=BOX, start=MONTH,
                                                              now=datetime.combine(last, datetime.min.time(),
                                                                                   timezone.utc)))}
    await p_runner.cleanup()
    await asyncio.to_thread(emulator.stop)
    await g_runner.cleanup()
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=10000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clouds", default="azure,gcp")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/bench.sqlite3"
        await db.migrate(url)
        await db.start(url)
        _, manager = await orgs.create_organization(name="Bench", manager_email="bench@example.com")
        print(f"{args.resources} resources x {args.days} days = {args.resources * args.days} daily costs, "
              f"median of {args.runs}")
        for cloud in args.clouds.split(","):
            found = await (azure(Path(folder), args.resources, args.days, args.runs, manager.id) if cloud == "azure"
                           else gcp(args.resources, args.days, args.runs, manager.id))
            for case in ("bare", "billing", "import"):
                print(f"{cloud}\t{case}\t{found[case]:.2f} s\t{found[case] / found['bare']:.1f}x")
        await db.stop()


if __name__ == "__main__":
    asyncio.run(main())
