from datetime import datetime

import pytest

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import Booking, PowerSchedule, Resource, SharedEnvironment
from core.services import environments as envs
from tests.worlds.environments import HOUR, NOW, World, make_world, other_org_member


@pytest.fixture
async def w(db) -> World:
    return await make_world()


async def _env_rows() -> list[tuple]:
    return await SharedEnvironment.all().order_by("id").values_list(
        "name", "pool_id", "resource_id", "description", "properties", "ssh_only", "active", "max_booking_minutes")


async def test_create_environment_stores_clean_values(w):
    env = await envs.create_environment(
        actor_id=w.team_manager.id, pool_id=w.squad.id, name="  demo ", resource_type="k8s", description=" d ",
        properties={" Software ": " nginx 1.25 ", "Jira": ""}, ssh_only=True, max_booking_minutes="120")
    fresh = await SharedEnvironment.get(id=env.id)
    assert (fresh.name, fresh.resource_type, fresh.description) == ("demo", "k8s", "d")
    assert fresh.properties == {"Software": "nginx 1.25", "Jira": ""}
    assert fresh.ssh_only and fresh.active and fresh.max_booking_minutes == 120 and fresh.resource_id is None


@pytest.mark.parametrize("kwargs, code", [
    ({"name": " "}, "blank_value"),
    ({"name": "x" * 256}, "value_too_long"),
    ({"resource_type": ""}, "blank_value"),
    ({"description": "d" * 2001}, "value_too_long"),
    ({"properties": ["IP"]}, "properties_not_a_mapping"),
    ({"properties": {str(i): "v" for i in range(51)}}, "too_many_properties"),
    ({"properties": {" ": "v"}}, "blank_value"),
    ({"properties": {"k" * 65: "v"}}, "value_too_long"),
    ({"properties": {"IP": "v" * 1001}}, "value_too_long"),
    ({"properties": {"IP": 10}}, "property_not_text"),
    ({"properties": {"IP": "a", " IP": "b"}}, "duplicate_property"),
    ({"max_booking_minutes": 0}, "value_out_of_range"),
    ({"max_booking_minutes": "1.5"}, "not_a_whole_number"),
])
async def test_create_environment_refuses_bad_input_and_writes_nothing(w, kwargs, code):
    before = await _env_rows()
    with pytest.raises(InvalidInput) as err:
        await envs.create_environment(actor_id=w.boss.id, pool_id=w.squad.id, **{"name": "new", **kwargs})
    assert err.value.code == code
    assert await _env_rows() == before


async def test_create_environment_permissions_and_scoping(w):
    before = await _env_rows()
    for actor in (w.holder, w.other_manager):
        with pytest.raises(PermissionDenied) as err:
            await envs.create_environment(actor_id=actor.id, pool_id=w.squad.id, name="new")
        assert err.value.code == "not_pool_manager"
    with pytest.raises(NotFound) as err:
        await envs.create_environment(actor_id=(await other_org_member()).id, pool_id=w.squad.id, name="new")
    assert err.value.code == "pool_not_found"
    with pytest.raises(Conflict) as err:
        await envs.create_environment(actor_id=w.boss.id, pool_id=w.team.id, name="STAGE")
    assert err.value.code == "environment_exists"
    with pytest.raises(NotFound) as err:
        await envs.create_environment(actor_id=w.boss.id, pool_id=w.team.id, name="new", power_schedule_id=999)
    assert err.value.code == "env_schedule_not_found"
    assert await _env_rows() == before
    made = await envs.create_environment(actor_id=w.other_manager.id, pool_id=w.other.id, name="new")
    assert made.pool_id == w.other.id


async def test_mark_shareable_creates_environment_from_resource(w):
    env = await envs.mark_shareable(actor_id=w.team_manager.id, resource_id=w.vm.id)
    assert (env.resource_id, env.pool_id, env.name, env.resource_type) == (w.vm.id, w.squad.id, "vm", "instance")
    before = await _env_rows()
    with pytest.raises(Conflict) as err:
        await envs.mark_shareable(actor_id=w.boss.id, resource_id=w.vm.id)
    assert err.value.code == "resource_already_shared"
    assert await _env_rows() == before


@pytest.mark.parametrize("resource_type, shareable", [
    ("instance", True), ("Instance", True), ("cluster", True), ("k8s_cluster", True),
    ("volume", False), ("bucket", False),
])
async def test_only_instances_and_clusters_are_shareable(w, resource_type, shareable):
    res = await Resource.create(organization_id=w.org_id, cloud_resource_id="r-1", resource_type=resource_type,
                                pool=w.squad, first_seen=NOW, last_seen=NOW)
    if shareable:
        assert (await envs.mark_shareable(actor_id=w.boss.id, resource_id=res.id)).resource_id == res.id
        return
    with pytest.raises(InvalidInput) as err:
        await envs.mark_shareable(actor_id=w.boss.id, resource_id=res.id)
    assert err.value.code == "resource_not_shareable"
    assert "instance, cluster, k8s_cluster" in str(err.value)
    assert await SharedEnvironment.filter(resource_id=res.id).count() == 0


