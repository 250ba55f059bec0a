"""The raw statements bulk writes use, on both databases: a keyed upsert and a typed read."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from tortoise.exceptions import IntegrityError

from core.db import ARRAY_ROWS, fetch_rows, numbered, transaction, upsert_rows
from core.models import Expense
from tests.factories import make_org, make_resource

COLUMNS = {"resource_id": "int", "day": "date", "cost": "numeric"}
D1, D2 = date(2026, 5, 1), date(2026, 5, 2)


async def _upsert(rows):
    async with transaction():
        await upsert_rows("expense", COLUMNS, rows, conflict=("resource_id", "day"), update=("cost",))


async def _costs() -> dict:
    return {(e.resource_id, e.day): e.cost for e in await Expense.all()}


async def test_upsert_inserts_new_keys_and_updates_only_the_named_columns_of_known_ones(db):
    fx = await make_org()
    vm, db_vm = await make_resource(fx.root, "vm"), await make_resource(fx.root, "db")
    await _upsert([(vm.id, D1, Decimal("1.5")), (vm.id, D2, Decimal("2")), (db_vm.id, D1, Decimal("0.000001"))])
    first = {e.day: e.id for e in await Expense.filter(resource_id=vm.id)}
    await _upsert([(vm.id, D1, Decimal("9.25")), (db_vm.id, D2, Decimal("3"))])
    assert await _costs() == {(vm.id, D1): Decimal("9.25"), (vm.id, D2): Decimal("2"),
                              (db_vm.id, D1): Decimal("0.000001"), (db_vm.id, D2): Decimal("3")}
    assert {e.day: e.id for e in await Expense.filter(resource_id=vm.id)} == first  # updated in place


async def test_an_empty_upsert_writes_nothing_and_a_failing_one_writes_nothing_either(db):
    fx = await make_org()
    vm = await make_resource(fx.root, "vm")
    await _upsert([])
    with pytest.raises(IntegrityError):
        await _upsert([(vm.id, D1, Decimal("1")), (vm.id + 999, D1, Decimal("1"))])  # no such resource
    assert await Expense.all().count() == 0


async def test_more_rows_than_one_statement_takes_are_all_written(db, monkeypatch):
    fx = await make_org()
    vm = await make_resource(fx.root, "vm")
    monkeypatch.setattr("core.db.ARRAY_ROWS", 3)
    days = [D1 + timedelta(days=n) for n in range(7)]
    await _upsert([(vm.id, day, Decimal(n)) for n, day in enumerate(days)])
    assert await _costs() == {(vm.id, day): Decimal(n) for n, day in enumerate(days)}
    assert ARRAY_ROWS > 3


async def test_fetch_reads_each_column_as_its_type_on_both_databases(db):
    fx = await make_org()
    vm = await make_resource(fx.root, "vm")
    await _upsert([(vm.id, D1, Decimal("12.345678")), (vm.id, D2, Decimal("1"))])
    rows = await fetch_rows("SELECT resource_id, day, cost FROM expense WHERE day >= ? AND resource_id IN (?, ?) "
                            "ORDER BY day", [D2, vm.id, vm.id + 1], types=(int, date, Decimal))
    assert rows == [(vm.id, D2, Decimal("1"))]
    assert [type(v) for v in rows[0]] == [int, date, Decimal]
    rows = await fetch_rows("SELECT cost FROM expense WHERE resource_id = ? ORDER BY day", [vm.id], types=(Decimal,))
    assert rows == [(Decimal("12.345678"),), (Decimal("1"),)]
    assert await fetch_rows("SELECT day FROM expense WHERE resource_id = ?", [vm.id + 1], types=(date,)) == []


def test_placeholders_are_numbered_for_postgres():
    assert numbered("a = ? AND b IN (?, ?)") == "a = $1 AND b IN ($2, $3)"
    assert numbered("SELECT 1") == "SELECT 1"
