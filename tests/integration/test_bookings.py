from datetime import datetime, timedelta

import pytest

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import Booking, SharedEnvironment
from core.services import bookings as svc
from tests.worlds.environments import NOW, World, make_world, other_org_member

H = timedelta(hours=1)
M = timedelta(minutes=1)
MANAGERS = ("team_manager", "boss")
NON_MANAGERS = ("eng", "other_manager")


@pytest.fixture
async def w(db) -> World:
    return await make_world()


async def _rows() -> list[tuple]:
    return await Booking.all().order_by("id").values_list("environment_id", "member_id", "starts_at", "ends_at", "note")


async def _book(w: World, start: datetime, end: datetime | None, actor: str = "holder", **kwargs) -> Booking:
    return await svc.create_booking(actor_id=getattr(w, actor).id, environment_id=w.env.id,
                                    starts_at=start, ends_at=end, now=NOW, **kwargs)


async def _refused(exc_type, code: str, call):
    """The call raises exc_type with code and leaves every booking as it was; returns the error."""
    before = await _rows()
    with pytest.raises(exc_type) as err:
        await call
    assert err.value.code == code
    assert await _rows() == before
    return err.value


async def test_book_for_yourself(w):
    booking = await _book(w, NOW, NOW + H, note=" demo ")
    fresh = await Booking.get(id=booking.id)
    assert (fresh.member_id, fresh.created_by_id, fresh.note) == (w.holder.id, w.holder.id, "demo")
    assert (fresh.starts_at, fresh.ends_at) == (NOW, NOW + H)


async def test_bookings_touching_at_the_boundary_are_allowed(w):
    await _book(w, NOW + H, NOW + 2 * H)
    await _book(w, NOW, NOW + H, actor="eng")
    await _book(w, NOW + 2 * H, NOW + 3 * H, actor="eng")
    assert await Booking.all().count() == 3


@pytest.mark.parametrize("start, end", [
    (NOW + H, NOW + 2 * H), (NOW + 30 * M, NOW + 90 * M), (NOW + 90 * M, NOW + 3 * H),
    (NOW, NOW + 3 * H), (NOW + 61 * M, NOW + 62 * M), (NOW + 119 * M, None),
])
async def test_overlapping_booking_is_refused_naming_the_holder(w, start, end):
    await _book(w, NOW + H, NOW + 2 * H)
    before = await _rows()
    with pytest.raises(Conflict) as err:
        await _book(w, start, end, actor="eng")
    assert err.value.code == "booking_overlaps"
    assert str(err.value).startswith("holder has booked this environment from 2030-03-04 11:00 UTC until 2030-03-04 12:00 UTC")
    assert await _rows() == before


async def test_open_ended_booking_blocks_everything_after_it(w):
    await _book(w, NOW + H, None)
    await _refused(Conflict, "booking_overlaps", _book(w, NOW + 100 * H, NOW + 101 * H, actor="eng"))
    await _book(w, NOW, NOW + H, actor="eng")
    assert await Booking.all().count() == 2


async def test_other_environments_do_not_clash(w):
    other = await SharedEnvironment.create(organization_id=w.org_id, pool=w.squad, name="other")
    await _book(w, NOW, NOW + H)
    await svc.create_booking(actor_id=w.eng.id, environment_id=other.id, starts_at=NOW, ends_at=NOW + H, now=NOW)
    assert await Booking.filter(environment_id=other.id).count() == 1


@pytest.mark.parametrize("actor", ("holder",) + NON_MANAGERS)
async def test_non_managers_cannot_book_in_the_past(w, actor):
    await _refused(PermissionDenied, "booking_in_past", _book(w, NOW - 2 * M, NOW + H, actor=actor))
    await _book(w, NOW - 59 * timedelta(seconds=1), NOW + H, actor=actor)


@pytest.mark.parametrize("actor", MANAGERS)
async def test_managers_can_book_in_the_past(w, actor):
    booking = await _book(w, NOW - 5 * H, NOW - 4 * H, actor=actor)
    assert booking.starts_at == NOW - 5 * H


