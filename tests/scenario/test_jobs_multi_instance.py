"""Three Cloudtuner processes on one PostgreSQL run every job over the same 40 minutes at once: every cloud
action and every Slack message happens exactly once."""

import asyncio
import os
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from core.models import DataSource, OutboxMessage, Resource
from core.queries.schedules import list_schedules
from tests.integration import fake_cloud
from tests.scenario.jobs_world import ALERTS, BOSS, ENVS, NOW, OWNER, WAITER, make_jobs_world

INSTANCES = 3
OFFICE_VMS = 12
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cloud(monkeypatch):
    return fake_cloud.install(monkeypatch)


async def _more_office_vms(world) -> list[str]:
    """Office VMs in two regions on the office-vm schedule (stop at 19:00, warned at 18:30)."""
    office = next(s for s in (await list_schedules(organization_id=world.fx.org.id)).rows if s.name == "office-vm")
    names = []
    for n in range(OFFICE_VMS):
        name = f"office-{n:02d}"
        vm = await Resource.create(organization=world.fx.org, pool=world.dev, owner=world.owner, name=name,
                                   cloud_resource_id=name, region=("eu-west-1", "us-east-1")[n % 2],
                                   resource_type="instance", first_seen=NOW, last_seen=NOW,
                                   data_source_id=world.office_vm.data_source_id, power_schedule_id=office.id)
        names.append(vm.cloud_resource_id)
    return names


async def _run_instances(db: str, api_url: str, tmp_path: Path) -> list[dict[str, int]]:
    """Each instance's counts of job runs made and found held by another instance."""
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.scenario.jobs_instance", db, api_url, (NOW - timedelta(minutes=5)).isoformat(),
        "41", str(go), cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        for _ in range(INSTANCES)]
    go.touch()
    results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in procs)), timeout=600)
    for proc, (_, err) in zip(procs, results):
        assert proc.returncode == 0, err.decode()[-3000:]
    return [dict(part.split("=") for part in out.decode().split()) for out, _ in results]


async def test_three_instances_act_and_notify_exactly_once(db, fake, cloud, tmp_path):
    if not db.startswith("postgres"):
        pytest.skip("several processes share one PostgreSQL; SQLite is the single-process setup")
    world = await make_jobs_world(cloud)
    office = await _more_office_vms(world)
    log = tmp_path / "cloud.log"
    await DataSource.filter(kind=fake_cloud.KIND).update(config={"log": str(log), "failing": ["failing-vm"]})
    counts = await _run_instances(db, fake.api_url, tmp_path)

    actions = [tuple(line.split()[:2]) for line in log.read_text().splitlines()]
    assert Counter(actions) == Counter([("stop", "failing-vm"), ("stop", "office-vm")]
                                       + [("stop", name) for name in office])
    posts = Counter((p["channel"], p["text"]) for p in fake.posts())
    assert set(posts.values()) == {1}, [k for k, n in posts.items() if n > 1]
    per_target = Counter(channel for channel, _ in posts)
    assert per_target == {OWNER: 2 + (1 + OFFICE_VMS) + 1, ALERTS: 2, ENVS: 2, WAITER: 1, BOSS: 1}
    assert await OutboxMessage.exclude(state="delivered").count() == 0
    assert len(fake.posts()) == await OutboxMessage.all().count()
    ran = sum(int(c["ran"]) for c in counts)
    skipped = sum(int(c["skipped"]) for c in counts)
    assert ran + skipped == INSTANCES * 41 * 7 and skipped > 0, counts  # the leases were contended
