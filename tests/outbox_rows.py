"""Reading the outbox in tests: which event went to which target, and what its message says."""

from __future__ import annotations

from core.events import Event, decode
from core.events.routing import MEMBER
from core.models import OutboxMessage


def event_of(row: OutboxMessage) -> Event:
    return decode(row.event_type, row.payload)


def target_of(row: OutboxMessage) -> str | int:
    """The channel id, or the member id (an int) of a member target."""
    return int(row.target_address) if row.target_kind == MEMBER else row.target_address


def params_of(row: OutboxMessage) -> dict[str, str]:
    """The catalog params of the row's message."""
    return event_of(row).notice()[1]


async def rows(**where: object) -> list[OutboxMessage]:
    return await OutboxMessage.filter(**where).order_by("id")


async def sent(**where: object) -> list[tuple[str, str | int]]:
    """(event type, target) of every row matching `where`, in order."""
    return [(row.event_type, target_of(row)) for row in await rows(**where)]


def to_member(member_id: int) -> dict[str, str]:
    """The filter for rows to one member."""
    return {"target_kind": MEMBER, "target_address": str(member_id)}
