"""`cloudtuner backup` / `restore` as an operator runs them: a real process on a real SQLite file; PostgreSQL gets
the commands to run instead."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

GUARD = 120  # seconds: a hang fails the test instead of blocking the suite


def _cli(tmp_path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDTUNER_", "SLACK_"))}
    env.update({"PYTHONPATH": os.getcwd(), "CLOUDTUNER_DATA_DIR": str(tmp_path / "data"), **settings})
    return subprocess.run([sys.executable, "-m", "config.cli", *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=GUARD)


def _organizations(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM organization"))
    finally:
        conn.close()


def test_a_backup_is_a_private_copy_that_restore_puts_back(tmp_path):
    assert _cli(tmp_path, "init", "--org", "Initech", "--manager-email", "bill@initech.test").returncode == 0
    copy = tmp_path / "ct-backup.sqlite3"
    made = _cli(tmp_path, "backup", str(copy))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Backed up {tmp_path / 'data' / 'cloudtuner.sqlite3'} to {copy}")
    assert "Keep the secret key with it" in made.stdout
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600 and _organizations(copy) == ["Initech"]
    again = _cli(tmp_path, "backup", str(copy))
    assert again.returncode == 1 and "already exists" in again.stderr and _organizations(copy) == ["Initech"]

    assert _cli(tmp_path, "init", "--org", "Later", "--manager-email", "l@later.test").returncode == 0
    restored = _cli(tmp_path, "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert _organizations(tmp_path / "data" / "cloudtuner.sqlite3") == ["Initech"]
    assert _cli(tmp_path, "migrate").returncode == 0


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    assert _cli(tmp_path, "init", "--org", "Initech", "--manager-email", "bill@initech.test").returncode == 0
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for wrong in ("notes.txt", "other.sqlite3", "missing.sqlite3"):
        result = _cli(tmp_path, "restore", str(tmp_path / wrong))
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert _organizations(tmp_path / "data" / "cloudtuner.sqlite3") == ["Initech"]


def test_postgresql_gets_the_pg_dump_and_pg_restore_commands(tmp_path):
    url = "postgres://ct@127.0.0.1:5432/ct"
    for command, tool in (("backup", "pg_dump --format=custom"), ("restore", "pg_restore --clean")):
        result = _cli(tmp_path, command, str(tmp_path / "x.dump"), CLOUDTUNER_DATABASE_URL=url)
        assert result.returncode == 2 and tool in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert not (tmp_path / "x.dump").exists()
