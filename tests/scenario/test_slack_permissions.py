"""The permission matrix: every interaction × role gives the allowed result or the refusal message.

Roles: the org manager, the manager of pool Dev, the owner of vm-big (in Dev), another engineer, and a
Slack person who is no member. Every refusal leaves the database as it was.
"""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import ids
from bot.views.common import micros
from core.models import Alert, Booking, ConstraintKind, ResourceConstraint, WaitlistEntry
from core.services import alerts, constraints
from core.services.bookings import create_booking
from tests.scenario.slack_fake import clock, date, number, person, pick, state
from tests.scenario.slack_world import BOSS, ENGINEER, OWNER, POOL_MANAGER, STRANGER, make_world

ROLES = (BOSS, POOL_MANAGER, OWNER, ENGINEER, STRANGER)
NO_MEMBER = "Nobody in Acme has the email stranger@else.test."
NOT_OWNER = "Only the owner of \"vm-big\" or a manager of its pool can do this."
NOT_HOLDER = "Only the person holding this booking or a manager of pool \"Dev\" can do this."
NOT_ALERT_MANAGER = "Only an organization manager or a pool manager can add alerts."
NOT_DEV_MANAGER = "Only a manager of pool \"Dev\" (or of a pool above it) can do this."
NOT_BOOKING_MANAGER = "Only a manager of pool \"Dev\" can book \"staging\" for someone else; book it for yourself."


async def _outcome(slack, before: int, url: str) -> tuple[str, str]:
    """('modal', its title) when a modal opened, else ('message', the answer's text and blocks)."""
    call = await slack.fake.wait_for(None, lambda c: c.method == "views.open" or (
        c.method == "response_url" and url.endswith(c.path)), after=before)
    if call.method == "views.open":
        return "modal", call.args["view"]["title"]["text"]
    return "message", call.args["text"] + json.dumps(call.args.get("blocks", []))


async def _click(slack, user: str, action_id: str, value: object) -> tuple[str, str]:
    before = len(slack.fake.calls)
    _, _, url = await slack.click(user, action_id, value)
    return await _outcome(slack, before, url)


async def _own_ttl(world) -> bool:
    return await ResourceConstraint.exists(resource_id=world.big.id, kind=ConstraintKind.TTL)


async def _owner_booking(world, *, days: int = 0) -> Booking:
    start = world.now - timedelta(minutes=1) + timedelta(days=days)
    return await create_booking(actor_id=world.owner.id, environment_id=world.staging.id, starts_at=start,
                                ends_at=start + timedelta(hours=1), now=start)


async def ttl_preset(slack, world, user):
    await ResourceConstraint.filter(resource_id=world.big.id).delete()
    _, shown = await _click(slack, user, ids.ttl_preset("3h"), world.big.id)
    return await _own_ttl(world), shown


async def ttl_reset(slack, world, user):
    await constraints.set_resource_ttl(actor_id=world.boss.id, resource_id=world.big.id,
                                       until=world.now + timedelta(days=1))
    _, shown = await _click(slack, user, ids.TTL_RESET, world.big.id)
    return not await _own_ttl(world), shown


def open_form(action_id):
    async def run(slack, world, user):
        kind, shown = await _click(slack, user, action_id, world.big.id)
        return kind == "modal", shown
    return run


async def book(slack, world, user):
    await Booking.all().delete()
    kind, shown = await _click(slack, user, ids.ENV_BOOK, world.staging.id)
    if kind != "modal":
        return False, shown
    view, before = slack.fake.to("views.open")[-1].args["view"], len(slack.fake.calls)
    status, body = await slack.submit(user, view, state(**{ids.DURATION: {"type": "static_select",
                                                                          "selected_option": {"value": "1h"}}}))
    await slack.fake.wait_for("response_url", lambda c: "Booked from" in json.dumps(c.args), after=before)
    return await Booking.filter(environment_id=world.staging.id).exists(), body


def on_booking(action_id, effect, *, days=0):
    async def run(slack, world, user):
        await Booking.all().delete()
        booking = await _owner_booking(world, days=days)
        value = f"{booking.id}:{world.staging.id}"
        if action_id == ids.booking_extend("1h"):
            value += f":{micros(booking.ends_at)}"
        _, shown = await _click(slack, user, action_id, value)
        return await effect(booking), shown
    return run


async def _released(booking):
    return (await Booking.get(id=booking.id)).ends_at < booking.ends_at


async def _extended(booking):
    return (await Booking.get(id=booking.id)).ends_at > booking.ends_at


async def _deleted(booking):
    return not await Booking.exists(id=booking.id)


async def join_waitlist(slack, world, user):
    await WaitlistEntry.all().delete()
    _, shown = await _click(slack, user, ids.WAITLIST_JOIN, world.staging.id)
    return await WaitlistEntry.filter(environment_id=world.staging.id).exists(), shown


def _refusal(body: str) -> str:
    """What a modal submission was refused with (its field errors), else nothing."""
    return " ".join(json.loads(body)["errors"].values()) if body else ""


async def _submit_opened(slack, user, values) -> str:
    """Submit the modal the app opened last; its refusal, if any."""
    _, body = await slack.submit(user, slack.fake.to("views.open")[-1].args["view"], values)
    return _refusal(body)


