"""Every command as `/cloudtuner <cmd>` and as a direct message, as the person would see the answer."""

import logging
import re
from datetime import timedelta

import pytest

from bot import ids
from core.models import Resource, SlackUser, SlackUserLink
from core.services import alerts, constraints, schedules, slack_links
from tests.scenario.slack_fake import BOX, CONSOLE, buttons, texts
from tests.scenario.slack_world import BOSS, ENGINEER, OWNER, STRANGER, make_resource, make_world


async def _slash(slack, user: str, text: str) -> dict:
    status, body, url = await slack.command(user, text)
    assert status == 200 and body == ""
    return (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args


async def _dm(slack, user: str, text: str) -> dict:
    before = len(slack.fake.calls)
    status, _ = await slack.dm(user, text)
    assert status == 200
    call = await slack.fake.wait_for("chat.postMessage", after=before)
    assert call.args["channel"] == f"D{user}"
    return call.args


async def test_help_lists_every_command_and_links_to_the_console(slack):
    answer = await _slash(slack, ENGINEER, "help")
    shown = texts(answer)
    for command in ("`resources [pool]`", "`envs [filter]`", "`org`", "`alerts`", "`schedules`", "`help`", "`link CODE`"):
        assert command in shown
    assert f"<{CONSOLE}/|Open in the Cloudtuner console>" in shown
    assert answer["response_type"] == "ephemeral"


@pytest.mark.parametrize("words", ["frobnicate now", "RESOURCES!"])
async def test_an_unknown_command_gets_help(slack, words):
    answer = await _dm(slack, ENGINEER, words)
    assert f"I don't know “{words}”" in texts(answer) and "`envs [filter]`" in texts(answer)


async def test_resources_links_the_person_by_verified_email_and_lists_theirs_most_expensive_first(slack):
    world = await make_world(slack.fake)
    answer = await _slash(slack, OWNER, "resources")
    assert slack.fake.to("users.info")[0].args["user"] == OWNER
    assert (await SlackUserLink.get(slack_user__slack_user_id=OWNER)).member_id == world.owner.id
    shown = texts(answer)
    assert shown.index("vm-big") < shown.index("vm-small") and "ops-db" not in shown
    assert "*42.50 USD* this month" in shown and "*1.00 USD* this month" in shown
    assert f"<{CONSOLE}/resources/{world.big.id}|vm-big>" in shown
    assert buttons(answer) == [(ids.RESOURCE_DETAILS, str(world.big.id)), (ids.RESOURCE_DETAILS, str(world.small.id))]
    assert f"<{CONSOLE}/resources|All resources>" in shown


async def test_resources_warn_about_limits_and_ttls(slack):
    world = await make_world(slack.fake)
    await constraints.set_pool_policy(actor_id=world.boss.id, pool_id=world.dev.id, kind="daily_expense_limit", value=10)
    await constraints.set_resource_ttl(actor_id=world.boss.id, resource_id=world.small.id,
                                       until=world.now + timedelta(hours=5))
    shown = texts(await _dm(slack, OWNER, "resources"))
    assert f":warning: 12.50 USD on {world.now.date().isoformat()}, above the daily limit of 10.00 USD" in shown
    assert ":hourglass_flowing_sand: TTL ends <!date^" in shown


async def test_resources_page_beyond_one_message(slack):
    world = await make_world(slack.fake)
    for n in range(11):
        await make_resource(world.fx, world.dev, f"extra-{n:02d}", world.owner, world.now)
    first = await _slash(slack, OWNER, "resources")
    assert texts(first).count("USD* this month") == 10 and (ids.RESOURCE_PAGE, "10:") in buttons(first)
    await slack.click(OWNER, ids.RESOURCE_PAGE, "10:")
    second = (await slack.fake.wait_for("response_url", lambda c: c.args.get("replace_original"))).args
    assert texts(second).count("USD* this month") == 3 and "11–13" in texts(second)
    assert not any(action == ids.RESOURCE_PAGE for action, _ in buttons(second))


async def test_envs_show_status_and_bookings_and_filter(slack):
    world = await make_world(slack.fake)
    from core.services.bookings import create_booking
    await create_booking(actor_id=world.engineer.id, environment_id=world.staging.id, starts_at=world.now,
                         ends_at=world.now + timedelta(hours=2))
    shown = texts(await _dm(slack, OWNER, "envs"))
    assert ":red_circle: In use — eng until <!date^" in shown and ":large_green_circle: Available" in shown
    assert f"<{CONSOLE}/environments/{world.staging.id}|staging>" in shown
    filtered = await _slash(slack, OWNER, "envs stag")
    assert "staging" in texts(filtered) and "perf" not in texts(filtered)
    assert buttons(filtered) == [(ids.ENV_BOOK, str(world.staging.id)), (ids.ENV_DETAILS, str(world.staging.id))]


async def test_org_alerts_and_schedules(slack):
    world = await make_world(slack.fake)
    await alerts.create_alert(actor_id=world.boss.id, pool_id=world.dev.id, based_on="cost", threshold=80,
                              threshold_type="percentage", channels=["C0ALERTS01"])
    schedule = await schedules.create_schedule(actor_id=world.boss.id, name="Office", timezone="Europe/Berlin",
                                               periods=[{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "stop": "19:00"}])
    await schedules.attach_resources(actor_id=world.boss.id, schedule_id=schedule.id, resource_ids=[world.big.id])
    assert "*Acme* — Active · engineer" in texts(await _slash(slack, OWNER, "org"))
    boss_view = await _dm(slack, BOSS, "alerts")
    assert "Cost this month reaches 80% of the monthly limit → <#C0ALERTS01>" in texts(boss_view)
    assert [a for a, _ in buttons(boss_view)] == [ids.ALERT_DELETE, ids.ALERT_ADD]
    engineer_view = await _slash(slack, ENGINEER, "alerts")
    assert "80% of the monthly limit" in texts(engineer_view) and buttons(engineer_view) == []
    shown = texts(await _slash(slack, ENGINEER, "schedules"))
    assert "Europe/Berlin · starts and stops" in shown and "Mon–Fri 08:00–19:00 · 1 resource(s)" in shown
    assert f"<{CONSOLE}/schedules/{schedule.id}|Office>" in shown


async def test_someone_without_a_member_is_told_how_to_get_in(slack):
    await make_world(slack.fake)
    answer = await _slash(slack, STRANGER, "resources")
    assert answer["text"] == ("Nobody in Acme has the email stranger@else.test. Ask an organization manager to "
                              "invite stranger@else.test, or to give you a link code, then send me `link CODE`.")
    slack.fake.add_user("UNEW", "eng@acme.test", verified=False)
    await slack.dm("UNEW", "envs")
    note = await slack.fake.wait_for("chat.postEphemeral")
    assert "is not verified yet" in note.args["text"] and note.args["user"] == "UNEW"
    assert await SlackUserLink.all().count() == 0


async def test_an_unbound_workspace_says_how_to_bind_it(slack):
    slack.fake.add_user(OWNER, "owner@acme.test")
    answer = await _slash(slack, OWNER, "envs")
    assert "not connected to a Cloudtuner organization yet" in answer["text"]
    assert "cloudtuner slack bind --team-id T0001 --org NAME" in answer["text"]


async def test_a_link_code_from_a_manager_links_once(slack):
    world = await make_world(slack.fake)
    member = await slack_links.issue_link_code(box=BOX, actor_id=world.boss.id, member_id=world.engineer.id)
    answer = await _dm(slack, STRANGER, f"link {member.lower()}")
    assert "Linked: you are eng in Acme." in texts(answer)
    assert (await slack_links.acting_member(team_id="T0001", slack_user_id=STRANGER)).id == world.engineer.id
    await slack.dm("UOTHER", f"link {member}")
    note = await slack.fake.wait_for("chat.postEphemeral")
    assert note.args["text"].startswith("That link code is unknown, already used or expired.")
    assert not await SlackUser.filter(slack_user_id="UOTHER").exists()


async def test_an_unexpected_failure_shows_a_reference_that_is_in_the_log(slack, monkeypatch, caplog):
    await make_world(slack.fake)

    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("bot.commands.resources_page", broken)
    with caplog.at_level(logging.ERROR, logger="cloudtuner.bot"):
        answer = await _slash(slack, OWNER, "resources")
    ref = re.fullmatch(r"Something went wrong \(ref ([0-9a-f]{8})\)\. .*", answer["text"]).group(1)
    assert "database on fire" not in answer["text"]
    assert any(ref in record.getMessage() and record.exc_info for record in caplog.records)


async def test_slack_rate_limits_are_waited_out(slack):
    await make_world(slack.fake)
    slack.fake.rate_limited["chat.postMessage"] = 1
    answer = await _dm(slack, ENGINEER, "help")
    assert "`resources [pool]`" in texts(answer)
    assert [c.method for c in slack.fake.calls if c.method.startswith("chat.")] == [
        "chat.postMessage:429", "chat.postMessage"]
    assert await Resource.all().count() == 3


async def test_top_resources_of_a_pool_by_name_or_from_an_alerts_button(slack):
    world = await make_world(slack.fake)
    shown = texts(await _slash(slack, ENGINEER, "resources dev"))
    assert "Top resources in Dev" in shown and shown.index("vm-big") < shown.index("vm-small")
    assert "ops-db" not in shown
    _, _, url = await slack.click(ENGINEER, ids.run_command("resources"), str(world.fx.root.id))
    answer = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert "Top resources in Acme" in texts(answer) and "ops-db" in texts(answer)
    missing = await _slash(slack, ENGINEER, "resources nowhere")
    assert missing["text"] == "No pool nowhere in this organization."


async def test_an_org_manager_makes_a_link_code_in_slack_and_others_may_not(slack):
    world = await make_world(slack.fake)
    answer = await _slash(slack, BOSS, "code ENG@acme.test")
    code = re.search(r"\*([A-Z0-9]{4}-[A-Z0-9]{4})\*", texts(answer)).group(1)
    linked = await _dm(slack, STRANGER, f"link {code}")
    assert "Linked: you are eng in Acme." in texts(linked)
    assert (await slack_links.acting_member(team_id="T0001", slack_user_id=STRANGER)).id == world.engineer.id
    refused = await _slash(slack, ENGINEER, "code owner@acme.test")
    assert refused["text"] == "Only an organization manager can do this."
    unknown = await _slash(slack, BOSS, "code ghost@acme.test")
    assert unknown["text"].startswith("Nobody in this organization has the email ghost@acme.test")
