from datetime import datetime, timezone

import pytest

from core.errors import NotFound, PermissionDenied
from core.models import DataSource, DataSourceKind, Pool, Resource, SharedEnvironment
from core.services import orgs
from core.services.assignment import create_rule, reapply_rules, update_rule
from core.services.environments import mark_shareable
from core.services.resources import upsert_resources
from tests.factories import make_member, make_org

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)


async def world():
    """web-* resources should go to Sub/lead by rule; the rest to the data source pool Ops."""
    fx = await make_org()
    team = await Pool.create(organization=fx.org, parent=fx.root, name="Team")
    sub = await Pool.create(organization=fx.org, parent=team, name="Sub")
    ops = await Pool.create(organization=fx.org, parent=fx.root, name="Ops")
    ds = await DataSource.create(organization=fx.org, name="AWS", kind=DataSourceKind.AWS_ROOT, pool=ops)
    lead = await make_member(fx, "lead@acme.test")
    await orgs.grant_pool(actor_id=fx.manager.id, member_id=lead.id, pool_id=team.id)
    eng = await make_member(fx, "eng@acme.test")
    placement = {  # cloud id -> (pool, owner) before re-applying
        "web-team": (team, eng), "web-sub": (sub, eng), "web-done": (sub, lead),
        "db-sub": (sub, lead), "db-root": (fx.root, None), "db-team": (team, None),
    }
    items = [{"cloud_resource_id": cid, "resource_type": "instance", "seen_at": T0} for cid in placement]
    await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=items)
    await upsert_resources(organization_id=fx.org.id, data_source_id=None,
                           items=[{"cloud_resource_id": "manual", "resource_type": "vm", "seen_at": T0}])
    placement["manual"] = (team, eng)
    for cid, (pool, owner) in placement.items():
        await Resource.filter(cloud_resource_id=cid).update(pool_id=pool.id, owner_id=owner.id if owner else None)
    rule = await create_rule(actor_id=fx.manager.id, name="web", pool_id=sub.id, owner_id=lead.id,
                             conditions=[{"type": "name_starts_with", "value": "web-"}])
    return fx, team, sub, ops, lead, eng, rule


async def placement():
    return {r.cloud_resource_id: (r.pool_id, r.owner_id) for r in await Resource.all()}


async def test_reapply_to_the_organization(db):
    fx, team, sub, ops, lead, eng, _ = await world()
    counts = await reapply_rules(actor_id=fx.manager.id)
    assert (counts.evaluated, counts.moved) == (7, 6)
    assert await placement() == {
        "web-team": (sub.id, lead.id), "web-sub": (sub.id, lead.id), "web-done": (sub.id, lead.id),
        "db-sub": (ops.id, lead.id), "db-root": (ops.id, None), "db-team": (ops.id, None),
        "manual": (fx.root.id, eng.id),
    }
    again = await reapply_rules(actor_id=fx.manager.id)
    assert (again.evaluated, again.moved) == (7, 0)


async def test_reapply_to_one_pool_without_sub_pools(db):
    fx, team, sub, ops, lead, eng, _ = await world()
    before = await placement()
    counts = await reapply_rules(actor_id=lead.id, pool_id=team.id)
    assert (counts.evaluated, counts.moved) == (3, 3)
    assert await placement() == {**before, "web-team": (sub.id, lead.id), "db-team": (ops.id, None),
                                 "manual": (fx.root.id, eng.id)}


async def test_reapply_to_one_pool_with_sub_pools(db):
    fx, team, sub, ops, lead, eng, _ = await world()
    before = await placement()
    counts = await reapply_rules(actor_id=lead.id, pool_id=team.id, include_children=True)
    assert (counts.evaluated, counts.moved) == (6, 5)
    assert await placement() == {**before, "web-team": (sub.id, lead.id), "web-sub": (sub.id, lead.id),
                                 "db-sub": (ops.id, lead.id), "db-team": (ops.id, None), "manual": (fx.root.id, eng.id)}


async def test_disabled_rules_are_not_applied(db):
    fx, team, sub, ops, lead, eng, rule = await world()
    await update_rule(actor_id=fx.manager.id, rule_id=rule.id, active=False)
    await reapply_rules(actor_id=fx.manager.id, pool_id=team.id)
    assert (await placement())["web-team"] == (ops.id, eng.id)


@pytest.mark.parametrize("who, scope, error, code", [
    ("lead", None, PermissionDenied, "not_org_manager"),
    ("lead", "ops", PermissionDenied, "not_pool_manager"),
    ("eng", "team", PermissionDenied, "not_pool_manager"),
    ("eng", None, PermissionDenied, "not_org_manager"),
    ("manager", "foreign", NotFound, "pool_not_found"),
])
async def test_reapply_refusals_move_nothing(db, who, scope, error, code):
    fx, team, sub, ops, lead, eng, _ = await world()
    other = await make_org("Beta", "boss@beta.test")
    before = await placement()
    pools = {None: None, "ops": ops.id, "team": team.id, "foreign": other.root.id}
    with pytest.raises(error) as err:
        await reapply_rules(actor_id={"lead": lead, "eng": eng, "manager": fx.manager}[who].id, pool_id=pools[scope])
    assert err.value.code == code
    assert await placement() == before


async def test_a_shared_environment_follows_its_resource_to_the_new_pool(db):
    fx, team, sub, ops, lead, eng, _ = await world()
    resource = await Resource.get(cloud_resource_id="web-team")
    env = await mark_shareable(actor_id=fx.manager.id, resource_id=resource.id)
    assert env.pool_id == team.id
    await reapply_rules(actor_id=fx.manager.id)
    assert (await SharedEnvironment.get(id=env.id)).pool_id == sub.id
