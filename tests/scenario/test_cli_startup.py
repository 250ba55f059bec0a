"""Start-up mistakes an operator makes: each is one line naming the setting and what to do, a non-zero exit, and
no traceback; the data dir and every file in it are private to the user Cloudtuner runs as."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys

import pytest

GUARD = 60  # seconds: a hang fails the test instead of blocking the suite (not a timing assertion)


def _run(tmp_path, args: list[str], **settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDTUNER_", "SLACK_"))}
    env.update({"PYTHONPATH": os.getcwd(), "CLOUDTUNER_DATA_DIR": str(tmp_path / "data"), **settings})
    return subprocess.run([sys.executable, "-m", "config.cli", *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=GUARD)


def _refusal(result: subprocess.CompletedProcess, setting: str) -> str:
    """The one line naming the setting; nothing else went wrong loudly."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("cloudtuner: ")]
    assert len(lines) == 1 and lines[0].startswith(f"cloudtuner: {setting}"), result.stderr
    return lines[0]


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_dir_is_private_and_a_loose_one_is_tightened_once(tmp_path):
    assert _run(tmp_path, ["migrate"]).returncode == 0
    data = tmp_path / "data"
    assert _mode(data) == 0o700
    files = [p for p in data.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {"cloudtuner.sqlite3", "secret.key"}
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    data.chmod(0o755)
    (data / "cloudtuner.sqlite3").chmod(0o644)
    (data / "secret.key").chmod(0o644)
    again = _run(tmp_path, ["migrate"])
    assert again.returncode == 0 and "made " + str(data) + " private to this user: 3 entries" in again.stderr
    assert _mode(data) == 0o700 and _mode(data / "cloudtuner.sqlite3") == _mode(data / "secret.key") == 0o600
    assert "private to this user" not in _run(tmp_path, ["migrate"]).stderr


@pytest.mark.parametrize("kept", ["", "\n", "too-short-a-key"])
def test_a_short_or_empty_secret_key_file_is_refused(tmp_path, kept):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "secret.key").write_text(kept)
    result = _run(tmp_path, ["init", "--org", "Initech", "--manager-email", "bill@initech.test"])
    line = _refusal(result, str(tmp_path / "data" / "secret.key"))
    assert "must be at least 32 characters" in line
    assert not (tmp_path / "data" / "cloudtuner.sqlite3").exists()


def test_a_sqlite_url_in_a_missing_directory_is_named_instead_of_hanging(tmp_path):
    result = _run(tmp_path, ["migrate"], CLOUDTUNER_DATABASE_URL=f"sqlite://{tmp_path}/nowhere/ct.sqlite3")
    line = _refusal(result, "CLOUDTUNER_DATABASE_URL")
    assert f"the directory {tmp_path}/nowhere of the SQLite file does not exist" in line


def test_a_data_dir_that_cannot_be_written_is_named(tmp_path):
    (tmp_path / "a-file").write_text("")
    result = _run(tmp_path, ["migrate"], CLOUDTUNER_DATA_DIR=str(tmp_path / "a-file" / "data"))
    assert "cannot be written" in _refusal(result, "CLOUDTUNER_DATA_DIR")


def test_postgresql_refusing_connections_is_named_without_the_password(tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = _run(tmp_path, ["migrate"], CLOUDTUNER_DATABASE_URL=f"postgres://ct:hunter2@127.0.0.1:{port}/ct")
    line = _refusal(result, "CLOUDTUNER_DATABASE_URL")
    assert f"PostgreSQL at 127.0.0.1:{port}/ct cannot be used" in line and "hunter2" not in result.stderr


def test_postgresql_that_never_answers_times_out(tmp_path):
    with socket.socket() as silent:  # accepts connections (the kernel does) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"postgres://ct@127.0.0.1:{silent.getsockname()[1]}/ct"
        result = _run(tmp_path, ["serve"], CLOUDTUNER_DATABASE_URL=url)
    assert "no answer within 5 s" in _refusal(result, "CLOUDTUNER_DATABASE_URL")


def test_a_port_in_use_is_named(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = _run(tmp_path, ["serve"], CLOUDTUNER_PORT=str(port))
    assert f"cannot listen on 127.0.0.1:{port}" in _refusal(result, "CLOUDTUNER_PORT")
