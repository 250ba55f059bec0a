"""Power schedules: create, update, delete, attach and detach, with validation and permissions."""

from datetime import date

import pytest

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import PowerSchedule, Resource, ScheduleMode, SharedEnvironment
from core.queries.schedules import list_schedules
from core.services import schedules
from tests.factories import make_resource
from tests.integration.schedule_world import OFFICE, make_world, office_schedule

PERIOD = {"weekdays": [0], "start": "08:00", "stop": "19:00"}


async def snapshot():
    rows = await PowerSchedule.all().order_by("id").values()
    links = await Resource.all().order_by("id").values_list("id", "power_schedule_id")
    return rows, links


async def test_create_stores_normalized_values(db):
    w = await make_world()
    schedule = await schedules.create_schedule(
        actor_id=w.manager.id, name=" Office ", timezone="Europe/Berlin",
        periods=[{"weekdays": [4, 0, 0], "start": "8:00", "stop": "19:30"}], mode="stop_only",
        start_date="2026-01-05", end_date=date(2026, 12, 31), skip_dates=["2026-12-24", "2026-05-01"], warn_minutes="15")
    stored = await PowerSchedule.get(id=schedule.id)
    assert (stored.organization_id, stored.name, stored.timezone, stored.mode) == (
        w.fx.org.id, "Office", "Europe/Berlin", ScheduleMode.STOP_ONLY)
    assert stored.periods == [{"weekdays": [0, 4], "start": "08:00", "stop": "19:30"}]
    assert (stored.start_date, stored.end_date) == (date(2026, 1, 5), date(2026, 12, 31))
    assert stored.skip_dates == ["2026-05-01", "2026-12-24"]
    assert (stored.enabled, stored.warn_minutes) == (True, 15)


async def test_pool_managers_create_schedules_and_engineers_cannot(db):
    w = await make_world()
    await schedules.create_schedule(actor_id=w.pool_manager.id, name="Dev nights", timezone="UTC", periods=OFFICE)
    with pytest.raises(PermissionDenied) as err:
        await schedules.create_schedule(actor_id=w.engineer.id, name="Mine", timezone="UTC", periods=OFFICE)
    assert err.value.code == "not_schedule_manager"
    assert await PowerSchedule.all().values_list("name", flat=True) == ["Dev nights"]


@pytest.mark.parametrize("change, code", [
    ({"name": "  "}, "blank_value"),
    ({"timezone": "Mars/Olympus"}, "invalid_timezone"),
    ({"periods": []}, "schedule_needs_period"),
    ({"periods": [{**PERIOD, "weekdays": []}]}, "period_needs_weekday"),
    ({"periods": [{**PERIOD, "weekdays": [7]}]}, "period_weekday_invalid"),
    ({"periods": [{**PERIOD, "start": "8am"}]}, "period_time_invalid"),
    ({"periods": [{**PERIOD, "stop": "08:00"}]}, "period_start_equals_stop"),
    ({"periods": [PERIOD, {**PERIOD, "start": "18:00", "stop": "20:00"}]}, "periods_overlap"),
    ({"start_date": "2026-05-02", "end_date": "2026-05-01"}, "schedule_end_before_start"),
    ({"start_date": "02/05/2026"}, "schedule_date_invalid"),
    ({"skip_dates": ["2026-12-24", "Christmas"]}, "schedule_date_invalid"),
    ({"mode": "sometimes"}, "not_in_choices"),
    ({"warn_minutes": 1441}, "value_out_of_range"),
    ({"warn_minutes": -1}, "value_out_of_range"),
    ({"warn_minutes": "soon"}, "not_a_whole_number"),
])
async def test_bad_input_is_refused_and_nothing_is_written(db, change, code):
    w = await make_world()
    kwargs = {"actor_id": w.manager.id, "name": "Office", "timezone": "UTC", "periods": OFFICE, **change}
    with pytest.raises(InvalidInput) as err:
        await schedules.create_schedule(**kwargs)
    assert err.value.code == code
    assert await PowerSchedule.all().count() == 0


async def test_names_are_unique_per_organization(db):
    w = await make_world()
    await office_schedule(w)
    with pytest.raises(Conflict) as err:
        await office_schedule(w)
    assert err.value.code == "schedule_exists"
    other = await make_world("Globex")
    await office_schedule(other)
    assert await PowerSchedule.filter(name="Office").count() == 2


async def test_update_changes_only_what_is_given(db):
    w = await make_world()
    schedule = await office_schedule(w, start_date="2026-01-01", end_date="2026-06-30")
    updated = await schedules.update_schedule(actor_id=w.manager.id, schedule_id=schedule.id, name="Office hours",
                                              mode="start_only", enabled=False, end_date="", warn_minutes=0)
    stored = await PowerSchedule.get(id=schedule.id)
    assert (updated.name, stored.name, stored.mode, stored.enabled, stored.warn_minutes) == (
        "Office hours", "Office hours", ScheduleMode.START_ONLY, False, 0)
    assert (stored.start_date, stored.end_date, stored.periods, stored.timezone) == (
        date(2026, 1, 1), None, OFFICE, "UTC")


