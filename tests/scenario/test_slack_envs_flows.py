"""More environment flows: 'give it to me when it is free' (with a length), booking for someone else, and
extending a booking to a time picked in the person's Slack time zone."""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot import ids
from bot.views.common import micros
from core.models import Booking, SharedEnvironment, WaitlistEntry
from core.services import orgs, waitlist
from core.services.bookings import create_booking
from tests.scenario.slack_fake import clock, date, person, pick, state, texts
from tests.scenario.slack_world import BOSS, ENGINEER, OWNER, POOL_MANAGER, STRANGER, make_world


async def _modal(slack, user: str, action_id: str, value: object) -> tuple[dict, str]:
    """Click a button that opens a modal: the modal and the response_url of the message."""
    before = len(slack.fake.calls)
    _, _, url = await slack.click(user, action_id, value)
    return (await slack.fake.wait_for("views.open", after=before)).args["view"], url


async def _answer(slack, url: str) -> dict:
    return (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args


def _inputs(view: dict) -> dict[str, dict]:
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


def _errors(body: str) -> dict:
    return json.loads(body)["errors"]


async def test_give_it_to_me_when_free_without_a_maximum_length_keeps_it_until_released(slack):
    world = await make_world(slack.fake)
    view, url = await _modal(slack, ENGINEER, ids.WAITLIST_ACQUIRE, world.perf.id)
    assert view["callback_id"] == ids.WAITLIST_VIEW and "When *perf* is free, I book it for you" in texts(view)
    length = _inputs(view)[ids.DURATION]
    assert length["optional"] is True and "until you release it" in length["hint"]["text"]
    assert [o["text"]["text"] for o in length["element"]["options"]] == [
        "1 hour", "2 hours", "4 hours", "8 hours", "1 day", "3 days", "7 days"]
    status, body = await slack.submit(ENGINEER, view, state(**{ids.DURATION: pick(None)}))
    assert status == 200 and body == ""
    answer = await _answer(slack, url)
    assert "when it is free I will book it for you until you release it and tell you." in texts(answer)
    assert answer["replace_original"] is True and "1 waiting" in texts(answer)
    entry = await WaitlistEntry.get(environment_id=world.perf.id)
    assert (entry.member_id, entry.acquire, entry.duration_minutes) == (world.engineer.id, True, None)


async def test_give_it_to_me_needs_a_length_within_the_maximum_and_gets_booked_when_free(slack):
    world = await make_world(slack.fake)
    await SharedEnvironment.filter(id=world.staging.id).update(max_booking_minutes=90)
    busy = await create_booking(actor_id=world.owner.id, environment_id=world.staging.id,
                                starts_at=world.now - timedelta(minutes=5), ends_at=world.now + timedelta(minutes=30),
                                now=world.now - timedelta(minutes=5))
    view, url = await _modal(slack, ENGINEER, ids.WAITLIST_ACQUIRE, world.staging.id)
    length = _inputs(view)[ids.DURATION]
    assert length["optional"] is False
    assert length["hint"]["text"] == "It can be booked for at most 90 minutes at a time."
    assert [(o["text"]["text"], o["value"]) for o in length["element"]["options"]] == [
        ("1 hour", "60"), ("90 minutes", "90")]
    _, body = await slack.submit(ENGINEER, view, state(**{ids.DURATION: pick(None)}))
    assert _errors(body) == {ids.DURATION: "\"staging\" can be booked for at most 90 minutes at a time; say how "
                                           "many minutes you need it."}
    _, body = await slack.submit(ENGINEER, view, state(**{ids.DURATION: pick("120")}))
    assert "between 1 and 90" in _errors(body)[ids.DURATION]
    assert await WaitlistEntry.all().count() == 0
    status, body = await slack.submit(ENGINEER, view, state(**{ids.DURATION: pick("90")}))
    assert status == 200 and body == ""
    assert "I will book it for you for 90 minutes and tell you." in texts(await _answer(slack, url))
    free_at = busy.ends_at
    turn = await waitlist.next_waitlist_turn(world.staging.id, now=free_at)
    assert turn.outcome == waitlist.TurnOutcome.ACQUIRED
    assert (turn.booking.member_id, turn.booking.ends_at) == (world.engineer.id, free_at + timedelta(minutes=90))
    view, _ = await _modal(slack, OWNER, ids.WAITLIST_ACQUIRE, world.staging.id)
    await slack.submit(OWNER, view, state(**{ids.DURATION: pick("60")}))
    _, _, url = await slack.click(OWNER, ids.WAITLIST_JOIN, world.staging.id)
    assert (await _answer(slack, url))["text"] == "You are already on the waitlist of \"staging\"."


async def test_a_manager_books_for_someone_else_picked_in_slack(slack):
    world = await make_world(slack.fake)
    view, url = await _modal(slack, POOL_MANAGER, ids.ENV_BOOK, world.staging.id)
    picker = _inputs(view)[ids.FOR_USER]
    assert picker["element"]["type"] == "users_select" and picker["optional"] is True
    status, body = await slack.submit(POOL_MANAGER, view, state(**{ids.FOR_USER: person(ENGINEER),
                                                                    ids.DURATION: pick("2h")}))
    assert status == 200 and body == ""
    answer = await _answer(slack, url)
    assert ":white_check_mark: Booked for eng from <!date^" in texts(answer)
    booking = await Booking.get(environment_id=world.staging.id)
    assert (booking.member_id, booking.created_by_id) == (world.engineer.id, world.pool_manager.id)
    assert booking.ends_at - booking.starts_at == timedelta(hours=2)
    assert slack.fake.to("users.info")[-1].args["user"] == ENGINEER  # found by their verified email


async def test_booking_for_someone_else_is_refused_next_to_the_picker(slack):
    world = await make_world(slack.fake)
    view, _ = await _modal(slack, ENGINEER, ids.ENV_BOOK, world.staging.id)
    assert ids.FOR_USER not in _inputs(view)  # engineers only book for themselves
    view, _ = await _modal(slack, BOSS, ids.ENV_BOOK, world.perf.id)
    _, body = await slack.submit(BOSS, view, state(**{ids.FOR_USER: person(STRANGER), ids.DURATION: pick("1h")}))
    assert _errors(body) == {ids.FOR_USER: "USTRANGER Person is not a member of this organization (no member has "
                                           "their verified Slack email). Invite them first, or pick someone else."}
    view, _ = await _modal(slack, POOL_MANAGER, ids.ENV_BOOK, world.staging.id)
    await orgs.revoke_pool(actor_id=world.boss.id, member_id=world.pool_manager.id, pool_id=world.dev.id)
    _, body = await slack.submit(POOL_MANAGER, view, state(**{ids.FOR_USER: person(OWNER), ids.DURATION: pick("1h")}))
    assert _errors(body) == {ids.FOR_USER: "Only a manager of pool \"Dev\" can book \"staging\" for someone else; "
                                           "book it for yourself."}
    assert await Booking.all().count() == 0
    status, body = await slack.submit(POOL_MANAGER, view, state(**{ids.FOR_USER: person(POOL_MANAGER),
                                                                    ids.DURATION: pick("1h")}))
    assert status == 200 and body == ""  # picking oneself is booking for oneself
    assert (await Booking.get(environment_id=world.staging.id)).member_id == world.pool_manager.id


async def test_extend_to_a_time_picked_in_the_persons_time_zone(slack):
    world = await make_world(slack.fake)
    slack.fake.add_user(OWNER, "owner@acme.test", tz="America/New_York")
    start = world.now - timedelta(minutes=5)
    booking = await create_booking(actor_id=world.owner.id, environment_id=world.staging.id, starts_at=start,
                                   ends_at=start + timedelta(hours=1), now=start)
    value = f"{booking.id}:{world.staging.id}:{micros(booking.ends_at)}"
    view, url = await _modal(slack, OWNER, ids.BOOKING_EXTEND_TO, value)
    local_end = booking.ends_at.astimezone(ZoneInfo("America/New_York"))
    inputs = _inputs(view)
    assert view["callback_id"] == ids.EXTEND_VIEW and "In your Slack time zone, America/New_York." in texts(view)
    assert inputs[ids.END_DATE]["element"]["initial_date"] == local_end.date().isoformat()
    assert inputs[ids.END_TIME]["element"]["initial_time"] == local_end.strftime("%H:%M")
    _, body = await slack.submit(OWNER, view, state(**{ids.END_DATE: date(local_end.date().isoformat()),
                                                       ids.END_TIME: clock("00:00")}))
    earlier = _errors(body)
    assert list(earlier) == [ids.END_DATE] and earlier[ids.END_DATE].startswith("The new end must be later than")
    day = (world.now + timedelta(days=2)).astimezone(ZoneInfo("America/New_York")).date()
    status, body = await slack.submit(OWNER, view, state(**{ids.END_DATE: date(day.isoformat()),
                                                           ids.END_TIME: clock("18:30")}))
    assert status == 200 and body == ""
    answer = await _answer(slack, url)
    assert answer["replace_original"] is True and ":white_check_mark: Extended until <!date^" in texts(answer)
    wanted = datetime(day.year, day.month, day.day, 18, 30, tzinfo=ZoneInfo("America/New_York"))
    assert (await Booking.get(id=booking.id)).ends_at == wanted.astimezone(timezone.utc)
