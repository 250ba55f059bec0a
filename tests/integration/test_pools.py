"""Creating, editing and deleting pools: the limit-sum rule, permissions and what a deletion moves."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import (Alert, AlertBasis, AssignmentRule, ConstraintKind, DataSource, DataSourceKind, Member,
                         Pool, PoolPolicy, Resource, SharedEnvironment)
from core.services import orgs
from core.services.pools import create_pool, delete_pool, update_pool
from tests.factories import make_member, make_org

SEEN = datetime(2024, 1, 1, tzinfo=timezone.utc)


async def _pools() -> list[tuple]:
    return [tuple(p) for p in await Pool.all().order_by("id").values_list("id", "parent_id", "name", "monthly_limit")]


async def _pool_manager(fx, email: str, pool: Pool) -> Member:
    member = await make_member(fx, email)
    return await orgs.grant_pool(actor_id=fx.manager.id, member_id=member.id, pool_id=pool.id)


async def test_create_pool_under_the_root(db):
    fx = await make_org()
    pool = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="  dev ", monthly_limit="250")
    stored = await Pool.get(id=pool.id)
    assert (stored.name, stored.parent_id, stored.monthly_limit) == ("dev", fx.root.id, Decimal("250"))
    assert stored.organization_id == fx.org.id


@pytest.mark.parametrize("name, limit, code", [
    (" ", 0, "blank_value"), ("x" * 256, 0, "value_too_long"), ("dev", -1, "value_out_of_range"),
    ("dev", "12.5", "not_a_whole_number"), ("dev", "lots", "not_a_whole_number"),
    ("dev", 10**13, "value_out_of_range"),
])
async def test_create_pool_rejects_bad_input_and_writes_nothing(db, name, limit, code):
    fx = await make_org()
    before = await _pools()
    with pytest.raises(InvalidInput) as err:
        await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name=name, monthly_limit=limit)
    assert err.value.code == code
    assert await _pools() == before


async def test_sibling_names_are_unique_ignoring_case(db):
    fx = await make_org()
    dev = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="dev")
    before = await _pools()
    with pytest.raises(Conflict) as err:
        await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="DEV")
    assert (err.value.code, err.value.params) == ("pool_name_taken", {"field": "name", "name": "DEV", "parent": "Acme"})
    assert await _pools() == before
    await create_pool(actor_id=fx.manager.id, parent_id=dev.id, name="dev")  # a cousin may share it
    other = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="ops")
    with pytest.raises(Conflict):
        await update_pool(actor_id=fx.manager.id, pool_id=other.id, name="Dev")
    assert (await Pool.get(id=other.id)).name == "ops"
    assert (await update_pool(actor_id=fx.manager.id, pool_id=dev.id, name="Dev")).name == "Dev"


async def test_children_limits_may_add_up_to_the_parents_but_not_more(db):
    fx = await make_org()
    make = lambda name, limit: create_pool(actor_id=fx.manager.id, parent_id=team.id,  # noqa: E731
                                           name=name, monthly_limit=limit)
    team = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="team", monthly_limit=1000)
    await make("a", 600)
    before = await _pools()
    with pytest.raises(InvalidInput) as err:
        await make("b", 401)
    assert err.value.code == "pool_limit_exceeds_parent"
    assert err.value.params == {"field": "monthly_limit", "parent": "team", "parent_limit": "1,000", "room": "400",
                                "limit": "401"}
    assert "at most 400" in str(err.value)
    assert await _pools() == before
    await make("b", "400.00")  # exactly the parent's limit in total
    await make("free", 0)  # no limit contributes nothing
    with pytest.raises(InvalidInput) as err:
        await make("c", 1)
    assert err.value.params["room"] == "0"


async def test_a_parent_without_limit_takes_any_children_limits(db):
    fx = await make_org()
    await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="a", monthly_limit=10**9)
    await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="b", monthly_limit=10**9)
    assert await Pool.filter(parent_id=fx.root.id).count() == 2


async def test_update_limit_keeps_the_sum_rule_both_ways(db):
    fx = await make_org()
    team = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="team", monthly_limit=1000)
    a = await create_pool(actor_id=fx.manager.id, parent_id=team.id, name="a", monthly_limit=600)
    await create_pool(actor_id=fx.manager.id, parent_id=team.id, name="b", monthly_limit=300)
    assert (await update_pool(actor_id=fx.manager.id, pool_id=a.id, monthly_limit=700)).monthly_limit == 700
    before = await _pools()
    with pytest.raises(InvalidInput) as err:
        await update_pool(actor_id=fx.manager.id, pool_id=a.id, name="renamed", monthly_limit=701)
    assert (err.value.code, err.value.params["room"]) == ("pool_limit_exceeds_parent", "700")
    with pytest.raises(InvalidInput) as err:
        await update_pool(actor_id=fx.manager.id, pool_id=team.id, monthly_limit=999)
    assert err.value.code == "pool_limit_below_children"
    assert err.value.params == {"field": "monthly_limit", "pool": "team", "limit": "999", "children_total": "1,000"}
    with pytest.raises(InvalidInput):
        await update_pool(actor_id=fx.manager.id, pool_id=team.id, monthly_limit=-5)
    assert await _pools() == before
    await update_pool(actor_id=fx.manager.id, pool_id=team.id, monthly_limit=0)  # no limit: children are free
    await update_pool(actor_id=fx.manager.id, pool_id=a.id, monthly_limit=5000)
    with pytest.raises(InvalidInput) as err:
        await update_pool(actor_id=fx.manager.id, pool_id=team.id, monthly_limit=5299)
    assert err.value.params["children_total"] == "5,300"
    assert (await update_pool(actor_id=fx.manager.id, pool_id=team.id, monthly_limit=5300)).monthly_limit == 5300


async def test_a_pool_manager_cannot_raise_their_pool_beyond_the_parents_room(db):
    fx = await make_org()
    team = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="team", monthly_limit=100)
    mine = await create_pool(actor_id=fx.manager.id, parent_id=team.id, name="mine", monthly_limit=50)
    manager = await _pool_manager(fx, "pm@acme.test", mine)
    await update_pool(actor_id=manager.id, pool_id=mine.id, monthly_limit=100)
    with pytest.raises(InvalidInput) as err:
        await update_pool(actor_id=manager.id, pool_id=mine.id, monthly_limit=101)
    assert err.value.code == "pool_limit_exceeds_parent"
    with pytest.raises(PermissionDenied):
        await update_pool(actor_id=manager.id, pool_id=team.id, monthly_limit=1000)
    assert (await Pool.get(id=mine.id)).monthly_limit == 100 and (await Pool.get(id=team.id)).monthly_limit == 100


async def test_permissions(db):
    fx = await make_org()
    dev = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="dev")
    ops = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="ops")
    leaf = await create_pool(actor_id=fx.manager.id, parent_id=dev.id, name="leaf")
    engineer = await make_member(fx, "eng@acme.test")
    sibling = await _pool_manager(fx, "ops@acme.test", ops)
    before = await _pools()
    for actor in (engineer, sibling):
        with pytest.raises(PermissionDenied) as err:
            await create_pool(actor_id=actor.id, parent_id=dev.id, name="new")
        assert err.value.code == "not_pool_manager"
        with pytest.raises(PermissionDenied):
            await update_pool(actor_id=actor.id, pool_id=leaf.id, name="mine")
        with pytest.raises(PermissionDenied):
            await delete_pool(actor_id=actor.id, pool_id=leaf.id)
    assert await _pools() == before
    parent_manager = await _pool_manager(fx, "dev@acme.test", dev)
    with pytest.raises(PermissionDenied):  # deleting a pool needs its parent
        await delete_pool(actor_id=parent_manager.id, pool_id=dev.id)
    new = await create_pool(actor_id=parent_manager.id, parent_id=leaf.id, name="new")
    await update_pool(actor_id=parent_manager.id, pool_id=dev.id, name="development")
    await update_pool(actor_id=parent_manager.id, pool_id=leaf.id, monthly_limit=10)
    await delete_pool(actor_id=parent_manager.id, pool_id=new.id)
    await delete_pool(actor_id=parent_manager.id, pool_id=leaf.id)
    assert sorted(await Pool.all().values_list("name", flat=True)) == ["Acme", "development", "ops"]


async def test_pools_of_another_organization_are_not_found(db):
    fx = await make_org()
    other = await make_org("Other", "boss@other.test")
    theirs = await create_pool(actor_id=other.manager.id, parent_id=other.root.id, name="theirs")
    before = await _pools()
    for call in (create_pool(actor_id=fx.manager.id, parent_id=other.root.id, name="x"),
                 update_pool(actor_id=fx.manager.id, pool_id=theirs.id, monthly_limit=1),
                 delete_pool(actor_id=fx.manager.id, pool_id=theirs.id),
                 delete_pool(actor_id=fx.manager.id, pool_id=987654)):
        with pytest.raises(NotFound) as err:
            await call
        assert err.value.code == "pool_not_found"
    assert await _pools() == before


async def test_deleting_a_pool_with_sub_pools_or_the_root_is_refused(db):
    fx = await make_org()
    dev = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="dev")
    for name in ("a", "b"):
        await create_pool(actor_id=fx.manager.id, parent_id=dev.id, name=name)
    before = await _pools()
    with pytest.raises(Conflict) as err:
        await delete_pool(actor_id=fx.manager.id, pool_id=dev.id)
    assert (err.value.code, err.value.params) == ("pool_has_sub_pools", {"pool": "dev", "count": 2})
    with pytest.raises(Conflict) as err:
        await delete_pool(actor_id=fx.manager.id, pool_id=fx.root.id)
    assert err.value.code == "root_pool_undeletable"
    assert await _pools() == before


async def test_delete_moves_what_pointed_to_the_pool(db):
    fx = await make_org()
    dev = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="dev")
    leaf = await create_pool(actor_id=fx.manager.id, parent_id=dev.id, name="leaf")
    pm = await _pool_manager(fx, "pm@acme.test", leaf)
    await orgs.grant_pool(actor_id=fx.manager.id, member_id=pm.id, pool_id=dev.id)
    resources = [await Resource.create(organization=fx.org, cloud_resource_id=f"vm-{i}", resource_type="instance",
                                       pool=leaf, first_seen=SEEN, last_seen=SEEN) for i in range(2)]
    kept = await Resource.create(organization=fx.org, cloud_resource_id="kept", resource_type="instance",
                                 pool=dev, first_seen=SEEN, last_seen=SEEN)
    env = await SharedEnvironment.create(organization=fx.org, pool=leaf, name="staging")
    rule = await AssignmentRule.create(organization=fx.org, name="r", priority=1, pool=leaf, owner=fx.manager)
    source = await DataSource.create(organization=fx.org, name="aws", kind=DataSourceKind.AWS_ROOT, pool=leaf)
    await Alert.create(organization=fx.org, pool=leaf, based_on=AlertBasis.COST)
    await Alert.create(organization=fx.org, pool=dev, based_on=AlertBasis.COST)
    await PoolPolicy.create(pool=leaf, kind=ConstraintKind.TTL, value=24)

    result = await delete_pool(actor_id=fx.manager.id, pool_id=leaf.id)

    assert (result.name, result.parent.id, result.root.id) == ("leaf", dev.id, fx.root.id)
    assert (result.resources, result.environments, result.rules, result.data_sources) == (2, 1, 1, 1)
    assert not await Pool.exists(id=leaf.id)
    assert {r.pool_id for r in await Resource.filter(id__in=[r.id for r in resources])} == {dev.id}
    assert (await Resource.get(id=kept.id)).pool_id == dev.id
    assert (await SharedEnvironment.get(id=env.id)).pool_id == dev.id
    assert (await AssignmentRule.get(id=rule.id)).pool_id == fx.root.id
    assert (await DataSource.get(id=source.id)).pool_id == fx.root.id
    assert await Alert.all().values_list("pool_id", flat=True) == [dev.id]
    assert await PoolPolicy.all().count() == 0
    member = await Member.get(id=pm.id).prefetch_related("managed_pools")
    assert [p.id for p in member.managed_pools] == [dev.id]
