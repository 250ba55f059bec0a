"""Power schedules as lists show them, with how many resources each drives, paged and counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count

from core.models import PowerSchedule, Resource
from core.queries.paging import Page


@dataclass(frozen=True)
class ScheduleRow:
    id: int
    name: str
    timezone: str
    mode: str
    enabled: bool
    periods: tuple[dict, ...]
    resources: int


async def list_schedules(*, organization_id: int, offset: int = 0, limit: int = 50) -> Page[ScheduleRow]:
    """The organization's schedules by name, `limit` from `offset`, in three statements whatever their number."""
    query = PowerSchedule.filter(organization_id=organization_id)
    found = await query.order_by("name", "id").offset(max(offset, 0)).limit(max(limit, 0)).values(
        "id", "name", "timezone", "mode", "enabled", "periods")
    counts = dict(await Resource.filter(power_schedule_id__in=[s["id"] for s in found]).annotate(
        n=Count("id")).group_by("power_schedule_id").values_list("power_schedule_id", "n")) if found else {}
    rows = tuple(ScheduleRow(id=s["id"], name=s["name"], timezone=s["timezone"], mode=str(s["mode"].value),
                             enabled=s["enabled"], periods=tuple(s["periods"] or ()), resources=counts.get(s["id"], 0))
                 for s in found)
    return Page(rows=rows, total=await query.count(), offset=offset)
