"""The `cloudtuner` command as an operator runs it: a real process, real HTTP, a real database."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request

from tests.cli import COMMAND, cli_env, own_db_url, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_serve_answers_healthz_and_stops_cleanly(db, tmp_path):
    port = _free_port()
    env = cli_env(tmp_path, own_db_url(db, tmp_path), CLOUDTUNER_PORT=str(port))
    proc = subprocess.Popen([*COMMAND, "serve"], env=env, cwd=tmp_path,
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
    env = cli_env(tmp_path, own_db_url(db, tmp_path))
    first = run_cli(["init", "--org", "Initech", "--manager-email", "Bill@Initech.test"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith('Created organization "Initech"') and "bill@initech.test" in first.stdout
    again = run_cli(["init", "--org", "Initech", "--manager-email", "bill@initech.test"], env, tmp_path)
    assert again.returncode == 1
    assert again.stderr.strip() == 'cloudtuner: An organization named "Initech" already exists; pick another name.'
    bad = run_cli(["init", "--org", "Other", "--manager-email", "nope"], env, tmp_path)
    assert bad.returncode == 1 and '"nope" is not an email address.' in bad.stderr


def test_bad_setting_stops_start_up_with_one_line(tmp_path):
    env = cli_env(tmp_path, "", CLOUDTUNER_PORT="eighty")
    result = run_cli(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("cloudtuner: CLOUDTUNER_PORT: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "data").exists()


def test_demo_loads_once_and_migrate_stays_idempotent(tmp_path):
    env = cli_env(tmp_path, "")
    env.pop("CLOUDTUNER_DATABASE_URL")
    first = run_cli(["demo"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith('Loaded "Demo Corp (sample data)": 7 pools, 50 resources')
    again = run_cli(["demo"], env, tmp_path)
    assert again.returncode == 1 and "already loaded" in again.stderr
    migrated = run_cli(["migrate"], env, tmp_path)
    assert migrated.returncode == 0 and migrated.stdout.strip() == "Migrations applied."
    assert (tmp_path / "data" / "cloudtuner.sqlite3").exists()
