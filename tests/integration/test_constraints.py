from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.models import Expense, PoolPolicy, Resource, ResourceConstraint
from core.rules.constraints import Effective, Violation
from core.queries import constraints as reads
from core.services import constraints as svc
from tests.factories import make_org
from tests.worlds.constraints import DAILY, FIRST_SEEN, NOW, TODAY, TOTAL, TTL, World, make_world, seen_resource, spend


@pytest.fixture
async def w(db) -> World:
    return await make_world()


async def _rows():
    return (sorted(await PoolPolicy.all().values_list("pool_id", "kind", "value", "active")),
            sorted(await ResourceConstraint.all().values_list("resource_id", "kind", "until", "amount")))


async def _effective(w: World, resource: Resource | None = None):
    return await reads.resource_constraints(resource_id=(resource or w.vm).id, organization_id=w.org_id)


@pytest.mark.parametrize("kind, value", [(TTL, 1), (TTL, 720), (DAILY, 0), (TOTAL, "250")])
async def test_set_pool_policy_accepts_bounds(w, kind, value):
    policy = await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind=kind.value, value=value)
    stored = await PoolPolicy.get(id=policy.id)
    assert (stored.pool_id, stored.kind, stored.value, stored.active) == (w.squad.id, kind, int(value), True)


@pytest.mark.parametrize("kind, value, code", [
    ("ttl", 0, "value_out_of_range"), ("ttl", 721, "value_out_of_range"), ("ttl", 2.5, "not_a_whole_number"),
    ("daily_expense_limit", -1, "value_out_of_range"), ("total_expense_limit", "ten", "not_a_whole_number"),
    ("weekly_limit", 5, "not_in_choices"),
])
async def test_set_pool_policy_refuses_bad_values_and_changes_nothing(w, kind, value, code):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind="ttl", value=48)
    before = await _rows()
    with pytest.raises(InvalidInput) as err:
        await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind=kind, value=value)
    assert err.value.code == code
    assert await _rows() == before


async def test_pool_policy_update_switch_and_delete(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind="daily_expense_limit", value=10)
    await svc.set_pool_policy_active(actor_id=w.boss.id, pool_id=w.squad.id, kind="daily_expense_limit", active=False)
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind="daily_expense_limit", value=20)
    assert await PoolPolicy.all().values_list("value", "active") == [(20, False)]
    await svc.set_pool_policy_active(actor_id=w.boss.id, pool_id=w.squad.id, kind="daily_expense_limit", active=True)
    assert (await _effective(w))[DAILY] == Effective(DAILY, f"pool:{w.squad.id}", 20)
    await svc.delete_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind="daily_expense_limit")
    assert await PoolPolicy.all().count() == 0 and await _effective(w) == {}


@pytest.mark.parametrize("call", ["set_pool_policy_active", "delete_pool_policy"])
async def test_missing_pool_policy_is_not_found(w, call):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.team.id, kind="ttl", value=5)
    before = await _rows()
    kwargs = {"active": False} if call == "set_pool_policy_active" else {}
    with pytest.raises(NotFound) as err:
        await getattr(svc, call)(actor_id=w.boss.id, pool_id=w.squad.id, kind="ttl", **kwargs)
    assert err.value.code == "pool_policy_not_found" and err.value.params["pool"] == "Squad"
    assert await _rows() == before


async def test_pool_policy_permissions(w):
    await svc.set_pool_policy(actor_id=w.team_manager.id, pool_id=w.squad.id, kind="ttl", value=24)
    for actor in (w.eng, w.owner, w.other_manager):
        with pytest.raises(PermissionDenied) as err:
            await svc.set_pool_policy(actor_id=actor.id, pool_id=w.squad.id, kind="ttl", value=48)
        assert err.value.code == "not_pool_manager"
        with pytest.raises(PermissionDenied):
            await svc.set_pool_policy_active(actor_id=actor.id, pool_id=w.squad.id, kind="ttl", active=False)
        with pytest.raises(PermissionDenied):
            await svc.delete_pool_policy(actor_id=actor.id, pool_id=w.squad.id, kind="ttl")
    with pytest.raises(PermissionDenied):
        await svc.set_pool_policy(actor_id=w.team_manager.id, pool_id=w.root.id, kind="ttl", value=48)
    assert await PoolPolicy.all().values_list("pool_id", "value", "active") == [(w.squad.id, 24, True)]


async def test_pool_of_another_organization_is_not_found(w):
    beta = await make_org("Beta", "boss@beta.test")
    with pytest.raises(NotFound) as err:
        await svc.set_pool_policy(actor_id=w.boss.id, pool_id=beta.root.id, kind="ttl", value=24)
    assert err.value.code == "pool_not_found"
    assert await PoolPolicy.all().count() == 0