@pytest.mark.parametrize("actor", ("holder",) + NON_MANAGERS)
async def test_non_managers_cannot_book_for_someone_else(w, actor):
    target = w.eng if actor != "eng" else w.holder
    await _refused(PermissionDenied, "booking_for_others_needs_manager",
                   _book(w, NOW, NOW + H, actor=actor, member_id=target.id))


@pytest.mark.parametrize("actor", MANAGERS)
async def test_managers_can_book_for_someone_else(w, actor):
    booking = await _book(w, NOW, NOW + H, actor=actor, member_id=w.eng.id)
    assert (booking.member_id, booking.created_by_id) == (w.eng.id, getattr(w, actor).id)


async def test_members_and_environments_of_other_organizations_are_not_found(w):
    stranger = await other_org_member()
    await _refused(NotFound, "member_not_found", _book(w, NOW, NOW + H, actor="boss", member_id=stranger.id))
    await _refused(NotFound, "environment_not_found", svc.create_booking(
        actor_id=stranger.id, environment_id=w.env.id, starts_at=NOW, ends_at=NOW + H, now=NOW))


@pytest.mark.parametrize("actor", ("holder", "boss"))
async def test_inactive_environment_cannot_be_booked(w, actor):
    await SharedEnvironment.filter(id=w.env.id).update(active=False)
    await _refused(Conflict, "environment_inactive", _book(w, NOW, NOW + H, actor=actor))


@pytest.mark.parametrize("start, end, code", [
    (NOW + H, NOW + H, "booking_ends_before_start"),
    (NOW + H, NOW, "booking_ends_before_start"),
    (datetime(2030, 3, 4, 12, 0), NOW + 3 * H, "booking_time_without_zone"),
    (NOW, datetime(2030, 3, 4, 12, 0), "booking_time_without_zone"),
])
async def test_bad_times_are_refused(w, start, end, code):
    await _refused(InvalidInput, code, _book(w, start, end))


async def test_note_too_long_is_refused(w):
    await _refused(InvalidInput, "value_too_long", _book(w, NOW, NOW + H, note="n" * 1001))


async def test_maximum_booking_length(w):
    await SharedEnvironment.filter(id=w.env.id).update(max_booking_minutes=60)
    await _refused(InvalidInput, "booking_too_long", _book(w, NOW, NOW + H + M))
    await _refused(InvalidInput, "booking_open_ended_not_allowed", _book(w, NOW, None))
    await _book(w, NOW, NOW + H)
    assert await Booking.all().count() == 1


async def _started(w: World) -> Booking:
    return await _book(w, NOW, NOW + 3 * H)


@pytest.mark.parametrize("actor", ("holder",) + MANAGERS)
async def test_release_ends_a_booking_in_progress_now(w, actor):
    booking = await _started(w)
    await svc.release_booking(actor_id=getattr(w, actor).id, booking_id=booking.id, now=NOW + H)
    assert (await Booking.get(id=booking.id)).ends_at == NOW + H
    await svc.create_booking(actor_id=w.eng.id, environment_id=w.env.id, starts_at=NOW + H, ends_at=None, now=NOW + H)


@pytest.mark.parametrize("actor", NON_MANAGERS)
async def test_others_cannot_release(w, actor):
    booking = await _started(w)
    await _refused(PermissionDenied, "not_booking_holder_or_manager",
                   svc.release_booking(actor_id=getattr(w, actor).id, booking_id=booking.id, now=NOW + H))


async def test_release_only_for_a_booking_in_progress(w):
    booking = await _started(w)
    err = await _refused(Conflict, "booking_not_started",
                         svc.release_booking(actor_id=w.holder.id, booking_id=booking.id, now=NOW))
    assert "delete it instead" in str(err)
    await _refused(Conflict, "booking_already_ended",
                   svc.release_booking(actor_id=w.boss.id, booking_id=booking.id, now=NOW + 3 * H))


async def test_release_of_an_open_ended_booking(w):
    booking = await _book(w, NOW, None)
    await svc.release_booking(actor_id=w.holder.id, booking_id=booking.id, now=NOW + 2 * H)
    assert (await Booking.get(id=booking.id)).ends_at == NOW + 2 * H


