"""Importing an AWS root account end to end: discovery, CUR 2.0 and legacy CUR billing, metrics, all or nothing."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.crypto import SecretBox
from core.errors import InvalidInput, NotFound
from core.models import DataSource, Expense, ImportedFile, Resource, ResourceMetric
from core.queries.costs import pool_cost
from core.services import assignment, datasources, pools
from core.services.imports import run_import
from tests.factories import make_org
from tests.integration import aws_world as world
from tests.integration.aws_world import LINKED_ACCOUNT as LINKED, ROOT_ACCOUNT as ROOT, Row, hourly

BOX = SecretBox("k" * 40)
NOW = datetime(2025, 3, 20, 12, tzinfo=timezone.utc)
MARCH, DAY1, DAY2 = date(2025, 3, 1), date(2025, 3, 1), date(2025, 3, 2)
CUR2_KEY = "daily-00001.snappy.parquet"


@pytest.fixture
def cloud() -> dict:
    """Two root-account instances in two regions, one in a linked account, CPU metrics, a billing bucket."""
    world.reset()
    linked_keys = world.iam_user("linked", world.READ_ONLY, account=LINKED)
    ids = {"web": _instance("us-east-1", "web", team="web"), "db": _instance("eu-west-1", "db"),
           "dev": _instance("us-east-1", "dev", keys=linked_keys)}
    world.client("s3").create_bucket(Bucket="billing")
    world.client("cloudwatch").put_metric_data(Namespace="AWS/EC2", MetricData=[
        {"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": ids["web"]}],
         "Timestamp": NOW - timedelta(hours=2, minutes=m), "Value": float(m)} for m in (10, 20, 30)])
    return {"ids": ids, "linked_keys": linked_keys}


def _instance(region: str, name: str, keys: dict | None = None, **tags: str) -> str:
    keys = keys or {}
    ec2 = world.client("ec2", region, key=keys.get("access_key_id", "testing"),
                       secret=keys.get("secret_access_key", "testing"))
    spec = [{"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in {"Name": name, **tags}.items()]}]
    return ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                             TagSpecifications=spec)["Instances"][0]["InstanceId"]


def _rows(ids: dict, web_rate: str = "0.0125") -> list[Row]:
    support = datetime(2025, 3, 2, tzinfo=timezone.utc)
    return (hourly(ROOT, ids["web"], DAY1, 24, web_rate, tags={"team": "web"})
            + hourly(ROOT, ids["web"], DAY2, 24, web_rate, tags={"team": "web"})
            + hourly(ROOT, ids["db"], DAY1, 24, "0.023", region="eu-west-1")
            + hourly(ROOT, "vol-0feed", DAY2, 3, "0.0333333")
            + [Row(ROOT, f"arn:aws:ec2:us-east-1:{ROOT}:snapshot/snap-0old", "0.05", support)]
            + hourly(LINKED, ids["dev"], DAY1, 10, "0.5")
            + hourly(world.STRANGER_ACCOUNT, "i-0stranger", DAY1, 3, "1.00")
            + [Row(ROOT, "", "29.00", support, product="AWSSupport", region=""),
               Row(ROOT, ids["web"], "7.00", support, currency="EUR"),
               Row(ROOT, ids["web"], "nan", support)])


EXPECTED_REJECTED = {"account 333333333333 is not connected": 3, "currency EUR is not the organization's USD": 1,
                     "malformed unblended cost": 1}


def _fields(**changes) -> dict:
    return {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "x", "export_type": "cur2",
            "bucket": "billing", "prefix": "cur", "export_name": "daily", "regions": "us-east-1,eu-west-1",
            "endpoint_url": world.endpoint(), **changes}


async def _setup(cloud: dict, **changes):
    """An organization with a Web pool (a rule sends team=web there), its root account and its linked account."""
    fx = await make_org()
    web = await pools.create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="Web")
    await assignment.create_rule(actor_id=fx.manager.id, name="web team", pool_id=web.id, owner_id=fx.manager.id,
                                 conditions=[{"type": "tag_is", "key": "team", "value": "web"}])
    root = await datasources.connect_data_source(actor_id=fx.manager.id, kind="aws_root", name="AWS prod",
                                                 fields=_fields(**changes), box=BOX)
    linked = await datasources.connect_data_source(
        actor_id=fx.manager.id, kind="aws_linked", name="AWS dev", box=BOX,
        fields={**cloud["linked_keys"], "regions": "us-east-1", "endpoint_url": world.endpoint()})
    return fx, web, root, linked


async def _import(source: DataSource):
    return await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)


async def _expenses() -> dict[tuple[str, date], Decimal]:
    rows = await Expense.all().values_list("resource__cloud_resource_id", "day", "cost")
    return {(cid, day): Decimal(str(cost)).quantize(Decimal("0.000001")) for cid, day, cost in rows}


def _put_cur2(body: bytes) -> None:
    world.put_cur2(world.client("s3"), "billing", "cur", "daily", MARCH, {CUR2_KEY: body})


async def test_cur2_import_gives_daily_costs_per_resource_and_pool_totals_to_the_cent(db, cloud):
    fx, web_pool, root, linked = await _setup(cloud)
    ids = cloud["ids"]
    _put_cur2(world.cur2_parquet(_rows(ids)))
    steps = []
    summary = await run_import(data_source_id=root.id, box=BOX, start=MARCH, now=NOW,
                               progress=lambda step, done, total: steps.append((step, done, total)))

    assert await _expenses() == {
        (ids["web"], DAY1): Decimal("0.300000"), (ids["web"], DAY2): Decimal("0.300000"),
        (ids["db"], DAY1): Decimal("0.552000"), ("vol-0feed", DAY2): Decimal("0.100000"),
        ("snap-0old", DAY2): Decimal("0.050000"), (ids["dev"], DAY1): Decimal("5.000000"),
        (f"{ROOT}/AWSSupport", DAY2): Decimal("29.000000")}
    assert await pool_cost(web_pool.id, today=NOW.date()) == Decimal("0.60")
    assert await pool_cost(fx.root.id, today=NOW.date()) == Decimal("35.30")
    assert summary.rejected == EXPECTED_REJECTED and summary.items_read == 24 * 3 + 3 + 1 + 10 + 3 + 3
    assert (summary.days, summary.total_cost.quantize(Decimal("0.01"))) == (2, Decimal("35.30"))
    assert (summary.billing_only, summary.files_changed, summary.files_unchanged) == (4, 1, 0)
    assert steps[0] == ("discover", 0, 4) and steps[-1] == ("done", 4, 4)

    resources = {r.cloud_resource_id: r for r in await Resource.all()}
    assert resources[ids["web"]].pool_id == web_pool.id and resources[ids["web"]].active
    assert resources[ids["db"]].region == "eu-west-1" and resources[ids["db"]].pool_id == fx.root.id
    assert (resources["vol-0feed"].resource_type, resources["vol-0feed"].active) == ("volume", False)
    assert resources["snap-0old"].resource_type == "snapshot"
    assert resources[f"{ROOT}/AWSSupport"].name == "AWSSupport"
    assert resources[ids["dev"]].data_source_id == linked.id and not resources[ids["dev"]].active
    assert resources["vol-0feed"].first_seen == datetime(2025, 3, 2, tzinfo=timezone.utc)
    assert "i-0stranger" not in resources
    metrics = await ResourceMetric.filter(resource_id=resources[ids["web"]].id).values_list("metric", "period_seconds",
                                                                                            "value")
    assert sorted(metrics) == [("cpu", 3600, 20.0), ("cpu", 86400, 20.0)]
    stored = await DataSource.get(id=root.id)
    assert stored.last_import_at == NOW and stored.last_import_status.startswith("ok: 92 line items, 2 days, 35.30")


async def test_reimport_gives_the_same_totals_and_a_new_file_version_is_picked_up(db, cloud):
    fx, web_pool, root, _ = await _setup(cloud)
    _put_cur2(world.cur2_parquet(_rows(cloud["ids"])))
    await _import(root)
    before, resources = await _expenses(), await Resource.all().count()
    again = await _import(root)
    assert await _expenses() == before and await Resource.all().count() == resources
    assert (again.resources_created, again.files_changed, again.files_unchanged) == (0, 0, 1)
    assert await pool_cost(fx.root.id, today=NOW.date()) == Decimal("35.30")

    _put_cur2(world.cur2_parquet(_rows(cloud["ids"], web_rate="0.025")))
    newer = await _import(root)
    assert newer.files_changed == 1
    assert await pool_cost(web_pool.id, today=NOW.date()) == Decimal("1.20")
    assert (await _expenses())[(cloud["ids"]["web"], DAY1)] == Decimal("0.600000")


async def test_a_corrupt_file_leaves_the_previous_figures_intact(db, cloud):
    fx, _, root, _ = await _setup(cloud)
    _put_cur2(world.cur2_parquet(_rows(cloud["ids"])))
    await _import(root)
    before, versions = await _expenses(), await ImportedFile.all().values_list("key", "version")
    resources = await Resource.all().count()
    _put_cur2(b"PAR1 this is not parquet")
    with pytest.raises(InvalidInput) as err:
        await _import(root)
    assert err.value.code == "billing_file_unreadable"
    assert await _expenses() == before and await Resource.all().count() == resources
    assert await ImportedFile.all().values_list("key", "version") == versions
    assert await pool_cost(fx.root.id, today=NOW.date()) == Decimal("35.30")
    stored = await DataSource.get(id=root.id)
    assert stored.last_import_status.startswith("failed: The billing file cur/daily/data/BILLING_PERIOD=2025-03/")


async def test_a_missing_export_fails_the_import_and_says_where_it_looked(db, cloud):
    _, _, root, _ = await _setup(cloud)
    with pytest.raises(NotFound) as err:
        await _import(root)
    assert err.value.code == "cloud_report_not_found"
    assert await Resource.all().count() == 0 and await Expense.all().count() == 0
    assert (await DataSource.get(id=root.id)).last_import_status.startswith("failed: No billing export found")


async def test_legacy_cur_import_uses_the_manifests_assembly(db, cloud):
    fx, web_pool, root, _ = await _setup(cloud, export_type="legacy")
    s3, ids = world.client("s3"), cloud["ids"]
    world.put_legacy(s3, "billing", "cur", "daily", MARCH, "a-1", world.legacy_csv_gz(_rows(ids, web_rate="9")))
    world.put_legacy(s3, "billing", "cur", "daily", MARCH, "a-2", world.legacy_csv_gz(_rows(ids)))
    summary = await _import(root)
    assert summary.rejected == {**EXPECTED_REJECTED, "malformed unblended cost": 1}
    assert (await _expenses())[(ids["web"], DAY2)] == Decimal("0.300000")
    assert await pool_cost(web_pool.id, today=NOW.date()) == Decimal("0.60")
    assert await pool_cost(fx.root.id, today=NOW.date()) == Decimal("35.30")
    assert list(await ImportedFile.all().values_list("key", flat=True)) == [
        "cur/daily/20250301-20250401/a-2/daily-1.csv.gz"]

    before = await _expenses()
    world.put_legacy(s3, "billing", "cur", "daily", MARCH, "a-3",
                     world.legacy_csv_gz(_rows(ids), drop="lineItem/UsageStartDate"))
    with pytest.raises(InvalidInput) as err:
        await _import(root)
    assert (err.value.code, err.value.params["column"]) == ("billing_column_missing", "line_item_usage_start_date")
    assert await _expenses() == before


async def test_a_linked_account_import_discovers_without_touching_billing(db, cloud):
    _, _, root, linked = await _setup(cloud)
    _put_cur2(world.cur2_parquet(_rows(cloud["ids"])))
    await _import(root)
    before = await _expenses()
    summary = await _import(linked)
    dev = await Resource.get(cloud_resource_id=cloud["ids"]["dev"])
    assert dev.active and dev.data_source_id == linked.id and dev.name == "dev"
    assert summary.items_read == 0 and summary.resources_updated >= 1
    assert await _expenses() == before


async def test_a_failure_while_saving_undoes_the_whole_import(db, cloud, monkeypatch):
    fx, _, root, _ = await _setup(cloud)
    _put_cur2(world.cur2_parquet(_rows(cloud["ids"])))
    await _import(root)
    before, resources = await _expenses(), await Resource.all().count()
    metrics = await ResourceMetric.all().count()
    _put_cur2(world.cur2_parquet(_rows(cloud["ids"], web_rate="1")))

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("core.services.imports._remember_files", broken)  # runs after expenses and resources
    with pytest.raises(RuntimeError):
        await _import(root)
    assert await _expenses() == before and await Resource.all().count() == resources
    assert await ResourceMetric.all().count() == metrics
    assert (await DataSource.get(id=root.id)).last_import_status == "failed: disk full"


async def test_an_import_needs_a_data_source_and_a_start_not_in_the_future(db, cloud):
    _, _, root, _ = await _setup(cloud)
    with pytest.raises(NotFound) as err:
        await run_import(data_source_id=root.id + 100, box=BOX, now=NOW)
    assert err.value.code == "data_source_not_found"
    with pytest.raises(InvalidInput) as err:
        await run_import(data_source_id=root.id, box=BOX, start=date(2025, 3, 21), now=NOW)
    assert (err.value.code, err.value.params) == ("import_range_invalid", {"field": "start", "start": date(2025, 3, 21),
                                                                           "end": date(2025, 3, 20)})
    assert (await DataSource.get(id=root.id)).last_import_status == ""