async def test_policies_inherit_through_two_levels_and_nearest_wins(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.root.id, kind="ttl", value=100)
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.root.id, kind="total_expense_limit", value=500)
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.team.id, kind="daily_expense_limit", value=7)
    assert await _effective(w) == {
        TTL: Effective(TTL, f"pool:{w.root.id}", FIRST_SEEN + timedelta(hours=100)),
        DAILY: Effective(DAILY, f"pool:{w.team.id}", 7),
        TOTAL: Effective(TOTAL, f"pool:{w.root.id}", 500),
    }
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind="ttl", value=24)
    assert (await _effective(w))[TTL] == Effective(TTL, f"pool:{w.squad.id}", FIRST_SEEN + timedelta(hours=24))
    sibling_vm = await seen_resource(w.other, "sibling")
    assert set(await _effective(w, sibling_vm)) == {TTL, TOTAL}


async def test_inactive_policy_is_ignored_and_parent_policy_applies(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.root.id, kind="daily_expense_limit", value=50)
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind="daily_expense_limit", value=5)
    await svc.set_pool_policy_active(actor_id=w.boss.id, pool_id=w.squad.id, kind="daily_expense_limit", active=False)
    assert (await _effective(w))[DAILY] == Effective(DAILY, f"pool:{w.root.id}", 50)
    await svc.set_pool_policy_active(actor_id=w.boss.id, pool_id=w.root.id, kind="daily_expense_limit", active=False)
    assert await _effective(w) == {}


@pytest.mark.parametrize("kind", [TTL, DAILY, TOTAL])
async def test_resource_constraint_overrides_pool_policy_and_reset_restores_it(w, kind):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.team.id, kind=kind.value, value=30)
    if kind == TTL:
        until = NOW + timedelta(days=3)
        await svc.set_resource_ttl(actor_id=w.owner.id, resource_id=w.vm.id, until=until, now=NOW)
        expected = Effective(TTL, "resource", until)
    else:
        await svc.set_resource_limit(actor_id=w.owner.id, resource_id=w.vm.id, kind=kind.value, amount=3)
        expected = Effective(kind, "resource", 3)
    assert (await _effective(w))[kind] == expected
    await svc.remove_resource_constraint(actor_id=w.owner.id, resource_id=w.vm.id, kind=kind.value)
    assert (await _effective(w))[kind].source == f"pool:{w.team.id}"
    with pytest.raises(NotFound) as err:
        await svc.remove_resource_constraint(actor_id=w.owner.id, resource_id=w.vm.id, kind=kind.value)
    assert err.value.code == "resource_constraint_not_found"


async def test_setting_a_resource_constraint_again_replaces_it(w):
    await svc.set_resource_limit(actor_id=w.owner.id, resource_id=w.vm.id, kind="daily_expense_limit", amount=3)
    await svc.set_resource_limit(actor_id=w.owner.id, resource_id=w.vm.id, kind="daily_expense_limit", amount=0)
    await svc.set_resource_ttl(actor_id=w.owner.id, resource_id=w.vm.id, until=NOW + timedelta(hours=1), now=NOW)
    await svc.set_resource_ttl(actor_id=w.owner.id, resource_id=w.vm.id, until=NOW + timedelta(hours=2), now=NOW)
    assert (await _rows())[1] == [(w.vm.id, DAILY, None, 0), (w.vm.id, TTL, NOW + timedelta(hours=2), None)]


@pytest.mark.parametrize("call, kwargs, code", [
    ("set_resource_ttl", {"until": NOW}, "ttl_in_past"),
    ("set_resource_ttl", {"until": NOW - timedelta(days=1)}, "ttl_in_past"),
    ("set_resource_ttl", {"until": datetime(2030, 1, 1)}, "ttl_not_a_time"),
    ("set_resource_limit", {"kind": "daily_expense_limit", "amount": -1}, "value_out_of_range"),
    ("set_resource_limit", {"kind": "total_expense_limit", "amount": "1.5"}, "not_a_whole_number"),
    ("set_resource_limit", {"kind": "ttl", "amount": 5}, "not_an_expense_limit"),
])
async def test_resource_constraint_refuses_bad_input_and_changes_nothing(w, call, kwargs, code):
    await svc.set_resource_ttl(actor_id=w.owner.id, resource_id=w.vm.id, until=NOW + timedelta(days=1), now=NOW)
    await svc.set_resource_limit(actor_id=w.owner.id, resource_id=w.vm.id, kind="total_expense_limit", amount=9)
    before = await _rows()
    extra = {"now": NOW} if call == "set_resource_ttl" else {}
    with pytest.raises(InvalidInput) as err:
        await getattr(svc, call)(actor_id=w.owner.id, resource_id=w.vm.id, **kwargs, **extra)
    assert err.value.code == code
    assert await _rows() == before