async def test_update_checks_dates_against_the_stored_ones_and_writes_nothing_on_error(db):
    w = await make_world()
    schedule = await office_schedule(w, start_date="2026-03-01")
    await office_schedule(w, name="Taken")
    before = await snapshot()
    with pytest.raises(InvalidInput) as err:
        await schedules.update_schedule(actor_id=w.manager.id, schedule_id=schedule.id, name="New", end_date="2026-02-28")
    assert err.value.code == "schedule_end_before_start"
    with pytest.raises(Conflict):
        await schedules.update_schedule(actor_id=w.manager.id, schedule_id=schedule.id, name="Taken", enabled=False)
    with pytest.raises(InvalidInput):
        await schedules.update_schedule(actor_id=w.manager.id, schedule_id=schedule.id, enabled=False, periods=[])
    assert await snapshot() == before
    renamed = await schedules.update_schedule(actor_id=w.manager.id, schedule_id=schedule.id, name="Office")
    assert renamed.name == "Office"


async def test_other_organizations_schedules_are_not_found(db):
    w = await make_world()
    foreign = await office_schedule(await make_world("Globex"))
    calls = [
        schedules.update_schedule(actor_id=w.manager.id, schedule_id=foreign.id, name="Mine"),
        schedules.delete_schedule(actor_id=w.manager.id, schedule_id=foreign.id),
        schedules.attach_resources(actor_id=w.manager.id, schedule_id=foreign.id, resource_ids=[w.dev_vm.id]),
        schedules.detach_resources(actor_id=w.manager.id, schedule_id=foreign.id, resource_ids=[w.dev_vm.id]),
    ]
    for call in calls:
        with pytest.raises(NotFound) as err:
            await call
        assert err.value.code == "schedule_not_found"
    assert (await PowerSchedule.get(id=foreign.id)).name == "Office"
    assert (await Resource.get(id=w.dev_vm.id)).power_schedule_id is None


async def test_pool_manager_changes_a_schedule_only_when_it_drives_their_pools_alone(db):
    w = await make_world()
    schedule = await office_schedule(w)
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=schedule.id, resource_ids=[w.dev_vm.id])
    await schedules.update_schedule(actor_id=w.pool_manager.id, schedule_id=schedule.id, warn_minutes=10)
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=schedule.id, resource_ids=[w.ops_vm.id])
    before = await snapshot()
    for call in (schedules.update_schedule(actor_id=w.pool_manager.id, schedule_id=schedule.id, warn_minutes=20),
                 schedules.delete_schedule(actor_id=w.pool_manager.id, schedule_id=schedule.id)):
        with pytest.raises(PermissionDenied) as err:
            await call
        assert (err.value.code, err.value.params["item"]) == ("schedule_drives_other_pools", "ops-vm")
    for call in (schedules.update_schedule(actor_id=w.engineer.id, schedule_id=schedule.id, warn_minutes=20),
                 schedules.delete_schedule(actor_id=w.engineer.id, schedule_id=schedule.id)):
        with pytest.raises(PermissionDenied) as err:
            await call
        assert err.value.code == "not_schedule_manager"
    assert await snapshot() == before
    assert (await PowerSchedule.get(id=schedule.id)).warn_minutes == 10


async def test_environments_on_a_schedule_count_for_pool_managers_and_survive_its_deletion(db):
    w = await make_world()
    schedule = await office_schedule(w)
    env = await SharedEnvironment.create(organization=w.fx.org, pool=w.ops, name="Demo stand", power_schedule=schedule)
    with pytest.raises(PermissionDenied) as err:
        await schedules.delete_schedule(actor_id=w.pool_manager.id, schedule_id=schedule.id)
    assert err.value.params["item"] == "Demo stand"
    assert await schedules.delete_schedule(actor_id=w.manager.id, schedule_id=schedule.id) == 0
    assert (await SharedEnvironment.get(id=env.id)).power_schedule_id is None


async def test_delete_unschedules_its_resources(db):
    w = await make_world()
    schedule = await office_schedule(w)
    keep = await office_schedule(w, name="Other")
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=schedule.id, resource_ids=[w.dev_vm.id, w.ops_vm.id])
    spare = await make_resource(w.dev, "spare", power_schedule=keep)
    assert await schedules.delete_schedule(actor_id=w.manager.id, schedule_id=schedule.id) == 2
    assert not await PowerSchedule.exists(id=schedule.id)
    assert await Resource.filter(power_schedule_id=None).count() == 2
    assert (await Resource.get(id=spare.id)).power_schedule_id == keep.id


