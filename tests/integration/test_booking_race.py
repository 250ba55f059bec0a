"""Concurrent bookings of one environment: exactly one of many overlapping requests wins."""

import asyncio
from datetime import timedelta

import pytest
from tortoise.exceptions import IntegrityError

from core.errors import Conflict
from core.models import Booking
from core.rules.bookings import is_overlap_violation
from core.services import bookings as svc
from tests.worlds.environments import NOW, World, make_world

M = timedelta(minutes=1)
CALLS = 10


@pytest.fixture
async def w(db) -> World:
    return await make_world()


def _skip_unless_postgres(db: str) -> None:
    if not db.startswith("postgres"):
        pytest.skip("only PostgreSQL has the booking_no_overlap exclusion constraint")


async def _race(w: World) -> list:
    """CALLS pairwise-overlapping bookings at once, each in its own transaction."""
    people = (w.holder, w.eng)
    calls = [svc.create_booking(actor_id=people[i % 2].id, environment_id=w.env.id, starts_at=NOW + i * M,
                                ends_at=NOW + 60 * M + i * M, now=NOW) for i in range(CALLS)]
    return await asyncio.gather(*calls, return_exceptions=True)


def _assert_one_winner(results: list) -> Booking:
    winners = [r for r in results if isinstance(r, Booking)]
    losers = [r for r in results if not isinstance(r, Booking)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) and r.code == "booking_overlaps" for r in losers), losers
    return winners[0]


async def test_concurrent_overlapping_bookings_one_wins(w, db):
    winner = _assert_one_winner(await _race(w))
    assert await Booking.all().values_list("id", flat=True) == [winner.id]


async def test_database_alone_refuses_the_race_on_postgres(w, db, monkeypatch):
    """With the in-transaction check switched off, the exclusion constraint still lets one through."""
    _skip_unless_postgres(db)

    async def no_check(*args) -> None:
        return None

    monkeypatch.setattr(svc, "refuse_overlap", no_check)
    results = await _race(w)
    _assert_one_winner(results)
    assert await Booking.all().count() == 1
    assert all(r.params["person"] == "someone else" for r in results if isinstance(r, Conflict))


async def test_direct_overlapping_insert_is_refused_by_postgres(w, db):
    _skip_unless_postgres(db)
    await Booking.create(environment=w.env, member=w.holder, created_by=w.holder, starts_at=NOW, ends_at=None)
    with pytest.raises(IntegrityError) as err:
        await Booking.create(environment=w.env, member=w.eng, created_by=w.eng,
                             starts_at=NOW + 100 * M, ends_at=NOW + 200 * M)
    assert is_overlap_violation(err.value)
    await Booking.create(environment=w.env, member=w.eng, created_by=w.eng, starts_at=NOW - 60 * M, ends_at=NOW)
    assert await Booking.all().count() == 2
