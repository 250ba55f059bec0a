"""The typed config an AWS adapter works from, parsed from its connection form (no SDK import here)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.adapters.aws.kinds import CUR2, LEGACY, LINKED, ROOT
from core.adapters.base import Credentials
from core.errors import InvalidInput

_ACCESS_KEY = re.compile(r"^[A-Z0-9]{16,128}$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_EXPORT_NAME = re.compile(r"^[0-9A-Za-z!\-_.*'()]{1,128}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
_ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class AwsConfig:
    """Keys, where the billing export lives, and the per-import context (currency, connected accounts)."""

    access_key_id: str
    secret_access_key: str
    root: bool
    export_type: str = CUR2
    bucket: str = ""
    prefix: str = ""
    export_name: str = ""
    regions: tuple[str, ...] = ()
    endpoint_url: str | None = None
    currency: str = "USD"
    connected_accounts: frozenset[str] = frozenset()


def parse(credentials: Credentials, *, root: bool) -> AwsConfig:
    """Typed config from stored values. Raises: InvalidInput (datasource_field_missing/_invalid)."""
    values = {**credentials.config, **credentials.secrets}
    form = {f.name: f for f in (ROOT if root else LINKED).fields}

    def get(name: str, pattern: re.Pattern | None = None) -> str:
        value = str(values.get(name) or form[name].default).strip()
        if form[name].required and not value:
            raise InvalidInput("datasource_field_missing", field=name, label=form[name].label)
        if value and pattern is not None and not pattern.match(value):
            raise InvalidInput("datasource_field_invalid", field=name, label=form[name].label, value=value)
        return value

    regions = tuple(r.strip() for r in get("regions").split(",") if r.strip())
    bad = next((r for r in regions if not _REGION.match(r)), None)
    if bad:
        raise InvalidInput("datasource_field_invalid", field="regions", label=form["regions"].label, value=bad)
    endpoint = get("endpoint_url", re.compile(r"^https?://\S+$")) or None
    accounts = frozenset(str(a) for a in values.get("connected_accounts", ()))
    if any(not _ACCOUNT.match(a) for a in accounts):
        raise InvalidInput("datasource_field_invalid", field="connected_accounts", value=", ".join(sorted(accounts)))
    common = dict(access_key_id=get("access_key_id", _ACCESS_KEY), secret_access_key=get("secret_access_key"),
                  regions=regions, endpoint_url=endpoint, currency=str(values.get("currency") or "USD"),
                  connected_accounts=accounts)
    if not root:
        return AwsConfig(root=False, **common)
    export_type = get("export_type")
    if export_type not in (CUR2, LEGACY):
        raise InvalidInput("datasource_field_invalid", field="export_type", label=form["export_type"].label,
                           value=export_type)
    return AwsConfig(root=True, export_type=export_type, bucket=get("bucket", _BUCKET),
                     prefix=get("prefix").strip("/"), export_name=get("export_name", _EXPORT_NAME), **common)
