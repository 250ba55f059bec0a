"""The sample organization as a newcomer uses it: `cloudtuner demo --manager-email` makes them one of its
managers, so their Slack account links by email; its sample data sources never make a job fail or talk."""

from datetime import datetime, timezone
from functools import partial

from core.crypto import SecretBox
from core.models import DataSource, Organization, OutboxMessage, ResourceEvent, SlackUserLink
from core.services import datasources, slack_links
from core.services.demo import DEMO_NAME, load_demo
from jobs.runner import Deps, run_job
from jobs.scheduler import JOBS
from tests.scenario.slack_fake import CONSOLE, TEAM, texts

YOU, EMAIL = "UYOU", "you@company.test"
LOADED = datetime(2026, 11, 18, 6, 0, tzinfo=timezone.utc)  # a Wednesday; Berlin is UTC+1
START = datetime(2026, 11, 18, 7, 0, 30, tzinfo=timezone.utc)  # just after the schedule's 08:00 Berlin start
STOP = datetime(2026, 11, 18, 18, 0, 30, tzinfo=timezone.utc)  # just after its 19:00 stop


async def _answer(slack, text: str) -> str:
    status, body, url = await slack.command(YOU, text)
    assert status == 200 and body == ""
    return texts((await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args)


async def test_the_demo_manager_sees_the_sample_organization_from_slack(slack):
    summary = await load_demo(now=LOADED, manager_email=" You@Company.test ")
    assert str(summary).endswith(f"its organization managers are manager@demo.example, {EMAIL}.")
    demo = await Organization.get(name=DEMO_NAME)
    await slack_links.bind_workspace(team_id=TEAM, organization_id=demo.id)  # `cloudtuner slack bind`
    slack.fake.add_user(YOU, EMAIL)

    assert await _answer(slack, "resources") == f"You own no resources in {DEMO_NAME}.\n:link: <{CONSOLE}/resources|All resources>"
    link = await SlackUserLink.get(slack_user__slack_user_id=YOU).select_related("member")
    assert (link.member.organization_id, link.member.email, link.member.role.value) == (demo.id, EMAIL,
                                                                                      "org_manager")
    in_pool = await _answer(slack, "resources Backend")
    assert in_pool.startswith("Top resources in Backend\n") and "|backend-instance-00>*  `instance`" in in_pool


async def test_jobs_over_the_sample_data_record_no_failure_and_send_nothing(db):
    await load_demo(now=LOADED, manager_email=EMAIL)
    sources = await DataSource.all()
    assert len(sources) == 3 and all(s.sample for s in sources)
    box = SecretBox("k" * 40)
    deps = Deps(open_adapter=partial(datasources.open_adapter, box=box), box=box)  # as config.process wires it

    assert await run_job(JOBS["data_sources"], deps, now=START) == "0 data source(s) imported, 0 failed, 0 alert(s) fired"
    await run_job(JOBS["booking_events"], deps, now=START)
    for moment in (START, STOP):
        assert await run_job(JOBS["power_schedules"], deps, now=moment) == (
            "0 warning(s), 5 action(s) of which 0 failed, 0 stop(s) skipped for bookings, 0 organization(s) failed")

    events = await ResourceEvent.all().values_list("kind", flat=True)
    assert sorted(set(events)) == ["power_start_ok", "power_stop_ok"] and len(events) == 10
    assert await OutboxMessage.all().count() == 0
    assert {s.last_import_status for s in await DataSource.all()} == {"ok: sample data"}
