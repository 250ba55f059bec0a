"""Reading constraints in batch: check_organization and constraints_of cost a fixed number of queries,
and constraints_of agrees with resource_constraints and check_resource one by one."""

from datetime import timedelta
from decimal import Decimal

import pytest

from core.rules.constraints import Effective, Violation
from core.queries import constraints as reads
from core.services import constraints as svc
from tests.factories import make_org
from tests.probes import counting_queries
from tests.worlds.constraints import DAILY, FIRST_SEEN, NOW, TOTAL, TTL, World, make_world, seen_resource, spend


@pytest.fixture
async def w(db) -> World:
    return await make_world()


async def test_check_organization_query_count_does_not_grow_with_resources(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.root.id, kind="daily_expense_limit", value=1)

    async def count_queries() -> tuple[int, int]:
        with counting_queries() as calls:
            got = await reads.check_organization(organization_id=w.org_id, now=NOW)
        return len(got), len(calls)

    await spend(w.vm, today="2")
    one = await count_queries()
    for i in range(5):
        await spend(await seen_resource(w.squad, f"r{i}"), today="3", yesterday="0.5")
    assert one[0] == 1
    assert await count_queries() == (6, one[1])


async def test_constraints_of_many_resources_matches_one_by_one_in_a_fixed_number_of_queries(w):
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.root.id, kind="daily_expense_limit", value=5)
    await svc.set_pool_policy(actor_id=w.boss.id, pool_id=w.team.id, kind="ttl", value=24)
    await spend(w.vm, today="6")
    gone = await seen_resource(w.squad, "gone", active=False)
    own = await seen_resource(w.other, "own")
    await svc.set_resource_limit(actor_id=w.boss.id, resource_id=own.id, kind="total_expense_limit", amount=3)
    await spend(own, yesterday="4")
    beta = await make_org("Beta", "boss@beta.test")
    foreign = await seen_resource(beta.root, "foreign")
    ids = [w.vm.id, gone.id, own.id, foreign.id]
    with counting_queries() as calls:
        got = await reads.constraints_of(organization_id=w.org_id, resource_ids=ids, now=NOW)
    assert sorted(got) == sorted([w.vm.id, gone.id, own.id])
    for resource_id, found in got.items():
        assert found.resource_id == resource_id
        assert found.effective == await reads.resource_constraints(resource_id=resource_id, organization_id=w.org_id)
        assert found.violations == await reads.check_resource(resource_id=resource_id, organization_id=w.org_id,
                                                            now=NOW)
    deadline = FIRST_SEEN + timedelta(hours=24)
    assert got[w.vm.id].violations == [Violation(TTL, deadline, NOW, deadline.isoformat()),
                                       Violation(DAILY, 5, Decimal("6.000000"), "2024-05-10")]
    assert got[gone.id].violations == [] and got[gone.id].effective[TTL].source == f"pool:{w.team.id}"
    assert got[own.id].effective[TOTAL] == Effective(TOTAL, "resource", 3)
    assert got[own.id].violations == [Violation(TOTAL, 3, Decimal("4.000000"), "total:3")]
    with counting_queries() as one:
        await reads.constraints_of(organization_id=w.org_id, resource_ids=[w.vm.id], now=NOW)
    assert len(calls) == len(one) == 6
    assert await reads.constraints_of(organization_id=w.org_id, resource_ids=[], now=NOW) == {}
