"""A moto server shared by the AWS tests (one per test process: its first EC2 call takes seconds), and
builders of realistic Cost and Usage Report files: CUR 2.0 parquet and legacy gzip CSV with a manifest."""

from __future__ import annotations

import atexit
import csv
import gzip
import io
import json
import logging
import os
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import boto3
import pyarrow as pa
import pyarrow.parquet as pq

ROOT_ACCOUNT = "123456789012"  # moto's default account
LINKED_ACCOUNT = "210987654321"
STRANGER_ACCOUNT = "333333333333"
_server = None


def endpoint() -> str:
    """The process-wide moto server's URL, started on first use."""
    global _server
    if _server is None:
        from moto.server import ThreadedMotoServer

        os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # else every region holds ~1,000 snapshots
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        _server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        _server.start()
        atexit.register(_server.stop)
    host, port = _server.get_host_and_port()
    return f"http://{host}:{port}"


def _post(path: str, body: bytes = b"") -> None:
    request = urllib.request.Request(endpoint() + path, data=body, method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=30).read()


def reset() -> None:
    """Forget every AWS object and switch IAM checks off."""
    _post("/moto-api/reset")
    iam_checks(False)


def iam_checks(on: bool) -> None:
    """On: every request must be signed by a known key whose policies allow the action."""
    _post("/moto-api/reset-auth", b"0" if on else b"inf")


