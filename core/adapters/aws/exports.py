"""Finding a billing export in S3 from bucket + prefix + export name, one billing period (month) at a time.

CUR 2.0 (Data Exports): <prefix>/<name>/metadata/BILLING_PERIOD=YYYY-MM/<name>-Manifest.json lists the data
files under <prefix>/<name>/data/BILLING_PERIOD=YYYY-MM/. Legacy CUR: <prefix>/<name>/YYYYMMDD-YYYYMMDD/
<name>-Manifest.json lists reportKeys (the current assembly). Without a manifest the newest folder of data
files in the period is used. A new version of a file is a new ETag.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from datetime import date, timedelta

from core.adapters.aws.form import AwsConfig
from core.adapters.aws.kinds import CUR2
from core.adapters.aws.session import AwsSession, pages, request
from core.errors import InvalidInput, NotFound

DATA_SUFFIXES = (".parquet", ".csv.gz", ".csv")


@dataclass(frozen=True)
class ExportFile:
    key: str
    etag: str
    first_day: date  # of its billing period
    last_day: date


def months(start: date, end: date) -> list[date]:
    """First days of the months that [start, end] touches."""
    firsts, current = [], start.replace(day=1)
    while current <= end:
        firsts.append(current)
        current = _next_month(current)
    return firsts


def period_folder(config: AwsConfig, first: date) -> tuple[str, str]:
    """(data folder, manifest key) of one billing period."""
    base = "/".join(part for part in (config.prefix, config.export_name) if part)
    if config.export_type == CUR2:
        partition = f"BILLING_PERIOD={first:%Y-%m}"
        return (f"{base}/data/{partition}/",
                f"{base}/metadata/{partition}/{config.export_name}-Manifest.json")
    folder = f"{base}/{first:%Y%m%d}-{_next_month(first):%Y%m%d}/"
    return folder, f"{folder}{config.export_name}-Manifest.json"


def find(session: AwsSession, start: date, end: date) -> list[ExportFile]:
    """The data files of every billing period in the range. Raises: NotFound (bucket, or no export at all)."""
    config = session.config
    s3 = session.client("s3")
    found: list[ExportFile] = []
    for first in months(start, end):
        folder, manifest_key = period_folder(config, first)
        listed = {o["Key"]: o for page in pages(s3, "list_objects_v2", Bucket=config.bucket, Prefix=folder)
                  for o in page.get("Contents", [])}
        keys = _manifest_keys(s3, config, manifest_key) or _newest_folder(listed)
        last = _next_month(first) - timedelta(days=1)
        for key in keys:
            if key not in listed:
                raise InvalidInput("billing_file_listed_but_missing", file=key, manifest=manifest_key)
            found.append(ExportFile(key=key, etag=listed[key]["ETag"].strip('"'), first_day=first, last_day=last))
    if not found:
        raise NotFound("cloud_report_not_found", bucket=config.bucket, path=period_folder(config, start)[1],
                       start=start, end=end)
    return found


def _manifest_keys(s3, config: AwsConfig, key: str) -> list[str]:
    answer = request(s3, "get_object", Bucket=config.bucket, Key=key, tolerate=("NoSuchKey",))
    if not answer:
        return []
    try:
        manifest = json.loads(answer["Body"].read())
        listed = manifest["dataFiles"] if "dataFiles" in manifest else manifest["reportKeys"]
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("billing_manifest_unreadable", file=key) from None
    prefix = f"s3://{config.bucket}/"
    return [str(item).removeprefix(prefix) for item in listed]


def _newest_folder(listed: dict[str, dict]) -> list[str]:
    """The data files in the folder holding the most recently written data file (one export version)."""
    data = [o for key, o in listed.items() if key.endswith(DATA_SUFFIXES)]
    if not data:
        return []
    newest = posixpath.dirname(max(data, key=lambda o: o["LastModified"])["Key"])
    return sorted(o["Key"] for o in data if posixpath.dirname(o["Key"]) == newest)


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)
