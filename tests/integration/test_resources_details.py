"""Resource details kept by upsert_resources, unchanged resources left unwritten, the raw expense upsert."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.db import transaction
from core.errors import InvalidInput
from core.models import DataSource, DataSourceKind, Expense, Pool, Resource
from core.services.resources import ResourceItem, replace_expenses, upsert_expenses, upsert_resources
from tests.factories import make_org

T0 = datetime(2024, 5, 10, 8, 0, tzinfo=timezone.utc)
RUNNING = {"state": "running", "instance_type": "t3.micro", "launch_time": "2024-05-01T00:00:00+00:00",
           "spot": False}


async def world():
    fx = await make_org()
    pool = await Pool.create(organization=fx.org, parent=fx.root, name="AWS pool")
    ds = await DataSource.create(organization=fx.org, name="AWS", kind=DataSourceKind.AWS_ROOT, pool=pool)
    return fx, ds


async def upsert(fx, ds, *items: ResourceItem):
    return await upsert_resources(organization_id=fx.org.id, data_source_id=ds.id, items=list(items))


def seen(at: datetime, details=None, **kw) -> ResourceItem:
    return ResourceItem(cloud_resource_id="i-1", resource_type="instance", seen_at=at, details=details, **kw)


async def stored() -> Resource:
    return await Resource.get(cloud_resource_id="i-1")


async def test_details_are_stored_and_a_newer_observation_replaces_them(db):
    fx, ds = await world()
    await upsert(fx, ds, seen(T0, RUNNING))
    assert (await stored()).details == RUNNING
    stopped = {**RUNNING, "state": "stopped"}
    counts = await upsert(fx, ds, seen(T0 + timedelta(hours=1), stopped))
    assert counts.updated == 1 and (await stored()).details == stopped and (await stored()).active


async def test_an_older_observation_or_one_without_details_keeps_the_stored_details(db):
    fx, ds = await world()
    await upsert(fx, ds, seen(T0, RUNNING))
    await upsert(fx, ds, seen(T0 - timedelta(days=1), {"state": "pending"}))
    await upsert(fx, ds, seen(T0 + timedelta(days=1), None, name="from billing", active=False))
    resource = await stored()
    assert resource.details == RUNNING and resource.first_seen == T0 - timedelta(days=1)
    assert (resource.name, resource.active, resource.last_seen) == ("from billing", False, T0 + timedelta(days=1))


async def test_a_new_resource_without_details_gets_an_empty_mapping(db):
    fx, ds = await world()
    await upsert(fx, ds, seen(T0))
    assert (await stored()).details == {}


@pytest.mark.parametrize("details", [{"launched": datetime(2024, 5, 1)}, ["state", "running"], {"ids": {1, 2}},
                                     {"cpu": float("nan")}])
async def test_details_that_are_not_a_json_mapping_are_refused_and_nothing_is_written(db, details):
    fx, ds = await world()
    await upsert(fx, ds, seen(T0, RUNNING))
    with pytest.raises(InvalidInput) as err:
        await upsert(fx, ds, seen(T0 + timedelta(hours=1), details, name="changed"))
    assert (err.value.code, err.value.params["field"]) == ("datasource_field_invalid", "items.details")
    resource = await stored()
    assert (resource.details, resource.name, resource.last_seen) == (RUNNING, "", T0)


async def test_only_resources_whose_fields_changed_are_written(db, monkeypatch):
    fx, ds = await world()
    other = ResourceItem(cloud_resource_id="vol-1", resource_type="volume", seen_at=T0, details={"attached": True})
    await upsert(fx, ds, seen(T0, RUNNING), other)
    written: list[list[str]] = []
    real = Resource.bulk_update.__func__

    async def spy(cls, objects, *args, **kwargs):
        written.append(sorted(r.cloud_resource_id for r in objects))
        return await real(cls, objects, *args, **kwargs)

    monkeypatch.setattr(Resource, "bulk_update", classmethod(spy))
    again = await upsert(fx, ds, seen(T0, RUNNING), other)
    detached = await upsert(fx, ds, seen(T0, RUNNING), ResourceItem(
        cloud_resource_id="vol-1", resource_type="volume", seen_at=T0, details={"attached": False}))
    assert (again.updated, detached.updated) == (2, 2)
    assert written == [[], ["vol-1"]]
    assert (await Resource.get(cloud_resource_id="vol-1")).details == {"attached": False}


async def test_many_expenses_in_one_write_replace_costs_per_resource_and_day(db):
    fx, ds = await world()
    await upsert(fx, ds, *(ResourceItem(cloud_resource_id=f"i-{n}", resource_type="instance", seen_at=T0)
                           for n in range(30)))
    ids = sorted(await Resource.all().values_list("id", flat=True))
    days = [date(2024, 4, 1) + timedelta(days=d) for d in range(40)]  # 1,200 rows: more than one batch
    assert await upsert_expenses(rows=[(rid, day, "0.1234565") for rid in ids for day in days]) == 1200
    assert await upsert_expenses(rows=[(ids[0], days[0], "-2.5"), (ids[1], days[1], 10 ** 13)]) == 2
    costs = {(e.resource_id, e.day): e.cost for e in await Expense.all()}
    assert len(costs) == 1200 and costs[(ids[0], days[0])] == Decimal("-2.500000")
    assert costs[(ids[1], days[1])] == Decimal("10000000000000.000000")
    assert costs[(ids[2], days[2])] == Decimal("0.123456")  # half-even to 6 places
    assert sum(costs.values()) == Decimal("0.123456") * 1198 + Decimal("-2.5") + Decimal("1e13")


async def test_expenses_written_in_a_transaction_that_fails_later_are_rolled_back(db):
    fx, ds = await world()
    await upsert(fx, ds, seen(T0))
    resource = await stored()
    await upsert_expenses(rows=[(resource.id, date(2024, 5, 1), "1")])
    with pytest.raises(RuntimeError):
        async with transaction():
            await upsert_expenses(rows=[(resource.id, date(2024, 5, 1), "9"), (resource.id, date(2024, 5, 2), "5")])
            assert await Expense.all().count() == 2  # written on the transaction's connection
            raise RuntimeError("a later step of the import failed")
    assert await Expense.all().values_list("day", "cost") == [(date(2024, 5, 1), Decimal("1"))]


async def test_replace_keeps_unchanged_rows_updates_changed_ones_and_drops_the_rest(db):
    fx, ds = await world()
    await upsert(fx, ds, *(ResourceItem(cloud_resource_id=f"i-{n}", resource_type="instance", seen_at=T0)
                           for n in range(520)))  # more resources than one query batch
    ids = sorted(await Resource.all().values_list("id", flat=True))
    d1, d2, d3 = date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)
    await upsert_expenses(rows=[(rid, day, "1") for rid in ids for day in (d1, d2, d3)])
    before = {(e.resource_id, e.day): e.id for e in await Expense.all()}

    written = await replace_expenses(resource_ids=ids, start_day=d1, end_day=d2,
                                     rows=[(rid, d1, "1") for rid in ids] + [(ids[0], d2, "7")])

    after = {(e.resource_id, e.day): (e.id, e.cost) for e in await Expense.all()}
    assert written == 521 and len(after) == 1041  # 520 on d1, one on d2, 520 on d3 (outside the range)
    assert all(after[(rid, d1)] == (before[(rid, d1)], Decimal("1")) for rid in ids)
    assert after[(ids[0], d2)] == (before[(ids[0], d2)], Decimal("7"))
    assert not any((rid, d2) in after for rid in ids[1:]) and all((rid, d3) in after for rid in ids)


async def test_an_item_spanning_time_sets_first_and_last_seen_in_one_write(db):
    fx, ds = await world()
    counts = await upsert(fx, ds, seen(T0, first_seen=T0 - timedelta(days=3)))
    resource = await stored()
    assert counts.created == 1 and (resource.first_seen, resource.last_seen) == (T0 - timedelta(days=3), T0)
    await upsert(fx, ds, seen(T0 + timedelta(days=1), first_seen=T0 - timedelta(days=5)))
    resource = await stored()
    assert (resource.first_seen, resource.last_seen) == (T0 - timedelta(days=5), T0 + timedelta(days=1))


@pytest.mark.parametrize("first_seen", [T0 + timedelta(seconds=1), datetime(2024, 5, 1), "2024-05-01"])
async def test_a_first_sighting_after_the_last_or_without_time_zone_is_refused(db, first_seen):
    fx, ds = await world()
    with pytest.raises(InvalidInput) as err:
        await upsert(fx, ds, seen(T0, first_seen=first_seen))
    assert err.value.code == "resource_seen_at_invalid" and err.value.params == {"field": "items.seen_at", "position": 1, "value": first_seen}
    assert await Resource.all().count() == 0
