"""Running `cloudtuner` as an operator does: a subprocess in its own data directory, with none of the caller's
CLOUDTUNER_/SLACK_/AWS_ settings."""

from __future__ import annotations

import os
import subprocess
import sys

CLEARED = ("CLOUDTUNER_", "SLACK_", "AWS_")
COMMAND = [sys.executable, "-m", "config.cli"]


def cli_env(tmp_path, db_url: str | None = None, **extra: str) -> dict:
    """The environment of one run: a data directory under tmp_path, this checkout importable, and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    env.update({"CLOUDTUNER_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": os.getcwd()})
    if db_url is not None:
        env["CLOUDTUNER_DATABASE_URL"] = db_url
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def own_db_url(db: str, tmp_path) -> str:
    """A SQLite file of this test's own, or the session's PostgreSQL database."""
    return f"sqlite://{tmp_path / 'own.sqlite3'}" if db.startswith("sqlite") else db