async def test_resource_constraint_permissions(w):
    set_ttl = dict(resource_id=w.vm.id, until=NOW + timedelta(days=1), now=NOW)
    for actor in (w.eng, w.other_manager):
        with pytest.raises(PermissionDenied) as err:
            await svc.set_resource_ttl(actor_id=actor.id, **set_ttl)
        assert err.value.code == "not_owner_or_manager"
        with pytest.raises(PermissionDenied):
            await svc.set_resource_limit(actor_id=actor.id, resource_id=w.vm.id, kind="daily_expense_limit", amount=1)
    assert await ResourceConstraint.all().count() == 0
    await svc.set_resource_ttl(actor_id=w.owner.id, **set_ttl)
    await svc.set_resource_limit(actor_id=w.team_manager.id, resource_id=w.vm.id, kind="daily_expense_limit", amount=1)
    for actor in (w.eng, w.other_manager):
        with pytest.raises(PermissionDenied):
            await svc.remove_resource_constraint(actor_id=actor.id, resource_id=w.vm.id, kind="ttl")
    assert await ResourceConstraint.all().count() == 2
    await svc.remove_resource_constraint(actor_id=w.team_manager.id, resource_id=w.vm.id, kind="ttl")
    assert await ResourceConstraint.all().values_list("kind", flat=True) == [DAILY]


async def test_resource_of_another_organization_is_not_found(w):
    beta = await make_org("Beta", "boss@beta.test")
    foreign = await seen_resource(beta.root, "foreign")
    with pytest.raises(NotFound) as err:
        await svc.set_resource_limit(actor_id=w.boss.id, resource_id=foreign.id, kind="daily_expense_limit", amount=1)
    assert err.value.code == "resource_not_found"
    with pytest.raises(NotFound):
        await reads.resource_constraints(resource_id=foreign.id, organization_id=w.org_id)
    with pytest.raises(NotFound):
        await reads.check_resource(resource_id=foreign.id, organization_id=w.org_id, now=NOW)
    assert await ResourceConstraint.all().count() == 0


async def test_check_resource_reads_costs_and_compares_strictly(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.root.id, kind="daily_expense_limit", value=10)
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.root.id, kind="total_expense_limit", value=100)
    await spend(w.vm, d20240501="33.333333", d20240502="46.666667", yesterday="10.000000", today="10.000000")
    assert await reads.check_resource(resource_id=w.vm.id, organization_id=w.org_id, now=NOW) == []
    await Expense.filter(resource_id=w.vm.id, day=TODAY).update(cost=Decimal("10.100000"))
    got = await reads.check_resource(resource_id=w.vm.id, organization_id=w.org_id, now=NOW)
    assert got == [Violation(DAILY, 10, Decimal("10.100000"), "2024-05-10"),
                   Violation(TOTAL, 100, Decimal("100.100000"), "total:100")]


async def test_check_resource_ttl_from_first_seen_and_inactive(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.squad.id, kind="ttl", value=216)
    deadline = FIRST_SEEN + timedelta(hours=216)
    assert await reads.check_resource(resource_id=w.vm.id, organization_id=w.org_id, now=deadline - timedelta(seconds=1)) == []
    got = await reads.check_resource(resource_id=w.vm.id, organization_id=w.org_id, now=deadline)
    assert got == [Violation(TTL, deadline, deadline, deadline.isoformat())]
    await Resource.filter(id=w.vm.id).update(active=False)
    assert await reads.check_resource(resource_id=w.vm.id, organization_id=w.org_id, now=NOW) == []


async def test_check_organization_finds_breaking_active_resources_only(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.team.id, kind="daily_expense_limit", value=5)
    calm = await seen_resource(w.squad, "calm")
    gone = await seen_resource(w.squad, "gone", active=False)
    free = await seen_resource(w.other, "free")
    exempt = await seen_resource(w.squad, "exempt")
    await svc.set_resource_limit(actor_id=w.boss.id, resource_id=exempt.id, kind="daily_expense_limit", amount=0)
    aged = await seen_resource(w.other, "aged")
    await svc.set_resource_ttl(actor_id=w.boss.id, resource_id=aged.id, until=NOW - timedelta(hours=1),
                               now=NOW - timedelta(hours=2))
    for r in (w.vm, gone, free, exempt):
        await spend(r, yesterday="6")
    await spend(calm, yesterday="5", today="4.99")
    beta = await make_org("Beta", "boss@beta.test")
    await spend(await seen_resource(beta.root, "foreign", active=True), yesterday="99")
    got = await reads.check_organization(organization_id=w.org_id, now=NOW)
    assert [(r.resource.id, r.violations) for r in got] == [
        (w.vm.id, [Violation(DAILY, 5, Decimal("6.000000"), "2024-05-09")]),
        (aged.id, [Violation(TTL, NOW - timedelta(hours=1), NOW, (NOW - timedelta(hours=1)).isoformat())]),
    ]
