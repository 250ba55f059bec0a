"""A data source's failed import, told to the org managers once per run of failures (not every hour)."""

from __future__ import annotations

from datetime import datetime, timezone

from core.clock import utcnow
from core.events import ImportFailed
from core.events.record import record
from core.models import DataSource


async def record_import_failure(*, data_source_id: int, detail: str, was_failing: bool,
                                last_import_at: datetime | None, now: datetime | None = None) -> int:
    """Record the failed import as an event unless the source was failing already; 1 when recorded."""
    now = now or utcnow()
    source = await DataSource.get_or_none(id=data_source_id)
    if source is None or was_failing:
        return 0
    since = last_import_at.astimezone(timezone.utc).isoformat() if last_import_at else "never"
    return await record(ImportFailed(source.id, source.name, detail.rstrip(".")),
                        organization_id=source.organization_id, now=now, key=f"import_failed:{source.id}:{since}")
