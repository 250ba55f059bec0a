"""The AWS root account in the contract kit, on the moto server of tests/integration/aws_world.py."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from core.adapters.base import PowerTarget
from core.models import DataSourceKind
from tests.contract.kit import CloudWorld
from tests.integration import aws_world as moto

BUCKET, PREFIX, EXPORT = "billing", "cur", "daily"
POWER = ["ec2:StartInstances", "ec2:StopInstances"]


class AwsRootWorld(CloudWorld):
    kind = DataSourceKind.AWS_ROOT
    account_id = moto.ROOT_ACCOUNT
    regions = ("us-east-1", "eu-west-1")

    def reset(self) -> None:
        moto.reset()
        moto.client("s3").create_bucket(Bucket=BUCKET)
        self.keys = moto.iam_user("cloudtuner", moto.READ_ONLY + POWER)
        self.rows: list[moto.Row] = []

    def good_fields(self) -> dict:
        return {**self.keys, "export_type": "cur2", "bucket": BUCKET, "prefix": PREFIX, "export_name": EXPORT,
                "regions": ",".join(self.regions), "endpoint_url": moto.endpoint()}

    def bad_credentials(self) -> dict:
        return {"secret_access_key": "not-the-secret"}

    def unreachable(self) -> dict:
        return {"endpoint_url": "http://127.0.0.1:9"}

    @contextmanager
    def checking_credentials(self):
        moto.iam_checks(True)
        try:
            yield
        finally:
            moto.iam_checks(False)

    def add_instance(self, name: str, region: str) -> PowerTarget:
        tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}]
        made = moto.client("ec2", region).run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                                        InstanceType="t3.micro", TagSpecifications=tags)
        return PowerTarget(made["Instances"][0]["InstanceId"], region)

    def state(self, target: PowerTarget) -> str:
        found = moto.client("ec2", target.region).describe_instances(InstanceIds=[target.cloud_resource_id])
        return found["Reservations"][0]["Instances"][0]["State"]["Name"]

    def remove(self, target: PowerTarget) -> None:
        moto.client("ec2", target.region).terminate_instances(InstanceIds=[target.cloud_resource_id])

    def put_costs(self, target: PowerTarget, daily: dict[date, Decimal]) -> None:
        for day, cost in daily.items():  # spread over 4 hourly line items, as AWS bills an instance
            self.rows += moto.hourly(self.account_id, target.cloud_resource_id, day, 4, str(cost / 4),
                                     region=target.region)
        s3 = moto.client("s3")
        for month in sorted({day.replace(day=1) for day in daily}):
            rows = [r for r in self.rows if r.start.date().replace(day=1) == month]
            moto.put_cur2(s3, BUCKET, PREFIX, EXPORT, month, {"daily-00001.snappy.parquet": moto.cur2_parquet(rows)})

    def put_cpu(self, target: PowerTarget, at: datetime, percent: float) -> None:
        moto.client("cloudwatch", target.region).put_metric_data(Namespace="AWS/EC2", MetricData=[
            {"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": target.cloud_resource_id}],
             "Timestamp": at, "Value": percent}])

