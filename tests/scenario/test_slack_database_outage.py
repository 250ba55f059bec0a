"""A Slack command while PostgreSQL is down: Slack gets its ack, the person a short note, and the served
process answers normally again by itself once the database is back (a throwaway cluster, stopped and started)."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from urllib.parse import urlencode

from tests.cli import cli_env, run_cli
from tests.scenario.pg_cluster import Cluster
from tests.scenario.slack_fake import SECRET, TEAM, FakeSlack, sign, texts
from tests.scenario.test_slack_serve import _free_port, _healthz, _start, _stop

OUTAGE = "Cloudtuner's database is not answering; try again in a minute."


def _post(port: int, body: str, content_type: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body.encode(),
                                     headers={"Content-Type": content_type, **sign(body)})
    with urllib.request.urlopen(request, timeout=10) as resp:
        return resp.status


async def _command(fake: FakeSlack, port: int, text: str) -> tuple[int, str]:
    """/cloudtuner <text> from the manager; the status Slack got and the text the person was shown."""
    url = fake.response_url()
    body = urlencode({"team_id": TEAM, "user_id": "UBOSS", "command": "/cloudtuner", "text": text,
                      "response_url": url, "trigger_id": f"{time.monotonic()}.t", "api_app_id": "A0001"})
    status = await asyncio.to_thread(_post, port, body, "application/x-www-form-urlencoded")
    answer = await fake.wait_for("response_url", lambda c: url.endswith(c.path))
    return status, texts(answer.args)


async def test_a_command_during_a_database_outage_gets_its_ack_and_a_note_and_the_process_recovers(tmp_path):
    cluster = Cluster(_free_port()).create()
    cluster.start()
    fake = FakeSlack()
    await fake.start()
    fake.add_user("UBOSS", "boss@acme.test")
    settings = {"CLOUDTUNER_DATABASE_URL": cluster.url, "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_SIGNING_SECRET": SECRET, "CLOUDTUNER_SLACK_API_URL": fake.api_url}
    init = run_cli(["init", "--org", "Acme", "--manager-email", "boss@acme.test", "--slack-team-id", TEAM],
                   cli_env(tmp_path, **settings), tmp_path)
    assert init.returncode == 0, init.stderr
    port = _free_port()
    proc = _start(tmp_path, port, **settings)
    try:
        await _healthz(proc, port)
        status, shown = await _command(fake, port, "org")
        assert status == 200 and "Acme" in shown

        cluster.stop()
        for text in ("org", "resources"):
            status, shown = await _command(fake, port, text)
            assert (status, shown) == (200, OUTAGE)
        event = json.dumps({"type": "event_callback", "team_id": TEAM, "api_app_id": "A0001", "event_id": "EvDown1",
                            "event_time": int(time.time()), "event": {"type": "message", "channel_type": "im",
                                                                      "channel": "DUBOSS", "user": "UBOSS",
                                                                      "text": "org", "ts": "1.1"}})
        assert await asyncio.to_thread(_post, port, event, "application/json") == 200
        told = await fake.wait_for("chat.postEphemeral", lambda c: c.args.get("user") == "UBOSS")
        assert told.args["text"] == OUTAGE

        cluster.start()
        status, shown = await _command(fake, port, "org")
        assert status == 200 and "Acme" in shown
        assert (await _healthz(proc, port))["checks"]["database"] == "ok"
    finally:
        output = _stop(proc)
        await fake.close()
        cluster.remove()
    assert " ERROR " not in output and "Something went wrong" not in output  # no failure with a reference
    assert output.count("Slack request failed: the database is not answering") == 3
