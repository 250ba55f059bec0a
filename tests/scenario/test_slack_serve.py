"""`cloudtuner serve` with and without Slack settings: a real process, real HTTP, the fake Slack API."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import subprocess
import urllib.request
from urllib.parse import urlencode

from tests.cli import COMMAND, cli_env, run_cli
from tests.scenario.served import wait_healthy
from tests.scenario.slack_fake import SECRET, FakeSlack, sign, texts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path, port: int, *command: str, **extra: str) -> subprocess.Popen:
    """`cloudtuner serve` (or `command`) on `port` with only the settings given."""
    env = cli_env(tmp_path, CLOUDTUNER_PORT=str(port), **extra)
    return subprocess.Popen([*COMMAND, *(command or ("serve",))], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


async def _healthz(proc: subprocess.Popen, port: int) -> dict:
    return await wait_healthy(f"http://127.0.0.1:{port}", proc)


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    output = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, output
    return output


async def test_without_slack_settings_the_service_runs_and_says_once_how_to_turn_the_bot_on(tmp_path):
    port = _free_port()
    proc = _start(tmp_path, port)
    try:
        assert await _healthz(proc, port) == {"status": "ok", "checks": {"database": "ok", "scheduler": "ok"}}
    finally:
        output = _stop(proc)
    assert output.count("Slack bot is off.") == 1
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET" in output and "SLACK_APP_TOKEN" in output


async def test_with_a_bot_token_slack_requests_are_served_and_the_bot_is_health_checked(tmp_path):
    fake = FakeSlack()
    await fake.start()
    port = _free_port()
    proc = _start(tmp_path, port, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SECRET,
                  CLOUDTUNER_SLACK_API_URL=fake.api_url)
    try:
        assert await _healthz(proc, port) == {"status": "ok", "checks": {"database": "ok", "scheduler": "ok",
                                                                         "bot": "ok"}}
        url = fake.response_url()
        body = urlencode({"team_id": "T0001", "user_id": "U1", "command": "/cloudtuner", "text": "help",
                          "response_url": url, "trigger_id": "1.t", "api_app_id": "A0001"})
        request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded", **sign(body)})
        assert (await asyncio.to_thread(urllib.request.urlopen, request, None, 10)).status == 200
        answer = await fake.wait_for("response_url", lambda c: url.endswith(c.path))
        assert "`envs [filter]`" in texts(answer.args)
        assert fake.to("auth.test")[0].token == "xoxb-test"
    finally:
        output = _stop(proc)
        await fake.close()
    assert "Slack bot on (http mode)" in output and "Slack bot is off" not in output


def _cli(tmp_path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return run_cli(list(args), cli_env(tmp_path, **extra), tmp_path)


def _bindings(tmp_path) -> list[tuple[str, str]]:
    with sqlite3.connect(tmp_path / "data" / "cloudtuner.sqlite3") as conn:
        return conn.execute("SELECT w.team_id, o.name FROM slack_workspace w JOIN organization o "
                            "ON o.id = w.organization_id ORDER BY w.team_id").fetchall()


async def test_the_cli_binds_a_workspace_at_init_or_later_asking_slack_which_one_the_token_is_for(tmp_path):
    first = _cli(tmp_path, "init", "--org", "Acme", "--manager-email", "a@acme.test", "--slack-team-id", "t0042")
    assert first.returncode == 0 and first.stdout.strip().endswith("Slack workspace T0042 works for it.")
    bad = _cli(tmp_path, "init", "--org", "Other", "--manager-email", "o@x.test", "--slack-team-id", "W1")
    assert bad.returncode == 1 and "\"W1\" is not a Slack workspace id" in bad.stderr
    fake = FakeSlack()
    await fake.start()
    try:
        bound = await asyncio.to_thread(_cli, tmp_path, "slack", "bind", "--org", "Acme", SLACK_BOT_TOKEN="xoxb-test",
                                        SLACK_SIGNING_SECRET=SECRET, CLOUDTUNER_SLACK_API_URL=fake.api_url)
    finally:
        await fake.close()
    assert bound.returncode == 0, bound.stderr
    assert bound.stdout.strip() == "Slack workspace T0001 now works for \"Acme\"."
    missing = _cli(tmp_path, "slack", "bind", "--org", "Nope", "--team-id", "T0009")
    assert missing.returncode == 1 and "No organization named \"Nope\"." in missing.stderr
    assert _bindings(tmp_path) == [("T0001", "Acme"), ("T0042", "Acme")]
