"""Only Slack's signed, fresh requests act; a retried delivery acts once."""

import json
import time

import pytest

from bot import ids
from core.models import Booking, SlackDelivery, SlackUser
from tests.scenario.slack_fake import pick, sign, state
from tests.scenario.slack_world import BOSS, OWNER, make_world

STALE = 5 * 60 + 30


def _dm_body(user: str, text: str) -> str:
    return json.dumps({"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
                       "event_id": "EvForged", "event_time": int(time.time()),
                       "event": {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user,
                                 "text": text, "ts": "1.1"}})


@pytest.mark.parametrize("case", ["forged", "unsigned", "stale", "tampered"])
async def test_requests_not_signed_by_slack_now_get_401_and_change_nothing(slack, case):
    await make_world(slack.fake)
    body = _dm_body(BOSS, "resources")
    headers = {"forged": sign(body, secret="not-the-secret"), "unsigned": {},
               "stale": sign(body, timestamp=int(time.time()) - STALE),
               "tampered": sign(_dm_body(BOSS, "help"))}[case]
    status, _ = await slack.post(body, "application/json", headers=headers, signed=False)
    assert status == 401
    assert slack.fake.calls == []
    assert await SlackUser.all().count() == 0 and await SlackDelivery.all().count() == 0


async def test_a_forged_booking_submission_books_nothing(slack):
    world = await make_world(slack.fake)
    view = {"id": "V1", "callback_id": ids.BOOK_VIEW, "blocks": [],
            "private_metadata": json.dumps({"environment_id": world.staging.id, "response_url": None})}
    payload = {"type": "view_submission", "team": {"id": "T0001"}, "user": {"id": OWNER, "team_id": "T0001"},
               "trigger_id": "1.t", "view": {**view, "type": "modal", "state": {"values": {}}}}
    body = "payload=" + json.dumps(payload)
    status, _ = await slack.post(body, "application/x-www-form-urlencoded",
                                 headers=sign(body, secret="guess"), signed=False)
    assert status == 401 and await Booking.all().count() == 0


async def test_a_retried_direct_message_is_answered_once(slack):
    await make_world(slack.fake)
    status, _ = await slack.dm(BOSS, "help", event_id="Ev00000042")
    assert status == 200
    await slack.fake.wait_for("chat.postMessage")
    status, _ = await slack.retry(1)
    assert status == 200
    status, _ = await slack.retry(2)
    assert status == 200
    await slack.dm(BOSS, "help")  # a new event is answered again
    await slack.fake.wait_for("chat.postMessage", lambda c: c is not slack.fake.to("chat.postMessage")[0])
    assert len(slack.fake.to("chat.postMessage")) == 2


async def test_a_booking_submitted_twice_books_once(slack):
    """Slack never retries interactions, so they are not recorded; a repeat is refused by the booking rules."""
    world = await make_world(slack.fake)
    await slack.click(OWNER, ids.ENV_BOOK, world.staging.id)
    opened = (await slack.fake.wait_for("views.open")).args["view"]
    values = state(**{ids.DURATION: pick("2h")})
    status, body = await slack.submit(OWNER, opened, values)
    assert status == 200 and body == ""
    await slack.fake.wait_for("response_url", lambda c: "Booked" in json.dumps(c.args))
    status, body = await slack.retry(1)
    assert status == 200 and json.loads(body)["errors"][ids.START_DATE].startswith("owner has booked this environment")
    assert await Booking.filter(environment_id=world.staging.id).count() == 1
    assert len([c for c in slack.fake.to("response_url") if "Booked" in json.dumps(c.args)]) == 1
    assert await SlackDelivery.all().count() == 0


async def test_only_events_are_recorded_and_only_after_their_ack(slack):
    await make_world(slack.fake)
    status, _, url = await slack.command(BOSS, "help")
    assert status == 200
    await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))
    assert await SlackDelivery.all().count() == 0
    status, _ = await slack.dm(BOSS, "help", event_id="Ev00000077")
    assert status == 200
    await slack.fake.wait_for("chat.postMessage")
    assert await SlackDelivery.all().values_list("key", flat=True) == ["event:Ev00000077"]


async def test_slacks_url_verification_is_answered_only_when_signed(slack):
    body = json.dumps({"token": "legacy", "challenge": "c4llenge", "type": "url_verification"})
    status, answer = await slack.post(body, "application/json")
    assert status == 200 and json.loads(answer) == {"challenge": "c4llenge"}
    status, _ = await slack.post(body, "application/json", headers=sign(body, secret="x"), signed=False)
    assert status == 401
