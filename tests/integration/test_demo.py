"""The sample organization obeys every rule of the domain, so each view shows consistent data."""

from datetime import datetime, timedelta, timezone

import pytest

from core.crypto import SecretBox
from core.errors import Conflict
from core.models import Alert, Expense, Member, Organization, PowerSchedule, Resource, Role
from core.queries import constraints as reads
from core.queries import environments
from core.queries.costs import pool_summary, pool_tree
from core.rules import power
from core.rules.assignment import validate_conditions
from core.rules.bookings import EnvStatus
from core.services.demo import DEMO_NAME, load_demo
from core.models import AssignmentRule, OutboxMessage
from jobs.runner import Deps, run_job
from jobs.scheduler import JOBS

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=timezone.utc)  # a Wednesday


async def test_demo_loads_a_consistent_sample_organization(db):
    summary = await load_demo(now=NOW)
    assert str(summary).startswith(f'Loaded "{DEMO_NAME}": 7 pools, 50 resources')
    org = await Organization.get(name=DEMO_NAME)
    assert org.is_demo

    tree = await pool_tree(organization_id=org.id)
    assert len(tree) == 7
    for row in tree:
        children = [r for r in tree if r.parent_id == row.id]
        assert sum(c.monthly_limit for c in children) <= row.monthly_limit, row.name

    root = await pool_summary(tree[0].id, today=NOW.date())
    assert root.cost > 0 and root.forecast.value > root.cost and "month-to-date" in root.forecast.formula
    oldest = await Expense.all().order_by("day").first()
    assert (NOW.date() - oldest.day).days == 59
    assert await Resource.filter(organization=org, owner_id=None).count() == 0


async def test_demo_environments_schedule_rules_and_alerts_are_valid(db):
    await load_demo(now=NOW)
    org = await Organization.get(name=DEMO_NAME)

    manager = await Member.filter(organization=org, role=Role.ORG_MANAGER).first()
    page = await environments.list_environments(organization_id=org.id, member_id=manager.id, now=NOW)
    assert len(page.rows) == page.total == 4
    assert [row.status for row in page.rows].count(EnvStatus.IN_USE) == 1

    schedule = await PowerSchedule.get(organization=org)
    spec = power.ScheduleSpec.from_model(schedule)
    day = power.transitions_between(spec, NOW - timedelta(hours=10), NOW + timedelta(hours=14))
    assert [(t.action, t.local.strftime("%H:%M")) for t in day] == [("start", "08:00"), ("stop", "19:00")]
    assert await Resource.filter(power_schedule=schedule).count() == 5

    for rule in await AssignmentRule.filter(organization=org):
        assert validate_conditions(rule.conditions)
    assert await Alert.filter(organization=org).count() == 3

    flagged = await reads.check_organization(organization_id=org.id, now=NOW)
    assert flagged, "the sample data shows at least one constraint violation"


async def test_demo_loads_once(db):
    await load_demo(now=NOW)
    with pytest.raises(Conflict) as err:
        await load_demo(now=NOW)
    assert err.value.code == "demo_exists"
    assert await Organization.all().count() == 1


async def test_the_hourly_import_leaves_the_sample_data_sources_alone(db):
    await load_demo(now=NOW)
    result = await run_job(JOBS["data_sources"], Deps(box=SecretBox("k" * 40)), now=NOW)
    assert result == "0 data source(s) imported, 0 failed, 0 alert(s) fired"
    assert await OutboxMessage.all().count() == 0


async def test_demo_cloud_sources_look_like_real_ones(db):
    from core.adapters.azure.power import parse_id
    from core.models import DataSource, DataSourceKind

    await load_demo(now=NOW)
    azure = await DataSource.get(kind=DataSourceKind.AZURE_SUBSCRIPTION)
    assert azure.config["account_id"] == azure.config["subscription_id"] and azure.config["tenant_id"]
    vm = await Resource.filter(data_source=azure, resource_type="instance").first()
    assert parse_id(vm.cloud_resource_id) == (azure.config["subscription_id"], "marketing-rg", vm.name)
    gcp = await DataSource.get(kind=DataSourceKind.GCP)
    instance = await Resource.filter(data_source=gcp, resource_type="instance").first()
    assert instance.cloud_resource_id.startswith(f"//compute.googleapis.com/projects/{gcp.config['account_id']}/zones/")
    assert instance.details["zone"] == f"{instance.region}-b"
    aws_ids = await Resource.filter(data_source__kind=DataSourceKind.AWS_ROOT, resource_type="instance"
                                    ).values_list("cloud_resource_id", flat=True)
    assert all(i.startswith("i-0") and len(i) == 19 for i in aws_ids)
