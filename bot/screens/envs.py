"""The `envs` list and one environment's details with its bookings and waitlist."""

from __future__ import annotations

from datetime import datetime

from bot.links import Console
from bot.views.common import Message
from bot.views.envs import BookingLine, EnvCard, env_detail, env_list
from core.models import Booking, Member
from core.services.environments import EnvironmentView, environment_detail, list_environments

PAGE = 15
UPCOMING_SHOWN = 20


def booking_line(booking: Booking | None) -> BookingLine | None:
    if booking is None:
        return None
    return BookingLine(booking.id, booking.member.label, booking.starts_at, booking.ends_at, booking.note)


def env_card(view: EnvironmentView, **extra: object) -> EnvCard:
    env = view.environment
    return EnvCard(id=env.id, name=env.name, resource_type=env.resource_type, pool=env.pool.name, status=view.status,
                   current=booking_line(view.current), next=booking_line(view.next), **extra)


async def envs_page(member: Member, *, console: Console, filter_text: str = "", offset: int = 0,
                    now: datetime | None = None) -> Message:
    """Environments of the member's organization by name, optionally filtered, PAGE at a time."""
    views = await list_environments(member.organization_id, now=now, filter_text=filter_text)
    cards = [env_card(view) for view in views[offset:offset + PAGE]]
    return env_list(cards, filter_text=filter_text, offset=offset, has_more=len(views) > offset + PAGE,
                    console=console)


async def env_page(member: Member, environment_id: int, *, console: Console, notice: str = "",
                   now: datetime | None = None) -> Message:
    """One environment. Raises: NotFound."""
    detail = await environment_detail(member.organization_id, environment_id, now=now)
    env = detail.environment
    card = env_card(detail, description=env.description, properties=tuple(sorted(env.properties.items())),
                    upcoming=tuple(booking_line(b) for b in detail.upcoming[:UPCOMING_SHOWN]),
                    waiting=len(detail.waitlist))
    return env_detail(card, console=console, notice=notice)
