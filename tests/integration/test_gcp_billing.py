"""Billing import from Cloud Billing export tables (real Standard and Detailed schemas) with real SQL in the
bqemulator, through google-cloud-bigquery and the service-account flow; each common mistake gets its message."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

from core.adapters import context
from core.adapters.gcp.billing import STANDARD_NOTE
from core.adapters.gcp.compute import resource_id
from core.crypto import SecretBox
from core.errors import CoreError
from core.models import Expense, Resource
from core.services import datasources
from core.services.imports import run_import
from tests.factories import make_org
from tests.integration import gcp_world as world
from tests.integration.gcp_bigquery import bigquery_server  # noqa: F401 (fixture)
from tests.integration.gcp_export import DETAILED, STANDARD, Line
from tests.integration.gcp_world import gcp, google_server  # noqa: F401 (fixtures)

BOX = SecretBox("k" * 40)
MARCH = date(2025, 3, 1)
DETAILED_TABLE = "gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9"
STANDARD_TABLE = "gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9"
WEB = resource_id(world.PROJECT, "europe-west1-b", "1001")


@pytest.fixture
def export(gcp, bigquery_server):
    """Empty Standard and Detailed export tables in dataset `billing`; returns a function that loads lines."""
    proxy, emulator = bigquery_server
    context.use(context.AdapterContext(google_api_url=gcp.base, bigquery_url=proxy))
    admin = bigquery.Client(project=world.PROJECT, credentials=AnonymousCredentials(),
                            client_options=ClientOptions(api_endpoint=emulator))
    admin.delete_dataset(f"{world.PROJECT}.billing", delete_contents=True, not_found_ok=True)
    admin.create_dataset(f"{world.PROJECT}.billing")
    for name, schema in ((DETAILED_TABLE, DETAILED), (STANDARD_TABLE, STANDARD)):
        admin.create_table(bigquery.Table(f"{world.PROJECT}.billing.{name}", schema=schema))

    def load(lines: list[Line], table: str = DETAILED_TABLE) -> None:
        errors = admin.insert_rows_json(f"{world.PROJECT}.billing.{table}", [l.row(table == DETAILED_TABLE)
                                                                             for l in lines])
        assert errors == []

    load.admin = admin
    return load


def _hours(day: date, count: int, cost: float, **extra) -> list[Line]:
    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return [Line(world.PROJECT, start + timedelta(hours=h), cost, **extra) for h in range(count)]


def _grant_billing(gcp) -> None:
    gcp.grant(world.EMAIL, world.PROJECT, "bigquery.jobs.create", "bigquery.tables.get", "bigquery.tables.getData")


async def test_detailed_export_sums_per_resource_and_day_with_credits_subtracted(gcp, export):
    service_key = world.key(gcp)
    _grant_billing(gcp)
    web = dict(resource_name="web-1", global_name=WEB, labels={"team": "web", "env": "prod"})
    export(_hours(MARCH, 24, 0.125, credits=[-0.025], **web) + _hours(MARCH + timedelta(days=1), 2, 1.1, **web)
           + _hours(MARCH, 3, 0.333333, service="Cloud Storage", region="", resource_name="logs",
                    global_name="//storage.googleapis.com/projects/_/buckets/logs")
           + _hours(date(2025, 4, 1), 5, 9.0, **web))
    batch = await world.adapter(service_key).billing(MARCH, date(2025, 3, 31))
    lines = {(line.cloud_resource_id, line.day): line for line in batch.lines}
    first = lines[(WEB, MARCH)]
    assert first.cost == Decimal("2.4") and lines[(WEB, MARCH + timedelta(days=1))].cost == Decimal("2.2")
    assert (first.name, first.tags, first.region, first.account_id, first.resource_type) == (
        "web-1", {"team": "web", "env": "prod"}, "europe-west1", world.PROJECT, "instance")
    logs = lines[("//storage.googleapis.com/projects/_/buckets/logs", MARCH)]
    assert (logs.cost, logs.resource_type, logs.region) == (Decimal("0.999999"), "bucket", "")
    assert sum(line.cost for line in batch.lines).quantize(Decimal("0.01")) == Decimal("5.60")
    assert batch.items_read == 29 and batch.covered == [(MARCH, date(2025, 3, 31))] and not batch.missing_columns


async def test_a_standard_export_gives_a_cost_per_project_service_and_says_so(gcp, export):
    service_key = world.key(gcp)
    _grant_billing(gcp)
    export(_hours(MARCH, 10, 0.5, labels={"team": "web"}), table=STANDARD_TABLE)
    batch = await world.adapter(service_key, billing_table=STANDARD_TABLE).billing(MARCH, MARCH)
    assert [(line.cloud_resource_id, line.cost, line.name) for line in batch.lines] == [
        (f"//{world.PROJECT}/Compute Engine", Decimal("5"), "Compute Engine")]
    assert batch.missing_columns == [STANDARD_NOTE]


async def test_both_export_kinds_validate_with_a_dry_run(gcp, export):
    service_key = world.key(gcp)
    _grant_billing(gcp)
    for table in (DETAILED_TABLE, STANDARD_TABLE):
        info = await world.adapter(service_key, billing_table=table).validate()
        assert info.account_id == f"{world.PROJECT}.billing.{table}" and world.EMAIL in info.display


@pytest.mark.parametrize("arrange, changes, code, field", [
    ("", {"billing_dataset": "no_such_dataset"}, "gcp_dataset_not_found", "billing_dataset"),
    ("", {"billing_table": "gcp_billing_export_v1_WRONG"}, "gcp_table_not_found", "billing_table"),
    ("other_table", {"billing_table": "events"}, "gcp_table_not_billing_export", "billing_table"),
    ("no_jobs", {}, "gcp_jobs_create_missing", "service_account_key"),
    ("no_table_get", {}, "gcp_dataset_access_missing", "billing_dataset"),
    ("no_get_data", {}, "gcp_dataset_access_missing", "billing_dataset"),
    ("bad_key", {}, "gcp_key_refused", "service_account_key"),
])
async def test_each_common_mistake_at_connect_gets_its_message(db, gcp, export, arrange, changes, code, field):
    service_key = world.key(gcp)
    _grant_billing(gcp)
    permissions = gcp.grants[(world.EMAIL, world.PROJECT)]
    if arrange == "other_table":
        export.admin.create_table(bigquery.Table(f"{world.PROJECT}.billing.events",
                                                 schema=[bigquery.SchemaField("name", "STRING")]))
    permissions.discard({"no_jobs": "bigquery.jobs.create", "no_table_get": "bigquery.tables.get",
                         "no_get_data": "bigquery.tables.getData"}.get(arrange, ""))
    if arrange == "bad_key":
        gcp.service_account("x@y.iam.gserviceaccount.com", world.PROJECT)
        gcp.keys[world.EMAIL] = gcp.keys["x@y.iam.gserviceaccount.com"]  # the key's public half is gone
    fx = await make_org()
    with pytest.raises(CoreError) as err:
        await datasources.connect_data_source(actor_id=fx.manager.id, kind="gcp", name="GCP", box=BOX,
                                              fields=world.fields(service_key, **changes))
    assert (err.value.code, err.value.params["field"]) == (code, field)
    assert "{" not in str(err.value) and "PRIVATE KEY" not in str(err.value)


async def test_another_currency_and_an_empty_period_are_explained(gcp, export):
    service_key = world.key(gcp)
    _grant_billing(gcp)
    with pytest.raises(CoreError) as err:
        await world.adapter(service_key).billing(MARCH, date(2025, 3, 31))
    assert (err.value.code, err.value.params["field"]) == ("gcp_billing_no_rows", "billing_table")
    export(_hours(MARCH, 2, 1.0, currency="EUR", resource_name="web-1", global_name=WEB))
    with pytest.raises(CoreError) as err:
        await world.adapter(service_key, currency="USD").billing(MARCH, date(2025, 3, 31))
    assert str(err.value) == (f"The billing export {world.PROJECT}.billing.{DETAILED_TABLE} is in EUR, but the "
                              "organization's currency is USD. Nothing was imported; connect an export in USD or "
                              "change the organization's currency.")


async def test_an_import_saves_costs_to_the_cent_and_a_reimport_replaces_them(db, gcp, export):
    world.instances(gcp)
    service_key = world.key(gcp)
    _grant_billing(gcp)
    web = dict(resource_name="web-1", global_name=WEB, labels={"team": "web"})
    export(_hours(MARCH, 24, 0.041667, credits=[-0.000001], **web))
    fx = await make_org()
    source = await datasources.connect_data_source(actor_id=fx.manager.id, kind="gcp", name="GCP", box=BOX,
                                                   fields=world.fields(service_key))
    now = datetime(2025, 3, 20, tzinfo=timezone.utc)
    summary = await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=now)
    assert (summary.items_read, summary.total_cost.quantize(Decimal("0.01"))) == (24, Decimal("1.00"))
    web_resource = await Resource.get(cloud_resource_id=WEB)
    assert (web_resource.name, web_resource.details["zone"], web_resource.tags) == ("web-1", "europe-west1-b",
                                                                                    {"team": "web"})
    export.admin.query(f"DELETE FROM `{world.PROJECT}.billing.{DETAILED_TABLE}` WHERE TRUE").result()
    export(_hours(MARCH, 2, 0.5, **web))
    await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=now)
    assert await Expense.filter(resource_id=web_resource.id).values_list("cost", flat=True) == [Decimal("1")]
