"""Environment reads: the page and its count in SQL, current and next booking, the detail, and the flags that say
what the viewer may do (core.permissions' rules: holder or manager, managers of the pool or a pool above)."""

from datetime import datetime

import pytest

from core.errors import NotFound
from core.models import Booking, Member, SharedEnvironment, WaitlistEntry
from core.queries import environments as q
from core.queries.paging import Page
from core.rules.bookings import EnvStatus
from core.services import environments as envs
from tests.factories import make_org
from tests.worlds.environments import HOUR, NOW, World, make_world


@pytest.fixture
async def w(db) -> World:
    """The env "stage" lives in Squad; a manager of Team (above it) and one of Other (beside it)."""
    world = await make_world()
    await envs.update_environment(actor_id=world.boss.id, environment_id=world.env.id, name="stage",
                                  description="web", properties={"IP": "10.0.0.1"}, ssh_only=False,
                                  max_booking_minutes=600, power_schedule_id=None)
    return world


async def _book(env: SharedEnvironment, member: Member, start: datetime, end: datetime | None) -> Booking:
    return await Booking.create(environment=env, member=member, created_by=member, starts_at=start, ends_at=end)


async def _list(w: World, member: Member | None = None, **options) -> Page:
    return await q.list_environments(organization_id=w.org_id, member_id=(member or w.eng).id, now=NOW, **options)


async def test_rows_show_status_current_and_next_booking(w):
    busy = await envs.create_environment(actor_id=w.boss.id, pool_id=w.other.id, name="busy", description="db box")
    await _book(busy, w.holder, NOW - 2 * HOUR, NOW - HOUR)
    current = await _book(busy, w.holder, NOW - HOUR, NOW + HOUR)
    upcoming = await _book(busy, w.eng, NOW + 3 * HOUR, None)
    await _book(w.env, w.holder, NOW + 5 * HOUR, NOW + 6 * HOUR)
    rows = {row.name: row for row in (await _list(w)).rows}
    assert rows["busy"].status == EnvStatus.IN_USE and rows["busy"].pool_name == "Other"
    assert (rows["busy"].current.id, rows["busy"].next.id) == (current.id, upcoming.id)
    assert rows["busy"].current.person == "holder" and rows["busy"].current.ends_at == NOW + HOUR
    assert rows["stage"].status == EnvStatus.AVAILABLE and rows["stage"].next.starts_at == NOW + 5 * HOUR
    later = await q.list_environments(organization_id=w.org_id, member_id=w.eng.id, now=NOW + HOUR)
    assert {row.name: row.status for row in later.rows}["busy"] == EnvStatus.AVAILABLE
    await envs.set_environment_active(actor_id=w.boss.id, environment_id=busy.id, active=False)
    [gone] = [row for row in (await _list(w)).rows if row.name == "busy"]
    assert gone.status == EnvStatus.UNAVAILABLE and not gone.can_book and not gone.current.can_extend


async def test_pages_and_counts_in_sql_by_name(w):
    for name in ("e3", "e1", "e2", "e4"):
        await envs.create_environment(actor_id=w.boss.id, pool_id=w.other.id, name=name)
    first = await _list(w, limit=2)
    assert [r.name for r in first.rows] == ["e1", "e2"] and first.total == 5 and first.has_more
    last = await _list(w, offset=4, limit=2)
    assert [r.name for r in last.rows] == ["stage"] and last.total == 5 and not last.has_more
    assert (await _list(w, offset=10)).rows == ()


@pytest.mark.parametrize("text, names", [
    ("STA", ["stage"]), ("db", ["busy"]), ("other", ["busy"]), ("environment", ["busy", "stage"]), ("zzz", []),
    ("  ", ["busy", "stage"]),
])
async def test_filters_on_name_description_type_and_pool(w, text, names):
    await envs.create_environment(actor_id=w.boss.id, pool_id=w.other.id, name="busy", description="db box")
    page = await _list(w, filter_text=text)
    assert [row.name for row in page.rows] == names and page.total == len(names)


