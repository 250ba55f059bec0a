"""Cloud Billing export tables in BigQuery's real schemas (Standard and Detailed usage cost) and rows for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from google.cloud.bigquery import SchemaField as F

_KV = (F("key", "STRING"), F("value", "STRING"))
STANDARD = [
    F("billing_account_id", "STRING"),
    F("service", "RECORD", fields=(F("id", "STRING"), F("description", "STRING"))),
    F("sku", "RECORD", fields=(F("id", "STRING"), F("description", "STRING"))),
    F("usage_start_time", "TIMESTAMP"), F("usage_end_time", "TIMESTAMP"),
    F("project", "RECORD", fields=(F("id", "STRING"), F("number", "STRING"), F("name", "STRING"),
                                   F("labels", "RECORD", mode="REPEATED", fields=_KV),
                                   F("ancestry_numbers", "STRING"))),
    F("labels", "RECORD", mode="REPEATED", fields=_KV),
    F("system_labels", "RECORD", mode="REPEATED", fields=_KV),
    F("location", "RECORD", fields=(F("location", "STRING"), F("country", "STRING"), F("region", "STRING"),
                                    F("zone", "STRING"))),
    F("export_time", "TIMESTAMP"),
    F("cost", "FLOAT"), F("currency", "STRING"), F("currency_conversion_rate", "FLOAT"),
    F("usage", "RECORD", fields=(F("amount", "FLOAT"), F("unit", "STRING"), F("amount_in_pricing_units", "FLOAT"),
                                 F("pricing_unit", "STRING"))),
    F("credits", "RECORD", mode="REPEATED", fields=(F("name", "STRING"), F("amount", "FLOAT"), F("full_name", "STRING"),
                                                     F("id", "STRING"), F("type", "STRING"))),
    F("invoice", "RECORD", fields=(F("month", "STRING"),)),
    F("cost_type", "STRING"),
    F("cost_at_list", "FLOAT"),
    F("transaction_type", "STRING"),
]
DETAILED = STANDARD + [
    F("resource", "RECORD", fields=(F("name", "STRING"), F("global_name", "STRING"))),
    F("price", "RECORD", fields=(F("effective_price", "FLOAT"), F("tier_start_amount", "FLOAT"), F("unit", "STRING"),
                                 F("pricing_unit_quantity", "FLOAT"))),
]
SERVICES = {"Compute Engine": "6F81-5844-456A", "Cloud Storage": "95FF-2EF5-5EA1"}


@dataclass
class Line:
    """One export row: an hour of one SKU of one resource."""

    project: str
    start: datetime
    cost: float
    service: str = "Compute Engine"
    resource_name: str = ""
    global_name: str = ""
    region: str = "europe-west1"
    labels: dict[str, str] = field(default_factory=dict)
    credits: list[float] = field(default_factory=list)
    currency: str = "USD"

    def row(self, detailed: bool) -> dict:
        start = self.start
        row = {"billing_account_id": "01A2B3-C4D5E6-F7A8B9",
               "service": {"id": SERVICES.get(self.service, "0000"), "description": self.service},
               "sku": {"id": "CP-E2-CORE", "description": "E2 Instance Core running in Belgium"},
               "usage_start_time": start.isoformat(), "usage_end_time": (start + timedelta(hours=1)).isoformat(),
               "project": {"id": self.project, "number": "123456789012", "name": self.project, "labels": [],
                           "ancestry_numbers": "/123/"},
               "labels": [{"key": k, "value": v} for k, v in self.labels.items()],
               "system_labels": [{"key": "compute.googleapis.com/machine_spec", "value": "e2-standard-2"}],
               "location": {"location": self.region, "country": "BE", "region": self.region,
                            "zone": f"{self.region}-b"},
               "export_time": (start + timedelta(hours=5)).isoformat(),
               "cost": self.cost, "currency": self.currency, "currency_conversion_rate": 1.0,
               "usage": {"amount": 3600.0, "unit": "seconds", "amount_in_pricing_units": 1.0,
                         "pricing_unit": "hour"},
               "credits": [{"name": "Sustained usage discount", "amount": c, "full_name": "", "id": "SUD",
                            "type": "SUSTAINED_USAGE_DISCOUNT"} for c in self.credits],
               "invoice": {"month": f"{start:%Y%m}"}, "cost_type": "regular", "cost_at_list": self.cost,
               "transaction_type": "GOOGLE"}
        if detailed:
            row["resource"] = {"name": self.resource_name or None, "global_name": self.global_name or None}
            row["price"] = {"effective_price": self.cost, "tier_start_amount": 0.0, "unit": "hour",
                            "pricing_unit_quantity": 1.0}
        return row
