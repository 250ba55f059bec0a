"""The outbox's backlog: how many messages wait per target kind, and since when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count, Min

from core.models import OutboxMessage


@dataclass(frozen=True)
class Backlog:
    target_kind: str
    pending: int
    oldest: datetime


async def outbox_backlog() -> list[Backlog]:
    """Per target kind with messages not yet delivered or given up: their number and the oldest one's creation, in
    one grouped query."""
    rows = await (OutboxMessage.filter(state="pending").annotate(pending=Count("id"), oldest=Min("created_at"))
                  .group_by("target_kind").order_by("target_kind").values_list("target_kind", "pending", "oldest"))
    return [Backlog(kind, pending, _moment(oldest)) for kind, pending, oldest in rows]


def _moment(value: datetime | str) -> datetime:
    """SQLite hands an aggregated datetime back as its stored text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