def client(service: str, region: str = "us-east-1", *, key: str = "testing", secret: str = "testing",
           account: str | None = None):
    made = boto3.client(service, region_name=region, endpoint_url=endpoint(), aws_access_key_id=key,
                        aws_secret_access_key=secret)
    if account:
        made.meta.events.register("before-sign.*.*",
                                  lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return made


def iam_user(name: str, actions: list[str], *, account: str | None = None) -> dict[str, str]:
    """A user allowed `actions` on everything; returns its access_key_id and secret_access_key."""
    iam = client("iam", account=account)
    iam.create_user(UserName=name)
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    iam.put_user_policy(UserName=name, PolicyName="cloudtuner", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}


READ_ONLY = ["sts:GetCallerIdentity", "ec2:Describe*", "s3:ListBucket", "s3:GetObject", "s3:ListAllMyBuckets",
             "s3:GetBucketLocation", "s3:GetBucketTagging", "cloudwatch:GetMetricStatistics"]


@dataclass
class Row:
    """One CUR line item."""

    account: str
    resource: str
    cost: str
    start: datetime
    product: str = "AmazonEC2"
    region: str = "us-east-1"
    tags: dict[str, str] = field(default_factory=dict)
    currency: str = "USD"
    item_type: str = "Usage"


def hourly(account: str, resource: str, day: date, hours: int, rate: str, **extra) -> list[Row]:
    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return [Row(account, resource, rate, start + timedelta(hours=h), **extra) for h in range(hours)]


def total(rows: list[Row]) -> Decimal:
    return sum((Decimal(r.cost) for r in rows), Decimal(0))


def cur2_parquet(rows: list[Row]) -> bytes:
    """A CUR 2.0 Data Export file: snake_case columns, timestamps, double costs, map columns."""
    first = rows[0].start.replace(day=1, hour=0) if rows else datetime(2025, 1, 1, tzinfo=timezone.utc)
    ts = pa.timestamp("ms", tz="UTC")
    table = pa.table({
        "bill_bill_type": ["Anniversary"] * len(rows),
        "bill_billing_period_start_date": pa.array([first] * len(rows), ts),
        "bill_payer_account_id": [ROOT_ACCOUNT] * len(rows),
        "identity_line_item_id": [f"li-{n}" for n in range(len(rows))],
        "line_item_line_item_type": [r.item_type for r in rows],
        "line_item_usage_account_id": [r.account for r in rows],
        "line_item_usage_start_date": pa.array([r.start for r in rows], ts),
        "line_item_usage_end_date": pa.array([r.start + timedelta(hours=1) for r in rows], ts),
        "line_item_product_code": [r.product for r in rows],
        "line_item_usage_type": ["BoxUsage:t3.micro"] * len(rows),
        "line_item_resource_id": [r.resource for r in rows],
        "line_item_usage_amount": [1.0] * len(rows),
        "line_item_currency_code": [r.currency for r in rows],
        "line_item_unblended_cost": pa.array([float(r.cost) for r in rows], pa.float64()),
        "product_region_code": [r.region for r in rows],
        "resource_tags": pa.array([[(f"user_{k}", v) for k, v in r.tags.items()] for r in rows],
                                  pa.map_(pa.string(), pa.string())),
    })
    out = io.BytesIO()
    pq.write_table(table, out, compression="snappy")
    return out.getvalue()


LEGACY_TAGS = ("Name", "team")


def legacy_csv_gz(rows: list[Row], *, drop: str = "") -> bytes:
    """A legacy CUR file: "category/Column" names, ISO date strings, decimal strings, one column per tag."""
    header = ["identity/LineItemId", "identity/TimeInterval", "bill/PayerAccountId", "lineItem/UsageAccountId",
              "lineItem/LineItemType", "lineItem/UsageStartDate", "lineItem/UsageEndDate", "lineItem/ProductCode",
              "lineItem/UsageType", "lineItem/ResourceId", "lineItem/UsageAmount", "lineItem/CurrencyCode",
              "lineItem/UnblendedRate", "lineItem/UnblendedCost", "product/ProductName", "product/region",
              *(f"resourceTags/user:{t}" for t in LEGACY_TAGS)]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([h for h in header if h != drop])
    for n, r in enumerate(rows):
        end = r.start + timedelta(hours=1)
        values = [f"li-{n}", f"{r.start:%Y-%m-%dT%H:%M:%SZ}/{end:%Y-%m-%dT%H:%M:%SZ}", ROOT_ACCOUNT, r.account,
                  r.item_type, f"{r.start:%Y-%m-%dT%H:%M:%SZ}", f"{end:%Y-%m-%dT%H:%M:%SZ}", r.product,
                  "BoxUsage:t3.micro", r.resource, "1", r.currency, r.cost, r.cost, r.product, r.region,
                  *(r.tags.get(t, "") for t in LEGACY_TAGS)]
        writer.writerow([v for h, v in zip(header, values) if h != drop])
    return gzip.compress(text.getvalue().encode())


def put_cur2(s3, bucket: str, prefix: str, name: str, month: date, files: dict[str, bytes]) -> None:
    """Data files under data/BILLING_PERIOD=YYYY-MM/ and the manifest listing them under metadata/."""
    base = f"{prefix}/{name}" if prefix else name
    partition = f"BILLING_PERIOD={month:%Y-%m}"
    keys = []
    for file_name, body in files.items():
        key = f"{base}/data/{partition}/{file_name}"
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        keys.append(f"s3://{bucket}/{key}")
    manifest = {"exportName": name, "executionId": "e-1", "dataFiles": keys,
                "billingPeriod": {"start": f"{month:%Y-%m}-01T00:00:00.000Z"}}
    s3.put_object(Bucket=bucket, Key=f"{base}/metadata/{partition}/{name}-Manifest.json", Body=json.dumps(manifest))


def put_legacy(s3, bucket: str, prefix: str, name: str, month: date, assembly: str, body: bytes) -> None:
    """One assembly (report version) of a legacy CUR and the period manifest pointing at it."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    folder = f"{prefix}/{name}/{month:%Y%m%d}-{following:%Y%m%d}"
    key = f"{folder}/{assembly}/{name}-1.csv.gz"
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    manifest = {"assemblyId": assembly, "account": ROOT_ACCOUNT, "reportName": name, "bucket": bucket,
                "compression": "GZIP", "contentType": "text/csv", "reportKeys": [key],
                "billingPeriod": {"start": f"{month:%Y%m%d}T000000.000Z", "end": f"{following:%Y%m%d}T000000.000Z"}}
    s3.put_object(Bucket=bucket, Key=f"{folder}/{name}-Manifest.json", Body=json.dumps(manifest))
