"""/metrics scraped over HTTP from the served app while the real jobs, an import and Slack requests run."""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import BotConfig, build_bolt_app, close_bolt_app
from core import db as database
from core.adapters import registry
from core.adapters.base import BillingBatch, Capability, ExpenseLine
from core.errors import InvalidInput
from core.models import OutboxMessage
from jobs.metrics import JobMetrics
from jobs.runner import run_job
from jobs.scheduler import JOBS
from tests.integration import fake_cloud
from tests.scenario.jobs_world import NOW, deps_for, make_jobs_world
from tests.scenario.slack_fake import CONSOLE, SECRET, SECRET_KEY, sign
from webconsole.app import build_app
from webconsole.metrics import metrics_routes
from webconsole.slack_routes import slack_routes


class BillingCloud(fake_cloud.FakeAdapter):
    """The fake cloud with a bill of 7 line items for office-vm."""

    async def billing(self, start: date, end: date) -> BillingBatch:
        return BillingBatch([ExpenseLine("office-vm", end, Decimal("1.25"))], items_read=7, currency="USD")


@pytest.fixture
def cloud(monkeypatch):
    world = fake_cloud.install(monkeypatch)
    billed = replace(fake_cloud.INFO, capabilities=fake_cloud.INFO.capabilities | {Capability.BILLING},
                     factory=f"{__name__}:BillingCloud")
    monkeypatch.setitem(registry.KINDS, billed.kind, billed)
    return world


def _samples(text: str) -> dict[tuple, float]:
    return {(s.name, *sorted(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def _scrape(http, server) -> dict[tuple, float]:
    async with http.get(server.make_url("/metrics")) as resp:
        assert resp.status == 200 and resp.content_type == "text/plain"
        return _samples(await resp.text())


async def test_metrics_move_with_jobs_imports_power_outbox_and_slack(fake, cloud):
    await make_jobs_world(cloud)
    registry = CollectorRegistry()
    deps = deps_for(fake)
    deps = type(deps)(**{**vars(deps), "metrics": JobMetrics(registry)})
    bolt = build_bolt_app(BotConfig(public_url=CONSOLE, secret_key=SECRET_KEY, signing_secret=SECRET,
                                    bot_token="xoxb-test", api_url=fake.api_url))
    app = build_app(checks={"database": database.ping}, routes=[slack_routes(bolt, signing_secret=SECRET), metrics_routes(registry)])
    async with TestServer(app, host="127.0.0.1") as server, ClientSession() as http:
        before = await _scrape(http, server)
        assert ("cloudtuner_job_runs_total", ("job", "constraint_check")) not in before
        assert before[("cloudtuner_slack_request_seconds_count",)] == 0

        for name in ("constraint_check", "power_schedules", "data_sources"):
            await run_job(JOBS[name], deps, now=NOW)
        queued = await _scrape(http, server)
        pending = await OutboxMessage.filter(state="pending", target_kind="slack_channel").count()
        assert pending > 0 and queued[("cloudtuner_outbox_backlog", ("target_kind", "slack_channel"))] == pending
        assert queued[("cloudtuner_outbox_oldest_age_seconds", ("target_kind", "slack_channel"))] >= 0
        for name in ("constraint_check", "power_schedules", "data_sources"):
            assert queued[("cloudtuner_job_runs_total", ("job", name))] == 1
            assert queued[("cloudtuner_job_failures_total", ("job", name))] == 0
            assert queued[("cloudtuner_job_duration_seconds_count", ("job", name))] == 1
            assert queued[("cloudtuner_job_lag_seconds", ("job", name))] == 60  # its first window: one minute
        assert queued[("cloudtuner_import_duration_seconds_count", ("kind", fake_cloud.KIND))] == 1
        assert queued[("cloudtuner_import_line_items_total", ("kind", fake_cloud.KIND))] == 7
        assert ("cloudtuner_import_duration_seconds_count", ("kind", "kubernetes")) not in queued  # it failed
        assert queued[("cloudtuner_power_actions_total", ("action", "stop"))] == 1  # failing-vm, due now
        assert queued[("cloudtuner_power_failures_total", ("action", "stop"))] == 1

        await run_job(JOBS["delivery"], deps, now=NOW)
        body = json.dumps({"token": "legacy", "challenge": "c", "type": "url_verification"})
        async with http.post(server.make_url("/slack/events"), data=body,
                             headers={"Content-Type": "application/json", **sign(body)}) as resp:
            assert resp.status == 200
        async with http.post(server.make_url("/slack/events"), data=body,
                             headers={"Content-Type": "application/json"}) as resp:
            assert resp.status == 401
        after = await _scrape(http, server)
    await close_bolt_app(bolt)
    assert await OutboxMessage.filter(state="pending").count() == 0
    assert not any(key[0].startswith("cloudtuner_outbox_") for key in after)  # nothing waits any more
    assert after[("cloudtuner_job_runs_total", ("job", "delivery"))] == 1
    assert ("cloudtuner_job_lag_seconds", ("job", "delivery")) not in after  # not leased: no schedule to lag
    assert after[("cloudtuner_slack_request_seconds_count",)] == 2
    assert after[("cloudtuner_slack_request_errors_total",)] == 0  # a refused forgery is not the product's error


async def test_a_failing_job_counts_a_failure(fake, cloud):
    await make_jobs_world(cloud)
    registry = CollectorRegistry()
    deps = deps_for(fake)
    deps = type(deps)(**{**vars(deps), "metrics": JobMetrics(registry), "open_adapter": None})
    with pytest.raises(InvalidInput):
        await run_job(JOBS["power_schedules"], deps, now=NOW)
    samples = _samples(generate_latest(registry).decode())
    assert samples[("cloudtuner_job_runs_total", ("job", "power_schedules"))] == 1
    assert samples[("cloudtuner_job_failures_total", ("job", "power_schedules"))] == 1
