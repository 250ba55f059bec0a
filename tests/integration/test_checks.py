"""Constraint violations and TTL warnings: announced once per episode, to the owner and constraint alerts."""

from datetime import date, datetime, timedelta, timezone

from core.models import DataSource, Notice, OutboxMessage, Pool, Resource
from core.services import alerts, checks, constraints, import_failures
from core.services.resources import upsert_expenses
from tests.factories import make_member, make_org
from tests.outbox_rows import event_of, params_of, rows, target_of, to_member

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
SEEN = datetime(2026, 3, 1, tzinfo=timezone.utc)


async def _world(name: str = "Acme"):
    fx = await make_org(name=name, email=f"boss@{name.lower()}.test")
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev")
    eng = await make_member(fx, f"eng@{name.lower()}.test")
    vm = await Resource.create(organization=fx.org, pool=dev, owner=eng, cloud_resource_id=f"{name}-vm", name="vm-1",
                               resource_type="instance", first_seen=SEEN, last_seen=SEEN)
    return fx, dev, eng, vm


async def _messages() -> list[tuple]:
    return [(row.event_type, event_of(row).notice()[0], target_of(row)) for row in await rows()]


async def test_a_passed_ttl_is_announced_once_to_the_owner(db):
    fx, dev, eng, vm = await _world()
    await constraints.set_resource_ttl(actor_id=eng.id, resource_id=vm.id, until=NOW + timedelta(hours=1), now=NOW)
    assert await checks.notify_violations(organization_id=fx.org.id, now=NOW) == 0
    later = NOW + timedelta(hours=2)
    assert await checks.notify_violations(organization_id=fx.org.id, now=later) == 1
    assert await checks.notify_violations(organization_id=fx.org.id, now=later + timedelta(minutes=5)) == 0
    assert await _messages() == [("ttl_passed", "notice_ttl_passed", eng.id)]
    row = await OutboxMessage.get()
    assert params_of(row) == {"resource": "vm-1", "limit": "2026-03-10 13:00 UTC"}
    assert event_of(row).resource_id == vm.id


async def test_daily_limit_is_announced_once_per_day_and_total_once_per_limit(db):
    fx, dev, eng, vm = await _world()
    await constraints.set_resource_limit(actor_id=eng.id, resource_id=vm.id, kind="daily_expense_limit", amount=10)
    await constraints.set_resource_limit(actor_id=eng.id, resource_id=vm.id, kind="total_expense_limit", amount=25)
    await upsert_expenses(rows=[(vm.id, date(2026, 3, 9), "12.5"), (vm.id, date(2026, 3, 10), "15")])
    assert await checks.notify_violations(organization_id=fx.org.id, now=NOW) == 3
    assert await checks.notify_violations(organization_id=fx.org.id, now=NOW + timedelta(hours=1)) == 0
    next_day = NOW + timedelta(days=1)
    await upsert_expenses(rows=[(vm.id, date(2026, 3, 11), "11")])
    assert await checks.notify_violations(organization_id=fx.org.id, now=next_day) == 1
    keys = await Notice.all().order_by("id").values_list("key", flat=True)
    assert keys == [f"violation:{vm.id}:daily_expense_limit:2026-03-09", f"violation:{vm.id}:daily_expense_limit:2026-03-10",
                    f"violation:{vm.id}:total_expense_limit:total:25", f"violation:{vm.id}:daily_expense_limit:2026-03-11"]
    first = await OutboxMessage.filter(dedup_key__startswith=f"violation:{vm.id}:daily_expense_limit:2026-03-09").get()
    assert params_of(first) == {"resource": "vm-1", "actual": "12.50", "limit": "10", "currency": "USD",
                                       "day": "2026-03-09"}


async def test_constraint_alerts_of_the_pool_and_of_parents_with_sub_pools_also_get_it(db):
    fx, dev, eng, vm = await _world()
    watcher = await make_member(fx, "watch@acme.test")
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="constraint", threshold=0,
                              threshold_type="absolute", channels=["C0DEVCHAN1"])
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=fx.root.id, based_on="constraint", threshold=0,
                              threshold_type="absolute", include_children=True, recipient_ids=[watcher.id])
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=fx.root.id, based_on="constraint", threshold=0,
                              threshold_type="absolute", channels=["C0ROOTONLY"])
    await constraints.set_resource_ttl(actor_id=eng.id, resource_id=vm.id, until=NOW + timedelta(minutes=1), now=NOW)
    assert await checks.notify_violations(organization_id=fx.org.id, now=NOW + timedelta(minutes=2)) == 1
    assert [t for *_, t in await _messages()] == [eng.id, "C0DEVCHAN1", watcher.id]


