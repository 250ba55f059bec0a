"""The Google Cloud connection form and the typed config an adapter works from (no SDK import here).

Labels and help texts follow the reference guide's Google Cloud connection page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from core.adapters.base import Capability, ConfigField, Credentials, KindInfo
from core.models.enums import DataSourceKind
from core.errors import InvalidInput

KIND = "gcp"
FIELDS = (
    ConfigField("service_account_key", "Service account key (JSON)",
                "IAM & Admin → Service accounts → the account (its role granting bigquery.jobs.create, "
                "bigquery.tables.getData, compute.instances.list, monitoring.timeSeries.list, ...) → Keys → Add key → "
                "Create new key → JSON: paste the downloaded file's content. Stored sealed and never shown again.",
                secret=True),
    ConfigField("billing_dataset", "Billing data dataset name",
                "BigQuery → the project with the billing export → the dataset named when the Cloud Billing export to "
                "BigQuery was set up."),
    ConfigField("billing_table", "Billing data table name",
                "The export's table in that dataset: gcp_billing_export_v1_… (Standard usage cost) or "
                "gcp_billing_export_resource_v1_… (Detailed usage cost, with a cost per resource)."),
    ConfigField("billing_project", "Billing data project ID",
                "The project holding the billing dataset; empty: the service account's own project.", required=False),
)
FORMS: dict[str, tuple[ConfigField, ...]] = {KIND: FIELDS}
_LABELS = {f.name: f.label for f in FIELDS}
_NAME = re.compile(r"^[A-Za-z0-9_]{1,1024}$")
_PROJECT = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[a-z0-9.-]+:[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_KEY_FIELDS = ("type", "project_id", "private_key", "client_email", "token_uri")


@dataclass(frozen=True)
class GcpConfig:
    key: dict  # the service-account key file's content
    dataset: str
    table: str
    project: str  # the billing data's project
    currency: str = "USD"

    @property
    def table_path(self) -> str:
        return f"{self.project}.{self.dataset}.{self.table}"


def parse(credentials: Credentials) -> GcpConfig:
    """Typed config from stored values. Raises: InvalidInput (a field missing or malformed, naming the field)."""
    values = {**credentials.config, **credentials.secrets}
    key = _key(str(values.get("service_account_key") or "").strip())
    dataset, table = (_name(values, n) for n in ("billing_dataset", "billing_table"))
    project = str(values.get("billing_project") or "").strip() or key["project_id"]
    if not _PROJECT.match(project):
        raise InvalidInput("datasource_field_invalid", field="billing_project", label=_LABELS["billing_project"],
                           value=project)
    return GcpConfig(key=key, dataset=dataset, table=table, project=project,
                     currency=str(values.get("currency") or "USD"))


def _key(text: str) -> dict:
    if not text:
        raise InvalidInput("datasource_field_missing", field="service_account_key",
                           label=_LABELS["service_account_key"])
    try:
        key = json.loads(text)
    except ValueError:
        raise InvalidInput("gcp_key_not_json", field="service_account_key") from None
    missing = [name for name in _KEY_FIELDS if not isinstance(key, dict) or not key.get(name)]
    if missing or key.get("type") != "service_account":
        raise InvalidInput("gcp_key_incomplete", field="service_account_key",
                           missing=", ".join(missing) or "type \"service_account\"")
    return key


def _name(values: dict, name: str) -> str:
    value = str(values.get(name) or "").strip()
    if not value:
        raise InvalidInput("datasource_field_missing", field=name, label=_LABELS[name])
    if not _NAME.match(value):
        raise InvalidInput("datasource_field_invalid", field=name, label=_LABELS[name], value=value)
    return value


KINDS = (KindInfo(kind=DataSourceKind.GCP, cloud="Google Cloud", label="Google Cloud",
                  help="A service account key and the BigQuery billing export of the billing account.",
                  capabilities=frozenset(Capability), fields=FIELDS, factory="core.adapters.gcp.adapter:build"),)
