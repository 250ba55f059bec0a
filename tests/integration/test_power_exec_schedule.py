"""Power schedules driven minute by minute: transitions only, snooze and skip that expire, DST days."""

import re

import pytest

from core.models import ResourceEvent
from core.services import schedules
from jobs.runner import Deps
from tests.integration import fake_cloud
from tests.integration.power_world import H, M, drive, make_power_world, utc
from tests.outbox_rows import event_of, rows

DEPS = Deps(worker="test", open_adapter=fake_cloud.open_adapter)
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _world(cloud, **options):
    world = await make_power_world(fake_cloud.KIND, **options)
    cloud.states.update({name: "running" for name in world.vms})
    return world


async def _history(name: str) -> list[tuple[str, str]]:
    rows = await ResourceEvent.filter(resource__name=name).order_by("id")
    return [(r.kind, re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", r.message)[0]) for r in rows]


def _acted(cloud, name: str) -> list[str]:
    return [verb for verb, _, ids in cloud.calls if name in ids]


async def test_a_manual_start_in_off_hours_survives_until_the_next_stop(db, cloud):
    await _world(cloud)
    monday = utc(2026, 3, 2)
    await drive(DEPS, monday + 18 * H + 50 * M, monday + 19 * H + 5 * M)
    assert cloud.states == {"vm-a": "stopped", "vm-b": "stopped", "vm-c": "stopped"}
    cloud.states["vm-a"] = "running"  # someone starts it by hand at night
    await drive(DEPS, monday + 19 * H + 5 * M, monday + 31 * H + 55 * M, step=10 * M)
    assert _acted(cloud, "vm-a") == ["stop"] and cloud.states["vm-a"] == "running"
    await drive(DEPS, monday + 31 * H + 55 * M, monday + 32 * H + 5 * M)
    await drive(DEPS, monday + 32 * H + 5 * M, monday + 42 * H + 55 * M, step=10 * M)
    await drive(DEPS, monday + 42 * H + 55 * M, monday + 43 * H + 5 * M)
    assert _acted(cloud, "vm-a") == ["stop", "start", "stop"] and cloud.states["vm-a"] == "stopped"
    assert await _history("vm-a") == [("power_stop_ok", "2026-03-02 19:00 UTC"),
                                      ("power_start_already", "2026-03-03 08:00 UTC"),
                                      ("power_stop_ok", "2026-03-03 19:00 UTC")]


async def test_snooze_moves_the_stop_once_and_then_expires(db, cloud):
    world = await _world(cloud)
    monday = utc(2026, 3, 2)
    await drive(DEPS, monday + 18 * H + 25 * M, monday + 18 * H + 40 * M)
    await schedules.snooze(actor_id=world.eng.id, resource_id=world.vms["vm-a"].id, hours=1, now=monday + 18 * H + 40 * M)
    await drive(DEPS, monday + 18 * H + 40 * M, monday + 20 * H)
    assert cloud.states["vm-a"] == "stopped" and _acted(cloud, "vm-a") == ["stop"]
    assert await _history("vm-a") == [("power_stop_ok", "2026-03-02 19:40 UTC")]
    warnings = [event_of(w) for w in await rows(event_type="power_warning")]
    assert [w.stop_at.isoformat() for w in warnings if w.resource_id == world.vms["vm-a"].id] == [
        "2026-03-02T19:00:00+00:00", "2026-03-02T19:40:00+00:00"]
    await drive(DEPS, monday + 20 * H, monday + 43 * H + 5 * M, step=15 * M)
    assert [k for k, _ in await _history("vm-a")] == ["power_stop_ok", "power_start_ok", "power_stop_ok"]
    assert (await _history("vm-a"))[-1] == ("power_stop_ok", "2026-03-03 19:00 UTC")


async def test_skip_tonight_skips_one_stop_only(db, cloud):
    world = await _world(cloud)
    monday = utc(2026, 3, 2)
    await schedules.skip_tonight(actor_id=world.eng.id, resource_id=world.vms["vm-a"].id, now=monday + 18 * H + 45 * M)
    await drive(DEPS, monday + 18 * H + 45 * M, monday + 19 * H + 5 * M)
    assert _acted(cloud, "vm-a") == [] and _acted(cloud, "vm-b") == ["stop"]
    await drive(DEPS, monday + 19 * H + 5 * M, monday + 43 * H + 5 * M, step=15 * M)
    assert _acted(cloud, "vm-a") == ["start", "stop"]
    assert await _history("vm-a") == [("power_start_already", "2026-03-03 08:00 UTC"),
                                      ("power_stop_ok", "2026-03-03 19:00 UTC")]


@pytest.mark.parametrize("zone, spring, autumn", [
    ("Europe/Berlin", utc(2026, 3, 29, 0), utc(2026, 10, 24, 23)),
    ("America/New_York", utc(2026, 3, 8, 6), utc(2026, 11, 1, 5)),
])
async def test_dst_days_act_exactly_once_per_transition(db, cloud, zone, spring, autumn):
    """vm-a/vm-b run 01:30-02:30 local, vm-c 02:30-04:00. In spring 02:30 does not exist in either zone (it acts
    at 03:00); in autumn 02:30 occurs twice in Berlin and 01:30 twice in New York (each acts at the first).
    Ticked every 5 minutes (contiguous windows) for 4.5 hours around each change."""
    world = await _world(cloud, timezone_name=zone, periods=[{"weekdays": EVERY_DAY, "start": "01:30", "stop": "02:30"}],
                         warn_minutes=0)
    cloud.states.update({name: "stopped" for name in world.vms})
    late = await schedules.create_schedule(actor_id=world.fx.manager.id, name="Late", timezone=zone, warn_minutes=0,
                                           periods=[{"weekdays": EVERY_DAY, "start": "02:30", "stop": "04:00"}])
    await schedules.attach_resources(actor_id=world.fx.manager.id, schedule_id=late.id, resource_ids=[world.vms["vm-c"].id])
    for day in (spring, autumn):
        await drive(DEPS, day - 5 * M, day + 4 * H + 30 * M, step=5 * M)
    expected = {
        "Europe/Berlin": {
            "vm-a": ["2026-03-29 00:30", "2026-03-29 01:00", "2026-10-24 23:30", "2026-10-25 00:30"],
            "vm-c": ["2026-03-29 01:00", "2026-03-29 02:00", "2026-10-25 00:30", "2026-10-25 03:00"]},
        "America/New_York": {
            "vm-a": ["2026-03-08 06:30", "2026-03-08 07:00", "2026-11-01 05:30", "2026-11-01 07:30"],
            "vm-c": ["2026-03-08 07:00", "2026-03-08 08:00", "2026-11-01 07:30", "2026-11-01 09:00"]},
    }[zone]
    for name, times in expected.items():
        assert await _history(name) == [(f"power_{verb}_ok", f"{t} UTC") for verb, t in
                                        zip(["start", "stop", "start", "stop"], times)], name
    assert len([c for c in cloud.calls if "vm-b" in c[2]]) == 4
