"""Pool alerts as lists show them, with what the viewer may do: add alerts on the pools they manage, delete those
of the pools they manage (the alert services' rule, core.permissions)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from core.models import Alert
from core.queries.costs import pool_tree
from core.queries.viewer import viewer


@dataclass(frozen=True)
class AlertRow:
    id: int
    pool_id: int
    pool_name: str
    based_on: str
    threshold: Decimal
    threshold_type: str
    include_children: bool
    channels: tuple[str, ...]
    recipient_ids: tuple[int, ...]
    recipients: tuple[str, ...]
    can_delete: bool


@dataclass(frozen=True)
class AlertList:
    rows: tuple[AlertRow, ...]
    can_add: bool  # the viewer manages at least one pool


async def list_alerts(*, organization_id: int, member_id: int) -> AlertList:
    """The organization's alerts with their pool and targets, by pool name, in a fixed number of statements.

    Raises: NotFound (member).
    """
    who = await viewer(organization_id=organization_id, member_id=member_id)
    alerts = await Alert.filter(organization_id=organization_id).values(
        "id", "pool_id", "pool__name", "based_on", "threshold", "threshold_type", "include_children", "channels")
    recipients: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if alerts:
        for alert_id, member, name, email in await Alert.filter(id__in=[a["id"] for a in alerts]).filter(
                recipients__id__isnull=False).values_list("id", "recipients__id", "recipients__name",
                                                          "recipients__email"):
            recipients[alert_id].append((member, name or email))
    rows = [AlertRow(id=a["id"], pool_id=a["pool_id"], pool_name=a["pool__name"], based_on=str(a["based_on"].value),
                     threshold=a["threshold"], threshold_type=str(a["threshold_type"].value),
                     include_children=a["include_children"], channels=tuple(a["channels"] or ()),
                     recipient_ids=tuple(m for m, _ in sorted(recipients[a["id"]])),
                     recipients=tuple(label for _, label in sorted(recipients[a["id"]])),
                     can_delete=who.manages(a["pool_id"])) for a in alerts]
    return AlertList(rows=tuple(sorted(rows, key=lambda r: (r.pool_name.lower(), r.id))), can_add=bool(who.managed))


async def may_add_alerts(*, organization_id: int, member_id: int) -> bool:
    """Whether the member manages a pool to put an alert on. Raises: NotFound (member)."""
    return bool((await viewer(organization_id=organization_id, member_id=member_id)).managed)


async def alert_pools(*, organization_id: int, member_id: int, search: str = "") -> list[tuple[int, str]]:
    """(id, name) of the pools the member may put an alert on whose name contains `search`, in tree order.

    Raises: NotFound (member).
    """
    who = await viewer(organization_id=organization_id, member_id=member_id)
    text = (search or "").strip().lower()
    return [(row.id, row.name) for row in await pool_tree(organization_id=organization_id)
            if who.manages(row.id) and text in row.name.lower()]
