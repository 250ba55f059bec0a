"""CLOUDTUNER_LOG_FORMAT=json: one JSON object per line, carrying the HTTP request, Slack request or job run it
belongs to."""

from __future__ import annotations

import io
import json
import logging

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from config.logging import JsonFormatter
from jobs.runner import Deps, Job
from jobs.scheduler import tick
from tests.scenario.slack_fake import TEAM, SlackDriver
from webconsole.app import build_app


@pytest.fixture
def lines():
    """The JSON lines the root logger writes while the test runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


async def test_a_line_written_while_answering_http_names_the_request(lines):
    async def broken() -> None:
        raise RuntimeError("scheduler is not running")

    async with TestServer(build_app(checks={"scheduler": broken}), host="127.0.0.1") as server, \
            ClientSession() as http:
        async with http.get(server.make_url("/healthz"), headers={"X-Request-Id": "req-42"}) as resp:
            assert resp.status == 503
        async with http.get(server.make_url("/healthz")) as resp:
            assert resp.status == 503
    found = [line for line in lines() if line["message"].startswith("health check scheduler failed")]
    assert len(found) == 2
    assert found[0]["request"] == "req-42" and found[0]["path"] == "/healthz" and found[0]["level"] == "WARNING"
    assert len(found[1]["request"]) == 12 and found[1]["request"] != "req-42"
    assert {"time", "logger"} <= found[0].keys()


async def test_a_line_written_by_a_job_run_names_the_job_and_the_run(lines):
    async def fails(window, deps) -> str:
        logging.getLogger("cloudtuner.test").warning("working")
        raise RuntimeError("cloud said no")

    job = Job(name="probe", trigger={"trigger": "interval", "minutes": 1}, run=fails, leased=False)
    await tick(job, Deps())
    await tick(job, Deps())
    working = [line for line in lines() if line["message"] == "working"]
    failed = [line for line in lines() if line["message"] == "job probe failed"]
    assert [line["job"] for line in working + failed] == ["probe"] * 4
    assert working[0]["run"] == failed[0]["run"] != working[1]["run"]
    assert "RuntimeError: cloud said no" in failed[0]["exception"]


async def test_a_line_written_for_a_slack_request_names_it(slack: SlackDriver, lines):
    status, _ = await slack.post("payload=%5B1%5D", "application/x-www-form-urlencoded")
    assert status == 400
    refused = [line for line in lines() if line["message"].startswith("refused a signed Slack request")]
    assert len(refused) == 1 and refused[0]["path"] == "/slack/events" and refused[0]["request"]
    await slack.interact({"type": "shortcut", "callback_id": "not_ours", "team": {"id": TEAM},
                          "user": {"id": "UNOBODY", "team_id": TEAM}, "trigger_id": "5.trigger"})
    unhandled = [line for line in lines() if line["logger"].startswith("slack_bolt")]
    assert unhandled and all(line["slack"] == "shortcut" and line["team"] == TEAM and line["user"] == "UNOBODY"
                             for line in unhandled)
