from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from core.errors import NotFound
from core.models import AssignmentRule, DataSource, DataSourceKind, Pool, Resource
from core.queries.resources import list_resources, list_rules, resource_cost, resource_detail
from core.services.resources import upsert_expenses, upsert_resources
from tests.factories import make_member, make_org

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
MAY = {"month_start": date(2024, 5, 1), "today": date(2024, 5, 20)}


async def world(name="Acme"):
    fx = await make_org(name=name, email=f"boss@{name.lower()}.test")
    team = await Pool.create(organization=fx.org, parent=fx.root, name="Team")
    ds = await DataSource.create(organization=fx.org, name="AWS", kind=DataSourceKind.AWS_ROOT, pool=fx.root)
    items = [{"cloud_resource_id": cid, "resource_type": "instance", "seen_at": T0} for cid in ("a", "b", "c", "d")]
    await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=items)
    r = {x.cloud_resource_id: x for x in await Resource.filter(organization_id=fx.org.id)}
    await upsert_expenses(rows=[
        (r["a"].id, date(2024, 5, 2), "5"), (r["a"].id, date(2024, 5, 3), "5.5"),
        (r["b"].id, date(2024, 5, 20), "20"), (r["b"].id, date(2024, 5, 21), "1000"),
        (r["c"].id, date(2024, 4, 30), "99"), (r["c"].id, date(2024, 5, 1), "0.25"),
    ])
    return fx, team, ds, r


def summary(rows):
    return [(row.resource.cloud_resource_id, row.cost) for row in rows]


async def test_resources_come_with_month_to_date_cost_most_expensive_first(db):
    fx, _, _, _ = await world()
    rows = await list_resources(fx.org.id, **MAY)
    assert summary(rows) == [("b", Decimal(20)), ("a", Decimal("10.5")), ("c", Decimal("0.25")), ("d", Decimal(0))]
    assert rows[0].resource.pool.id == fx.root.id


async def test_list_filters_by_owner_and_pools_and_pages(db):
    fx, team, _, r = await world()
    eng = await make_member(fx, "eng@acme.test")
    await Resource.filter(id__in=[r["a"].id, r["d"].id]).update(owner_id=eng.id)
    await Resource.filter(id=r["c"].id).update(pool_id=team.id)
    assert summary(await list_resources(fx.org.id, owner_id=eng.id, **MAY)) == [("a", Decimal("10.5")), ("d", 0)]
    assert summary(await list_resources(fx.org.id, pool_ids=[team.id], **MAY)) == [("c", Decimal("0.25"))]
    assert summary(await list_resources(fx.org.id, limit=2, offset=1, **MAY)) == [("a", Decimal("10.5")), ("c", Decimal("0.25"))]


async def test_list_shows_only_the_organizations_resources(db):
    await world()
    fx2, _, _, _ = await world("Beta")
    other = await make_org("Gamma", "g@gamma.test")
    assert len(await list_resources(fx2.org.id, **MAY)) == 4
    assert await list_resources(other.org.id, **MAY) == []


async def test_resource_detail_and_cost(db):
    fx, _, ds, r = await world()
    fx2, _, _, _ = await world("Beta")
    detail = await resource_detail(r["a"].id, fx.org.id)
    assert (detail.data_source.id, detail.pool.id, detail.owner) == (ds.id, fx.root.id, None)
    assert await resource_cost(r["c"].id, start_day=date(2024, 4, 1), end_day=date(2024, 5, 31)) == Decimal("99.25")
    with pytest.raises(NotFound) as err:
        await resource_detail(r["a"].id, fx2.org.id)
    assert err.value.code == "resource_not_found"


async def test_list_rules_top_first_optionally_per_pool(db):
    fx, team, _, _ = await world()
    conditions = [{"type": "name_is", "value": "x"}]
    for name, priority, pool in (("second", 2, fx.root), ("first", 1, team), ("third", 3, team)):
        await AssignmentRule.create(organization=fx.org, name=name, priority=priority, conditions=conditions,
                                    pool=pool, owner=fx.manager)
    assert [rule.name for rule in await list_rules(fx.org.id)] == ["first", "second", "third"]
    assert [rule.name for rule in await list_rules(fx.org.id, pool_id=team.id)] == ["first", "third"]
