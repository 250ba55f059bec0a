"""`cloudtuner slack bind` as an operator runs it, against the fake Slack Web API: the workspace of the bot
token is bound, and a refused token or an unreachable Slack is one line on stderr and exit code 1."""

from __future__ import annotations

import asyncio

import pytest_asyncio

from tests.cli import COMMAND, cli_env, own_db_url
from tests.scenario.slack_fake import FakeSlack


@pytest_asyncio.fixture
async def fake():
    slack = FakeSlack()
    await slack.start()
    yield slack
    await slack.close()


async def _cli(args: list[str], env: dict, cwd) -> tuple[int, str, str]:
    """Run the command without blocking the event loop the fake Slack answers on."""
    proc = await asyncio.create_subprocess_exec(*COMMAND, *args, env=env, cwd=cwd,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    return proc.returncode, out.decode(), err.decode()


async def test_bind_finds_the_workspace_of_the_bot_token(db, tmp_path, fake):
    env = cli_env(tmp_path, own_db_url(db, tmp_path), SLACK_BOT_TOKEN="xoxb-good",
               SLACK_SIGNING_SECRET="s", CLOUDTUNER_SLACK_API_URL=fake.api_url)
    code, _, err = await _cli(["init", "--org", "Initech", "--manager-email", "bill@initech.test"], env, tmp_path)
    assert code == 0, err
    code, out, err = await _cli(["slack", "bind", "--org", "Initech"], env, tmp_path)
    assert code == 0, err
    assert out.strip() == "Slack workspace T0001 now works for \"Initech\"."
    assert [(c.method, c.token) for c in fake.calls] == [("auth.test", "xoxb-good")]


async def test_a_refused_token_is_one_line_and_exit_code_1(tmp_path, fake):
    fake.failures["auth.test"] = {"error": "invalid_auth"}
    env = cli_env(tmp_path, "", SLACK_BOT_TOKEN="xoxb-revoked", SLACK_SIGNING_SECRET="s",
               CLOUDTUNER_SLACK_API_URL=fake.api_url)
    code, out, err = await _cli(["slack", "bind", "--org", "Initech"], env, tmp_path)
    assert code == 1 and out == ""
    assert err == ("cloudtuner: Slack refused SLACK_BOT_TOKEN (invalid_auth), so I cannot tell which workspace it "
                   "belongs to. Set a valid bot token (xoxb-...), or pass the workspace id with --team-id.\n")
    assert not (tmp_path / "data").exists()  # refused before touching the database


async def test_an_unreachable_slack_is_one_line_and_exit_code_1(tmp_path, fake):
    gone = fake.api_url
    await fake.close()
    env = cli_env(tmp_path, "", SLACK_BOT_TOKEN="xoxb-good", SLACK_SIGNING_SECRET="s",
               CLOUDTUNER_SLACK_API_URL=gone)
    code, _, err = await _cli(["slack", "bind", "--org", "Initech"], env, tmp_path)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"cloudtuner: Could not reach the Slack Web API at {gone} (")
    assert err.endswith("Check the network or CLOUDTUNER_SLACK_API_URL, or pass the workspace id with --team-id.\n")
    await fake.start()  # the fixture closes it again
