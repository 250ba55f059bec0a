"""Every proactive message, produced by the real jobs and delivered to a fake Slack Web API, once each."""

from datetime import timedelta

import pytest

from core.models import OutboxMessage
from jobs.runner import run_job
from jobs.scheduler import JOBS
from tests.integration import fake_cloud
from tests.scenario.jobs_world import ALERTS, BOSS, ENVS, NOW, OWNER, WAITER, deps_for, make_jobs_world
from tests.outbox_rows import sent as outbox_sent
from tests.scenario.slack_fake import buttons, texts

PRODUCERS = ["constraint_check", "ttl_warnings", "pool_alerts", "booking_events", "power_schedules", "data_sources"]


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _tick(deps, now) -> None:
    for name in PRODUCERS + ["delivery"]:
        await run_job(JOBS[name], deps, now=now)


def _by_target(fake) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for post in fake.posts():
        found.setdefault(post["channel"], []).append(post["text"])
    return found


async def test_each_proactive_message_reaches_slack_once(fake, cloud):
    world = await make_jobs_world(cloud)
    deps = deps_for(fake)
    await _tick(deps, NOW)
    await _tick(deps, NOW + timedelta(minutes=1))
    sent = _by_target(fake)
    assert sorted(sent) == sorted([OWNER, WAITER, BOSS, ALERTS, ENVS])
    assert sent[OWNER] == [
        '"expired" passed its TTL at 2026-03-02 17:30 UTC and is still active. Delete it, or set a later TTL if you '
        "still need it.",
        '"expiring" reaches its TTL at 2026-03-03 04:30 UTC, within the next 24 hours. Extend it if you still need it.',
        'Power schedule "office-vm" stops "office-vm" at 2026-03-02 19:00 (UTC), 2026-03-02 19:00 UTC. '
        "Snooze or skip tonight's stop to keep it running.",
        'Power schedule "failing-vm" could not stop "failing-vm": IncorrectInstanceState.',
    ]
    assert sent[ALERTS] == [sent[OWNER][0], 'Pool "Dev" has spent 60.00 USD this month (60.0% of its monthly limit '
                                            "of 100.00 USD), reaching the alert threshold of 50.00 USD."]
    assert sent[ENVS] == ['owner has booked "perf" from 2026-03-02 18:29 UTC until 2026-03-02 20:30 UTC.',
                          '"stage" is free again: the booking of owner ended at 2026-03-02 18:29 UTC.']
    assert sent[WAITER] == ['"stage" is free now. Book it before someone else does.']
    assert sent[BOSS] == ['The import of data source "k8s billing" failed: No cloud adapter for "kubernetes". Valid '
                          "kinds: aws_root, aws_linked, azure_subscription, azure_tenant, gcp, alibaba. Check its "
                          "credentials in the web console."]
    assert await OutboxMessage.exclude(state="delivered").count() == 0
    assert await outbox_sent(event_type="power_warning") == [("power_warning", world.owner.id)]


async def test_messages_carry_the_buttons_and_console_links_to_act_on_them(fake, cloud):
    world = await make_jobs_world(cloud)
    await _tick(deps_for(fake), NOW)
    posts = {post["text"].split('"')[1] + ":" + post["channel"]: post for post in fake.posts()}
    warning = posts["office-vm:" + OWNER]
    office = str(world.office_vm.id)
    assert buttons(warning) == [("power_snooze:1h", office), ("power_snooze:2h", office),
                                ("power_skip_tonight", office)]
    assert f"https://ct.example.test/resources/{office}" in texts(warning)
    expiring = str(world.expiring.id)
    assert buttons(posts["expiring:" + OWNER]) == [("ttl_preset:1d", expiring), ("ttl_preset:3d", expiring)]
    alert = posts["Dev:" + ALERTS]
    assert buttons(alert) == [("run_command:resources", str(world.dev.id))]
    assert f"https://ct.example.test/pools/{world.dev.id}" in texts(alert)
    assert {call.token for call in fake.to("chat.postMessage")} == {"xoxb-test"}


async def test_an_unexpected_import_error_reaches_managers_as_a_reference_not_internals(fake, cloud, monkeypatch, caplog):
    await make_jobs_world(cloud)

    async def broken_import(**_):
        raise RuntimeError("driver exploded with key=AKIASECRET")

    monkeypatch.setattr("jobs.data_sources.run_import", broken_import)
    deps = deps_for(fake)
    assert await run_job(JOBS["data_sources"], deps, now=NOW) == "0 data source(s) imported, 2 failed, 0 alert(s) fired"
    await run_job(JOBS["delivery"], deps, now=NOW)
    sent = _by_target(fake)[BOSS]
    assert len(sent) == 2 and all("unexpected error (ref " in text for text in sent)
    assert not any("AKIASECRET" in text for text in sent)
    ref = sent[0].split("(ref ")[1][:8]
    assert any(ref in record.getMessage() for record in caplog.records)
