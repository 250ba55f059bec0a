"""Shared environments as lists and pages show them: status, current and next booking, what the viewer may do.

Each read is a fixed number of statements whatever the number of environments: the page and its count in
SQL, then the open bookings of the environments on the page only, all as plain rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from tortoise.expressions import Q

from core.clock import utcnow
from core.errors import NotFound
from core.models import Booking, SharedEnvironment, WaitlistEntry
from core.permissions import may_change_booking, may_delete_booking
from core.queries.paging import Page
from core.queries.viewer import Viewer, viewer
from core.rules import bookings as rules
from core.rules.bookings import EnvStatus

_ENV_FIELDS = ("id", "name", "resource_type", "pool_id", "pool__name", "active")
_BOOKING_FIELDS = ("id", "environment_id", "member_id", "member__name", "member__email", "starts_at", "ends_at",
                   "note")


@dataclass(frozen=True)
class BookingRow:
    id: int
    environment_id: int
    member_id: int
    person: str
    starts_at: datetime
    ends_at: datetime | None
    note: str
    can_release: bool
    can_extend: bool
    can_delete: bool


@dataclass(frozen=True)
class EnvironmentRow:
    id: int
    name: str
    resource_type: str
    pool_id: int
    pool_name: str
    active: bool
    status: EnvStatus
    current: BookingRow | None
    next: BookingRow | None
    can_book: bool  # book it for oneself
    can_manage: bool  # edit, (de)activate, delete it, book it for someone else


@dataclass(frozen=True)
class EnvironmentDetail(EnvironmentRow):
    description: str = ""
    properties: tuple[tuple[str, str], ...] = ()
    max_booking_minutes: int | None = None
    upcoming: tuple[BookingRow, ...] = ()  # open bookings after the current one, earliest first
    waiting: int = 0  # open waitlist entries


async def list_environments(*, organization_id: int, member_id: int, filter_text: str = "", offset: int = 0,
                            limit: int = 15, now: datetime | None = None) -> Page[EnvironmentRow]:
    """The organization's environments by name (optionally those whose name, description, type or pool contains
    the text), `limit` from `offset` on.

    Raises: NotFound (member).
    """
    now = now or utcnow()
    who = await viewer(organization_id=organization_id, member_id=member_id)
    query = SharedEnvironment.filter(organization_id=organization_id)
    text = (filter_text or "").strip()
    if text:
        query = query.filter(Q(name__icontains=text) | Q(description__icontains=text)
                             | Q(resource_type__icontains=text) | Q(pool__name__icontains=text))
    total = await query.count()
    envs = await query.order_by("name", "id").offset(max(offset, 0)).limit(max(limit, 0)).values(*_ENV_FIELDS)
    return Page(rows=tuple(await _rows(envs, who, now)), total=total, offset=offset)


async def booked_by_member(*, organization_id: int, member_id: int,
                           now: datetime | None = None) -> list[EnvironmentRow]:
    """The environments whose current or next booking is the member's, by name.

    Raises: NotFound (member).
    """
    now = now or utcnow()
    who = await viewer(organization_id=organization_id, member_id=member_id)
    ids = await _open(Booking.filter(member_id=member_id, environment__organization_id=organization_id), now
                      ).distinct().values_list("environment_id", flat=True)
    if not ids:
        return []
    envs = await SharedEnvironment.filter(id__in=list(ids)).order_by("name", "id").values(*_ENV_FIELDS)
    return [row for row in await _rows(envs, who, now)
            if member_id in {b.member_id for b in (row.current, row.next) if b is not None}]


async def environment_detail(*, organization_id: int, environment_id: int, member_id: int, upcoming: int = 20,
                             now: datetime | None = None) -> EnvironmentDetail:
    """One environment with its current booking, the next `upcoming` ones and how many wait for it.

    Raises: NotFound (member, environment).
    """
    now = now or utcnow()
    who = await viewer(organization_id=organization_id, member_id=member_id)
    found = await (SharedEnvironment.filter(id=environment_id, organization_id=organization_id)
                   .values(*_ENV_FIELDS, "description", "properties", "max_booking_minutes"))
    if not found:
        raise NotFound("environment_not_found", environment_id=environment_id)
    env = found[0]
    bookings = [_booking(b, who, env, now) for b in await _open(Booking.filter(environment_id=env["id"]), now)
                .order_by("starts_at", "id").limit(upcoming + 1).values(*_BOOKING_FIELDS)]
    row = _row(env, bookings, who, now)
    waiting = await WaitlistEntry.filter(environment_id=env["id"], done_at=None).count()
    return EnvironmentDetail(**vars(row), description=env["description"],
                             properties=tuple(sorted((env["properties"] or {}).items())),
                             max_booking_minutes=env["max_booking_minutes"], waiting=waiting,
                             upcoming=tuple(b for b in bookings if b.starts_at > now)[:upcoming])


async def _rows(envs: list[dict], who: Viewer, now: datetime) -> list[EnvironmentRow]:
    """Rows of the environments given as values, with their open bookings read in one statement."""
    by_env: dict[int, list[dict]] = {env["id"]: [] for env in envs}
    if by_env:
        for booking in await _open(Booking.filter(environment_id__in=list(by_env)), now).order_by(
                "starts_at", "id").values(*_BOOKING_FIELDS):
            by_env[booking["environment_id"]].append(booking)
    return [_row(env, [_booking(b, who, env, now) for b in by_env[env["id"]]], who, now) for env in envs]


def _open(query, now: datetime):
    """Bookings not ended at `now`."""
    return query.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def _row(env: dict, bookings: list[BookingRow], who: Viewer, now: datetime) -> EnvironmentRow:
    current, next_one = rules.current_and_next(bookings, now)
    return EnvironmentRow(id=env["id"], name=env["name"], resource_type=env["resource_type"], pool_id=env["pool_id"],
                          pool_name=env["pool__name"], active=env["active"], status=rules.status(env["active"], current),
                          current=current, next=next_one, can_book=env["active"],
                          can_manage=who.manages(env["pool_id"]))


def _booking(values: dict, who: Viewer, env: dict, now: datetime) -> BookingRow:
    span = _Span(values["starts_at"], values["ends_at"])
    holder, manager = values["member_id"] == who.member_id, who.manages(env["pool_id"])
    may_change = may_change_booking(holder=holder, manager=manager)
    started, ended = rules.has_started(span, now), rules.has_ended(span, now)
    return BookingRow(id=values["id"], environment_id=values["environment_id"], member_id=values["member_id"],
                      person=values["member__name"] or values["member__email"], starts_at=span.starts_at,
                      ends_at=span.ends_at, note=values["note"],
                      can_release=may_change and started and not ended,
                      can_extend=may_change and not ended and span.ends_at is not None and env["active"],
                      can_delete=may_delete_booking(holder=holder, manager=manager, started=started))


class _Span(NamedTuple):
    starts_at: datetime
    ends_at: datetime | None
