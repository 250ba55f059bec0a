"""The fake Google APIs (token, Compute, Monitoring, Resource Manager) served on 127.0.0.1 once per test process,
BigQuery as the bqemulator behind a small proxy that checks the service account's permissions (gcp_bigquery),
and the adapter pointed at them."""

from __future__ import annotations

import json

import pytest
import pytest_asyncio
from aiohttp import web

from core.adapters import context
from core.adapters.base import Credentials
from core.adapters.registry import adapter_for
from tests.integration.gcp_fake import Google, Instance, build_app

PROJECT = "acme-prod"
OTHER = "acme-dev"
EMAIL = f"cloudtuner@{PROJECT}.iam.gserviceaccount.com"
READ = ("resourcemanager.projects.get", "compute.instances.list", "compute.instances.get", "monitoring.timeSeries.list")
OPERATE = ("compute.instances.start", "compute.instances.stop")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def google_server():
    google = Google()
    runner = web.AppRunner(build_app(google), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    google.base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    yield google
    await runner.cleanup()


@pytest.fixture
def gcp(google_server) -> Google:
    """An empty fake; the adapters' Google endpoints point at it (BigQuery at `bigquery_url` when a test has it)."""
    google_server.reset()
    before = context.current()
    context.use(context.AdapterContext(google_api_url=google_server.base))
    yield google_server
    context.use(before)


def key(google: Google, *, email: str = EMAIL) -> dict:
    """A key of a service account allowed to read and operate both projects."""
    made = google.service_account(email, PROJECT)
    for project in (PROJECT, OTHER):
        google.grant(email, project, *READ, *OPERATE)
    return made


def fields(service_key: dict, **changes) -> dict:
    return {"service_account_key": json.dumps(service_key), "billing_dataset": "billing",
            "billing_table": "gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9", **changes}


def adapter(service_key: dict, **changes):
    values = fields(service_key, **changes)
    return adapter_for("gcp", Credentials(config={k: v for k, v in values.items() if k != "service_account_key"},
                                          secrets={"service_account_key": values["service_account_key"]}))


def instances(google: Google) -> dict[str, Instance]:
    """web-1 (running, labelled) and db-1 (stopped) in the main project, batch-1 in the other one, across pages."""
    return {"web-1": google.add(Instance(PROJECT, "europe-west1-b", "web-1", "1001", labels={"team": "web"})),
            "db-1": google.add(Instance(PROJECT, "europe-west1-c", "db-1", "1002", status="TERMINATED")),
            "cache-1": google.add(Instance(PROJECT, "us-central1-a", "cache-1", "1003")),
            "batch-1": google.add(Instance(OTHER, "us-central1-a", "batch-1", "2001"))}
