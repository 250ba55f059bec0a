"""The organization's cloud data sources as lists show them (never their secrets); for org managers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.errors import NotFound
from core.models import DataSource
from core.permissions import load_actor, require_org_manager

ACCOUNT_ID = "account_id"  # config key holding the cloud account the keys belong to


@dataclass(frozen=True)
class DataSourceRow:
    id: int
    name: str
    kind: str
    account_id: str
    pool_id: int
    pool_name: str
    last_import_at: datetime | None
    last_import_status: str


async def list_data_sources(*, organization_id: int, member_id: int) -> list[DataSourceRow]:
    """The organization's data sources by name, with their last import status.

    Raises: NotFound (member), PermissionDenied (not an org manager).
    """
    actor = await load_actor(member_id)
    if actor.organization_id != organization_id:
        raise NotFound("member_not_found", member_id=member_id)
    require_org_manager(actor)
    found = await DataSource.filter(organization_id=organization_id).order_by("name", "id").values(
        "id", "name", "kind", "config", "pool_id", "pool__name", "last_import_at", "last_import_status")
    return [DataSourceRow(id=s["id"], name=s["name"], kind=str(s["kind"].value),
                          account_id=str((s["config"] or {}).get(ACCOUNT_ID, "")), pool_id=s["pool_id"],
                          pool_name=s["pool__name"], last_import_at=s["last_import_at"],
                          last_import_status=s["last_import_status"]) for s in found]
