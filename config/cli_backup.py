"""`cloudtuner backup FILE` and `cloudtuner restore FILE`: a consistent copy of the SQLite database taken while
Cloudtuner runs (SQLite's online backup API), and putting one back. PostgreSQL has its own tools: for it these
commands say what to run instead and exit non-zero."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

from tortoise.backends.base.config_generator import expand_db_url

from config import startup
from config.settings import Settings, SettingsError
from core import db
from core.errors import InvalidInput

POSTGRES_TOOLS = {
    "backup": "pg_dump --format=custom --file FILE DATABASE_URL",
    "restore": "pg_restore --clean --if-exists --no-owner --dbname DATABASE_URL FILE, then `cloudtuner migrate`",
}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser("backup", help="copy the SQLite database to FILE, also while serving (PostgreSQL: pg_dump)")
    backup.add_argument("file", type=Path, help="a new file for the copy (created 0600)")
    restore = sub.add_parser("restore", help="replace the SQLite database with a backup (stop Cloudtuner first)")
    restore.add_argument("file", type=Path, help="a file `cloudtuner backup` wrote")


def commands(settings: Settings, args: argparse.Namespace) -> dict[str, Callable[[], Awaitable[str]]]:
    return {"backup": lambda: _backup(settings, args.file), "restore": lambda: _restore(settings, args.file)}


async def _backup(settings: Settings, target: Path) -> str:
    live = _sqlite_file(settings, "backup")
    if not live.is_file():
        raise InvalidInput("backup_no_database", path=str(live))
    if target.exists():
        raise InvalidInput("backup_target_exists", path=str(target))
    if not target.parent.is_dir():
        raise InvalidInput("backup_target_dir_missing", path=str(target.parent))
    await asyncio.to_thread(_copy_into_new, live, target)
    return (f"Backed up {live} to {target} ({target.stat().st_size} bytes). Keep the secret key with it "
            "(CLOUDTUNER_SECRET_KEY or secret.key in the data dir): the cloud credentials in it open only with that key.")


async def _restore(settings: Settings, backup: Path) -> str:
    live = _sqlite_file(settings, "restore")
    if not backup.is_file():
        raise InvalidInput("restore_file_missing", path=str(backup))
    if not await asyncio.to_thread(_is_a_backup, backup):
        raise InvalidInput("restore_not_a_backup", path=str(backup))
    await startup.prepare(settings)
    await asyncio.to_thread(_copy, backup, live)
    await db.migrate(settings.db_url)
    return f"Restored {backup} into {live} and applied pending migrations. Start Cloudtuner again."


def _sqlite_file(settings: Settings, command: str) -> Path:
    credentials = expand_db_url(settings.db_url)["credentials"]
    if "file_path" not in credentials:
        raise SettingsError(f"CLOUDTUNER_DATABASE_URL is PostgreSQL, which Cloudtuner does not {command} itself: run "
                            f"{POSTGRES_TOOLS[command]} (see docs/operations.md)")
    return Path(credentials["file_path"])


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while other connections write."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _copy_into_new(source: Path, target: Path) -> None:
    """Into a 0600 temp file beside the target, renamed once complete: never a half-written backup."""
    temp = target.with_name(f".{target.name}.partial")
    startup.write_private(temp, "")
    try:
        _copy(source, temp)
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)


def _is_a_backup(path: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        conn.close()
    except sqlite3.DatabaseError:
        return False
    return ok and {"organization", "member"} <= tables
