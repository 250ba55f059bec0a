"""The AWS adapter against moto's server: discovery in two regions, metrics, start/stop, finding exports."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.adapters.aws.discovery import enabled_regions
from core.adapters.base import CloudUnavailable, Credentials, PowerTarget
from core.adapters.registry import adapter_for
from core.errors import InvalidInput, NotFound
from tests.integration import aws_world as world

MARCH = date(2025, 3, 1)


@pytest.fixture
def aws() -> str:
    world.reset()
    return world.endpoint()


def _root(endpoint: str, **fields):
    values = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "export_type": "cur2", "bucket": "billing", "prefix": "cur",
              "export_name": "daily", "endpoint_url": endpoint, **fields}
    return adapter_for("aws_root", Credentials(config=values, secrets={"secret_access_key": "x"}))


def _instance(region: str, name: str, **extra) -> str:
    ec2 = world.client("ec2", region)
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}, {"Key": "team", "Value": "web"}]}]
    return ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                             TagSpecifications=tags, **extra)["Instances"][0]["InstanceId"]


async def test_discovery_covers_every_enabled_region_unless_regions_are_configured(aws):
    regions = enabled_regions(_root(aws).session)
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(regions) and len(regions) > 10
    assert enabled_regions(_root(aws, regions="eu-west-1,us-east-1").session) == ["eu-west-1", "us-east-1"]


async def test_discovers_every_kind_of_resource_in_two_regions(aws):
    web = _instance("us-east-1", "web")
    spot = _instance("eu-west-1", "batch", InstanceMarketOptions={"MarketType": "spot"})
    east, west = world.client("ec2"), world.client("ec2", "eu-west-1")
    east.stop_instances(InstanceIds=[web])
    loose = east.create_volume(AvailabilityZone="us-east-1a", Size=10)["VolumeId"]
    snapshot = east.create_snapshot(VolumeId=loose)["SnapshotId"]
    free_ip = west.allocate_address(Domain="vpc")["AllocationId"]
    used_ip = east.allocate_address(Domain="vpc")["AllocationId"]
    east.start_instances(InstanceIds=[web])
    east.associate_address(AllocationId=used_ip, InstanceId=web)
    world.client("s3").create_bucket(Bucket="billing")
    world.client("s3", "eu-west-1").create_bucket(Bucket="logs-eu",
                                                  CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    world.client("s3").put_bucket_tagging(Bucket="billing", Tagging={"TagSet": [{"Key": "team", "Value": "finops"}]})

    found = {r.cloud_resource_id: r for r in (await _root(aws, regions="us-east-1,eu-west-1").discover()).resources}

    assert (found[web].resource_type, found[web].region, found[web].name) == ("instance", "us-east-1", "web")
    assert found[web].tags == {"Name": "web", "team": "web"} and found[web].active
    assert found[web].details["state"] == "running" and found[web].details["instance_type"] == "t3.micro"
    assert found[web].details["spot"] is False and found[web].details["launch_time"]
    assert (found[spot].region, found[spot].details["spot"]) == ("eu-west-1", True)
    volumes = {r.cloud_resource_id: r for r in found.values() if r.resource_type == "volume"}
    assert volumes[loose].details["attached"] is False
    assert [v.details["instance_ids"] for v in volumes.values() if v.details["attached"]] in ([[web], [spot]],
                                                                                              [[spot], [web]])
    assert found[snapshot].resource_type == "snapshot" and found[snapshot].details["volume_id"] == loose
    assert (found[free_ip].region, found[free_ip].details["attached"]) == ("eu-west-1", False)
    assert found[used_ip].details == {**found[used_ip].details, "attached": True, "instance_id": web}
    assert (found["billing"].resource_type, found["billing"].tags) == ("bucket", {"team": "finops"})
    assert found["logs-eu"].region == "eu-west-1"
    assert len(found) == 10  # 2 instances, 3 volumes, 1 snapshot, 2 IPs, 2 buckets


async def test_metrics_put_into_cloudwatch_are_read_back_per_instance(aws):
    web, other = _instance("us-east-1", "web"), _instance("eu-west-1", "other")
    hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    data = {web: ("us-east-1", [10.0, 30.0]), other: ("eu-west-1", [80.0])}
    for instance_id, (region, values) in data.items():
        world.client("cloudwatch", region).put_metric_data(Namespace="AWS/EC2", MetricData=[
            {"MetricName": name, "Dimensions": [{"Name": "InstanceId", "Value": instance_id}],
             "Timestamp": hour + timedelta(minutes=10 * n), "Value": value * scale}
            for n, value in enumerate(values) for name, scale in (("CPUUtilization", 1), ("NetworkIn", 1000))])
    targets = [PowerTarget(web, "us-east-1"), PowerTarget(other, "eu-west-1")]
    points = await _root(aws).metrics(targets, hour, hour + timedelta(hours=1), 3600)
    got = {(p.cloud_resource_id, p.metric): (p.value, p.at.tzinfo is not None, p.period_seconds) for p in points}
    assert got == {(web, "cpu"): (20.0, True, 3600), (web, "network_in"): (20000.0, True, 3600),
                   (other, "cpu"): (80.0, True, 3600), (other, "network_in"): (80000.0, True, 3600)}
    daily = await _root(aws).metrics(targets[:1], hour - timedelta(days=1), hour + timedelta(days=1), 86400)
    assert sorted((p.metric, p.value) for p in daily) == [("cpu", 20.0), ("network_in", 20000.0)]


async def test_start_and_stop_report_each_instance(aws):
    web, db = _instance("us-east-1", "web"), _instance("eu-west-1", "db")
    adapter = _root(aws)
    targets = [PowerTarget(web, "us-east-1"), PowerTarget(db, "eu-west-1"), PowerTarget("i-0abc", "us-east-1")]
    stopped = await adapter.stop(targets)
    assert [(r.cloud_resource_id, r.outcome) for r in stopped] == [(web, "ok"), (db, "ok"), ("i-0abc", "gone")]
    again = await adapter.stop(targets[:2])
    assert [r.outcome for r in again] == ["already", "already"]
    states = world.client("ec2").describe_instances(InstanceIds=[web])["Reservations"][0]["Instances"][0]["State"]
    assert states["Name"] == "stopped"
    world.client("ec2", "eu-west-1").terminate_instances(InstanceIds=[db])
    started = await adapter.start(targets[:2])
    assert [(r.outcome, r.detail) for r in started] == [("ok", ""), ("gone", "terminated")]


async def test_billing_reads_only_the_newest_version_of_each_file(aws):
    s3 = world.client("s3")
    s3.create_bucket(Bucket="billing")
    rows = world.hourly(world.ROOT_ACCOUNT, "i-1", MARCH, 24, "0.5")
    world.put_cur2(s3, "billing", "cur", "daily", MARCH, {"daily-00001.snappy.parquet": world.cur2_parquet(rows)})
    adapter = _root(aws)
    first = await adapter.billing(MARCH, date(2025, 3, 31))
    assert [(line.cloud_resource_id, line.day, line.cost) for line in first.lines] == [("i-1", MARCH, Decimal(12))]
    assert first.covered == [(MARCH, date(2025, 3, 31))] and first.items_read == 24
    rows = world.hourly(world.ROOT_ACCOUNT, "i-1", MARCH, 24, "0.25")
    world.put_cur2(s3, "billing", "cur", "daily", MARCH, {"daily-00001.snappy.parquet": world.cur2_parquet(rows)})
    second = await adapter.billing(MARCH, date(2025, 3, 31))
    assert [line.cost for line in second.lines] == [Decimal(6)]
    assert list(second.files) == list(first.files) and second.files != first.files  # same key, new ETag


async def test_legacy_cur_follows_its_manifest_to_the_current_assembly(aws):
    s3 = world.client("s3")
    s3.create_bucket(Bucket="billing")
    old = world.hourly(world.ROOT_ACCOUNT, "i-1", MARCH, 2, "9")
    new = world.hourly(world.ROOT_ACCOUNT, "i-1", MARCH, 2, "1.25", tags={"Name": "web"})
    world.put_legacy(s3, "billing", "cur", "daily", MARCH, "assembly-1", world.legacy_csv_gz(old))
    world.put_legacy(s3, "billing", "cur", "daily", MARCH, "assembly-2", world.legacy_csv_gz(new))
    batch = await _root(aws, export_type="legacy").billing(MARCH, date(2025, 3, 31))
    assert [(line.cost, line.name, line.tags) for line in batch.lines] == [(Decimal("2.5"), "web", {"Name": "web"})]
    assert list(batch.files) == ["cur/daily/20250301-20250401/assembly-2/daily-1.csv.gz"]


async def test_missing_bucket_and_missing_report_are_told_apart(aws):
    with pytest.raises(NotFound) as err:
        await _root(aws).billing(MARCH, date(2025, 3, 31))
    assert (err.value.code, err.value.params) == ("cloud_bucket_not_found", {"bucket": "billing"})
    world.client("s3").create_bucket(Bucket="billing")
    with pytest.raises(NotFound) as err:
        await _root(aws).billing(MARCH, date(2025, 3, 31))
    assert err.value.code == "cloud_report_not_found"
    assert err.value.params == {"bucket": "billing", "start": MARCH, "end": date(2025, 3, 31),
                                "path": "cur/daily/metadata/BILLING_PERIOD=2025-03/daily-Manifest.json"}


async def test_a_manifest_naming_a_missing_file_fails(aws):
    s3 = world.client("s3")
    s3.create_bucket(Bucket="billing")
    world.put_cur2(s3, "billing", "cur", "daily", MARCH, {"daily-00001.snappy.parquet": b"x"})
    s3.delete_object(Bucket="billing", Key="cur/daily/data/BILLING_PERIOD=2025-03/daily-00001.snappy.parquet")
    with pytest.raises(InvalidInput) as err:
        await _root(aws).billing(MARCH, date(2025, 3, 31))
    assert err.value.code == "billing_file_listed_but_missing"


async def test_a_manifest_that_is_not_json_fails(aws):
    s3 = world.client("s3")
    s3.create_bucket(Bucket="billing")
    s3.put_object(Bucket="billing", Key="cur/daily/metadata/BILLING_PERIOD=2025-03/daily-Manifest.json", Body=b"{")
    with pytest.raises(InvalidInput) as err:
        await _root(aws).billing(MARCH, date(2025, 3, 31))
    assert err.value.params == {"file": "cur/daily/metadata/BILLING_PERIOD=2025-03/daily-Manifest.json"}


async def test_linked_accounts_have_no_billing_of_their_own(aws):
    linked = adapter_for("aws_linked", Credentials(config={"access_key_id": "AKIAIOSFODNN7EXAMPLE",
                                                           "endpoint_url": aws}, secrets={"secret_access_key": "x"}))
    with pytest.raises(InvalidInput) as err:
        await linked.billing(MARCH, MARCH)
    assert err.value.code == "billing_not_available"


async def test_an_unreachable_cloud_is_unavailable_not_a_crash():
    adapter = _root("http://127.0.0.1:9", regions="us-east-1")
    with pytest.raises(CloudUnavailable) as err:
        await adapter.discover()
    assert err.value.code == "cloud_unavailable" and "127.0.0.1:9" in str(err.value)
