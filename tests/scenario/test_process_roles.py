"""Splitting the roles over processes on one database: `serve --no-scheduler` answers Slack and runs no
jobs; `cloudtuner worker` runs the jobs, serves /healthz and no Slack endpoint."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

from tests.scenario.slack_fake import SECRET, TEAM, FakeSlack, sign, texts
from tests.scenario.test_slack_serve import _free_port, _healthz, _start, _stop


def _read_until(proc, wanted: str, timeout: float = 90) -> str:
    """The process's output up to the first line that contains `wanted`."""
    deadline, lines = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if wanted in line or not line:
            break
    return "".join(lines)


def _post(port: int, body: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", **sign(body)})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_serve_without_scheduler_and_a_worker_share_one_database(tmp_path):
    fake = FakeSlack()
    await fake.start()
    settings = {"CLOUDTUNER_DATABASE_URL": f"sqlite://{tmp_path / 'shared.sqlite3'}", "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_SIGNING_SECRET": SECRET, "CLOUDTUNER_SLACK_API_URL": fake.api_url,
                "CLOUDTUNER_LOG_LEVEL": "DEBUG"}
    web_port, worker_port = _free_port(), _free_port()
    web = _start(tmp_path, web_port, "serve", "--no-scheduler", **settings)
    worker, seen = None, ""
    try:
        assert await _healthz(web, web_port) == {"status": "ok", "checks": {"database": "ok", "bot": "ok"}}
        worker = _start(tmp_path, worker_port, "worker", "--no-migrate", **settings)
        assert await _healthz(worker, worker_port) == {"status": "ok", "checks": {"database": "ok",
                                                                                  "scheduler": "ok"}}
        url = fake.response_url()
        command = urlencode({"team_id": TEAM, "user_id": "U1", "command": "/cloudtuner", "text": "help",
                             "response_url": url, "trigger_id": "1.t", "api_app_id": "A0001"})
        assert await asyncio.to_thread(_post, web_port, command) == 200
        assert "`envs [filter]`" in texts((await fake.wait_for("response_url", lambda c: url.endswith(c.path))).args)
        assert await asyncio.to_thread(_post, worker_port, command) == 404
        seen = await asyncio.to_thread(_read_until, worker, "job delivery: ")  # it runs every 10 seconds
    finally:
        web_output = _stop(web)
        worker_output = seen + _stop(worker) if worker is not None else ""
        await fake.close()
    assert "job delivery: " in worker_output and "job delivery: " not in web_output
    assert "no scheduled jobs (a worker runs them)" in web_output and "Slack bot on" in web_output
    assert "scheduled jobs only" in worker_output and "Slack bot" not in worker_output
