"""The `envs` list and one environment's details with its bookings and waitlist."""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.views.common import Message
from bot.views.envs import env_detail, env_list
from core.models import Member
from core.queries.environments import environment_detail, list_environments

PAGE = 15
UPCOMING_SHOWN = 20


async def envs_page(member: Member, *, console: Console, filter_text: str = "", offset: int = 0,
                    now: datetime | None = None) -> Message:
    """Environments of the member's organization by name, optionally filtered, PAGE at a time."""
    page = await list_environments(organization_id=member.organization_id, member_id=member.id,
                                   filter_text=filter_text, offset=offset, limit=PAGE, now=now)
    return env_list(page, filter_text=filter_text, console=console)


async def env_page(member: Member, environment_id: int, *, console: Console, notice: str = "",
                   now: datetime | None = None) -> Message:
    """One environment. Raises: NotFound."""
    detail = await environment_detail(organization_id=member.organization_id, environment_id=environment_id,
                                      member_id=member.id, upcoming=UPCOMING_SHOWN, now=now)
    return env_detail(detail, console=console, notice=notice)
