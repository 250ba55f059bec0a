import pytest

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.models import AssignmentRule, DataSource, DataSourceKind, Pool
from core.services import orgs
from core.services.assignment import create_rule, delete_rule, move_rule, update_rule
from tests.factories import make_member, make_org

WEB = [{"type": "name_starts_with", "value": "web"}]


async def world(name="Acme"):
    fx = await make_org(name=name, email=f"boss@{name.lower()}.test")
    team = await Pool.create(organization=fx.org, parent=fx.root, name="Team")
    sub = await Pool.create(organization=fx.org, parent=team, name="Sub")
    ops = await Pool.create(organization=fx.org, parent=fx.root, name="Ops")
    ds = await DataSource.create(organization=fx.org, name="AWS", kind=DataSourceKind.AWS_ROOT, pool=ops)
    lead = await make_member(fx, f"lead@{name.lower()}.test")
    await orgs.grant_pool(actor_id=fx.manager.id, member_id=lead.id, pool_id=team.id)
    eng = await make_member(fx, f"eng@{name.lower()}.test")
    return fx, team, sub, ops, ds, lead, eng


async def rule(fx, name, pool, conditions=WEB, owner=None):
    return await create_rule(actor_id=fx.manager.id, name=name, conditions=conditions, pool_id=pool.id,
                             owner_id=(owner or fx.manager).id)


async def order(fx):
    rules = await AssignmentRule.filter(organization_id=fx.org.id).order_by("priority")
    assert [r.priority for r in rules] == list(range(1, len(rules) + 1))
    return [r.name for r in rules]


async def test_a_new_rule_goes_to_the_top_with_cleaned_conditions(db):
    fx, team, sub, ops, ds, lead, eng = await world()
    await rule(fx, "old", ops)
    new = await create_rule(actor_id=lead.id, name=" New ", pool_id=sub.id, owner_id=eng.id,
                            conditions=[{"type": "source_is", "value": str(ds.id)}, {"type": "tag_exists", "key": "env"}])
    assert (new.name, new.priority, new.active, new.pool_id, new.owner_id) == ("New", 1, True, sub.id, eng.id)
    assert new.conditions == [{"type": "source_is", "value": ds.id}, {"type": "tag_exists", "key": "env"}]
    assert await order(fx) == ["New", "old"]


@pytest.mark.parametrize("change, error, code", [
    (lambda other: dict(name=" "), InvalidInput, "blank_value"),
    (lambda other: dict(conditions=[]), InvalidInput, "conditions_empty"),
    (lambda other: dict(conditions=[{"type": "name_like", "value": "x"}]), InvalidInput, "unknown_condition_type"),
    (lambda other: dict(conditions=[{"type": "tag_is", "value": "x"}]), InvalidInput, "condition_part_missing"),
    (lambda other: dict(pool_id=other["pool"]), NotFound, "pool_not_found"),
    (lambda other: dict(owner_id=other["owner"]), NotFound, "member_not_found"),
    (lambda other: dict(conditions=[{"type": "source_is", "value": other["source"]}]), NotFound, "data_source_not_found"),
])
async def test_create_rule_refuses_bad_input_and_writes_nothing(db, change, error, code):
    fx, team, *_ = await world()
    fx2, team2, _, _, ds2, _, _ = await world("Beta")
    other = {"pool": team2.id, "owner": fx2.manager.id, "source": ds2.id}
    args = {"name": "r", "conditions": WEB, "pool_id": team.id, "owner_id": fx.manager.id, **change(other)}
    with pytest.raises(error) as err:
        await create_rule(actor_id=fx.manager.id, **args)
    assert err.value.code == code
    assert await AssignmentRule.all().count() == 0


@pytest.mark.parametrize("who, pool, allowed", [
    ("manager", "ops", True), ("lead", "team", True), ("lead", "sub", True),
    ("lead", "ops", False), ("eng", "team", False),
])
async def test_who_may_create_rules(db, who, pool, allowed):
    fx, team, sub, ops, ds, lead, eng = await world()
    actor = {"manager": fx.manager, "lead": lead, "eng": eng}[who]
    target = {"team": team, "sub": sub, "ops": ops}[pool]
    if allowed:
        await create_rule(actor_id=actor.id, name="r", conditions=WEB, pool_id=target.id, owner_id=eng.id)
    else:
        with pytest.raises(PermissionDenied) as err:
            await create_rule(actor_id=actor.id, name="r", conditions=WEB, pool_id=target.id, owner_id=eng.id)
        assert err.value.code == "not_pool_manager"
    assert await AssignmentRule.all().count() == (1 if allowed else 0)


