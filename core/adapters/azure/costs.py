"""Daily cost per resource from the Cost Management query API: one query per subscription and month, grouped
by resource id with the resources' tags, following `nextLink` to the last page.

Rows are checked, not trusted: a cost in another currency than the organization's and a row without a resource
id are counted by reason, not imported.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from azure.core.rest import HttpRequest

from core.adapters.azure.session import AzureSession
from core.adapters.base import ExpenseLine

_COST_COLUMNS = ("Cost", "PreTaxCost", "CostUSD")
# Azure resource provider type -> our resource type
_TYPES = {"microsoft.compute/virtualmachines": "instance", "microsoft.compute/disks": "volume",
          "microsoft.compute/snapshots": "snapshot", "microsoft.network/publicipaddresses": "ip_address",
          "microsoft.storage/storageaccounts": "bucket"}


@dataclass
class Totals:
    """Sums per (subscription, resource, day) and what each resource looked like; rejected rows by reason."""

    costs: dict[tuple[str, str, date], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    facts: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)  # resource -> (region, tags)
    rows: int = 0
    rejected: Counter = field(default_factory=Counter)


def months(start: date, end: date) -> list[tuple[date, date]]:
    """[start, end] cut at month ends."""
    spans, first = [], start
    while first <= end:
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        spans.append((first, min(end, following - timedelta(days=1))))
        first = following
    return spans


def query(first: date, last: date) -> dict:
    """The body of one query: actual cost per day and resource, with the resources' tags."""
    return {"type": "ActualCost", "timeframe": "Custom",
            "timePeriod": {"from": f"{first:%Y-%m-%d}T00:00:00Z", "to": f"{last:%Y-%m-%d}T23:59:59Z"},
            "dataset": {"granularity": "Daily", "aggregation": {"totalCost": {"name": "Cost", "function": "Sum"}},
                        "grouping": [{"type": "Dimension", "name": "ResourceId"},
                                     {"type": "Dimension", "name": "ResourceLocation"}],
                        "include": ["Tags"]}}


async def read(session: AzureSession, subscription_id: str, first: date, last: date, currency: str,
               totals: Totals) -> None:
    """Add one subscription's month to the totals, page by page. Raises: the translated core errors."""
    body = query(first, last)
    scope = f"/subscriptions/{subscription_id}"
    client = session.costs()
    page = await session.call(client.query.usage(scope, io.BytesIO(json.dumps(body).encode()),
                                                 content_type="application/json"), subscription_id)
    columns, rows, link = [c.name for c in page.columns or []], page.rows or [], page.next_link
    _add(totals, subscription_id, columns, rows, currency)
    while link:
        response = await session.call(client.send_request(HttpRequest("POST", link, json=body)), subscription_id)
        await session.call(_raise_for_status(response), subscription_id)
        properties = response.json().get("properties", {})
        columns = [c["name"] for c in properties.get("columns", [])] or columns
        _add(totals, subscription_id, columns, properties.get("rows", []), currency)
        link = properties.get("nextLink")


async def _raise_for_status(response) -> None:
    response.raise_for_status()


def lines(totals: Totals) -> list[ExpenseLine]:
    result = []
    for (subscription_id, resource, day), cost in sorted(totals.costs.items()):
        region, tags = totals.facts[resource]
        result.append(ExpenseLine(cloud_resource_id=resource, day=day, cost=cost, resource_type=resource_type(resource),
                                  region=region, tags=tags, account_id=subscription_id,
                                  name=resource.rsplit("/", 1)[-1]))
    return result


def resource_type(resource_id: str) -> str:
    parts = resource_id.lower().split("/providers/")[-1].split("/")
    return _TYPES.get("/".join(parts[:2]), "other") if len(parts) >= 2 else "other"


def _add(totals: Totals, subscription_id: str, columns: list[str], rows: list[list], currency: str) -> None:
    at = {name: index for index, name in enumerate(columns)}
    cost_at = next((at[name] for name in _COST_COLUMNS if name in at), None)
    for row in rows:
        totals.rows += 1
        resource = str(row[at["ResourceId"]] or "").lower() if "ResourceId" in at else ""
        row_currency = str(row[at["Currency"]]) if "Currency" in at else currency
        if not resource:
            totals.rejected["cost without a resource id"] += 1
            continue
        if row_currency != currency:
            totals.rejected[f"cost in {row_currency}, not the organization's {currency}"] += 1
            continue
        try:
            cost = Decimal(str(row[cost_at])) if cost_at is not None else None
            day = _day(row[at["UsageDate"]])
        except (InvalidOperation, ValueError, KeyError, TypeError):
            cost = None
        if cost is None:
            totals.rejected["malformed cost or date"] += 1
            continue
        totals.costs[(subscription_id, resource, day)] += cost
        region = str(row[at["ResourceLocation"]] or "") if "ResourceLocation" in at else ""
        totals.facts[resource] = (region, tags(row[at["Tags"]]) if "Tags" in at else {})


def _day(value) -> date:
    """UsageDate arrives as a number 20250301 (or a string of it, or an ISO date)."""
    text = str(int(value)) if isinstance(value, (int, float)) else str(value)
    return date.fromisoformat(text[:10]) if "-" in text else date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def tags(value) -> dict[str, str]:
    """Cost Management's tag column: a list of '"key":"value"' strings (or a JSON object)."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    found = {}
    for item in value or []:
        try:
            found.update({str(k): str(v) for k, v in json.loads("{" + str(item) + "}").items()})
        except ValueError:
            continue
    return found
