"""What discovery saw, kept on imported resources; a region that refuses discovery is skipped and reported."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.adapters.aws import discovery
from core.adapters.base import Credentials
from core.adapters.registry import adapter_for
from core.crypto import SecretBox
from core.errors import InvalidInput
from core.models import DataSource, Expense, Resource
from core.services import datasources
from core.services.imports import run_import
from tests.factories import make_org
from tests.integration import aws_world as world
from tests.integration.aws_world import ROOT_ACCOUNT as ROOT, hourly

BOX = SecretBox("k" * 40)
NOW = datetime(2025, 3, 20, 12, tzinfo=timezone.utc)
MARCH, DAY1, DAY2 = date(2025, 3, 1), date(2025, 3, 1), date(2025, 3, 2)
REGIONS = "us-east-1,eu-west-1"
DENIED = "The AWS credentials lack the permission ec2:DescribeInstances. Add it to the user's policy and try again."


@pytest.fixture
def aws() -> str:
    world.reset()
    return world.endpoint()


def _instance(region: str, name: str, **extra) -> str:
    spec = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}]
    return world.client("ec2", region).run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                                     InstanceType="t3.micro", TagSpecifications=spec,
                                                     **extra)["Instances"][0]["InstanceId"]


def _keys(endpoint: str, **fields) -> dict:
    return {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "x", "regions": REGIONS,
            "endpoint_url": endpoint, **fields}


async def _source(endpoint: str, kind: str = "aws_linked", **fields) -> DataSource:
    fx = await make_org()
    return await datasources.connect_data_source(actor_id=fx.manager.id, kind=kind, name="AWS", box=BOX,
                                                 fields=_keys(endpoint, **fields))


def _deny_instances_in(monkeypatch, *denied: str) -> None:
    """An organization SCP denying ec2:DescribeInstances in some regions: their EC2 client answers 403 the way
    AWS does (moto cannot deny per region); the adapter's own request path and error translation run."""
    real = discovery._region

    def region(session, name: str):
        if name in denied:
            session.client("ec2", name).meta.events.register("before-call.ec2.DescribeInstances", _refuse)
        return real(session, name)

    monkeypatch.setattr(discovery, "_region", region)


def _refuse(**_):
    message = (f"You are not authorized to perform this operation. User: arn:aws:iam::{ROOT}:user/ct is not "
               "authorized to perform: ec2:DescribeInstances with an explicit deny in a service control policy")
    return SimpleNamespace(status_code=403, headers={}), {
        "Error": {"Code": "UnauthorizedOperation", "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 403}}


async def _resources() -> dict[str, Resource]:
    return {r.cloud_resource_id: r for r in await Resource.all()}


async def test_an_import_keeps_state_type_launch_time_spot_and_attachment(db, aws):
    web, spot = _instance("us-east-1", "web"), _instance("us-east-1", "batch",
                                                         InstanceMarketOptions={"MarketType": "spot"})
    idle, gone = _instance("us-east-1", "idle"), _instance("us-east-1", "gone")
    ec2 = world.client("ec2")
    ec2.stop_instances(InstanceIds=[idle])
    ec2.terminate_instances(InstanceIds=[gone])
    loose = ec2.create_volume(AvailabilityZone="us-east-1a", Size=10)["VolumeId"]
    launched = {i["InstanceId"]: i["LaunchTime"] for r in ec2.describe_instances()["Reservations"]
                for i in r["Instances"]}
    source = await _source(aws)

    await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)

    found = await _resources()
    assert found[web].details == {**found[web].details, "state": "running", "instance_type": "t3.micro",
                                  "spot": False}
    assert datetime.fromisoformat(found[web].details["launch_time"]) == launched[web]
    assert (found[spot].details["spot"], found[spot].active) == (True, True)
    assert (found[idle].details["state"], found[idle].active) == ("stopped", True)  # it exists and costs storage
    assert (found[gone].details["state"], found[gone].active) == ("terminated", False)
    volumes = {r.details["attached"]: r for r in found.values() if r.resource_type == "volume" and
               r.details.get("instance_ids") in ([], [web])}
    assert volumes[False].cloud_resource_id == loose and volumes[True].details["instance_ids"] == [web]

    ec2.start_instances(InstanceIds=[idle])
    ec2.attach_volume(VolumeId=loose, InstanceId=idle, Device="/dev/sdf")
    await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW + timedelta(hours=1))
    found = await _resources()
    assert found[idle].details["state"] == "running" and found[idle].last_seen == NOW + timedelta(hours=1)
    assert (found[loose].details["attached"], found[loose].details["instance_ids"]) == (True, [idle])


