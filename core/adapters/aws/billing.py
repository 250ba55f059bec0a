"""Billing import: download the export's files for a date range and sum them into daily costs per resource."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from typing import BinaryIO

from botocore.exceptions import BotoCoreError

from core.adapters.aws import cur, exports
from core.adapters.aws.errors import translate
from core.adapters.aws.session import AwsSession, request
from core.adapters.base import BillingBatch, ExpenseLine


def billing(session: AwsSession, start: date, end: date, own_account: str) -> BillingBatch:
    """Daily costs of the connected accounts from start to end inclusive (blocking; run it off the loop).

    Raises: NotFound (bucket, report), InvalidInput (unreadable file or manifest, missing column), and the
    credential/permission/availability errors of any call.
    """
    config = session.config
    files = exports.find(session, start, end)
    scope = cur.Scope(start=start, end=end, accounts=config.connected_accounts | {own_account},
                      currency=config.currency)
    summary = cur.Summary()
    s3 = session.client("s3")
    for export_file in files:
        with tempfile.TemporaryFile() as local:
            _download(s3, config.bucket, export_file.key, local)
            table, used, tags, missing = cur.read(local, export_file.key, summary)
            cur.add(summary, table, used, tags, missing, scope)
    return BillingBatch(lines=_lines(summary), items_read=summary.items_read, rejected=dict(summary.rejected),
                        currency=config.currency, covered=_covered(files, start, end),
                        files={f.key: f.etag for f in files}, missing_columns=sorted(summary.missing_columns))


def _download(s3, bucket: str, key: str, local: BinaryIO) -> None:
    body = request(s3, "get_object", Bucket=bucket, Key=key)["Body"]
    try:
        shutil.copyfileobj(body, local, 1 << 20)
    except BotoCoreError as exc:
        raise translate(exc, service="s3", operation="GetObject") from None
    local.seek(0)


def _lines(summary: cur.Summary) -> list[ExpenseLine]:
    table = cur.totals(summary)
    lines = []
    for account, resource, day, cost in zip(*(table.column(c).to_pylist()
                                              for c in ("account", "resource", "day", "cost"))):
        region, product, tags = summary.facts[(account, resource)]
        lines.append(ExpenseLine(cloud_resource_id=resource, day=day, cost=cost, account_id=account, region=region,
                                 resource_type=cur.resource_type(product, resource), tags=tags,
                                 name=tags.get("Name") or (product if resource.endswith("/" + product) else "")))
    return lines


def _covered(files: list[exports.ExportFile], start: date, end: date) -> list[tuple[date, date]]:
    """The day ranges inside [start, end] that the periods found cover (their figures get replaced)."""
    periods = sorted({(f.first_day, f.last_day) for f in files})
    return [(max(first, start), min(last, end)) for first, last in periods]