async def test_flags_follow_the_booking_and_pool_rules(w):
    await _book(w.env, w.holder, NOW - HOUR, NOW + HOUR)
    await _book(w.env, w.holder, NOW + 2 * HOUR, NOW + 3 * HOUR)

    async def flags(member: Member) -> tuple:
        detail = await q.environment_detail(organization_id=w.org_id, environment_id=w.env.id, member_id=member.id,
                                            now=NOW)
        later = detail.upcoming[0]
        return (detail.can_manage, detail.current.can_release, detail.current.can_extend, detail.current.can_delete,
                later.can_release, later.can_delete)

    assert await flags(w.holder) == (False, True, True, False, False, True)
    assert await flags(w.eng) == (False, False, False, False, False, False)
    assert await flags(w.other_manager) == (False, False, False, False, False, False)
    assert await flags(w.team_manager) == (True, True, True, True, False, True)
    assert await flags(w.boss) == (True, True, True, True, False, True)
    open_ended = await _book(w.env, w.holder, NOW + 5 * HOUR, None)
    detail = await q.environment_detail(organization_id=w.org_id, environment_id=w.env.id, member_id=w.holder.id,
                                        now=NOW + 6 * HOUR)
    assert detail.current.id == open_ended.id and detail.current.can_release and not detail.current.can_extend


async def test_detail_lists_upcoming_properties_and_the_open_waitlist(w):
    await _book(w.env, w.holder, NOW - 3 * HOUR, NOW - 2 * HOUR)
    current = await _book(w.env, w.holder, NOW - HOUR, NOW + HOUR)
    later = [await _book(w.env, w.eng, NOW + (2 * i + 2) * HOUR, NOW + (2 * i + 3) * HOUR) for i in range(3)]
    await WaitlistEntry.create(environment=w.env, member=w.eng, acquire=True)
    await WaitlistEntry.create(environment=w.env, member=w.holder, done_at=NOW)
    detail = await q.environment_detail(organization_id=w.org_id, environment_id=w.env.id, member_id=w.eng.id,
                                        upcoming=2, now=NOW)
    assert detail.status == EnvStatus.IN_USE and detail.current.id == current.id
    assert [b.id for b in detail.upcoming] == [b.id for b in later[:2]] and detail.waiting == 1
    assert detail.properties == (("IP", "10.0.0.1"),) and detail.description == "web"
    assert detail.max_booking_minutes == 600


async def test_booked_by_member_lists_environments_where_they_hold_the_current_or_next_booking(w):
    busy = await envs.create_environment(actor_id=w.boss.id, pool_id=w.other.id, name="busy")
    far = await envs.create_environment(actor_id=w.boss.id, pool_id=w.other.id, name="far")
    await _book(busy, w.holder, NOW - HOUR, NOW + HOUR)
    await _book(w.env, w.holder, NOW + HOUR, NOW + 2 * HOUR)
    await _book(far, w.eng, NOW + HOUR, NOW + 2 * HOUR)
    await _book(far, w.holder, NOW + 3 * HOUR, NOW + 4 * HOUR)  # third in line: not shown
    rows = await q.booked_by_member(organization_id=w.org_id, member_id=w.holder.id, now=NOW)
    assert [(r.name, r.current is not None) for r in rows] == [("busy", True), ("stage", False)]
    assert await q.booked_by_member(organization_id=w.org_id, member_id=w.boss.id, now=NOW) == []


async def test_reads_are_scoped_to_the_organization(w):
    stranger = (await make_org("Globex", "boss@globex.test")).manager
    page = await q.list_environments(organization_id=stranger.organization_id, member_id=stranger.id, now=NOW)
    assert page.rows == () and page.total == 0
    with pytest.raises(NotFound):
        await q.environment_detail(organization_id=stranger.organization_id, environment_id=w.env.id,
                                   member_id=stranger.id, now=NOW)
    with pytest.raises(NotFound):
        await q.list_environments(organization_id=w.org_id, member_id=stranger.id, now=NOW)
