"""The `cloudtuner` command as an operator runs it: a real process, real HTTP, a real database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request




def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path, db_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDTUNER_")}
    env.update(CLOUDTUNER_DATA_DIR=str(tmp_path / "data"), CLOUDTUNER_DATABASE_URL=db_url, **extra)
    return env


def _cli(args, env, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "config.cli", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def _own_db_url(db: str, tmp_path) -> str:
    """A SQLite file of this test's own, or the session's PostgreSQL database."""
    return f"sqlite://{tmp_path / 'own.sqlite3'}" if db.startswith("sqlite") else db


async def test_serve_answers_healthz_and_stops_cleanly(db, tmp_path):
    port = _free_port()
    env = _env(tmp_path, _own_db_url(db, tmp_path), CLOUDTUNER_PORT=str(port), PYTHONPATH=os.getcwd())
    proc = subprocess.Popen([sys.executable, "-m", "config.cli", "serve"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    body = json.load(resp)
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.2)
        assert body == {"status": "ok", "checks": {"database": "ok", "scheduler": "ok"}}
        assert (tmp_path / "data" / "secret.key").exists()
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, output
    assert "shutting down" in output


async def test_init_creates_the_first_organization_once(db, tmp_path):
    env = _env(tmp_path, _own_db_url(db, tmp_path), PYTHONPATH=os.getcwd())
    first = _cli(["init", "--org", "Initech", "--manager-email", "Bill@Initech.test"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith('Created organization "Initech"') and "bill@initech.test" in first.stdout
    again = _cli(["init", "--org", "Initech", "--manager-email", "bill@initech.test"], env, tmp_path)
    assert again.returncode == 1
    assert again.stderr.strip() == 'cloudtuner: An organization named "Initech" already exists; pick another name.'
    bad = _cli(["init", "--org", "Other", "--manager-email", "nope"], env, tmp_path)
    assert bad.returncode == 1 and '"nope" is not an email address.' in bad.stderr


def test_bad_setting_stops_start_up_with_one_line(tmp_path):
    env = _env(tmp_path, "", CLOUDTUNER_PORT="eighty", PYTHONPATH=os.getcwd())
    result = _cli(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("cloudtuner: CLOUDTUNER_PORT: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "data").exists()


def test_demo_loads_once_and_migrate_stays_idempotent(tmp_path):
    env = _env(tmp_path, "", PYTHONPATH=os.getcwd())
    env.pop("CLOUDTUNER_DATABASE_URL")
    first = _cli(["demo"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith('Loaded "Demo Corp (sample data)": 7 pools, 50 resources')
    again = _cli(["demo"], env, tmp_path)
    assert again.returncode == 1 and "already loaded" in again.stderr
    migrated = _cli(["migrate"], env, tmp_path)
    assert migrated.returncode == 0 and migrated.stdout.strip() == "Migrations applied."
    assert (tmp_path / "data" / "cloudtuner.sqlite3").exists()
