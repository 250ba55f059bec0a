"""Test wiring: every test that asks for `db` runs on SQLite and on PostgreSQL.

PostgreSQL comes from CLOUDTUNER_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
each run creates and drops its own database. Unreachable PostgreSQL skips that half, except in CI
(CI=true), where it fails.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from tortoise import connections
from tortoise.backends.base import executor

from core import clock
from core import db as database_module

PG_ADMIN_URL = os.environ.get("CLOUDTUNER_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


async def _pg_reachable() -> str | None:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(PG_ADMIN_URL), timeout=5)
    except (OSError, asyncio.TimeoutError, asyncpg.PostgresError) as exc:
        return str(exc) or type(exc).__name__
    await conn.close()
    return None


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request) -> str:
    return request.param


@pytest_asyncio.fixture(scope="session")
async def database(backend: str, tmp_path_factory) -> str:
    """A migrated, connected database for the whole session of one backend; yields its URL."""
    executor.EXECUTOR_CACHE.clear()  # Tortoise 1.1.9 caches SQL per connection label across backends
    if backend == "sqlite":
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        await database_module.migrate(url)
        await database_module.start(url)
        yield url
        await database_module.stop()
        return
    problem = await _pg_reachable()
    if problem:
        message = (f"PostgreSQL not reachable at {PG_ADMIN_URL} ({problem}); start it or set "
                   "CLOUDTUNER_TEST_POSTGRES_URL to run the PostgreSQL half")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"cloudtuner_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        await database_module.migrate(url)
        await database_module.start(url)
        yield url
        await database_module.stop()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        executor.EXECUTOR_CACHE.clear()


async def _tables() -> list[str]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
    else:
        rows = await conn.execute_query_dict("SELECT name FROM sqlite_master WHERE type = 'table'")
    return [r["name"] for r in rows if not r["name"].startswith(("tortoise_", "sqlite_"))]


@pytest_asyncio.fixture
async def db(database: str) -> str:
    """A clean database for one test; yields the backend's URL."""
    yield database
    conn = connections.get("default")
    tables = await _tables()
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        statements = ["PRAGMA foreign_keys = OFF"] + [f'DELETE FROM "{t}"' for t in tables] + ["PRAGMA foreign_keys = ON"]
        await conn.execute_script(";\n".join(statements))


@pytest.fixture(autouse=True)
def real_clock():
    """A world may pin the clock (core.clock.pin); every test ends on the real time again."""
    yield
    clock.pin(None)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