async def test_an_unowned_resource_without_alerts_is_not_claimed_so_a_later_owner_hears_of_it(db):
    fx, dev, eng, vm = await _world()
    await constraints.set_resource_ttl(actor_id=eng.id, resource_id=vm.id, until=NOW + timedelta(minutes=1), now=NOW)
    await Resource.filter(id=vm.id).update(owner_id=None)
    assert await checks.notify_violations(organization_id=fx.org.id, now=NOW + timedelta(minutes=2)) == 0
    assert await Notice.all().count() == 0
    await Resource.filter(id=vm.id).update(owner_id=eng.id)
    assert await checks.notify_violations(organization_id=fx.org.id, now=NOW + timedelta(minutes=7)) == 1


async def test_other_organizations_are_left_alone(db):
    fx, dev, eng, vm = await _world()
    other, _, other_eng, other_vm = await _world("Other")
    await constraints.set_resource_ttl(actor_id=other_eng.id, resource_id=other_vm.id, until=NOW + timedelta(minutes=1),
                                       now=NOW)
    assert await checks.notify_violations(organization_id=fx.org.id, now=NOW + timedelta(hours=1)) == 0
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=NOW) == 0
    assert await OutboxMessage.all().count() == 0


async def test_a_ttl_within_24_hours_warns_the_owner_once_per_ttl_value(db):
    fx, dev, eng, vm = await _world()
    await constraints.set_resource_ttl(actor_id=eng.id, resource_id=vm.id, until=NOW + timedelta(hours=30), now=NOW)
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=NOW) == 0
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=NOW + timedelta(hours=7)) == 1
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=NOW + timedelta(hours=8)) == 0
    extended = NOW + timedelta(hours=40)
    await constraints.set_resource_ttl(actor_id=eng.id, resource_id=vm.id, until=extended, now=NOW)
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=NOW + timedelta(hours=9)) == 0
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=NOW + timedelta(hours=17)) == 1
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=NOW + timedelta(hours=41)) == 0
    assert [(r.event_type, target_of(r), params_of(r)["ttl"]) for r in await rows()] == [
        ("ttl_expiring", eng.id, "2026-03-11 18:00 UTC"), ("ttl_expiring", eng.id, "2026-03-12 04:00 UTC")]


async def test_a_pool_ttl_policy_counts_from_first_seen_and_needs_an_owner(db):
    fx, dev, eng, vm = await _world()
    await constraints.set_pool_policy(actor_id=fx.manager.id, pool_id=fx.root.id, kind="ttl", value=240)
    orphan = await Resource.create(organization=fx.org, pool=dev, cloud_resource_id="orphan", resource_type="instance",
                                   first_seen=SEEN, last_seen=SEEN)
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=SEEN + timedelta(hours=215)) == 0
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=SEEN + timedelta(hours=217)) == 1
    assert await OutboxMessage.filter(**to_member(eng.id)).count() == 1
    assert not await Notice.filter(key__startswith=f"ttl_soon:{orphan.id}:").exists()
    await Resource.filter(id=vm.id).update(active=False)
    await Notice.all().delete()
    assert await checks.warn_expiring_ttls(organization_id=fx.org.id, now=SEEN + timedelta(hours=218)) == 0


async def test_an_import_failure_is_told_to_the_managers_once_per_run_of_failures(db):
    fx, dev, eng, vm = await _world()
    second = await make_member(fx, "two@acme.test", role="org_manager")
    source = await DataSource.create(organization=fx.org, name="aws", kind="aws_linked", pool=fx.root)
    first = await import_failures.record_import_failure(data_source_id=source.id, detail="AWS refused the credentials.",
                                                         was_failing=False, last_import_at=None, now=NOW)
    again = await import_failures.record_import_failure(
        data_source_id=source.id, detail="AWS refused the credentials.", was_failing=True, last_import_at=NOW,
        now=NOW + timedelta(hours=1))
    after_success = await import_failures.record_import_failure(
        data_source_id=source.id, detail="Timeout.", was_failing=False, last_import_at=NOW + timedelta(hours=2),
        now=NOW + timedelta(hours=3))
    assert (first, again, after_success) == (1, 0, 1)
    failed = await rows(event_type="import_failed")
    assert [target_of(r) for r in failed] == [fx.manager.id, second.id, fx.manager.id, second.id]
    assert params_of(failed[0]) == {"data_source": "aws", "detail": "AWS refused the credentials"}