async def test_attach_needs_owner_or_manager_of_every_resource(db):
    w = await make_world()
    schedule = await office_schedule(w)
    with pytest.raises(PermissionDenied) as err:
        await schedules.attach_resources(actor_id=w.engineer.id, schedule_id=schedule.id,
                                         resource_ids=[w.dev_vm.id, w.ops_vm.id])
    assert err.value.code == "not_owner_or_manager"
    with pytest.raises(PermissionDenied):
        await schedules.attach_resources(actor_id=w.other_engineer.id, schedule_id=schedule.id, resource_ids=[w.dev_vm.id])
    with pytest.raises(PermissionDenied):
        await schedules.attach_resources(actor_id=w.pool_manager.id, schedule_id=schedule.id, resource_ids=[w.ops_vm.id])
    assert await Resource.exclude(power_schedule_id=None).count() == 0
    attached = await schedules.attach_resources(actor_id=w.engineer.id, schedule_id=schedule.id,
                                                resource_ids=[w.dev_vm.id, w.dev_vm.id])
    assert [r.id for r in attached] == [w.dev_vm.id] and attached[0].power_schedule_id == schedule.id
    await schedules.attach_resources(actor_id=w.pool_manager.id, schedule_id=schedule.id, resource_ids=[w.dev_vm.id])
    assert await Resource.filter(power_schedule_id=schedule.id).values_list("id", flat=True) == [w.dev_vm.id]


async def test_attach_moves_a_resource_between_schedules(db):
    w = await make_world()
    first, second = await office_schedule(w), await office_schedule(w, name="Nights")
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=first.id, resource_ids=[w.ops_vm.id])
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=second.id, resource_ids=[w.ops_vm.id])
    assert (await Resource.get(id=w.ops_vm.id)).power_schedule_id == second.id


@pytest.mark.parametrize("ids, error, code", [
    ([], InvalidInput, "schedule_no_resources_given"),
    (["abc"], InvalidInput, "not_a_whole_number"),
    ("foreign", NotFound, "schedule_resource_not_found"),
])
async def test_attach_refuses_missing_and_foreign_resources(db, ids, error, code):
    w = await make_world()
    schedule = await office_schedule(w)
    if ids == "foreign":
        ids = [w.dev_vm.id, (await make_world("Globex")).dev_vm.id]
    with pytest.raises(error) as err:
        await schedules.attach_resources(actor_id=w.manager.id, schedule_id=schedule.id, resource_ids=ids)
    assert err.value.code == code
    assert await Resource.exclude(power_schedule_id=None).count() == 0


async def test_detach_takes_resources_off_only_their_own_schedule(db):
    w = await make_world()
    schedule, other = await office_schedule(w), await office_schedule(w, name="Other")
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=schedule.id, resource_ids=[w.dev_vm.id])
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=other.id, resource_ids=[w.ops_vm.id])
    with pytest.raises(Conflict) as err:
        await schedules.detach_resources(actor_id=w.manager.id, schedule_id=schedule.id,
                                         resource_ids=[w.dev_vm.id, w.ops_vm.id])
    assert err.value.code == "resource_not_on_schedule"
    with pytest.raises(PermissionDenied):
        await schedules.detach_resources(actor_id=w.other_engineer.id, schedule_id=schedule.id, resource_ids=[w.dev_vm.id])
    assert (await Resource.get(id=w.dev_vm.id)).power_schedule_id == schedule.id
    detached = await schedules.detach_resources(actor_id=w.engineer.id, schedule_id=schedule.id, resource_ids=[w.dev_vm.id])
    assert detached[0].power_schedule_id is None
    assert await Resource.filter(power_schedule_id=None).values_list("id", flat=True) == [w.dev_vm.id]


async def test_list_schedules_is_per_organization_by_name_paged_with_resource_counts(db):
    w = await make_world()
    zeta = await office_schedule(w, name="Zeta")
    await office_schedule(w, name="Alpha")
    await office_schedule(await make_world("Globex"), name="Beta")
    await schedules.attach_resources(actor_id=w.fx.manager.id, schedule_id=zeta.id, resource_ids=[w.dev_vm.id])
    page = await list_schedules(organization_id=w.fx.org.id)
    assert [(s.name, s.resources) for s in page.rows] == [("Alpha", 0), ("Zeta", 1)] and page.total == 2
    assert page.rows[1].periods == tuple(zeta.periods) and page.rows[1].mode == zeta.mode.value
    second = await list_schedules(organization_id=w.fx.org.id, offset=1, limit=1)
    assert [s.name for s in second.rows] == ["Zeta"] and not second.has_more