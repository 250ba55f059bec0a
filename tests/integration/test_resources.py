from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.models import AssignmentRule, DataSource, DataSourceKind, Expense, Pool, Resource, SharedEnvironment
from core.services import orgs
from core.services.environments import mark_shareable
from core.services.resources import (
    ResourceItem,
    replace_expenses,
    set_resource_owner_pool,
    upsert_expenses,
    upsert_resources,
)
from tests.factories import make_member, make_org

T0 = datetime(2024, 5, 10, 8, 0, tzinfo=timezone.utc)


def item(cid, **kw):
    return {"cloud_resource_id": cid, "resource_type": "instance", "seen_at": T0, **kw}


async def world(name="Acme"):
    fx = await make_org(name=name, email=f"boss@{name.lower()}.test")
    team = await Pool.create(organization=fx.org, parent=fx.root, name="Team")
    ds_pool = await Pool.create(organization=fx.org, parent=fx.root, name="AWS pool")
    ds = await DataSource.create(organization=fx.org, name="AWS", kind=DataSourceKind.AWS_ROOT, pool=ds_pool)
    return fx, team, ds


async def one(fx, ds, cid="i-1", **kw):
    await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id if ds else None, items=[item(cid, **kw)])
    return await Resource.get(organization_id=fx.org.id, cloud_resource_id=cid)


async def test_new_resources_fall_back_to_the_data_source_pool_without_owner(db):
    fx, _, ds = await world()
    counts = await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=[
        item("i-1", name="web", region="eu-west-1", tags={"env": "prod"}),
        ResourceItem(cloud_resource_id="vol-1", resource_type="volume", seen_at=T0, active=False)])
    assert (counts.created, counts.updated) == (2, 0)
    web = await Resource.get(cloud_resource_id="i-1")
    assert (web.pool_id, web.owner_id, web.data_source_id) == (ds.pool_id, None, ds.id)
    assert (web.name, web.region, web.tags, web.first_seen, web.last_seen) == ("web", "eu-west-1", {"env": "prod"}, T0, T0)
    assert not (await Resource.get(cloud_resource_id="vol-1")).active


async def test_without_data_source_new_resources_go_to_the_root_pool(db):
    fx, _, _ = await world()
    resource = await one(fx, None)
    assert (resource.pool_id, resource.data_source_id) == (fx.root.id, None)


async def test_new_resources_follow_the_first_active_matching_rule(db):
    fx, team, ds = await world()
    eng = await make_member(fx, "eng@acme.test")
    other = await Pool.create(organization=fx.org, parent=fx.root, name="Other")
    common = dict(organization=fx.org, conditions=[{"type": "name_starts_with", "value": "web"}])
    await AssignmentRule.create(name="off", priority=1, active=False, pool=other, owner=fx.manager, **common)
    await AssignmentRule.create(name="second", priority=3, pool=other, owner=fx.manager, **common)
    await AssignmentRule.create(name="first", priority=2, pool=team, owner=eng, **common)
    web = await one(fx, ds, name="Web-1")
    assert (web.pool_id, web.owner_id) == (team.id, eng.id)
    db_ = await one(fx, ds, "i-2", name="db-1")
    assert (db_.pool_id, db_.owner_id) == (ds.pool_id, None)


async def test_known_resources_are_refreshed_but_keep_pool_and_owner(db):
    fx, team, ds = await world()
    await one(fx, ds, name="old", tags={"a": "1"})
    await Resource.filter(cloud_resource_id="i-1").update(pool_id=team.id, owner_id=fx.manager.id)
    later = T0 + timedelta(days=1)
    counts = await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=[
        item("i-1", name="new", region="us-east-1", tags={"b": "2"}, seen_at=later, active=False), item("i-2")])
    assert (counts.created, counts.updated) == (1, 1)
    r = await Resource.get(cloud_resource_id="i-1")
    assert (r.name, r.region, r.tags, r.active, r.first_seen, r.last_seen) == ("new", "us-east-1", {"b": "2"}, False, T0, later)
    assert (r.pool_id, r.owner_id) == (team.id, fx.manager.id)
    assert await Resource.all().count() == 2


