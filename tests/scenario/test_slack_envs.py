"""Environment interactions: Details, the Book modal in the person's time zone, Release, Extend, Delete, waitlist."""

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot import ids
from bot.views.common import micros
from core.models import Booking, WaitlistEntry
from core.services.bookings import create_booking
from tests.scenario.slack_fake import CONSOLE, buttons, clock, date, pick, state, text, texts
from tests.scenario.slack_world import BOSS, ENGINEER, OWNER, make_world


async def _open_book(slack, user: str, env_id: int) -> tuple[dict, str]:
    before = len(slack.fake.calls)
    _, _, url = await slack.click(user, ids.ENV_BOOK, env_id)
    return (await slack.fake.wait_for("views.open", after=before)).args["view"], url


async def _answer(slack, url: str) -> dict:
    return (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args


def _local(day: datetime, hour: int, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


async def test_details_show_properties_bookings_and_the_actions_each_person_may_take(slack):
    world = await make_world(slack.fake)
    booking = await create_booking(actor_id=world.engineer.id, environment_id=world.staging.id, starts_at=world.now,
                                   ends_at=world.now + timedelta(hours=3))
    ends = micros(booking.ends_at)
    value = f"{booking.id}:{world.staging.id}"
    env = str(world.staging.id)
    release_extend = [(ids.BOOKING_RELEASE, value), (ids.booking_extend("1h"), f"{value}:{ends}"),
                      (ids.booking_extend("1d"), f"{value}:{ends}"), (ids.BOOKING_EXTEND_TO, f"{value}:{ends}")]
    for user, booking_actions in ((ENGINEER, release_extend), (OWNER, []),
                                  (BOSS, release_extend + [(ids.BOOKING_DELETE, value)])):
        _, _, url = await slack.click(user, ids.ENV_DETAILS, world.staging.id)
        answer = await _answer(slack, url)
        shown = texts(answer)
        assert "Staging stand" in shown and "*ip*: 10.0.0.5" in shown and "*In use* by eng since <!date^" in shown
        assert f"<{CONSOLE}/environments/{world.staging.id}|Open in the Cloudtuner console>" in shown
        assert buttons(answer) == booking_actions + [(ids.ENV_BOOK, env), (ids.WAITLIST_JOIN, env),
                                                     (ids.WAITLIST_ACQUIRE, env)], user
        assert "Tell me when free" in shown and "Give it to me when free…" in shown
        assert answer["replace_original"] is False


async def test_book_modal_takes_start_and_end_in_the_persons_slack_time_zone(slack):
    world = await make_world(slack.fake)
    slack.fake.add_user(OWNER, "owner@acme.test", tz="America/New_York")
    view, url = await _open_book(slack, OWNER, world.staging.id)
    assert view["callback_id"] == ids.BOOK_VIEW and view["title"]["text"] == "Book staging"
    assert "In your Slack time zone, America/New_York." in texts(view)
    day = world.now + timedelta(days=10)
    values = state(**{ids.START_DATE: date(day.date().isoformat()), ids.START_TIME: clock("09:00"),
                      ids.END_DATE: date(day.date().isoformat()), ids.END_TIME: clock("17:30"),
                      ids.NOTE: text("load test")})
    status, body = await slack.submit(OWNER, view, values)
    assert status == 200 and body == ""
    answer = await _answer(slack, url)
    booking = await Booking.get(environment_id=world.staging.id)
    assert booking.starts_at == _local(day, 9, "America/New_York")
    assert booking.ends_at == _local(day, 17, "America/New_York") + timedelta(minutes=30)
    assert booking.member_id == world.owner.id and booking.note == "load test"
    assert answer["replace_original"] is True and ":white_check_mark: Booked from <!date^" in texts(answer)


async def test_book_for_a_duration_from_now(slack):
    world = await make_world(slack.fake)
    view, _ = await _open_book(slack, OWNER, world.perf.id)
    await slack.submit(OWNER, view, state(**{ids.DURATION: pick("4h")}))
    await slack.fake.wait_for("response_url")
    booking = await Booking.get(environment_id=world.perf.id)
    assert booking.ends_at - booking.starts_at == timedelta(hours=4)
    assert abs(booking.starts_at - world.now) < timedelta(minutes=1)


async def test_bad_booking_input_is_shown_next_to_the_field_and_books_nothing(slack):
    world = await make_world(slack.fake)
    view, _ = await _open_book(slack, OWNER, world.staging.id)
    day = (world.now + timedelta(days=3)).date().isoformat()
    cases = [
        (state(**{ids.START_DATE: date(day), ids.START_TIME: clock("10:00"), ids.END_DATE: date(day),
                  ids.END_TIME: clock("09:00")}), ids.END_DATE, "must be after the start"),
        (state(**{ids.END_DATE: date(day), ids.END_TIME: clock("09:00"), ids.DURATION: pick("1h")}), ids.DURATION,
         "Give either an end or a duration, not both."),
        (state(**{ids.START_DATE: date(day)}), ids.START_DATE, "Start: pick both a date and a time, or neither."),
    ]
    for values, field, message in cases:
        status, body = await slack.submit(OWNER, view, values)
        answer = json.loads(body)
        assert status == 200 and answer["response_action"] == "errors"
        assert list(answer["errors"]) == [field] and message in answer["errors"][field]
    assert await Booking.all().count() == 0


async def test_an_overlapping_booking_is_refused_in_the_modal(slack):
    world = await make_world(slack.fake)
    await create_booking(actor_id=world.engineer.id, environment_id=world.staging.id, starts_at=world.now,
                         ends_at=None)
    view, _ = await _open_book(slack, OWNER, world.staging.id)
    status, body = await slack.submit(OWNER, view, state(**{ids.DURATION: pick("1h")}))
    errors = json.loads(body)["errors"]
    assert errors == {ids.START_DATE: errors[ids.START_DATE]} and errors[ids.START_DATE].startswith(
        "eng has booked this environment from")
    assert await Booking.all().count() == 1


async def test_release_extend_and_delete_update_the_message_in_place(slack):
    world = await make_world(slack.fake)
    start = world.now - timedelta(minutes=5)
    current = await create_booking(actor_id=world.owner.id, environment_id=world.staging.id, starts_at=start,
                                   ends_at=start + timedelta(hours=1), now=start)
    later = await create_booking(actor_id=world.owner.id, environment_id=world.staging.id,
                                 starts_at=start + timedelta(days=2), ends_at=start + timedelta(days=3))
    value = f"{current.id}:{world.staging.id}"
    _, _, url = await slack.click(OWNER, ids.booking_extend("1h"), f"{value}:{micros(current.ends_at)}")
    assert "Extended until" in texts(await _answer(slack, url))
    assert (await Booking.get(id=current.id)).ends_at == current.ends_at + timedelta(hours=1)
    _, _, url = await slack.click(OWNER, ids.BOOKING_DELETE, f"{later.id}:{world.staging.id}")
    assert "Booking deleted." in texts(await _answer(slack, url))
    assert not await Booking.exists(id=later.id)
    _, _, url = await slack.click(OWNER, ids.BOOKING_RELEASE, value)
    answer = await _answer(slack, url)
    assert answer["replace_original"] is True and "Released." in texts(answer) and "Available" in texts(answer)
    released = await Booking.get(id=current.id)
    assert abs(released.ends_at - world.now) < timedelta(minutes=1)


async def test_join_waitlist(slack):
    world = await make_world(slack.fake)
    _, _, url = await slack.click(ENGINEER, ids.WAITLIST_JOIN, world.staging.id)
    answer = await _answer(slack, url)
    assert "You are on the waitlist" in texts(answer) and "1 waiting" in texts(answer)
    assert await WaitlistEntry.filter(environment_id=world.staging.id, member_id=world.engineer.id).exists()
    _, _, url = await slack.click(ENGINEER, ids.WAITLIST_JOIN, world.staging.id)
    again = await _answer(slack, url)
    assert again["text"] == "You are already on the waitlist of \"staging\"." and again["replace_original"] is False
    assert await WaitlistEntry.all().count() == 1
