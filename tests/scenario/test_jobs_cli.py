"""`cloudtuner jobs run <name>` and `cloudtuner jobs list`, as an operator runs them."""

import os
import subprocess
import sys


def _cli(args, tmp_path, db_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDTUNER_", "SLACK_"))}
    env.update(CLOUDTUNER_DATA_DIR=str(tmp_path / "data"), CLOUDTUNER_DATABASE_URL=db_url, PYTHONPATH=os.getcwd())
    return subprocess.run([sys.executable, "-m", "config.cli", "jobs", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def _own(db: str, tmp_path) -> str:
    return f"sqlite://{tmp_path / 'own.sqlite3'}" if db.startswith("sqlite") else db


async def test_run_a_job_now_and_see_when_each_last_completed(db, tmp_path):
    url = _own(db, tmp_path)
    ran = _cli(["run", "constraint_check"], tmp_path, url)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "constraint_check: 0 violation(s) announced, 0 organization(s) failed"
    listing = _cli(["list"], tmp_path, url)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["booking_events", "constraint_check", "data_sources", "delivery",
                                                       "pool_alerts", "power_schedules", "ttl_warnings"]
    assert "last completed never" not in lines[1] and lines[0] == "booking_events: last completed never"


async def test_unknown_jobs_and_delivery_without_slack_are_refused_with_one_line(db, tmp_path):
    url = _own(db, tmp_path)
    unknown = _cli(["run", "nightly"], tmp_path, url)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == ('cloudtuner: There is no job named "nightly". Jobs: booking_events, '
                                      "constraint_check, data_sources, delivery, pool_alerts, power_schedules, "
                                      "ttl_warnings.")
    delivery = _cli(["run", "delivery"], tmp_path, url)
    assert delivery.returncode == 1
    assert delivery.stderr.strip() == ("cloudtuner: Slack is not configured, so notifications cannot be delivered; "
                                       "they wait in the outbox.")
