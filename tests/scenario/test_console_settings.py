"""Organization settings and the Slack page (off, token mode with binding, OAuth's Add to Slack)."""

import json

from core.models import Organization, SlackWorkspace
from tests.factories import make_org
from tests.scenario.console_world import org_with_password, serve
from webconsole.options import SlackSetup


async def test_organization_settings_save_and_refuse_bad_input(db):
    fx = await org_with_password()
    await make_org("Globex", "g@globex.test")
    async with serve() as console:
        boss = await console.signed_in(fx.manager.email)
        form = await boss.get("/settings/organization")
        assert form.status == 200 and form.value("name") == "Acme" and '<option value="UTC" selected>' in form.text
        saved = await boss.post("/settings/organization", {"name": "Acme Cloud", "currency": "gbp",
                                                           "timezone": "Asia/Tokyo"})
        assert saved.status == 303
        assert "saved" in (await boss.get("/settings/organization")).text
        for data, text in (({"name": "Globex", "currency": "GBP", "timezone": "UTC"}, "already exists"),
                           ({"name": "Acme", "currency": "pounds", "timezone": "UTC"}, "three-letter"),
                           ({"name": "Acme", "currency": "GBP", "timezone": "Nowhere/Land"}, "not a known time zone"),
                           ({"name": "", "currency": "GBP", "timezone": "UTC"}, "must not be empty")):
            page = await boss.post("/settings/organization", data)
            assert page.status == 400 and text in page.text
            assert page.value("currency") == data["currency"]
    org = await Organization.get(id=fx.org.id)
    assert (org.name, org.currency, org.timezone) == ("Acme Cloud", "GBP", "Asia/Tokyo")


async def test_slack_page_when_slack_is_off_shows_how_to_turn_it_on(db):
    fx = await org_with_password()
    async with serve(slack=SlackSetup(mode="off", oauth=False, manifest='{"display_information": {}}')) as console:
        page = await (await console.signed_in(fx.manager.email)).get("/settings/slack")
        assert page.status == 200 and "Turn Slack on" in page.text and "none yet" in page.text
        assert "display_information" in page.text


async def test_slack_page_in_token_mode_binds_the_token_workspace(db):
    fx = await org_with_password()
    checked = []

    async def check() -> None:
        checked.append(True)

    async def workspace() -> tuple[str, str]:
        return "T0ACME", "Acme HQ"

    manifest = json.dumps({"settings": {"event_subscriptions": {"request_url": "http://console.test/slack/events"}}})
    slack = SlackSetup(mode="http", oauth=False, manifest=manifest, check=check, workspace=workspace)
    async with serve(slack=slack) as console:
        boss = await console.signed_in(fx.manager.email)
        page = await boss.get("/settings/slack")
        assert checked and "<dd>ok</dd>" in page.text and page.value("team_id") == "T0ACME"
        assert "http://console.test/slack/events" in page.text
        bad = await boss.post("/settings/slack/bind", {"team_id": "nope", "team_name": "x"})
        assert bad.status == 400 and "is not a Slack workspace id" in bad.text and bad.value("team_id") == "nope"
        done = await boss.post("/settings/slack/bind", {"team_id": "T0ACME", "team_name": "Acme HQ"})
        assert done.status == 303
        assert "Acme HQ (T0ACME)" in (await boss.get("/settings/slack")).text
    assert (await SlackWorkspace.get(team_id="T0ACME")).organization_id == fx.org.id


async def test_slack_page_reports_a_failing_bot_without_its_details(db, caplog):
    fx = await org_with_password()

    async def check() -> None:
        raise RuntimeError("invalid_auth for xoxb-secret-token")

    async with serve(slack=SlackSetup(mode="socket", oauth=False, manifest="{}", check=check)) as console:
        page = await (await console.signed_in(fx.manager.email)).get("/settings/slack")
        assert "not answering" in page.text and "xoxb" not in page.text


async def test_slack_page_in_oauth_mode_offers_add_to_slack_for_this_organization(db):
    fx = await org_with_password()
    async with serve(slack=SlackSetup(mode="http + oauth", oauth=True, manifest="{}")) as console:
        page = await (await console.signed_in(fx.manager.email)).get("/settings/slack")
        assert f'href="/slack/install?org={fx.org.id}"' in page.text and "Add to Slack" in page.text
        assert "App manifest" not in page.text
