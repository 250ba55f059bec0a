"""OAuth install for many workspaces (installations and state in the database) and Socket Mode."""

import asyncio
import re
from http.cookies import SimpleCookie

import pytest_asyncio
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bot.app import BotConfig, build_bolt_app, close_bolt_app
from bot.runtime import start_bot
from core.models import SlackInstallation, SlackOAuthState, SlackWorkspace
from tests.scenario.slack_fake import CONSOLE, SECRET, SECRET_KEY, FakeSlack, SlackDriver, texts
from tests.scenario.slack_world import make_world
from webconsole.app import build_app
from webconsole.slack_routes import slack_routes


@pytest_asyncio.fixture
async def oauth(db):
    """The real app in OAuth mode (no bot token) on 127.0.0.1, with its driver."""
    fake = FakeSlack()
    await fake.start()
    bolt = build_bolt_app(BotConfig(public_url=CONSOLE, secret_key=SECRET_KEY, signing_secret=SECRET,
                                    client_id="111.222", client_secret="client-secret", api_url=fake.api_url))
    async with TestServer(build_app(checks={}, routes=[slack_routes(bolt, signing_secret=SECRET)]), host="127.0.0.1") as server, \
            ClientSession() as http:
        yield SlackDriver(http, str(server.make_url("")).rstrip("/"), fake)
        await asyncio.sleep(0.05)
    await close_bolt_app(bolt)
    await fake.close()


async def _install(oauth, query: str = "") -> tuple[str, str]:
    """Open /slack/install; returns the state and the cookie the browser keeps."""
    async with oauth.http.get(f"{oauth.url}/slack/install{query}") as resp:
        assert resp.status == 200
        page, cookie = await resp.text(), SimpleCookie(resp.headers["Set-Cookie"])
    state = re.search(r"state=([\w-]+)", page).group(1)
    assert "client_id=111.222" in page and "scope=commands" in page
    return state, f"slack-app-oauth-state={cookie['slack-app-oauth-state'].value}"


async def _redirect(oauth, state: str, cookie: str) -> tuple[int, str]:
    async with oauth.http.get(f"{oauth.url}/slack/oauth_redirect", params={"code": "c0de", "state": state},
                              headers={"Cookie": cookie}) as resp:
        return resp.status, await resp.text()


async def test_an_org_manager_installs_the_app_and_the_workspace_works_for_their_organization(oauth):
    world = await make_world(oauth.fake)
    oauth.fake.add_user("UINSTALLER", "boss@acme.test")
    state, cookie = await _install(oauth, f"?org={world.fx.org.id}")
    assert (await SlackOAuthState.get(state=state)).organization_id == world.fx.org.id
    status, page = await _redirect(oauth, state, cookie)
    assert status == 200 and "Globex now works for Acme." in page
    assert oauth.fake.to("oauth.v2.access")[0].args["code"] == "c0de"
    installation = await SlackInstallation.get(team_id="T0002")
    assert installation.bot_token != "xoxb-installed" and installation.installer_user_id == "UINSTALLER"
    assert (await SlackWorkspace.get(team_id="T0002")).organization_id == world.fx.org.id
    status, _, url = await oauth.command("UINSTALLER", "help", team="T0002")
    assert status == 200
    answer = await oauth.fake.wait_for("response_url", lambda c: url.endswith(c.path))
    assert "`resources [pool]`" in texts(answer.args)
    status, page = await _redirect(oauth, state, cookie)
    assert status == 401 and "invalid_state" in page


async def test_an_install_by_someone_who_manages_no_organization_is_left_for_the_operator(oauth):
    await make_world(oauth.fake)
    oauth.fake.add_user("UINSTALLER", "eng@acme.test")
    state, cookie = await _install(oauth)
    status, page = await _redirect(oauth, state, cookie)
    assert status == 200 and "cloudtuner slack bind --team-id T0002 --org NAME" in page
    assert await SlackInstallation.exists(team_id="T0002") and not await SlackWorkspace.exists(team_id="T0002")


async def test_an_install_whose_installer_slack_will_not_describe_says_what_to_fix(oauth):
    await make_world(oauth.fake)
    oauth.fake.add_user("UINSTALLER", "boss@acme.test")
    oauth.fake.scopes = ["commands", "chat:write", "users:read"]  # the app was created without users:read.email
    state, cookie = await _install(oauth)
    status, page = await _redirect(oauth, state, cookie)
    assert status == 200 and "Cloudtuner is installed, not yet connected" in page
    assert "lacks the users:read.email scope" in page and "cloudtuner slack bind --team-id T0002 --org NAME" in page
    assert await SlackInstallation.exists(team_id="T0002") and not await SlackWorkspace.exists(team_id="T0002")


async def test_requests_from_a_workspace_that_never_installed_are_refused(oauth):
    status, body, url = await oauth.command("U1", "help", team="T0404")
    assert status == 200 and body == ""
    answer = await oauth.fake.wait_for("response_url", lambda c: url.endswith(c.path))
    assert answer.args["text"] == ("Cloudtuner is not installed in this workspace. An organization manager can "
                                   f"install it: {CONSOLE}/slack/install")
    assert [c.method for c in oauth.fake.calls] == ["response_url"]


async def test_socket_mode_receives_commands_without_a_public_url(db):
    fake = FakeSlack()
    await fake.start()
    world = await make_world(fake)
    bot = await start_bot(BotConfig(public_url=CONSOLE, secret_key=SECRET_KEY, bot_token="xoxb-test",
                                    app_token="xapp-1-test", api_url=fake.api_url))
    try:
        await bot.check()
        assert fake.to("apps.connections.open")[0].token == "xapp-1-test"
        url = fake.response_url()
        await fake.envelopes.put({"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
                                  "payload": {"team_id": "T0001", "user_id": "UOWNER", "command": "/cloudtuner",
                                              "text": "envs", "response_url": url, "trigger_id": "9.t",
                                              "api_app_id": "A0001", "channel_id": "C1"}})
        ack = await fake.wait_for("socket", lambda c: c.args.get("envelope_id") == "env-1")
        assert ack.args == {"envelope_id": "env-1"}
        answer = await fake.wait_for("response_url", lambda c: url.endswith(c.path))
        assert f"{CONSOLE}/environments/{world.staging.id}|staging" in texts(answer.args)
    finally:
        await bot.close()
        await fake.close()
