"""Daily cost per resource from the Cloud Billing export in BigQuery: one parameterised query per import range,
summed in BigQuery (credits subtracted), labels kept as tags, project and region kept.

Both export kinds work: the Detailed one (`gcp_billing_export_resource_v1_…`) has a cost per resource; the
Standard one (`gcp_billing_export_v1_…`) only per service, so each project's service becomes one resource and
the import says the per-resource column is absent.
"""

from __future__ import annotations

import json
from datetime import date

from google.api_core import exceptions as gexc
from google.cloud import bigquery

from core.adapters.base import BillingBatch, ExpenseLine
from core.adapters.gcp.form import GcpConfig
from core.errors import InvalidInput, NotFound
from core.money import stored  # BigQuery sums FLOAT64 costs; storage keeps 6 decimals

REQUIRED = ("cost", "usage_start_time", "project", "currency", "service")
STANDARD_NOTE = "resource.global_name (a Standard export: costs per project and service, not per resource)"
_PER_SERVICE = "CONCAT('//', project.id, '/', service.description)"
_SQL = """
SELECT
  {resource} AS resource_id,
  {name} AS name,
  project.id AS project,
  IFNULL(location.region, '') AS region,
  service.description AS service,
  DATE(usage_start_time) AS day,
  currency,
  SUM(cost) + SUM(IFNULL((SELECT SUM(c.amount) FROM UNNEST(credits) AS c), 0)) AS cost,
  COUNT(*) AS items,
  ANY_VALUE(TO_JSON_STRING(labels)) AS labels
FROM `{table}`
WHERE usage_start_time >= TIMESTAMP(@first_day) AND usage_start_time < TIMESTAMP(DATE_ADD(@last_day, INTERVAL 1 DAY))
GROUP BY resource_id, name, project, region, service, day, currency
"""
_TYPES = {"Compute Engine": "instance", "Cloud Storage": "bucket", "Kubernetes Engine": "k8s_cluster"}


def columns(client: bigquery.Client, config: GcpConfig) -> set[str]:
    """The export table's top-level columns. Raises: NotFound (dataset, table), InvalidInput (not an export)."""
    try:
        names = {f.name for f in client.get_table(config.table_path).schema}
    except gexc.NotFound:
        client.get_dataset(f"{config.project}.{config.dataset}")  # a missing dataset raises its own NotFound
        raise
    missing = next((c for c in REQUIRED if c not in names), None)
    if missing:
        raise InvalidInput("gcp_table_not_billing_export", field="billing_table", table=config.table_path,
                           column=missing)
    return names


def sql(config: GcpConfig, names: set[str]) -> str:
    detailed = "resource" in names
    resource = f"IFNULL(resource.global_name, {_PER_SERVICE})" if detailed else _PER_SERVICE
    name = "IFNULL(resource.name, service.description)" if detailed else "service.description"
    return _SQL.format(resource=resource, name=name, table=config.table_path)


def job_config(first: date, last: date, *, dry_run: bool = False) -> bigquery.QueryJobConfig:
    return bigquery.QueryJobConfig(dry_run=dry_run, use_query_cache=not dry_run, query_parameters=[
        bigquery.ScalarQueryParameter("first_day", "DATE", first),
        bigquery.ScalarQueryParameter("last_day", "DATE", last)])


def read(client: bigquery.Client, config: GcpConfig, first: date, last: date) -> BillingBatch:
    """Blocking; run it off the loop. Raises: NotFound (dataset, table, no rows for the range), InvalidInput
    (not an export, another currency than the organization's, permissions)."""
    names = columns(client, config)
    rows = list(client.query(sql(config, names), job_config=job_config(first, last)).result())
    if not rows:
        raise NotFound("gcp_billing_no_rows", field="billing_table", table=config.table_path, start=first, end=last)
    currencies = {row["currency"] for row in rows}
    if currencies != {config.currency}:
        other = sorted(currencies - {config.currency})[0]
        raise InvalidInput("gcp_currency_mismatch", field="billing_table", table=config.table_path, currency=other,
                           expected=config.currency)
    lines = [ExpenseLine(cloud_resource_id=row["resource_id"], day=row["day"], cost=stored(row["cost"]),
                         resource_type=_TYPES.get(row["service"], "other"), region=row["region"],
                         tags=_labels(json.loads(row["labels"] or "[]")), account_id=row["project"],
                         name=row["name"] or "") for row in rows]
    return BillingBatch(lines=lines, items_read=sum(row["items"] for row in rows), currency=config.currency,
                        covered=[(first, last)], missing_columns=[] if "resource" in names else [STANDARD_NOTE])


def _labels(items) -> dict[str, str]:
    return {str(item["key"]): str(item["value"]) for item in items or [] if isinstance(item, dict) and "key" in item}
