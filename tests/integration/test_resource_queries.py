from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from core.errors import NotFound
from core.models import AssignmentRule, DataSource, DataSourceKind, Pool, Resource
from core.queries import resources as q
from core.queries.resources import list_rules, resource_detail
from core.services.resources import upsert_expenses, upsert_resources
from core.services import orgs
from tests.factories import make_member, make_org

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
MAY20 = datetime(2024, 5, 20, 12, tzinfo=timezone.utc)


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


def summary(page):
    return [(row.cloud_resource_id, row.cost) for row in page.rows]


async def list_resources(fx, **options):
    return await q.list_resources(organization_id=fx.org.id, member_id=fx.manager.id, now=MAY20, **options)


async def test_resources_come_with_month_to_date_cost_most_expensive_first(db):
    fx, _, _, _ = await world()
    page = await list_resources(fx)
    assert summary(page) == [("b", Decimal(20)), ("a", Decimal("10.5")), ("c", Decimal("0.25")), ("d", Decimal(0))]
    assert (page.rows[0].pool_id, page.rows[0].pool_name, page.total) == (fx.root.id, "Acme", 4)


async def test_list_filters_by_owner_and_pools_and_pages_in_sql(db):
    fx, team, _, r = await world()
    eng = await make_member(fx, "eng@acme.test")
    await Resource.filter(id__in=[r["a"].id, r["d"].id]).update(owner_id=eng.id)
    await Resource.filter(id=r["c"].id).update(pool_id=team.id)
    mine = await list_resources(fx, owner_id=eng.id)
    assert summary(mine) == [("a", Decimal("10.5")), ("d", 0)] and mine.rows[0].owner_name == "eng"
    assert summary(await list_resources(fx, pool_ids=[team.id])) == [("c", Decimal("0.25"))]
    middle = await list_resources(fx, limit=2, offset=1)
    assert summary(middle) == [("a", Decimal("10.5")), ("c", Decimal("0.25"))]
    assert middle.total == 4 and middle.has_more


async def test_list_shows_only_the_organizations_resources(db):
    await world()
    fx2, _, _, _ = await world("Beta")
    other = await make_org("Gamma", "g@gamma.test")
    assert (await list_resources(fx2)).total == 4
    assert (await list_resources(other)).rows == ()
    with pytest.raises(NotFound):
        await q.list_resources(organization_id=fx2.org.id, member_id=other.manager.id, now=MAY20)


async def test_resource_detail_with_cost_and_who_may_change_it(db):
    fx, team, _, r = await world()
    fx2, _, _, _ = await world("Beta")
    eng = await make_member(fx, "eng@acme.test")
    manager = await orgs.grant_pool(actor_id=fx.manager.id, member_id=(await make_member(fx, "pm@acme.test")).id,
                                    pool_id=team.id)
    await Resource.filter(id=r["c"].id).update(pool_id=team.id)
    await Resource.filter(id=r["a"].id).update(owner_id=eng.id)

    async def detail(member, resource):
        return await resource_detail(organization_id=fx.org.id, resource_id=resource.id, member_id=member.id,
                                     now=datetime(2024, 5, 31, tzinfo=timezone.utc))

    found = await detail(eng, r["c"])
    assert (found.name, found.cost, found.owner_name, found.can_change) == ("c", Decimal("0.25"), "", False)
    assert [(await detail(m, r["c"])).can_change for m in (manager, fx.manager)] == [True, True]
    assert [(await detail(m, r["a"])).can_change for m in (eng, manager, fx.manager)] == [True, False, True]
    with pytest.raises(NotFound) as err:
        await resource_detail(organization_id=fx2.org.id, resource_id=r["a"].id, member_id=fx2.manager.id)
    assert err.value.code == "resource_not_found"


async def test_list_rules_top_first_optionally_per_pool(db):
    fx, team, _, _ = await world()
    conditions = [{"type": "name_is", "value": "x"}]
    for name, priority, pool in (("second", 2, fx.root), ("first", 1, team), ("third", 3, team)):
        await AssignmentRule.create(organization=fx.org, name=name, priority=priority, conditions=conditions,
                                    pool=pool, owner=fx.manager)
    assert [rule.name for rule in await list_rules(organization_id=fx.org.id)] == ["first", "second", "third"]
    assert [rule.name for rule in await list_rules(organization_id=fx.org.id, pool_id=team.id)] == ["first", "third"]
