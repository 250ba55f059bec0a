"""Pool tree, month-to-date costs over sub-pools and forecasts, on both backends."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.errors import NotFound
from core.models import Expense, Pool, Resource
from core.queries.costs import (pool_cost, pool_summaries, pool_summary, pool_tree, pools_needing_attention,
                                subtree_ids)
from core.services.pools import create_pool
from tests.factories import make_org, make_pool_manager, make_resource
from tests.probes import counting_queries

D = Decimal
SEEN = datetime(2024, 1, 1, tzinfo=timezone.utc)


async def _spend(resource: Resource, start: date, end: date, cost: str) -> None:
    await Expense.bulk_create([Expense(resource=resource, day=start + timedelta(days=i), cost=D(cost))
                               for i in range((end - start).days + 1)])


async def _tree(fx):
    """root > dev (limit 500) > {backend, frontend}; root > ops."""
    make = lambda parent, name, limit=0: create_pool(actor_id=fx.manager.id, parent_id=parent.id,  # noqa: E731
                                                     name=name, monthly_limit=limit)
    dev = await make(fx.root, "dev", 500)
    return dev, await make(dev, "frontend"), await make(dev, "backend"), await make(fx.root, "ops")


async def test_pool_tree_is_depth_first_with_siblings_by_name(db):
    fx = await make_org()
    other = await make_org("Other", "boss@other.test")
    dev, frontend, backend, ops = await _tree(fx)
    rows = await pool_tree(organization_id=fx.org.id)
    assert [(r.name, r.depth) for r in rows] == [
        ("Acme", 0), ("dev", 1), ("backend", 2), ("frontend", 2), ("ops", 1)]
    assert [r.id for r in await pool_tree(organization_id=other.org.id)] == [other.root.id]


async def test_subtree_ids(db):
    fx = await make_org()
    dev, frontend, backend, ops = await _tree(fx)
    assert sorted(await subtree_ids(dev.id)) == sorted([dev.id, frontend.id, backend.id])
    assert await subtree_ids(ops.id) == [ops.id]
    assert sorted(await subtree_ids(fx.root.id)) == sorted(p.id for p in await Pool.all())
    assert await subtree_ids(999999) == []


async def test_nested_costs_to_the_cent_this_month_only(db):
    fx = await make_org()
    other = await make_org("Other", "boss@other.test")
    dev, frontend, backend, ops = await _tree(fx)
    today = date(2024, 4, 21)
    await _spend(await make_resource(frontend, "fe"), date(2024, 4, 1), today, "0.333333")
    await _spend(await make_resource(backend, "be"), date(2024, 3, 25), date(2024, 4, 22), "1.10")
    await _spend(await make_resource(dev, "dev-db"), date(2024, 4, 5), date(2024, 4, 5), "100.004999")
    await _spend(await make_resource(ops, "ops"), today, today, "7")
    await _spend(await make_resource(other.root, "elsewhere"), today, today, "1000")
    assert await pool_cost(frontend.id, today=today) == D("7.00")  # 21 × 0.333333 = 6.999993
    assert await pool_cost(backend.id, today=today) == D("23.10")  # 1..21 April, not March nor the 22nd
    assert await pool_cost(dev.id, today=today) == D("130.10")  # 6.999993 + 23.1 + 100.004999
    assert await pool_cost(fx.root.id, today=today) == D("137.10")
    assert await pool_cost(ops.id, today=date(2024, 5, 1)) == D("0.00")


async def test_summary_without_expenses(db):
    fx = await make_org()
    summary = await pool_summary(fx.root.id, today=date(2024, 4, 21))
    assert summary.cost == 0 and summary.forecast.value == 0 and summary.forecast.days_averaged == 0
    assert not summary.exceeded and not summary.forecast_overspend
    assert summary.forecast.formula.endswith("= 0.00")


async def test_summary_forecast_mid_month_over_sub_pools(db):
    fx = await make_org()
    dev, frontend, backend, ops = await _tree(fx)
    today = date(2024, 4, 21)
    await _spend(await make_resource(frontend, "fe"), date(2024, 1, 1), today, "10.25")
    await _spend(await make_resource(backend, "be"), date(2024, 1, 1), today, "5")
    summary = await pool_summary(dev.id, today=today)
    assert summary.cost == D("320.25") and summary.limit == D("500")
    assert (summary.forecast.daily_average, summary.forecast.days_averaged) == (D("15.25"), 30)
    assert summary.forecast.value == D("457.50")
    assert summary.forecast.formula == (
        "320.25 month-to-date + 15.25/day avg over last 30 days × 9 days left = 457.50")
    assert not summary.exceeded and not summary.forecast_overspend


async def test_summary_first_day_of_month(db):
    fx = await make_org()
    resource = await make_resource(fx.root, "vm")
    await _spend(resource, date(2024, 3, 1), date(2024, 4, 30), "2")
    await _spend(resource, date(2024, 5, 1), date(2024, 5, 1), "0.5")
    summary = await pool_summary(fx.root.id, today=date(2024, 5, 1))
    assert summary.cost == D("0.50")
    assert (summary.forecast.daily_average, summary.forecast.days_left) == (D("2.00"), 30)
    assert summary.forecast.value == D("60.50")


async def test_summary_last_day_of_month(db):
    fx = await make_org()
    await _spend(await make_resource(fx.root, "vm"), date(2024, 3, 1), date(2024, 3, 31), "3.3")
    summary = await pool_summary(fx.root.id, today=date(2024, 3, 31))
    assert summary.cost == D("102.30") and summary.forecast.value == D("102.30")
    assert summary.forecast.days_left == 0


async def test_summary_with_fewer_than_30_days_of_history(db):
    fx = await make_org()
    resource = await make_resource(fx.root, "vm")
    await _spend(resource, date(2024, 4, 12), date(2024, 4, 12), "40")  # the first expense ever
    await _spend(resource, date(2024, 4, 20), date(2024, 4, 21), "10")
    summary = await pool_summary(fx.root.id, today=date(2024, 4, 21))
    assert summary.forecast.days_averaged == 9  # 12..20 April
    assert summary.forecast.daily_average == D("5.56")  # 50 / 9
    assert summary.cost == D("60.00") and summary.forecast.value == D("110.04")
    assert "over last 9 days" in summary.forecast.formula


@pytest.mark.parametrize("limit, exceeded, overspend", [
    (0, False, False), (1000, False, False), (300, False, False), (299, False, True), (210, False, True),
    (209, True, True),
])
async def test_exceeded_and_forecast_overspend_flags(db, limit, exceeded, overspend):
    fx = await make_org()
    pool = await create_pool(actor_id=fx.manager.id, parent_id=fx.root.id, name="team", monthly_limit=limit)
    await _spend(await make_resource(pool, "vm"), date(2024, 3, 22), date(2024, 4, 21), "10")
    summary = await pool_summary(pool.id, today=date(2024, 4, 21))  # cost 210, forecast 300
    assert (summary.cost, summary.forecast.value) == (D("210.00"), D("300.00"))
    assert (summary.exceeded, summary.forecast_overspend) == (exceeded, overspend)


async def test_summary_of_unknown_pool(db):
    with pytest.raises(NotFound) as err:
        await pool_summary(424242, today=date(2024, 4, 21))
    assert err.value.code == "pool_not_found"


async def test_pool_summaries_match_pool_summary_in_a_fixed_number_of_queries(db):
    fx = await make_org()
    other = await make_org("Other", "boss@other.test")
    dev, frontend, backend, ops = await _tree(fx)
    today = date(2024, 4, 21)
    await _spend(await make_resource(frontend, "fe"), date(2024, 3, 10), today, "10.25")
    await _spend(await make_resource(backend, "be"), date(2024, 4, 12), today, "5")
    await _spend(await make_resource(ops, "ops"), date(2024, 4, 20), today, "7")
    await _spend(await make_resource(other.root, "elsewhere"), date(2024, 4, 1), today, "1000")
    wanted = [dev.id, frontend.id, ops.id, fx.root.id, other.root.id]
    with counting_queries() as calls:
        got = await pool_summaries(organization_id=fx.org.id, today=today, pool_ids=wanted)
    assert len(calls) == 3 and sorted(got) == sorted(wanted[:4])
    for pool_id, summary in got.items():
        assert summary == await pool_summary(pool_id, today=today)
    assert got[dev.id].cost == D("265.25") and got[dev.id].pool_name == "dev"  # 21 × 10.25 + 10 × 5
    assert got[fx.root.id].cost == D("279.25") and got[ops.id].forecast.days_averaged == 1
    everything = await pool_summaries(organization_id=fx.org.id, today=today)
    assert sorted(everything) == sorted(p.id for p in await Pool.filter(organization=fx.org))
    assert everything[backend.id] == await pool_summary(backend.id, today=today)
    assert await pool_summaries(organization_id=fx.org.id, today=today, pool_ids=[other.root.id]) == {}


async def test_pools_needing_attention_are_those_the_member_manages_most_over_first(db):
    fx = await make_org()
    dev, frontend, backend, ops = await _tree(fx)
    today = date(2024, 4, 21)
    for pool, limit in ((dev, 100), (frontend, 10), (backend, 1000), (ops, 5)):
        await Pool.filter(id=pool.id).update(monthly_limit=limit)
    await _spend(await make_resource(frontend, "fe"), date(2024, 4, 1), today, "1")  # 21 of 10, under dev's 100
    await _spend(await make_resource(ops, "ops"), date(2024, 4, 20), today, "1")  # 2 of 5, forecast 30
    dev_manager = await make_pool_manager(fx, "dev@acme.test", dev)
    page = await pools_needing_attention(organization_id=fx.org.id, member_id=fx.manager.id, today=today, limit=1)
    assert [s.pool_name for s in page.rows] == ["frontend"] and page.total == 2
    mine = await pools_needing_attention(organization_id=fx.org.id, member_id=dev_manager.id, today=today)
    assert [(s.pool_name, s.exceeded) for s in mine.rows] == [("frontend", True)] and mine.total == 1