@pytest.mark.parametrize("name, move, expected", [
    ("c", "prioritize", ["c", "a", "b", "d"]),
    ("a", "prioritize", ["a", "b", "c", "d"]),
    ("c", "promote", ["a", "c", "b", "d"]),
    ("a", "promote", ["a", "b", "c", "d"]),
    ("b", "demote", ["a", "c", "b", "d"]),
    ("d", "demote", ["a", "b", "c", "d"]),
    ("b", "deprioritize", ["a", "c", "d", "b"]),
    ("d", "deprioritize", ["a", "b", "c", "d"]),
])
async def test_moving_rules_keeps_priorities_contiguous(db, name, move, expected):
    fx, team, sub, ops, *_ = await world()
    rules = {n: await rule(fx, n, ops) for n in ("d", "c", "b", "a")}
    ids = await move_rule(actor_id=fx.manager.id, rule_id=rules[name].id, move=move)
    assert ids == [rules[n].id for n in expected]
    assert await order(fx) == expected


async def test_move_refusals_leave_the_order_alone(db):
    fx, team, sub, ops, ds, lead, eng = await world()
    fx2, *_ = await world("Beta")
    ops_rule = await rule(fx, "ops", ops)
    team_rule = await rule(fx, "team", team)
    foreign = await rule(fx2, "foreign", fx2.root)
    with pytest.raises(PermissionDenied):
        await move_rule(actor_id=lead.id, rule_id=ops_rule.id, move="prioritize")
    with pytest.raises(InvalidInput) as err:
        await move_rule(actor_id=lead.id, rule_id=team_rule.id, move="sideways")
    assert err.value.code == "not_in_choices"
    with pytest.raises(NotFound) as err:
        await move_rule(actor_id=fx.manager.id, rule_id=foreign.id, move="demote")
    assert err.value.code == "assignment_rule_not_found"
    assert await order(fx) == ["team", "ops"]
    await move_rule(actor_id=lead.id, rule_id=team_rule.id, move="deprioritize")
    assert await order(fx) == ["ops", "team"]


async def test_edit_rule_fields_and_disable_it(db):
    fx, team, sub, ops, ds, lead, eng = await world()
    r = await rule(fx, "r", team)
    edited = await update_rule(actor_id=lead.id, rule_id=r.id, name="renamed", pool_id=sub.id, owner_id=eng.id,
                               conditions=[{"type": "region_is", "value": "eu-west-1"}], active=False)
    fresh = await AssignmentRule.get(id=r.id)
    assert (fresh.name, fresh.pool_id, fresh.owner_id, fresh.active, fresh.conditions) == (
        "renamed", sub.id, eng.id, False, [{"type": "region_is", "value": "eu-west-1"}])
    assert edited.name == "renamed"
    await update_rule(actor_id=lead.id, rule_id=r.id, active=True)
    assert (await AssignmentRule.get(id=r.id)).active and (await AssignmentRule.get(id=r.id)).name == "renamed"


@pytest.mark.parametrize("actor, change, error, code", [
    ("lead", lambda ids: dict(pool_id=ids["ops"]), PermissionDenied, "not_pool_manager"),
    ("eng", lambda ids: dict(name="x"), PermissionDenied, "not_pool_manager"),
    ("manager", lambda ids: dict(name="ok", conditions=[{"type": "tag_is", "key": "env"}]), InvalidInput,
     "condition_part_missing"),
    ("manager", lambda ids: dict(name="ok", owner_id=ids["foreign_owner"]), NotFound, "member_not_found"),
    ("manager", lambda ids: dict(name="ok", pool_id=ids["foreign_pool"]), NotFound, "pool_not_found"),
    ("manager", lambda ids: dict(name="ok", active=False, rule_id=ids["foreign_rule"]), NotFound,
     "assignment_rule_not_found"),
])
async def test_edit_refusals_change_nothing(db, actor, change, error, code):
    fx, team, sub, ops, ds, lead, eng = await world()
    fx2, team2, *_ = await world("Beta")
    r = await rule(fx, "r", team)
    foreign_rule = await rule(fx2, "foreign", team2)
    ids = {"ops": ops.id, "foreign_owner": fx2.manager.id, "foreign_pool": team2.id, "foreign_rule": foreign_rule.id}
    with pytest.raises(error) as err:
        await update_rule(actor_id={"lead": lead, "eng": eng, "manager": fx.manager}[actor].id,
                          **{"rule_id": r.id, **change(ids)})
    assert err.value.code == code
    for rule_id, name, pool in ((r.id, "r", team), (foreign_rule.id, "foreign", team2)):
        fresh = await AssignmentRule.get(id=rule_id)
        assert (fresh.name, fresh.pool_id, fresh.conditions, fresh.active) == (name, pool.id, WEB, True)


async def test_delete_rule_closes_the_gap(db):
    fx, team, sub, ops, ds, lead, eng = await world()
    rules = {n: await rule(fx, n, team if n == "b" else ops) for n in ("c", "b", "a")}
    with pytest.raises(PermissionDenied):
        await delete_rule(actor_id=lead.id, rule_id=rules["a"].id)
    with pytest.raises(PermissionDenied):
        await delete_rule(actor_id=eng.id, rule_id=rules["b"].id)
    await delete_rule(actor_id=lead.id, rule_id=rules["b"].id)
    assert await order(fx) == ["a", "c"]
    fx2, *_ = await world("Beta")
    with pytest.raises(NotFound):
        await delete_rule(actor_id=fx2.manager.id, rule_id=rules["a"].id)
    assert await order(fx) == ["a", "c"]