async def test_an_older_observation_only_moves_first_seen_back(db):
    fx, _, ds = await world()
    await one(fx, ds, name="current")
    earlier = T0 - timedelta(days=3)
    await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id,
                           items=[item("i-1", name="stale", seen_at=earlier, active=False)])
    r = await Resource.get(cloud_resource_id="i-1")
    assert (r.name, r.active, r.first_seen, r.last_seen) == ("current", True, earlier, T0)


async def test_resources_are_keyed_per_organization(db):
    fx, _, ds = await world()
    fx2, _, ds2 = await world("Beta")
    await one(fx, ds)
    await one(fx2, ds2)
    assert await Resource.filter(cloud_resource_id="i-1").count() == 2


async def test_large_batches_are_created_then_updated(db):
    fx, _, ds = await world()
    items = [item(f"i-{n}") for n in range(1234)]
    first = await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=items)
    again = await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=items + [item("i-1")])
    assert (first.created, first.updated, again.created, again.updated) == (1234, 0, 0, 1234)
    assert await Resource.all().count() == 1234


@pytest.mark.parametrize("bad, code", [
    (item("  "), "blank_value"),
    (item("i-x", resource_type=""), "blank_value"),
    (item("i-x", region="r" * 65), "value_too_long"),
    (item("i-x", seen_at=datetime(2024, 5, 1)), "resource_seen_at_invalid"),
])
async def test_a_bad_item_refuses_the_whole_batch(db, bad, code):
    fx, _, ds = await world()
    with pytest.raises(InvalidInput) as err:
        await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=[item("ok"), bad])
    assert err.value.code == code
    assert await Resource.all().count() == 0


async def test_a_data_source_of_another_organization_is_not_found(db):
    fx, _, _ = await world()
    _, _, foreign = await world("Beta")
    with pytest.raises(NotFound) as err:
        await upsert_resources(organization_id=fx.org.id, data_source_id=foreign.id, items=[item("i-1")])
    assert err.value.code == "data_source_not_found"
    assert await Resource.all().count() == 0


async def costs():
    return {(e.resource_id, e.day): e.cost for e in await Expense.all()}


async def test_expense_upsert_is_idempotent_and_replaces_the_cost(db):
    fx, _, ds = await world()
    r = await one(fx, ds)
    d1, d2 = date(2024, 5, 1), date(2024, 5, 2)
    assert await upsert_expenses(rows=[(r.id, d1, "1.5"), (r.id, d2, Decimal("2"))]) == 2
    assert await upsert_expenses(rows=[(r.id, d1, 3.25), (r.id, d1, "4.1234567")]) == 1
    assert await costs() == {(r.id, d1): Decimal("4.123457"), (r.id, d2): Decimal("2")}


@pytest.mark.parametrize("row, error, code", [
    ((999999, date(2024, 5, 1), "1"), NotFound, "resource_not_found"),
    (("RID", "2024-05-01", "1"), InvalidInput, "expense_day_invalid"),
    (("RID", date(2024, 5, 1), "lots"), InvalidInput, "expense_cost_invalid"),
    (("RID", date(2024, 5, 1), "1e20"), InvalidInput, "expense_cost_invalid"),
])
async def test_expense_upsert_refuses_bad_rows_and_writes_nothing(db, row, error, code):
    fx, _, ds = await world()
    r = await one(fx, ds)
    await upsert_expenses(rows=[(r.id, date(2024, 5, 1), "1")])
    bad = tuple(r.id if v == "RID" else v for v in row)
    with pytest.raises(error) as err:
        await upsert_expenses(rows=[(r.id, date(2024, 5, 1), "9"), bad])
    assert err.value.code == code
    assert await costs() == {(r.id, date(2024, 5, 1)): Decimal("1")}