async def test_holder_deletes_a_future_booking_but_not_a_started_one(w):
    future = await _book(w, NOW + H, NOW + 2 * H)
    await svc.delete_booking(actor_id=w.holder.id, booking_id=future.id, now=NOW)
    assert not await Booking.exists(id=future.id)
    booking = await _started(w)
    err = await _refused(PermissionDenied, "booking_started",
                         svc.delete_booking(actor_id=w.holder.id, booking_id=booking.id, now=NOW + M))
    assert "release it instead" in str(err)


@pytest.mark.parametrize("actor", NON_MANAGERS)
async def test_others_cannot_delete(w, actor):
    future = await _book(w, NOW + H, NOW + 2 * H)
    await _refused(PermissionDenied, "not_booking_holder_or_manager",
                   svc.delete_booking(actor_id=getattr(w, actor).id, booking_id=future.id, now=NOW))


@pytest.mark.parametrize("actor", MANAGERS)
async def test_managers_delete_any_booking(w, actor):
    booking = await _started(w)
    await svc.delete_booking(actor_id=getattr(w, actor).id, booking_id=booking.id, now=NOW + 5 * H)
    assert await Booking.all().count() == 0


async def test_bookings_of_other_organizations_are_not_found(w):
    booking = await _started(w)
    stranger = (await other_org_member()).id
    for call in (svc.release_booking(actor_id=stranger, booking_id=booking.id, now=NOW + H),
                 svc.delete_booking(actor_id=stranger, booking_id=booking.id, now=NOW),
                 svc.extend_booking(actor_id=stranger, booking_id=booking.id, ends_at=NOW + 4 * H, now=NOW)):
        await _refused(NotFound, "booking_not_found", call)


@pytest.mark.parametrize("actor", ("holder",) + MANAGERS)
async def test_extend_moves_the_end_up_to_the_next_booking(w, actor):
    booking = await _started(w)
    await _book(w, NOW + 5 * H, NOW + 6 * H, actor="eng")
    await svc.extend_booking(actor_id=getattr(w, actor).id, booking_id=booking.id, ends_at=NOW + 5 * H, now=NOW + H)
    assert (await Booking.get(id=booking.id)).ends_at == NOW + 5 * H


@pytest.mark.parametrize("actor", NON_MANAGERS)
async def test_others_cannot_extend(w, actor):
    booking = await _started(w)
    await _refused(PermissionDenied, "not_booking_holder_or_manager", svc.extend_booking(
        actor_id=getattr(w, actor).id, booking_id=booking.id, ends_at=NOW + 4 * H, now=NOW))


async def test_extend_refusals(w):
    booking = await _started(w)
    await _book(w, NOW + 5 * H, NOW + 6 * H, actor="eng")

    def extend(ends_at, now=NOW + H):
        return svc.extend_booking(actor_id=w.holder.id, booking_id=booking.id, ends_at=ends_at, now=now)

    err = await _refused(Conflict, "booking_overlaps", extend(NOW + 5 * H + M))
    assert str(err).startswith("eng has booked")
    await _refused(Conflict, "booking_overlaps", extend(None))
    await _refused(InvalidInput, "extend_not_later", extend(NOW + 3 * H))
    await _refused(InvalidInput, "extend_not_later", extend(NOW + 2 * H))
    await _refused(InvalidInput, "booking_time_without_zone", extend(datetime(2030, 3, 4, 14, 0)))
    await _refused(Conflict, "booking_already_ended", extend(NOW + 4 * H, now=NOW + 3 * H))
    await SharedEnvironment.filter(id=w.env.id).update(max_booking_minutes=240)
    await _refused(InvalidInput, "booking_too_long", extend(NOW + 4 * H + M))
    await SharedEnvironment.filter(id=w.env.id).update(active=False)
    await _refused(Conflict, "environment_inactive", extend(NOW + 4 * H))


async def test_extend_to_open_ended_and_not_beyond(w):
    booking = await _started(w)
    await svc.extend_booking(actor_id=w.holder.id, booking_id=booking.id, ends_at=None, now=NOW + H)
    assert (await Booking.get(id=booking.id)).ends_at is None
    await _refused(Conflict, "booking_already_open_ended", svc.extend_booking(
        actor_id=w.holder.id, booking_id=booking.id, ends_at=NOW + 9 * H, now=NOW + H))
