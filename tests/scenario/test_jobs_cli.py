"""`cloudtuner jobs run <name>` and `cloudtuner jobs list`, as an operator runs them."""

import subprocess

from tests.cli import cli_env, own_db_url, run_cli


def _cli(args, tmp_path, db_url: str) -> subprocess.CompletedProcess:
    return run_cli(["jobs", *args], cli_env(tmp_path, db_url), tmp_path)


async def test_run_a_job_now_and_see_when_each_last_completed(db, tmp_path):
    url = own_db_url(db, tmp_path)
    ran = _cli(["run", "constraint_check"], tmp_path, url)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "constraint_check: 0 violation(s) announced, 0 organization(s) failed"
    listing = _cli(["list"], tmp_path, url)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["booking_events", "constraint_check", "data_sources", "delivery",
                                                       "pool_alerts", "power_schedules", "slack_deliveries", "ttl_warnings"]
    assert "last completed never" not in lines[1] and lines[0] == "booking_events: last completed never"


async def test_unknown_jobs_and_delivery_without_slack_are_refused_with_one_line(db, tmp_path):
    url = own_db_url(db, tmp_path)
    unknown = _cli(["run", "nightly"], tmp_path, url)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == ('cloudtuner: There is no job named "nightly". Jobs: booking_events, '
                                      "constraint_check, data_sources, delivery, pool_alerts, power_schedules, "
                                      "slack_deliveries, ttl_warnings.")
    delivery = _cli(["run", "delivery"], tmp_path, url)
    assert delivery.returncode == 1
    assert delivery.stderr.strip() == ("cloudtuner: Slack is not configured, so notifications cannot be delivered; "
                                       "they wait in the outbox.")