async def replace_world():
    fx, _, ds = await world()
    other_ds = await DataSource.create(organization=fx.org, name="AWS 2", kind=DataSourceKind.AWS_ROOT, pool=fx.root)
    a, b = await one(fx, ds, "a"), await one(fx, ds, "b")
    c = await one(fx, other_ds, "c")
    days = [date(2024, 4, 30), date(2024, 5, 1), date(2024, 5, 31)]
    await upsert_expenses(rows=[(r.id, d, "1") for r in (a, b, c) for d in days])
    return ds, a, b, c


async def test_replace_expenses_of_a_data_source_for_a_range(db):
    ds, a, b, c = await replace_world()
    may = (date(2024, 5, 1), date(2024, 5, 31))
    written = await replace_expenses(data_source_id=ds.id, start_day=may[0], end_day=may[1],
                                     rows=[(a.id, date(2024, 5, 15), "7")])
    assert written == 1
    assert await costs() == {
        (a.id, date(2024, 4, 30)): 1, (b.id, date(2024, 4, 30)): 1, (a.id, date(2024, 5, 15)): 7,
        **{(c.id, d): 1 for d in (date(2024, 4, 30), *may)}}


async def test_replace_expenses_of_some_resources(db):
    _, a, b, c = await replace_world()
    await replace_expenses(resource_ids=[a.id, c.id], start_day=date(2024, 4, 30), end_day=date(2024, 5, 1),
                           rows=[(c.id, date(2024, 5, 1), "5")])
    left = await costs()
    assert not any(key[0] == a.id and key[1] < date(2024, 5, 2) for key in left)
    assert left[(c.id, date(2024, 5, 1))] == 5 and (c.id, date(2024, 4, 30)) not in left
    assert left[(a.id, date(2024, 5, 31))] == 1 and left[(b.id, date(2024, 4, 30))] == 1


MAY = {"start_day": date(2024, 5, 1), "end_day": date(2024, 5, 31)}


@pytest.mark.parametrize("make_args, code", [
    (lambda ds, a, c: {"resource_ids": [a], "data_source_id": ds, **MAY}, "expense_scope_required"),
    (lambda ds, a, c: {**MAY}, "expense_scope_required"),
    (lambda ds, a, c: {"data_source_id": ds, "start_day": date(2024, 6, 1), "end_day": date(2024, 5, 31)},
     "expense_range_invalid"),
    (lambda ds, a, c: {"data_source_id": ds, "rows": [(a, date(2024, 6, 1), "1")], **MAY}, "expense_day_outside_range"),
    (lambda ds, a, c: {"data_source_id": ds, "rows": [(a, date(2024, 5, 2), "1"), (c, date(2024, 5, 2), "1")], **MAY},
     "expense_resource_outside_scope"),
    (lambda ds, a, c: {"resource_ids": [c], "rows": [(a, date(2024, 5, 2), "1")], **MAY},
     "expense_resource_outside_scope"),
])
async def test_replace_expenses_refuses_bad_input_and_changes_nothing(db, make_args, code):
    ds, a, _, c = await replace_world()
    before = await costs()
    with pytest.raises(InvalidInput) as err:
        await replace_expenses(**{"rows": [], **make_args(ds.id, a.id, c.id)})
    assert err.value.code == code
    assert await costs() == before


async def owner_pool_world():
    fx, team, ds = await world()
    sub = await Pool.create(organization=fx.org, parent=team, name="Sub")
    lead = await make_member(fx, "lead@acme.test")
    await orgs.grant_pool(actor_id=fx.manager.id, member_id=lead.id, pool_id=team.id)
    eng = await make_member(fx, "eng@acme.test")
    r = await one(fx, ds)
    await Resource.filter(id=r.id).update(pool_id=team.id, owner_id=eng.id)
    return fx, team, sub, ds, lead, eng, r


async def placed(r):
    fresh = await Resource.get(id=r.id)
    return fresh.pool_id, fresh.owner_id


