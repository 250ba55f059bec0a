"""Resource interactions: Details, Update TTL (presets, custom time in the person's zone, reset), daily limit."""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot import ids
from core.models import ConstraintKind, ResourceConstraint
from core.services import constraints
from tests.scenario.slack_fake import CONSOLE, buttons, clock, date, number, state, texts
from tests.scenario.slack_world import OWNER, make_world


async def _answer(slack, url: str) -> dict:
    return (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args


async def _own(resource_id: int, kind: ConstraintKind) -> ResourceConstraint | None:
    return await ResourceConstraint.get_or_none(resource_id=resource_id, kind=kind)


async def test_details_show_the_resource_its_constraints_and_the_ttl_actions(slack):
    world = await make_world(slack.fake)
    await constraints.set_pool_policy(actor_id=world.boss.id, pool_id=world.dev.id, kind="ttl", value=720)
    _, _, url = await slack.click(OWNER, ids.RESOURCE_DETAILS, world.big.id)
    answer = await _answer(slack, url)
    shown = texts(answer)
    assert answer["text"].startswith("vm-big: ") and "*Region*\neu-west-1" in shown and "*Owner*\nowner" in shown
    assert f"*Pool*\n<{CONSOLE}/pools/{world.dev.id}|Dev>" in shown and "*Cloud id*\n`i-vm-big`" in shown
    assert "TTL: <!date^" in shown and "(policy of Dev)" in shown and "Daily limit: none" in shown
    assert f"<{CONSOLE}/resources/{world.big.id}|Open in the Cloudtuner console>" in shown
    value = str(world.big.id)
    assert buttons(answer) == [(ids.ttl_preset("3h"), value), (ids.ttl_preset("1d"), value),
                               (ids.ttl_preset("3d"), value), (ids.TTL_CUSTOM, value), (ids.TTL_RESET, value),
                               (ids.DAILY_LIMIT, value)]


async def test_a_ttl_preset_sets_the_resources_own_ttl_and_updates_the_message(slack):
    world = await make_world(slack.fake)
    _, _, url = await slack.click(OWNER, ids.ttl_preset("1d"), world.big.id)
    answer = await _answer(slack, url)
    own = await _own(world.big.id, ConstraintKind.TTL)
    assert abs(own.until - (world.now + timedelta(days=1))) < timedelta(minutes=1)
    assert answer["replace_original"] is True and ":white_check_mark: TTL set to <!date^" in texts(answer)
    assert "(own)" in texts(answer)


async def test_a_custom_ttl_is_read_in_the_persons_time_zone(slack):
    world = await make_world(slack.fake)
    _, _, url = await slack.click(OWNER, ids.TTL_CUSTOM, world.big.id)
    view = (await slack.fake.wait_for("views.open")).args["view"]
    assert view["callback_id"] == ids.TTL_VIEW and "In your Slack time zone, Europe/Berlin." in texts(view)
    day = (world.now + timedelta(days=20)).date()
    status, body = await slack.submit(OWNER, view, state(**{ids.TTL_DATE: date(day.isoformat()),
                                                            ids.TTL_TIME: clock("18:45")}))
    assert status == 200 and body == ""
    assert "TTL set to" in texts(await _answer(slack, url))
    expected = datetime(day.year, day.month, day.day, 18, 45, tzinfo=ZoneInfo("Europe/Berlin"))
    assert (await _own(world.big.id, ConstraintKind.TTL)).until == expected.astimezone(timezone.utc)


async def test_a_custom_ttl_in_the_past_is_refused_next_to_the_date(slack):
    world = await make_world(slack.fake)
    await slack.click(OWNER, ids.TTL_CUSTOM, world.big.id)
    view = (await slack.fake.wait_for("views.open")).args["view"]
    status, body = await slack.submit(OWNER, view, state(**{ids.TTL_DATE: date("2020-01-01"),
                                                            ids.TTL_TIME: clock("10:00")}))
    errors = json.loads(body)["errors"]
    assert list(errors) == [ids.TTL_DATE] and errors[ids.TTL_DATE].startswith("The TTL must be in the future")
    assert await _own(world.big.id, ConstraintKind.TTL) is None


async def test_reset_returns_the_ttl_to_the_pool_policy(slack):
    world = await make_world(slack.fake)
    await constraints.set_resource_ttl(actor_id=world.owner.id, resource_id=world.big.id,
                                       until=world.now + timedelta(days=2))
    _, _, url = await slack.click(OWNER, ids.TTL_RESET, world.big.id)
    assert ":white_check_mark: TTL follows the pool policy." in texts(await _answer(slack, url))
    assert await _own(world.big.id, ConstraintKind.TTL) is None
    _, _, url = await slack.click(OWNER, ids.TTL_RESET, world.big.id)
    again = await _answer(slack, url)
    assert again["text"] == "\"vm-big\" has no own ttl constraint; it already follows its pool's policy."
    assert again["replace_original"] is False


async def test_the_daily_limit_modal_sets_the_resources_own_limit(slack):
    world = await make_world(slack.fake)
    _, _, url = await slack.click(OWNER, ids.DAILY_LIMIT, world.big.id)
    view = (await slack.fake.wait_for("views.open")).args["view"]
    assert "Daily limit in USD" in texts(view)
    status, body = await slack.submit(OWNER, view, state(**{ids.LIMIT: number("-3")}))
    assert json.loads(body)["errors"] == {ids.LIMIT: "Limit must be between 0 and 1000000000, got -3."}
    status, body = await slack.submit(OWNER, view, state(**{ids.LIMIT: number("25")}))
    assert status == 200 and body == ""
    answer = await _answer(slack, url)
    assert "Daily limit: 25.00 USD (own)" in texts(answer) and "Daily limit saved." in texts(answer)
    assert (await _own(world.big.id, ConstraintKind.DAILY_EXPENSE_LIMIT)).amount == 25
