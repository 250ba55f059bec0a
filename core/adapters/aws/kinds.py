"""The AWS data source kinds as data: what each can do and its connection form (no SDK import here).

Labels and help texts follow the reference guide's AWS connection page, so a form reads as its steps do.
"""

from __future__ import annotations

from core.adapters.base import Capability, ConfigField, KindInfo
from core.models.enums import DataSourceKind

CLOUD = "AWS"
CUR2, LEGACY = "cur2", "legacy"

_KEYS = (
    ConfigField("access_key_id", "AWS access key ID",
                "The access key of the IAM user Cloudtuner reads with (Identity and Access Management → Users → "
                "the user → Create access key)."),
    ConfigField("secret_access_key", "AWS secret access key",
                "Shown once when the access key is created (or in its downloaded .csv file); stored sealed and "
                "never shown again.", secret=True),
)
_ADVANCED = (
    ConfigField("regions", "Regions (comma-separated; empty = all enabled)",
                "Discover only these regions, e.g. eu-west-1,us-east-1; empty: every region enabled for the "
                "account.", required=False),
    ConfigField("endpoint_url", "Endpoint URL (AWS-compatible API)",
                "Only for an AWS-compatible API or a local test server; leave empty for AWS itself.",
                required=False),
)
_EXPORT = (
    ConfigField("export_type", "Export type",
                "AWS Billing and Cost Management → Data Exports → the export → Export type: "
                "\"cur2\" for a Standard data export (CUR 2.0), \"legacy\" for a Legacy CUR export.",
                choices=(CUR2, LEGACY), default=CUR2),
    ConfigField("bucket", "Export S3 bucket name",
                "AWS Billing and Cost Management → Data Exports table → S3 bucket."),
    ConfigField("prefix", "Export path prefix",
                "Data Exports → the export → Edit → Data export storage settings → S3 destination: the folders "
                "before the export name, without \"/\" at either end; empty when the export is at the top.",
                required=False),
    ConfigField("export_name", "Export name", "AWS Billing and Cost Management → Data Exports table → Export name."),
)
_ALL = frozenset(Capability)

ROOT = KindInfo(
    kind=DataSourceKind.AWS_ROOT, cloud=CLOUD, label="AWS root account (payer)",
    help="The account that pays: its keys and the billing data export in S3, which also carries the costs of "
         "its linked accounts once they are connected (unconnected linked accounts' costs are ignored).",
    capabilities=_ALL, fields=_KEYS + _EXPORT + _ADVANCED, factory="core.adapters.aws.adapter:build_root")
LINKED = KindInfo(
    kind=DataSourceKind.AWS_LINKED, cloud=CLOUD, label="AWS linked account",
    help="An account of the root account's AWS Organization: keys only. Its billing arrives through the root "
         "account's export, so connect the root account too.",
    capabilities=_ALL - {Capability.BILLING}, fields=_KEYS + _ADVANCED,
    factory="core.adapters.aws.adapter:build_linked")
KINDS = (ROOT, LINKED)