async def test_the_adapter_skips_a_refusing_region_and_names_it(aws, monkeypatch):
    east, west = _instance("us-east-1", "web"), _instance("eu-west-1", "db")
    _deny_instances_in(monkeypatch, "eu-west-1")
    adapter = adapter_for("aws_linked", Credentials(config={"access_key_id": "AKIAIOSFODNN7EXAMPLE", "regions": REGIONS,
                                                            "endpoint_url": aws}, secrets={"secret_access_key": "x"}))
    discovery = await adapter.discover()
    found = {r.cloud_resource_id: r for r in discovery.resources}
    assert east in found and west not in found
    assert discovery.skipped == {"eu-west-1": DENIED}


async def test_a_refusing_region_is_reported_and_its_resources_stay_as_they_were(db, aws, monkeypatch):
    east, west = _instance("us-east-1", "web"), _instance("eu-west-1", "db")
    s3 = world.client("s3")
    s3.create_bucket(Bucket="billing")

    def put(*days: date) -> None:
        rows = [r for day in days for cid, region in ((east, "us-east-1"), (west, "eu-west-1"))
                for r in hourly(ROOT, cid, day, 24, "0.01", region=region)]
        world.put_cur2(s3, "billing", "cur", "daily", MARCH, {"daily-00001.snappy.parquet": world.cur2_parquet(rows)})

    put(DAY1)
    source = await _source(aws, kind="aws_root", export_type="cur2", bucket="billing", prefix="cur",
                           export_name="daily")
    first_at = datetime(2025, 3, 1, 6, tzinfo=timezone.utc)
    await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=first_at)
    before = (await _resources())[west]
    put(DAY1, DAY2)  # billing now names the west instance on a day after it was last discovered
    _deny_instances_in(monkeypatch, "eu-west-1")

    summary = await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)

    assert summary.skipped_regions == {"eu-west-1": DENIED} and summary.billing_only == 0
    assert f"Regions skipped (their resources were left as they were):\n  eu-west-1: {DENIED}" in str(summary)
    found = await _resources()
    kept = found[west]
    assert (kept.active, kept.name, kept.last_seen, kept.details) == (True, "db", first_at, before.details)
    assert kept.details["state"] == "running" and found[east].last_seen == NOW
    costs = dict(await Expense.filter(resource_id=kept.id).values_list("day", "cost"))
    assert costs == {DAY1: Decimal("0.24"), DAY2: Decimal("0.24")}  # billing of the region still imported
    status = (await DataSource.get(id=source.id)).last_import_status
    assert status == f"ok: 96 line items, 2 days, 0.96; regions skipped: eu-west-1 ({DENIED})"


async def test_when_every_region_refuses_the_import_fails_and_changes_nothing(db, aws, monkeypatch):
    east, west = _instance("us-east-1", "web"), _instance("eu-west-1", "db")
    source = await _source(aws)
    await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)
    before = {cid: (r.last_seen, r.active, r.details) for cid, r in (await _resources()).items()}
    assert {east, west} <= set(before)
    world.client("ec2").stop_instances(InstanceIds=[east])
    _deny_instances_in(monkeypatch, "us-east-1", "eu-west-1")

    with pytest.raises(InvalidInput) as err:
        await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW + timedelta(hours=1))

    assert (err.value.code, err.value.params["permission"]) == ("cloud_permission_missing", "ec2:DescribeInstances")
    assert {cid: (r.last_seen, r.active, r.details) for cid, r in (await _resources()).items()} == before
    assert (await DataSource.get(id=source.id)).last_import_status == f"failed: {DENIED}"
