"""The Azure connection forms and the typed config an adapter works from (no SDK import here).

Labels and help texts follow the reference guide's Azure connection pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.adapters.base import Capability, ConfigField, Credentials, KindInfo
from core.models.enums import DataSourceKind
from core.errors import InvalidInput

SUBSCRIPTION, TENANT = "azure_subscription", "azure_tenant"

_SUBSCRIPTION_ID = ConfigField(
    "subscription_id", "Subscription ID",
    "Azure Portal → search for Subscriptions: the list shows the subscription ID of each one.")
_CLIENT_ID = ConfigField(
    "client_id", "Application (client) ID",
    "Microsoft Entra ID → App registrations → + New registration (e.g. Cloudtuner) → Register: the new "
    "application's ID. Then give it the Reader role on each subscription: Subscriptions → the subscription → "
    "Access control (IAM) → Role assignments → + Add role assignment → Reader → the application.")
_TENANT_ID = ConfigField(
    "tenant_id", "Directory (tenant) ID",
    "Home → App registrations → the application → Overview → Directory (tenant) ID.")
_SECRET = ConfigField(
    "client_secret", "Secret",
    "App registrations → the application → Certificates & secrets → + New client secret. Its value is hidden "
    "shortly after creation: copy it then. Stored sealed and never shown again.", secret=True)
FORMS: dict[str, tuple[ConfigField, ...]] = {
    SUBSCRIPTION: (_SUBSCRIPTION_ID, _CLIENT_ID, _TENANT_ID, _SECRET),
    TENANT: (_CLIENT_ID, _TENANT_ID, _SECRET),
}
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class AzureConfig:
    """Who signs in (an app registration of a tenant) and which subscription, or all it can read."""

    tenant_id: str
    client_id: str
    client_secret: str
    subscription_id: str = ""  # empty: a tenant data source, every subscription the app can read
    currency: str = "USD"


def parse(credentials: Credentials, *, tenant: bool) -> AzureConfig:
    """Typed config from stored values. Raises: InvalidInput (datasource_field_missing/_invalid, naming the field)."""
    values = {**credentials.config, **credentials.secrets}

    def get(spec: ConfigField, pattern: re.Pattern | None = None) -> str:
        value = str(values.get(spec.name) or "").strip()
        if not value:
            raise InvalidInput("datasource_field_missing", field=spec.name, label=spec.label)
        if pattern is not None and not pattern.match(value):
            raise InvalidInput("datasource_field_invalid", field=spec.name, label=spec.label, value=value)
        return value.lower() if pattern is _GUID else value

    return AzureConfig(tenant_id=get(_TENANT_ID, _GUID), client_id=get(_CLIENT_ID, _GUID),
                       client_secret=get(_SECRET), subscription_id="" if tenant else get(_SUBSCRIPTION_ID, _GUID),
                       currency=str(values.get("currency") or "USD"))


KINDS = (
    KindInfo(kind=DataSourceKind.AZURE_SUBSCRIPTION, cloud="Azure", label="Azure subscription",
             help="One subscription, read by an app registration with the Reader role on it.",
             capabilities=frozenset(Capability), fields=FORMS[SUBSCRIPTION],
             factory="core.adapters.azure.adapter:build_subscription"),
    KindInfo(kind=DataSourceKind.AZURE_TENANT, cloud="Azure", label="Azure tenant",
             help="Every subscription the app registration can see, each imported as its own account.",
             capabilities=frozenset(Capability), fields=FORMS[TENANT], factory="core.adapters.azure.adapter:build_tenant"),
)