async def test_managers_move_resources_and_change_owners(db):
    fx, team, sub, ds, lead, eng, r = await owner_pool_world()
    moved = await set_resource_owner_pool(actor_id=lead.id, resource_id=r.id, pool_id=sub.id, owner_id=lead.id)
    assert (moved.pool_id, moved.owner_id) == (sub.id, lead.id) == await placed(r)
    await set_resource_owner_pool(actor_id=fx.manager.id, resource_id=r.id, pool_id=ds.pool_id)
    assert await placed(r) == (ds.pool_id, lead.id)
    await set_resource_owner_pool(actor_id=fx.manager.id, resource_id=r.id, owner_id=eng.id)
    assert await placed(r) == (ds.pool_id, eng.id)


async def test_a_shared_environment_moves_with_its_resource(db):
    fx, team, sub, ds, lead, eng, r = await owner_pool_world()
    env = await mark_shareable(actor_id=fx.manager.id, resource_id=r.id)
    await set_resource_owner_pool(actor_id=lead.id, resource_id=r.id, pool_id=sub.id)
    assert (await SharedEnvironment.get(id=env.id)).pool_id == sub.id


async def test_an_owner_may_move_into_a_pool_they_manage(db):
    fx, team, sub, ds, lead, eng, r = await owner_pool_world()
    await Resource.filter(id=r.id).update(pool_id=ds.pool_id, owner_id=lead.id)
    await set_resource_owner_pool(actor_id=lead.id, resource_id=r.id, pool_id=sub.id)
    assert await placed(r) == (sub.id, lead.id)


@pytest.mark.parametrize("who, target, code", [
    ("eng", "sub", "not_pool_manager"),          # owner, but manages no target
    ("eng", None, "not_pool_manager"),           # owner changing only the owner needs the current pool
    ("other", "sub", "not_owner_or_manager"),
    ("lead", "ds", "not_pool_manager"),          # manages the current pool, not the target
])
async def test_owner_pool_change_refusals(db, who, target, code):
    fx, team, sub, ds, lead, eng, r = await owner_pool_world()
    people = {"eng": eng, "lead": lead, "other": await make_member(fx, "other@acme.test")}
    pools = {"sub": sub.id, "ds": ds.pool_id, None: None}
    with pytest.raises(PermissionDenied) as err:
        await set_resource_owner_pool(actor_id=people[who].id, resource_id=r.id, pool_id=pools[target],
                                      owner_id=lead.id if target is None else None)
    assert err.value.code == code
    assert await placed(r) == (team.id, eng.id)


async def test_lead_cannot_take_a_resource_from_a_pool_they_do_not_manage(db):
    fx, team, sub, ds, lead, eng, r = await owner_pool_world()
    await Resource.filter(id=r.id).update(pool_id=ds.pool_id)
    with pytest.raises(PermissionDenied) as err:
        await set_resource_owner_pool(actor_id=lead.id, resource_id=r.id, pool_id=team.id)
    assert err.value.code == "not_owner_or_manager"
    assert await placed(r) == (ds.pool_id, eng.id)


async def test_owner_pool_change_refuses_foreign_or_missing_input(db):
    fx, team, sub, ds, lead, eng, r = await owner_pool_world()
    fx2, team2, ds2 = await world("Beta")
    foreign = await one(fx2, ds2, "i-beta")
    attempts = [
        (dict(resource_id=foreign.id, pool_id=team.id), NotFound, "resource_not_found"),
        (dict(resource_id=r.id, pool_id=team2.id), NotFound, "pool_not_found"),
        (dict(resource_id=r.id, owner_id=fx2.manager.id), NotFound, "member_not_found"),
        (dict(resource_id=r.id), InvalidInput, "resource_change_empty"),
    ]
    for kwargs, error, code in attempts:
        with pytest.raises(error) as err:
            await set_resource_owner_pool(actor_id=fx.manager.id, **kwargs)
        assert err.value.code == code
    assert await placed(r) == (team.id, eng.id)
    assert await placed(foreign) == (ds2.pool_id, None)
