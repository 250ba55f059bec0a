"""Delivery through Slack outages: 500s and 429s delay messages, archived channels reroute, nothing is lost."""

import socket
from datetime import timedelta

import pytest

from bot.notify.deliverer import slack_sender
from core.crypto import SecretBox
from core.errors import InvalidInput
from core.events import WaitlistTurn
from core.events.record import record
from core.events.routing import MEMBER, SLACK_CHANNEL
from core.models import EventSubscription, OutboxMessage, SlackUserLink
from core.services import outbox, slack_links
from jobs.runner import Deps, run_job
from jobs.scheduler import JOBS
from tests.factories import make_member, make_org
from tests.scenario.jobs_world import NOW, deps_for
from tests.scenario.slack_fake import CONSOLE, SECRET_KEY, TEAM, texts

S = timedelta(seconds=1)


async def _org_with_messages(channels: list[str]):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    await slack_links.bind_workspace(team_id=TEAM, organization_id=fx.org.id)
    await slack_links.link_by_email(team_id=TEAM, slack_user_id="UBOSS", email=fx.manager.email, email_verified=True)
    await slack_links.link_by_email(team_id=TEAM, slack_user_id="UENG", email=eng.email, email_verified=True)
    for channel in channels:
        await EventSubscription.create(organization=fx.org, event_type="waitlist_turn", target_kind=SLACK_CHANNEL,
                                       target_address=channel)
    await record(WaitlistTurn(1, "stage", eng.id, acquired=False), organization_id=fx.org.id, now=NOW)
    return fx, eng


async def _deliver(deps, now) -> str:
    return await run_job(JOBS["delivery"], deps, now=now)


async def test_an_outage_delays_delivery_and_every_message_arrives_once(fake):
    await _org_with_messages(["C0CHANNEL1", "C0CHANNEL2"])
    deps = deps_for(fake)
    fake.outage = 3
    assert await _deliver(deps, NOW) == "0 delivered, 3 to retry, 0 rerouted, 0 failed"
    rows = await OutboxMessage.all().order_by("id")
    assert [(r.state, r.attempts, r.next_attempt_at, r.last_error) for r in rows] == [
        ("pending", 1, NOW + 30 * S, "HTTP 500")] * 3
    assert await _deliver(deps, NOW + 29 * S) == "0 delivered, 0 to retry, 0 rerouted, 0 failed"
    fake.outage = 1
    assert await _deliver(deps, NOW + 30 * S) == "2 delivered, 1 to retry, 0 rerouted, 0 failed"
    assert await _deliver(deps, NOW + 89 * S) == "0 delivered, 0 to retry, 0 rerouted, 0 failed"
    assert await _deliver(deps, NOW + 90 * S) == "1 delivered, 0 to retry, 0 rerouted, 0 failed"
    assert sorted(p["channel"] for p in fake.posts()) == ["C0CHANNEL1", "C0CHANNEL2", "UENG"]
    assert await _deliver(deps, NOW + timedelta(hours=1)) == "0 delivered, 0 to retry, 0 rerouted, 0 failed"


async def test_a_rate_limit_waits_for_slacks_retry_after(fake):
    await _org_with_messages(["C0CHANNEL1"])
    deps = deps_for(fake)
    fake.rate_limited["chat.postMessage"] = 1
    assert await _deliver(deps, NOW) == "1 delivered, 1 to retry, 0 rerouted, 0 failed"
    limited = await OutboxMessage.get(state="pending")
    assert (limited.last_error, limited.next_attempt_at) == ("ratelimited", NOW + S)  # Retry-After: 0, at least 1 s
    assert await _deliver(deps, NOW + S) == "1 delivered, 0 to retry, 0 rerouted, 0 failed"
    assert len(fake.posts()) == 2


async def test_an_unreachable_slack_is_a_network_error_to_retry(fake):
    await _org_with_messages([])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    send = slack_sender(box=SecretBox(SECRET_KEY), public_url=CONSOLE, bot_token="xoxb-test",
                        api_url=f"http://127.0.0.1:{closed}/api/")
    report = await outbox.deliver_due(senders={MEMBER: send}, worker="w", now=NOW)
    assert report.retried == 1
    row = await OutboxMessage.get()
    assert row.state == "pending" and row.last_error.startswith("network: ")


async def test_an_archived_channel_goes_to_the_managers_instead(fake):
    fx, _ = await _org_with_messages(["C0ARCHIVED"])
    fake.archived.add("C0ARCHIVED")
    deps = deps_for(fake)
    assert await _deliver(deps, NOW) == "1 delivered, 0 to retry, 1 rerouted, 0 failed"
    assert await _deliver(deps, NOW + S) == "1 delivered, 0 to retry, 0 rerouted, 0 failed"
    boss = [p for p in fake.posts() if p["channel"] == "UBOSS"]
    assert len(boss) == 1
    assert "meant for channel C0ARCHIVED, which cannot take it (is_archived)" in texts(boss[0])
    assert await OutboxMessage.filter(state="rerouted", target_address="C0ARCHIVED").count() == 1


async def test_a_member_without_slack_fails_for_good_and_slack_is_not_called(fake):
    fx, eng = await _org_with_messages([])
    await OutboxMessage.all().update(target_address=str(fx.manager.id))
    await SlackUserLink.filter(member_id=fx.manager.id).delete()
    assert await _deliver(deps_for(fake), NOW) == "0 delivered, 0 to retry, 0 rerouted, 1 failed"
    assert fake.posts() == []
    assert (await OutboxMessage.get()).last_error == f"member {fx.manager.id} has no linked Slack account"


async def test_the_delivery_job_refuses_to_run_without_slack(fake):
    with pytest.raises(InvalidInput) as err:
        await run_job(JOBS["delivery"], Deps(), now=NOW)
    assert err.value.code == "job_needs_slack"
