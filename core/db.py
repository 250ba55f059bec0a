"""Database wiring: Tortoise config, start/stop, migrations, transactions, a health probe, what tells an
unreachable database from a bug, and the raw statements bulk writes need (a keyed upsert, an insert that skips
existing keys, a wide read) rendered for the dialect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import AsyncIterator

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.api import migrate as run_migrations
from tortoise.transactions import in_transaction

APP = "models"
ARRAY_ROWS = 20_000  # rows per PostgreSQL upsert statement
INSERT_CHUNK = 500  # rows per insert_new statement
MODULES = ["core.models"]
MIGRATIONS = "core.migrations"


def tortoise_config(db_url: str) -> dict:
    """The one Tortoise config: all models in one app, migrations in core.migrations, UTC times."""
    return {
        "connections": {"default": db_url},
        "apps": {APP: {"models": MODULES, "default_connection": "default", "migrations": MIGRATIONS}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate(db_url: str) -> None:
    """Apply every pending migration (idempotent), then close the migration connections."""
    await run_migrations(config=tortoise_config(db_url))
    await Tortoise.close_connections()


async def start(db_url: str) -> None:
    await Tortoise.init(config=tortoise_config(db_url))


async def stop() -> None:
    await Tortoise.close_connections()


def dialect() -> str:
    """'sqlite' or 'postgres'."""
    return connections.get("default").capabilities.dialect


def transaction():
    """One use case = one transaction. On SQLite Tortoise serializes transactions on one connection."""
    return in_transaction("default")


async def ping() -> None:
    """Raise when the database does not answer a trivial query."""
    await connections.get("default").execute_query("SELECT 1")


_UNAVAILABLE = (DBConnectionError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError,
                asyncpg.exceptions.OperatorInterventionError)  # gone, refused at start, shutting down, starting up
_DRIVERS = ("asyncpg", "aiosqlite", "tortoise")


def unavailable(error: BaseException | None) -> bool:
    """Whether an error (or what caused it) says the database server is not answering, rather than a bug:
    a driver's connection error, or a network error (refused, reset, timed out) raised inside the driver."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, _UNAVAILABLE) or (isinstance(error, (OSError, TimeoutError)) and _in_driver(error)):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _in_driver(error: BaseException) -> bool:
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__", "").startswith(_DRIVERS):
            return True
        tb = tb.tb_next
    return False


@asynccontextmanager
async def running(db_url: str) -> AsyncIterator[BaseDBAsyncClient]:
    await start(db_url)
    try:
        yield connections.get("default")
    finally:
        await stop()


async def upsert_rows(table: str, columns: Mapping[str, str], rows: Sequence[tuple], *, conflict: Sequence[str],
                      update: Sequence[str]) -> None:
    """Insert rows, or update the `update` columns of the row with the same `conflict` key, in the current
    transaction. `columns` maps each column to its SQL type: PostgreSQL takes the rows as one array per column
    (one statement per ARRAY_ROWS rows), SQLite as one executemany."""
    if not rows:
        return
    conn = connections.get("default")  # the current transaction's connection
    names = ", ".join(columns)
    keyed = (f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET "
             + ", ".join(f"{column} = excluded.{column}" for column in update))
    if conn.capabilities.dialect == "postgres":
        arrays = ", ".join(f"${n}::{sql_type}[]" for n, sql_type in enumerate(columns.values(), start=1))
        sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {keyed}"
        for start in range(0, len(rows), ARRAY_ROWS):
            await conn.execute_query(sql, [list(column) for column in zip(*rows[start:start + ARRAY_ROWS])])
    else:
        marks = ", ".join("?" * len(columns))
        await conn.execute_many(f"INSERT INTO {table} ({names}) VALUES ({marks}) {keyed}",
                                [[_sqlite(value) for value in row] for row in rows])


async def fetch_rows(sql: str, params: Sequence, *, types: Sequence[type]) -> list[tuple]:
    """The rows of a read written with `?` placeholders, in the current transaction, each column read as its
    type in `types` (int, str, date or Decimal: SQLite hands back ISO days and decimal text)."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        _, rows = await conn.execute_query(numbered(sql), list(params))
    else:
        _, rows = await conn.execute_query(sql, [_sqlite(value) for value in params])
    return [tuple(_typed(value, kind) for value, kind in zip(row, types)) for row in rows]


def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's $1, $2..."""
    parts = sql.split("?")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


def _sqlite(value: object) -> object:
    """A parameter as Tortoise stores it on SQLite: ISO days, decimal text."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def _typed(value: object, kind: type) -> object:
    if value is None or isinstance(value, kind):
        return value
    if kind is date:
        return date.fromisoformat(str(value))
    return Decimal(str(value)) if kind is Decimal else kind(value)


async def insert_new(model: type, rows: list[dict], *, unique: str, returning: str) -> list:
    """Insert `rows` (field name → Python value) of `model`, skipping each row whose `unique` column value
    exists already; returns the `returning` column of the rows inserted. One statement per INSERT_CHUNK rows
    (`INSERT … ON CONFLICT DO NOTHING RETURNING`, SQLite ≥ 3.35 and PostgreSQL), in the current transaction."""
    if not rows:
        return []
    conn = connections.get("default")  # the current transaction's connection
    meta = model._meta
    names = list(rows[0])
    fields = [meta.fields_map[name] for name in names]
    columns = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    group = "(" + ", ".join("?" * len(names)) + ")"
    found = []
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start:start + INSERT_CHUNK]
        sql = (f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {", ".join([group] * len(chunk))} '
               f'ON CONFLICT ("{unique}") DO NOTHING RETURNING "{returning}"')
        if conn.capabilities.dialect == "postgres":
            sql = numbered(sql)
        values = [field.to_db_value(row[name], None) for row in chunk for name, field in zip(names, fields)]
        found.extend(row[returning] for row in await conn.execute_query_dict(sql, values))
    return found
