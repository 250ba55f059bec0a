"""Alerts Add (pool search) and Delete, org Choose, and the App Home dashboard."""

import json
from datetime import timedelta

from bot import ids
from core.models import Alert, Pool
from core.services import alerts, orgs, slack_links
from core.services.bookings import create_booking
from tests.scenario.slack_fake import BOX, CONSOLE, buttons, number, state, texts
from tests.scenario.slack_world import BOSS, OWNER, POOL_MANAGER, STRANGER, make_world


def _alert_values(pool_id: int, *, threshold: str | None = "80", channel: str | None = "C0ALERTS01",
                  options: tuple[str, ...] = ("include_children",)) -> dict:
    return state(**{
        ids.POOL: {"type": "external_select", "selected_option": {"value": str(pool_id)}},
        ids.BASED_ON: {"type": "static_select", "selected_option": {"value": "cost"}},
        ids.THRESHOLD: number(threshold),
        ids.THRESHOLD_TYPE: {"type": "radio_buttons", "selected_option": {"value": "percentage"}},
        ids.OPTIONS: {"type": "checkboxes", "selected_options": [{"value": o} for o in options]},
        ids.CHANNEL: {"type": "conversations_select", "selected_conversation": channel}})


async def _open_alert_modal(slack, user: str) -> tuple[dict, str]:
    _, _, url = await slack.click(user, ids.ALERT_ADD)
    return (await slack.fake.wait_for("views.open")).args["view"], url


async def test_add_an_alert_with_a_pool_found_by_searching(slack):
    world = await make_world(slack.fake)
    view, url = await _open_alert_modal(slack, BOSS)
    assert view["callback_id"] == ids.ALERT_VIEW
    status, body = await slack.suggest(BOSS, ids.POOL, "de", view)
    assert status == 200 and json.loads(body) == {"options": [
        {"text": {"type": "plain_text", "text": "Dev", "emoji": True}, "value": str(world.dev.id)}]}
    status, body = await slack.submit(BOSS, view, _alert_values(world.dev.id, options=("include_children", "me")))
    assert status == 200 and body == ""
    answer = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert answer["replace_original"] is True
    assert "Cost this month reaches 80% of the monthly limit (with sub-pools) → <#C0ALERTS01>, Boss" in texts(answer)
    alert = await Alert.get(pool_id=world.dev.id).prefetch_related("recipients")
    assert alert.channels == ["C0ALERTS01"] and [m.id for m in alert.recipients] == [world.boss.id]


async def test_a_pool_manager_searches_only_their_pools(slack):
    world = await make_world(slack.fake)
    await Pool.create(organization=world.fx.org, parent=world.dev, name="Dev Team B")
    view, _ = await _open_alert_modal(slack, POOL_MANAGER)
    _, body = await slack.suggest(POOL_MANAGER, ids.POOL, "", view)
    assert [o["text"]["text"] for o in json.loads(body)["options"]] == ["Dev", "Dev Team B"]


async def test_alert_input_errors_stay_in_the_modal(slack):
    world = await make_world(slack.fake)
    view, _ = await _open_alert_modal(slack, BOSS)
    _, body = await slack.submit(BOSS, view, _alert_values(world.dev.id, threshold=None))
    assert list(json.loads(body)["errors"]) == [ids.THRESHOLD]
    _, body = await slack.submit(BOSS, view, _alert_values(world.dev.id, channel=None, options=()))
    assert json.loads(body)["errors"] == {ids.CHANNEL: "An alert needs at least one target: a Slack channel or a member."}
    assert await Alert.all().count() == 0


async def test_delete_an_alert(slack):
    world = await make_world(slack.fake)
    alert = await alerts.create_alert(actor_id=world.boss.id, pool_id=world.dev.id, based_on="constraint",
                                      threshold=0, threshold_type="absolute", channels=["C0ALERTS01"])
    _, _, url = await slack.click(BOSS, ids.ALERT_DELETE, alert.id)
    answer = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert "No alerts yet." in texts(answer) and not await Alert.exists(id=alert.id)


async def test_choose_the_active_organization(slack):
    world = await make_world(slack.fake)
    _, globex_boss = await orgs.create_organization(name="Globex", manager_email="boss@globex.test")
    there = await orgs.add_member(actor_id=globex_boss.id, email="o@globex.test", name="Owner G")
    code = await slack_links.issue_link_code(box=BOX, actor_id=globex_boss.id, member_id=there.id)
    await slack.dm(OWNER, "resources")  # first contact links to Acme by email
    await slack.fake.wait_for("chat.postMessage")
    await slack.dm(OWNER, f"link {code}")
    await slack.fake.wait_for("chat.postMessage", lambda c: "Linked" in texts(c.args))
    _, _, url = await slack.command(OWNER, "org")
    listing = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert "*Globex* — Active · engineer" in texts(listing) and buttons(listing) == [(ids.ORG_CHOOSE, str(world.fx.org.id))]
    _, _, url = await slack.click(OWNER, ids.ORG_CHOOSE, world.fx.org.id)
    chosen = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert "You now act in Acme." in texts(chosen) and "*Acme* — Active · engineer" in texts(chosen)
    assert (await slack_links.acting_member(team_id="T0001", slack_user_id=OWNER)).id == world.owner.id
    _, _, url = await slack.click(OWNER, ids.ORG_CHOOSE, 999999)
    refused = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert refused["text"] == "You are not linked to a member of organization 999999; send `org` to see yours."


async def test_app_home_shows_my_resources_bookings_and_pools_needing_attention(slack):
    world = await make_world(slack.fake)
    await Pool.filter(id=world.dev.id).update(monthly_limit=10)
    await create_booking(actor_id=world.owner.id, environment_id=world.staging.id, starts_at=world.now,
                         ends_at=world.now + timedelta(hours=1))
    await slack.home_opened(OWNER)
    home = (await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == OWNER)).args
    shown = texts(home["view"])
    assert home["view"]["type"] == "home" and "Cloudtuner — Acme" in shown
    assert shown.index("vm-big") < shown.index("vm-small") and f"<{CONSOLE}/environments/{world.staging.id}|staging> — now" in shown
    assert "Every pool you manage is within its limit and forecast." in shown
    assert [a for a, _ in buttons(home["view"])][:6] == [ids.run_command(c) for c in
                                                         ("resources", "envs", "alerts", "schedules", "org", "help")]
    await slack.home_opened(BOSS)
    boss_home = (await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == BOSS)).args
    assert f"<{CONSOLE}/pools/{world.dev.id}|Dev> is over its limit" in texts(boss_home["view"])


async def test_home_buttons_answer_in_the_dm_and_strangers_see_how_to_get_in(slack):
    await make_world(slack.fake)
    await slack.click(OWNER, ids.run_command("envs"), "", home=True)
    posted = (await slack.fake.wait_for("chat.postMessage")).args
    assert posted["channel"] == OWNER and "Shared environments" in texts(posted)
    await slack.home_opened(STRANGER)
    home = (await slack.fake.wait_for("views.publish")).args
    assert "Nobody in Acme has the email stranger@else.test." in texts(home["view"])