async def book_for_someone_else(slack, world, user):
    await Booking.all().delete()
    kind, shown = await _click(slack, user, ids.ENV_BOOK, world.staging.id)
    if kind != "modal":
        return False, shown
    other = world.owner if user != OWNER else world.engineer
    refusal = await _submit_opened(slack, user, state(**{ids.FOR_USER: person(OWNER if user != OWNER else ENGINEER),
                                                         ids.DURATION: pick("1h")}))
    return await Booking.filter(environment_id=world.staging.id, member_id=other.id).exists(), refusal


async def extend_to(slack, world, user):
    await Booking.all().delete()
    booking = await _owner_booking(world)
    kind, shown = await _click(slack, user, ids.BOOKING_EXTEND_TO,
                               f"{booking.id}:{world.staging.id}:{micros(booking.ends_at)}")
    if kind != "modal":
        return False, shown
    later = (booking.ends_at + timedelta(hours=2)).astimezone(ZoneInfo("Europe/Berlin"))
    refusal = await _submit_opened(slack, user, state(**{ids.END_DATE: date(later.date().isoformat()),
                                                         ids.END_TIME: clock(later.strftime("%H:%M"))}))
    return await _extended(booking), refusal


async def give_it_to_me(slack, world, user):
    await WaitlistEntry.all().delete()
    kind, shown = await _click(slack, user, ids.WAITLIST_ACQUIRE, world.staging.id)
    if kind != "modal":
        return False, shown
    refusal = await _submit_opened(slack, user, state(**{ids.DURATION: pick("60")}))
    return await WaitlistEntry.filter(environment_id=world.staging.id, acquire=True).exists(), refusal


async def alert_add(slack, world, user):
    kind, shown = await _click(slack, user, ids.ALERT_ADD, "")
    if kind != "modal":
        return False, shown
    view = slack.fake.to("views.open")[-1].args["view"]
    values = state(**{ids.POOL: {"type": "external_select", "selected_option": {"value": str(world.dev.id)}},
                      ids.BASED_ON: {"type": "static_select", "selected_option": {"value": "cost"}},
                      ids.THRESHOLD: number("50"),
                      ids.THRESHOLD_TYPE: {"type": "radio_buttons", "selected_option": {"value": "absolute"}},
                      ids.CHANNEL: {"type": "conversations_select", "selected_conversation": "C0ALERTS01"}})
    await Alert.all().delete()
    status, body = await slack.submit(user, view, values)
    return await Alert.exists(pool_id=world.dev.id), body


async def alert_delete(slack, world, user):
    await Alert.all().delete()
    alert = await alerts.create_alert(actor_id=world.boss.id, pool_id=world.dev.id, based_on="constraint", threshold=0,
                                      threshold_type="absolute", channels=["C0ALERTS01"])
    _, shown = await _click(slack, user, ids.ALERT_DELETE, alert.id)
    return not await Alert.exists(id=alert.id), shown


async def org_choose(slack, world, user):
    _, shown = await _click(slack, user, ids.ORG_CHOOSE, world.fx.org.id)
    return "You now act in Acme." in shown, shown


MATRIX = {
    "ttl preset": (ttl_preset, {ENGINEER: NOT_OWNER}),
    "ttl reset": (ttl_reset, {ENGINEER: NOT_OWNER}),
    "custom ttl": ("ttl_custom", {ENGINEER: NOT_OWNER}),
    "daily limit": ("daily_limit", {ENGINEER: NOT_OWNER}),
    "book": (book, {}),
    "book for someone else": (book_for_someone_else, {OWNER: NOT_BOOKING_MANAGER, ENGINEER: NOT_BOOKING_MANAGER}),
    "release": (on_booking(ids.BOOKING_RELEASE, _released), {ENGINEER: NOT_HOLDER}),
    "extend": (on_booking(ids.booking_extend("1h"), _extended), {ENGINEER: NOT_HOLDER}),
    "extend to": (extend_to, {ENGINEER: NOT_HOLDER}),
    "delete": (on_booking(ids.BOOKING_DELETE, _deleted, days=2), {ENGINEER: NOT_HOLDER}),
    "join waitlist": (join_waitlist, {}),
    "give it to me when free": (give_it_to_me, {}),
    "alert add": (alert_add, {OWNER: NOT_ALERT_MANAGER, ENGINEER: NOT_ALERT_MANAGER}),
    "alert delete": (alert_delete, {OWNER: NOT_DEV_MANAGER, ENGINEER: NOT_DEV_MANAGER}),
    "org choose": (org_choose, {}),
}


@pytest.mark.parametrize("interaction", list(MATRIX))
async def test_each_role_gets_the_result_or_the_refusal(slack, interaction):
    world = await make_world(slack.fake)
    run, refusals = MATRIX[interaction]
    if isinstance(run, str):
        run = open_form(run)
    for user in ROLES:
        refusal = refusals.get(user, NO_MEMBER if user == STRANGER else None)
        changed, shown = await run(slack, world, user)
        if refusal is None:
            assert changed, f"{interaction} by {user} should be allowed; got {shown}"
        else:
            assert not changed, f"{interaction} by {user} should be refused"
            assert refusal in shown, f"{interaction} by {user}: {shown}"