async def test_mark_shareable_permissions_and_scoping(w):
    for actor in (w.holder, w.other_manager):
        with pytest.raises(PermissionDenied):
            await envs.mark_shareable(actor_id=actor.id, resource_id=w.vm.id)
    with pytest.raises(NotFound) as err:
        await envs.mark_shareable(actor_id=(await other_org_member()).id, resource_id=w.vm.id)
    assert err.value.code == "env_resource_not_found"
    assert not await SharedEnvironment.exists(resource_id=w.vm.id)


async def test_update_environment_replaces_fields(w):
    schedule = await PowerSchedule.create(organization_id=w.org_id, name="nights", timezone="UTC")
    await envs.update_environment(actor_id=w.team_manager.id, environment_id=w.env.id, name="stage-2",
                                  description="new", properties={"Software": "pg"}, ssh_only=True,
                                  max_booking_minutes=60, power_schedule_id=schedule.id)
    fresh = await SharedEnvironment.get(id=w.env.id)
    assert (fresh.name, fresh.description, fresh.properties, fresh.ssh_only) == ("stage-2", "new", {"Software": "pg"}, True)
    assert (fresh.max_booking_minutes, fresh.power_schedule_id) == (60, schedule.id)


async def test_update_environment_refusals_write_nothing(w):
    await envs.create_environment(actor_id=w.boss.id, pool_id=w.squad.id, name="prod")
    before = await _env_rows()
    form = {"environment_id": w.env.id, "description": "", "properties": {}, "ssh_only": False,
            "max_booking_minutes": None, "power_schedule_id": None}
    with pytest.raises(Conflict) as err:
        await envs.update_environment(actor_id=w.boss.id, name="Prod", **form)
    assert err.value.code == "environment_exists"
    for actor in (w.holder, w.other_manager):
        with pytest.raises(PermissionDenied):
            await envs.update_environment(actor_id=actor.id, name="x", **form)
    with pytest.raises(NotFound) as err:
        await envs.update_environment(actor_id=(await other_org_member()).id, name="x", **form)
    assert err.value.code == "environment_not_found"
    with pytest.raises(InvalidInput):
        await envs.update_environment(actor_id=w.boss.id, name="", **form)
    assert await _env_rows() == before
    same = await envs.update_environment(actor_id=w.boss.id, name="stage", **form)
    assert same.name == "stage"


async def test_set_active_refuses_who_does_not_manage_the_pool(w):
    with pytest.raises(PermissionDenied):
        await envs.set_environment_active(actor_id=w.eng.id, environment_id=w.env.id, active=False)
    assert (await SharedEnvironment.get(id=w.env.id)).active
    await envs.set_environment_active(actor_id=w.team_manager.id, environment_id=w.env.id, active=False)
    assert not (await SharedEnvironment.get(id=w.env.id)).active
    await envs.set_environment_active(actor_id=w.boss.id, environment_id=w.env.id, active=True)
    assert (await SharedEnvironment.get(id=w.env.id)).active


async def _book(w: World, env: SharedEnvironment, start: datetime, end: datetime | None) -> Booking:
    return await Booking.create(environment=env, member=w.holder, created_by=w.holder, starts_at=start, ends_at=end)


async def test_delete_environment_refused_while_in_use(w):
    booking = await _book(w, w.env, NOW - HOUR, NOW + HOUR)
    with pytest.raises(Conflict) as err:
        await envs.delete_environment(actor_id=w.boss.id, environment_id=w.env.id, now=NOW)
    assert err.value.code == "environment_in_use" and "holder" in str(err.value)
    with pytest.raises(PermissionDenied):
        await envs.delete_environment(actor_id=w.other_manager.id, environment_id=w.env.id, now=NOW + 2 * HOUR)
    assert await SharedEnvironment.exists(id=w.env.id) and await Booking.exists(id=booking.id)
    await envs.delete_environment(actor_id=w.team_manager.id, environment_id=w.env.id, now=NOW + HOUR)
    assert not await SharedEnvironment.exists(id=w.env.id) and not await Booking.exists(id=booking.id)


async def test_unmark_shareable_deletes_environment_but_keeps_resource(w):
    await envs.mark_shareable(actor_id=w.boss.id, resource_id=w.vm.id)
    with pytest.raises(PermissionDenied):
        await envs.unmark_shareable(actor_id=w.holder.id, resource_id=w.vm.id)
    with pytest.raises(NotFound) as err:
        await envs.unmark_shareable(actor_id=(await other_org_member()).id, resource_id=w.vm.id)
    assert err.value.code == "resource_not_shared"
    assert await SharedEnvironment.exists(resource_id=w.vm.id)
    await envs.unmark_shareable(actor_id=w.boss.id, resource_id=w.vm.id, now=NOW)
    assert not await SharedEnvironment.exists(resource_id=w.vm.id) and await Resource.exists(id=w.vm.id)
