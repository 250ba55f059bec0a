"""Snooze and skip-tonight overrides, and what the scheduler owes: due actions and pre-stop warnings."""

from datetime import datetime

import pytest

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import OverrideKind, ScheduleOverride
from core.services import schedules
from core.services.schedules import DueAction, DueWarning
from tests.factories import make_resource
from tests.integration.schedule_world import make_world, office_schedule, utc

EVENING = utc(2026, 3, 2, 18, 30)  # a Monday, half an hour before the office schedule stops


async def scheduled_world(**options):
    w = await make_world()
    schedule = await office_schedule(w, **options)
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=schedule.id,
                                     resource_ids=[w.dev_vm.id, w.ops_vm.id])
    return w, schedule


async def test_snooze_keeps_running_for_hours_from_now(db):
    w, _ = await scheduled_world()
    override = await schedules.snooze(actor_id=w.engineer.id, resource_id=w.dev_vm.id, hours=2, now=EVENING)
    stored = await ScheduleOverride.get(id=override.id)
    assert (stored.resource_id, stored.kind, stored.until, stored.created_by_id) == (
        w.dev_vm.id, OverrideKind.KEEP_RUNNING_UNTIL, utc(2026, 3, 2, 20, 30), w.engineer.id)


async def test_skip_tonight_lasts_until_just_after_the_next_stop(db):
    w, _ = await scheduled_world()
    override = await schedules.skip_tonight(actor_id=w.manager.id, resource_id=w.ops_vm.id, now=EVENING)
    assert (override.kind, override.until) == (OverrideKind.SKIP_STOP, utc(2026, 3, 2, 19, 1))
    await schedules.snooze(actor_id=w.manager.id, resource_id=w.dev_vm.id, hours=1, now=EVENING)
    after_snooze = await schedules.skip_tonight(actor_id=w.manager.id, resource_id=w.dev_vm.id, now=EVENING)
    assert after_snooze.until == utc(2026, 3, 2, 19, 31)
    friday_night = await schedules.skip_tonight(actor_id=w.manager.id, resource_id=w.ops_vm.id,
                                                now=utc(2026, 3, 6, 20))
    assert friday_night.until == utc(2026, 3, 9, 19, 1)


async def test_skip_tonight_needs_a_stop_ahead(db):
    w, _ = await scheduled_world(mode="start_only")
    with pytest.raises(Conflict) as err:
        await schedules.skip_tonight(actor_id=w.manager.id, resource_id=w.dev_vm.id, now=EVENING)
    assert err.value.code == "no_stop_to_skip"
    assert await ScheduleOverride.all().count() == 0


@pytest.mark.parametrize("kwargs, error, code", [
    ({"kind": "keep_running_until", "until": utc(2026, 3, 2, 18, 30)}, InvalidInput, "override_until_past"),
    ({"kind": "keep_running_until", "until": datetime(2026, 3, 2, 20)}, InvalidInput, "override_until_needs_timezone"),
    ({"kind": "forever", "until": utc(2026, 3, 2, 20)}, InvalidInput, "not_in_choices"),
    ({"kind": "skip_stop", "until": utc(2026, 3, 2, 20), "resource": "unscheduled"}, Conflict, "resource_has_no_schedule"),
    ({"kind": "skip_stop", "until": utc(2026, 3, 2, 20), "resource": "foreign"}, NotFound, "schedule_resource_not_found"),
    ({"kind": "skip_stop", "until": utc(2026, 3, 2, 20), "actor": "other_engineer"}, PermissionDenied,
     "not_owner_or_manager"),
    ({"kind": "skip_stop", "until": utc(2026, 3, 2, 20), "actor": "pool_manager", "resource": "ops"},
     PermissionDenied, "not_owner_or_manager"),
])
async def test_bad_overrides_are_refused_and_nothing_is_written(db, kwargs, error, code):
    w, _ = await scheduled_world()
    kwargs = dict(kwargs)
    resources = {"dev": w.dev_vm, "ops": w.ops_vm,
                 "unscheduled": await make_resource(w.dev, "bare", owner=w.engineer),
                 "foreign": (await make_world("Globex")).dev_vm}
    actor = getattr(w, kwargs.pop("actor", "engineer"))
    resource = resources[kwargs.pop("resource", "dev")]
    with pytest.raises(error) as err:
        await schedules.add_override(actor_id=actor.id, resource_id=resource.id, now=EVENING, **kwargs)
    assert err.value.code == code
    assert await ScheduleOverride.all().count() == 0


@pytest.mark.parametrize("hours", [0, 25, "x"])
async def test_snooze_hours_are_1_to_24(db, hours):
    w, _ = await scheduled_world()
    with pytest.raises(InvalidInput):
        await schedules.snooze(actor_id=w.engineer.id, resource_id=w.dev_vm.id, hours=hours, now=EVENING)
    assert await ScheduleOverride.all().count() == 0


