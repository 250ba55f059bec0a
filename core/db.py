"""Database wiring: Tortoise config, start/stop, migrations, transactions and a health probe."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.api import migrate as run_migrations
from tortoise.transactions import in_transaction

APP = "models"
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


@asynccontextmanager
async def running(db_url: str) -> AsyncIterator[BaseDBAsyncClient]:
    await start(db_url)
    try:
        yield connections.get("default")
    finally:
        await stop()
