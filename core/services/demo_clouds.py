"""How each cloud names things in the sample organization, so its data sources and resources look like real ones:
AWS instance ids, Azure resource ids under a subscription, Google Cloud resource names under a project."""

from __future__ import annotations

import hashlib

from core.models import DataSourceKind

AWS_ACCOUNT = "123456789012"
AZURE_TENANT = "5f0c2a4e-8d1b-4c3a-9e7f-2b6d1a0c9e11"
AZURE_SUBSCRIPTION = "7a3e9c12-4b5d-4f6a-8c9e-0d1f2a3b4c5d"
GCP_PROJECT = "demo-analytics-prod"

_AWS_PREFIX = {"instance": "i-0", "volume": "vol-0", "snapshot": "snap-0", "ip_address": "eipalloc-0"}
_AZURE_PROVIDER = {"instance": "Microsoft.Compute/virtualMachines", "volume": "Microsoft.Compute/disks"}
_GCP_PATH = {"instance": "compute.googleapis.com/projects/{p}/zones/{r}-b/instances/{n}",
             "bucket": "storage.googleapis.com/projects/_/buckets/{n}",
             "k8s_cluster": "container.googleapis.com/projects/{p}/locations/{r}/clusters/{n}"}


def config(kind: DataSourceKind) -> dict:
    """What a connected data source of the kind keeps (no secrets: the sample has none)."""
    if kind == DataSourceKind.AZURE_SUBSCRIPTION:
        return {"subscription_id": AZURE_SUBSCRIPTION, "tenant_id": AZURE_TENANT,
                "client_id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "account_id": AZURE_SUBSCRIPTION, "sample": True}
    if kind == DataSourceKind.GCP:
        return {"billing_project": GCP_PROJECT, "billing_dataset": "billing_export",
                "billing_table": "gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9", "account_id": GCP_PROJECT,
                "sample": True}
    return {"export_type": "cur2", "bucket": "demo-billing-exports", "prefix": "cur", "export_name": "daily",
            "account_id": AWS_ACCOUNT, "sample": True}


def resource_id(kind: DataSourceKind, resource_type: str, name: str, region: str) -> str:
    """The id the cloud itself would give the resource."""
    if kind == DataSourceKind.AZURE_SUBSCRIPTION:
        group = f"{name.split('-')[0]}-rg"
        provider = _AZURE_PROVIDER.get(resource_type, "Microsoft.Resources/resources")
        return f"/subscriptions/{AZURE_SUBSCRIPTION}/resourcegroups/{group}/providers/{provider}/{name}".lower()
    if kind == DataSourceKind.GCP:
        return "//" + _GCP_PATH[resource_type].format(p=GCP_PROJECT, r=region, n=name)
    if resource_type == "bucket":
        return f"demo-{name}"
    return _AWS_PREFIX[resource_type] + hashlib.sha1(name.encode()).hexdigest()[:16]


def details(kind: DataSourceKind, resource_type: str, region: str, active: bool) -> dict:
    """What discovery would have kept for the resource."""
    if resource_type != "instance":
        return {}
    if kind == DataSourceKind.AZURE_SUBSCRIPTION:
        return {"subscription_id": AZURE_SUBSCRIPTION, "state": "running" if active else "deallocated",
                "size": "Standard_D2s_v5"}
    if kind == DataSourceKind.GCP:
        return {"project": GCP_PROJECT, "zone": f"{region}-b", "status": "RUNNING" if active else "TERMINATED",
                "machine_type": "e2-standard-4"}
    return {"state": "running" if active else "stopped", "instance_type": "t3.large"}
