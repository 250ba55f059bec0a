"""Sign in with Slack (OpenID Connect) against a local fake of Slack's authorize, token and userInfo."""

from contextlib import asynccontextmanager
from urllib.parse import parse_qs, urlsplit

from aiohttp import web
from aiohttp.test_utils import TestServer

from core.services import slack_links
from tests.factories import make_member
from tests.scenario.console_world import org_with_password, serve
from webconsole.options import SlackSignIn


@asynccontextmanager
async def fake_slack(userinfo: dict):
    """openid.connect.token and openid.connect.userInfo; records what it was sent."""
    seen: list[dict] = []

    async def token(request: web.Request) -> web.Response:
        seen.append(dict(await request.post()))
        ok = request.headers.get("Authorization", "").startswith("Basic") or seen[-1].get("client_secret") == "shh"
        if seen[-1].get("code") != "good-code" or not ok:
            return web.json_response({"ok": False, "error": "invalid_code"})
        return web.json_response({"ok": True, "access_token": "xoxp-user-token", "id_token": "x.y.z"})

    async def info(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != "Bearer xoxp-user-token":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response({"ok": True, **userinfo})

    app = web.Application()
    app.router.add_post("/api/openid.connect.token", token)
    app.router.add_post("/api/openid.connect.userInfo", info)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield SlackSignIn(client_id="123.456", client_secret="shh", api_url=str(server.make_url("/api/"))), seen
    finally:
        await server.close()


async def _start(browser) -> str:
    page = await browser.get("/signin/slack")
    assert page.status == 302
    query = parse_qs(urlsplit(page.location).query)
    assert urlsplit(page.location).path == "/openid/connect/authorize"
    assert query["scope"] == ["openid email profile"] and query["client_id"] == ["123.456"]
    assert query["redirect_uri"] == ["http://console.test/signin/slack/callback"]
    return query["state"][0]


async def test_sign_in_with_slack_by_the_verified_email_of_the_bound_workspace(db):
    fx = await org_with_password()
    await make_member(fx, "eng@acme.test")
    await slack_links.bind_workspace(team_id="T0001", organization_id=fx.org.id)
    claims = {"email": "ENG@acme.test", "email_verified": True, "https://slack.com/team_id": "T0001"}
    async with fake_slack(claims) as (sign_in, seen), serve(sign_in=sign_in) as console:
        browser = console.browser()
        assert "Sign in with Slack" in (await browser.get("/signin")).text
        state = await _start(browser)
        done = await browser.get(f"/signin/slack/callback?code=good-code&state={state}")
        assert done.status == 303 and done.location == "/"
        assert "eng" in (await browser.get("/")).text
        assert seen[0]["redirect_uri"] == "http://console.test/signin/slack/callback"
        replay = await browser.get(f"/signin/slack/callback?code=good-code&state={state}")
        assert replay.status == 400 and "did not start here" in replay.text


async def test_sign_in_with_slack_refusals(db):
    await org_with_password()
    async with fake_slack({"email": "boss@acme.test", "email_verified": False}) as (sign_in, _), \
            serve(sign_in=sign_in) as console:
        browser = console.browser()
        forged = await browser.get("/signin/slack/callback?code=good-code&state=forged")
        assert forged.status == 400 and "did not start here" in forged.text
        state = await _start(browser)
        bad_code = await browser.get(f"/signin/slack/callback?code=bad&state={state}")
        assert bad_code.status == 400 and "invalid_code" in bad_code.text
        state = await _start(browser)
        unverified = await browser.get(f"/signin/slack/callback?code=good-code&state={state}")
        assert unverified.status == 400 and "has not verified your email" in unverified.text
        assert (await browser.get("/")).location == "/signin"
    async with fake_slack({"email": "who@else.test", "email_verified": True}) as (sign_in, _), \
            serve(sign_in=sign_in) as console:
        browser = console.browser()
        state = await _start(browser)
        page = await browser.get(f"/signin/slack/callback?code=good-code&state={state}")
        assert page.status == 400 and "Nobody here has the email who@else.test" in page.text


async def test_without_an_oauth_client_there_is_no_slack_sign_in(db):
    await org_with_password()
    async with serve() as console:
        assert (await console.browser().get("/signin/slack")).status == 404
