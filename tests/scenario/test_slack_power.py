"""The pre-stop warning's buttons: Snooze and Skip tonight, for the owner or a manager only."""

from datetime import timedelta

from bot.ids import SKIP_TONIGHT, snooze
from core.models import OverrideKind, ScheduleOverride
from core.services import schedules
from tests.scenario.slack_fake import CONSOLE, texts
from tests.scenario.slack_world import ENGINEER, OWNER, POOL_MANAGER, make_world

EVERY_DAY = [{"weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "08:00", "stop": "19:00"}]


async def _scheduled_world(slack):
    world = await make_world(slack.fake)
    office = await schedules.create_schedule(actor_id=world.boss.id, name="Office", timezone="UTC", periods=EVERY_DAY)
    await schedules.attach_resources(actor_id=world.boss.id, schedule_id=office.id, resource_ids=[world.big.id])
    return world


async def _answer(slack, user, action_id, value):
    _, _, url = await slack.click(user, action_id, value)
    return (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args


async def test_snooze_keeps_the_resource_running_and_replaces_the_warning(slack):
    world = await _scheduled_world(slack)
    answer = await _answer(slack, OWNER, snooze("2h"), world.big.id)
    override = await ScheduleOverride.get(resource_id=world.big.id)
    assert override.kind == OverrideKind.KEEP_RUNNING_UNTIL
    assert abs(override.until - (world.now + timedelta(hours=2))) < timedelta(minutes=1)
    assert answer["replace_original"] is True
    assert f"<{CONSOLE}/resources/{world.big.id}|vm-big> keeps running until <!date^" in texts(answer)


async def test_skip_tonight_by_a_pool_manager_and_refused_to_another_engineer(slack):
    world = await _scheduled_world(slack)
    refused = await _answer(slack, ENGINEER, SKIP_TONIGHT, world.big.id)
    assert refused["text"] == "Only the owner of \"vm-big\" or a manager of its pool can do this."
    assert await ScheduleOverride.all().count() == 0
    answer = await _answer(slack, POOL_MANAGER, SKIP_TONIGHT, world.big.id)
    assert "Tonight's stop of" in texts(answer)
    assert (await ScheduleOverride.get(resource_id=world.big.id)).kind == OverrideKind.SKIP_STOP
