"""Malformed requests: unsigned or badly signed → 401, signed but unparseable → 400; never a 500 or a traceback."""

import json
import logging
import time
from urllib.parse import urlencode

import pytest

from bot import ids
from core.models import SlackDelivery
from tests.scenario.slack_fake import TEAM, sign
from tests.scenario.slack_world import OWNER, make_world

FORM = "application/x-www-form-urlencoded"


def _form(payload) -> str:
    return urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)})


def _tracebacks(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def _click(**changes) -> dict:
    payload = {"type": "block_actions", "user": {"id": OWNER, "team_id": TEAM}, "api_app_id": "A0001",
               "token": "legacy", "team": {"id": TEAM}, "trigger_id": "9.trigger",
               "actions": [{"type": "button", "action_id": ids.ENV_BOOK, "block_id": "b", "value": "1"}]}
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not ...}


def _submission(**changes) -> dict:
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": OWNER, "team_id": TEAM},
               "api_app_id": "A0001", "token": "legacy", "trigger_id": "8.trigger",
               "view": {"id": "V1", "type": "modal", "callback_id": ids.BOOK_VIEW, "blocks": [],
                        "private_metadata": "{}", "state": {"values": {}}}}
    payload.update(changes)
    return payload


@pytest.mark.parametrize("changes", [{"authorizations": "x"}, {"event": {"type": "message", "user": 7}},
                                     {"event": {"text": "help"}}, {"event": None}],
                         ids=["authorizations-a-string", "event-user-a-number", "event-without-type", "event-null"])
async def test_a_signed_event_slack_would_never_send_gets_400(slack, caplog, changes):
    await make_world(slack.fake)
    body = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "type": "event_callback", "event_id": "Ev1",
            "event_time": int(time.time()), "authorizations": [{"team_id": TEAM, "user_id": "UBOT"}],
            "event": {"type": "message", "channel_type": "im", "channel": "DX", "user": OWNER, "text": "help"},
            **changes}
    status, _ = await slack.post(json.dumps(body), "application/json")
    assert status == 400 and _tracebacks(caplog) == [] and slack.fake.calls == []


async def test_an_unsigned_unparseable_payload_gets_401(slack, caplog):
    status, _ = await slack.post(_form("{not-json"), FORM, signed=False)
    assert status == 401 and _tracebacks(caplog) == []


async def test_a_signature_with_a_timestamp_that_is_no_number_gets_401(slack, caplog):
    body = _form(_click())
    headers = {**sign(body), "X-Slack-Request-Timestamp": "abc"}
    status, _ = await slack.post(body, FORM, headers=headers, signed=False)
    assert status == 401 and _tracebacks(caplog) == []


@pytest.mark.parametrize("payload", [
    "{not-json", "[1, 2]", _click(actions=[]), _click(actions=None), _click(actions=["x"]), _click(team="T0001"),
    _click(type=...), _click(user="UOWNER"), _submission(view=None), _submission(view="V1"),
    _click(actions=[{"type": "button", "action_id": 7, "value": "1"}]),
    _submission(view={"id": "V1", "callback_id": ids.BOOK_VIEW, "state": "x"}),
    _submission(view={"id": "V1", "callback_id": ids.BOOK_VIEW, "state": {"values": {"b": {"a": "x"}}}}),
], ids=["not-json", "not-an-object", "no-actions", "actions-null", "action-not-an-object", "team-a-string",
        "no-type", "user-a-string", "view-null", "view-a-string", "action-id-a-number", "state-a-string",
        "input-state-a-string"])
async def test_a_signed_payload_slack_would_never_send_gets_400(slack, caplog, payload):
    await make_world(slack.fake)
    status, _ = await slack.post(_form(payload), FORM)
    assert status == 400
    assert _tracebacks(caplog) == [] and slack.fake.calls == []
    assert await SlackDelivery.all().count() == 0


SENT_ELSEWHERE = "This button or form carries a value Cloudtuner did not put there"


@pytest.mark.parametrize("value", ["abc", "1.5", "", "٣"])
async def test_a_button_value_the_bot_did_not_send_gets_the_catalog_message(slack, caplog, value):
    await make_world(slack.fake)
    status, _, url = await slack.click(OWNER, ids.ENV_DETAILS, value)
    assert status == 200
    note = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert note["text"].startswith(SENT_ELSEWHERE) and _tracebacks(caplog) == []


async def test_a_release_button_with_too_few_ids_gets_the_catalog_message(slack, caplog):
    world = await make_world(slack.fake)
    status, _, url = await slack.click(OWNER, ids.BOOKING_RELEASE, str(world.staging.id))
    assert status == 200
    note = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert note["text"].startswith(SENT_ELSEWHERE) and _tracebacks(caplog) == []


@pytest.mark.parametrize("metadata", ["not json", "{bad", "[]", '{"response_url": null}',
                                      '{"environment_id": "x", "response_url": null}'])
async def test_a_modal_whose_metadata_the_bot_did_not_write_gets_the_catalog_message(slack, caplog, metadata):
    await make_world(slack.fake)
    await slack.dm(OWNER, "envs")  # linked, so the answer is about the metadata
    await slack.fake.wait_for("chat.postMessage")
    before = len(slack.fake.calls)
    view = {"id": "V1", "callback_id": ids.BOOK_VIEW, "blocks": [], "private_metadata": metadata}
    status, _ = await slack.submit(OWNER, view, {})
    assert status == 200
    note = (await slack.fake.wait_for("chat.postMessage", after=before)).args
    assert note["text"].startswith(SENT_ELSEWHERE) and _tracebacks(caplog) == []