async def test_managers_and_owners_may_override(db):
    w, _ = await scheduled_world()
    until = utc(2026, 3, 2, 22)
    await schedules.add_override(actor_id=w.pool_manager.id, resource_id=w.dev_vm.id, kind="skip_stop", until=until,
                                 now=EVENING)
    await schedules.add_override(actor_id=w.manager.id, resource_id=w.ops_vm.id, kind="keep_running_until",
                                 until=until, now=EVENING)
    assert await ScheduleOverride.all().order_by("id").values_list("resource_id", "created_by_id") == [
        (w.dev_vm.id, w.pool_manager.id), (w.ops_vm.id, w.manager.id)]


async def test_due_actions_combine_schedules_resources_and_overrides(db):
    w, schedule = await scheduled_world()
    skipped = await make_resource(w.dev, "skipped", power_schedule=schedule)
    await make_resource(w.dev, "gone", power_schedule=schedule, active=False)
    await make_resource(w.dev, "unscheduled")
    paused = await office_schedule(w, name="Paused", enabled=False)
    await make_resource(w.dev, "paused", power_schedule=paused)
    other = await make_world("Globex")
    foreign = await office_schedule(other)
    await schedules.attach_resources(actor_id=other.manager.id, schedule_id=foreign.id, resource_ids=[other.dev_vm.id])
    await schedules.snooze(actor_id=w.engineer.id, resource_id=w.dev_vm.id, hours=1, now=EVENING)
    await schedules.skip_tonight(actor_id=w.manager.id, resource_id=skipped.id, now=EVENING)

    due = await schedules.due_actions(w.fx.org.id, since=utc(2026, 3, 2, 18, 45), now=utc(2026, 3, 2, 19, 45))
    assert due == [DueAction(w.ops_vm.id, "stop", utc(2026, 3, 2, 19)),
                   DueAction(w.dev_vm.id, "stop", utc(2026, 3, 2, 19, 30))]
    tuesday = await schedules.due_actions(w.fx.org.id, since=utc(2026, 3, 3, 7), now=utc(2026, 3, 3, 8))
    assert tuesday == [DueAction(r.id, "start", utc(2026, 3, 3, 8)) for r in (w.dev_vm, w.ops_vm, skipped)]
    assert await schedules.due_actions(other.fx.org.id, since=utc(2026, 3, 2, 18, 45), now=utc(2026, 3, 2, 19, 45)) == [
        DueAction(other.dev_vm.id, "stop", utc(2026, 3, 2, 19))]


async def test_due_actions_after_a_three_day_outage_act_once_per_resource(db):
    w, schedule = await scheduled_world()
    due = await schedules.due_actions(w.fx.org.id, since=utc(2026, 3, 6, 18), now=utc(2026, 3, 9, 10))
    assert due == [DueAction(w.dev_vm.id, "start", utc(2026, 3, 9, 8)), DueAction(w.ops_vm.id, "start", utc(2026, 3, 9, 8))]
    assert await schedules.due_actions(w.fx.org.id, since=utc(2026, 3, 7), now=utc(2026, 3, 8, 23)) == []
    await schedules.update_schedule(actor_id=w.manager.id, schedule_id=schedule.id, enabled=False)
    assert await schedules.due_actions(w.fx.org.id, since=utc(2026, 3, 6, 18), now=utc(2026, 3, 9, 10)) == []


async def test_due_actions_read_the_schedule_zone(db):
    w = await make_world()
    berlin = await schedules.create_schedule(actor_id=w.manager.id, name="Berlin", timezone="Europe/Berlin",
                                             periods=[{"weekdays": [6], "start": "02:30", "stop": "18:00"}])
    await schedules.attach_resources(actor_id=w.manager.id, schedule_id=berlin.id, resource_ids=[w.dev_vm.id])
    due = await schedules.due_actions(w.fx.org.id, since=utc(2026, 3, 29, 0, 55), now=utc(2026, 3, 29, 1, 5))
    assert due == [DueAction(w.dev_vm.id, "start", utc(2026, 3, 29, 1))]


async def test_due_warnings_skip_suppressed_stops_and_warn_again_after_a_snooze(db):
    w, schedule = await scheduled_world()
    skipped = await make_resource(w.dev, "skipped", power_schedule=schedule)
    await schedules.skip_tonight(actor_id=w.manager.id, resource_id=skipped.id, now=utc(2026, 3, 2, 18))
    await schedules.snooze(actor_id=w.engineer.id, resource_id=w.dev_vm.id, hours=1, now=utc(2026, 3, 2, 18, 20))
    at_warning = await schedules.due_warnings(w.fx.org.id, since=utc(2026, 3, 2, 18, 25), now=utc(2026, 3, 2, 18, 35))
    assert at_warning == [DueWarning(w.ops_vm.id, utc(2026, 3, 2, 19))]
    later = await schedules.due_warnings(w.fx.org.id, since=utc(2026, 3, 2, 18, 45), now=utc(2026, 3, 2, 18, 55))
    assert later == [DueWarning(w.dev_vm.id, utc(2026, 3, 2, 19, 20))]
    await schedules.update_schedule(actor_id=w.manager.id, schedule_id=schedule.id, warn_minutes=0)
    assert await schedules.due_warnings(w.fx.org.id, since=utc(2026, 3, 2, 18, 25), now=utc(2026, 3, 2, 18, 35)) == []
