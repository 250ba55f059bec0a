"""Pool alerts from the scheduler: each threshold fires once per crossing per month, falling below re-arms."""

from datetime import date, datetime, timedelta, timezone

from core.models import OutboxMessage, Pool, Resource
from core.services import alerts, checks
from core.services.resources import upsert_expenses
from tests.factories import make_member, make_org
from tests.outbox_rows import event_of, rows, target_of

SEEN = datetime(2026, 3, 1, tzinfo=timezone.utc)


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=timezone.utc)


async def _world():
    fx = await make_org()
    fx.root.monthly_limit = 5000
    await fx.root.save()
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev", monthly_limit=1000)
    vm = await Resource.create(organization=fx.org, pool=dev, cloud_resource_id="vm", resource_type="instance",
                               first_seen=SEEN, last_seen=SEEN)
    return fx, dev, vm


async def _spend(vm: Resource, first: int, last: int, cost: str, month: int = 3) -> None:
    await upsert_expenses(rows=[(vm.id, date(2026, month, d), cost) for d in range(first, last + 1)])


async def _fired() -> list[tuple]:
    return [(event_of(r).alert_id, target_of(r)) for r in await rows(event_type="pool_alert")]


async def test_50_and_90_percent_fire_once_each_and_rearm_when_cost_falls_below(db):
    fx, dev, vm = await _world()
    watcher = await make_member(fx, "watch@acme.test")
    half = await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="cost", threshold=50,
                                     threshold_type="percentage", channels=["C0123ABCD"], recipient_ids=[watcher.id])
    most = await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="cost", threshold=90,
                                     threshold_type="percentage", channels=["C0123ABCD"])
    await _spend(vm, 1, 5, "80")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(5)) == 0
    await _spend(vm, 6, 7, "80")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(7)) == 1
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(7) + timedelta(hours=1)) == 0
    assert await _fired() == [(half.id, "C0123ABCD"), (half.id, watcher.id)]
    await _spend(vm, 8, 12, "80")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(12)) == 1
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(13)) == 0
    assert (await _fired())[2:] == [(most.id, "C0123ABCD")]
    message = await OutboxMessage.filter(event_type="pool_alert").order_by("-id").first()
    assert event_of(message).text() == (
        'Pool "Dev" has spent 960.00 USD this month (96.0% of its monthly limit of 1,000.00 USD), '
        "reaching the alert threshold of 900.00 USD.")
    await _spend(vm, 1, 12, "30")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(13)) == 0
    await _spend(vm, 1, 12, "80")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(14)) == 2
    assert [a for a, _ in await _fired()] == [half.id, half.id, most.id, half.id, half.id, most.id]


async def test_a_new_month_fires_again_only_once_its_own_cost_crosses(db):
    fx, dev, vm = await _world()
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="cost", threshold=50,
                              threshold_type="percentage", channels=["C0123ABCD"])
    await _spend(vm, 1, 20, "40")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(20)) == 1
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(1, 4)) == 0
    await _spend(vm, 1, 13, "40", month=4)
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(13, 4)) == 1
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(14, 4)) == 0


async def test_a_forecast_alert_states_its_formula(db):
    fx, dev, vm = await _world()
    alert = await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="forecast", threshold=100,
                                      threshold_type="percentage", channels=["C0123ABCD"])
    await _spend(vm, 1, 5, "80")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(5)) == 1
    row = await OutboxMessage.get(event_type="pool_alert")
    assert event_of(row).alert_id == alert.id and event_of(row).pool_id == dev.id
    assert event_of(row).text() == (
        'Pool "Dev" is forecast to spend 2,480.00 USD this month (248.0% of its monthly limit of 1,000.00 USD), '
        "reaching the alert threshold of 1,000.00 USD. Forecast = 400.00 month-to-date + 80.00/day avg over last "
        "4 days × 26 days left = 2,480.00.")


async def test_constraint_and_env_change_alerts_are_not_evaluated_against_a_threshold(db):
    fx, dev, vm = await _world()
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="constraint", threshold=0,
                              threshold_type="absolute", channels=["C0123ABCD"])
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=dev.id, based_on="env_change", threshold=0,
                              threshold_type="absolute", channels=["C0123ABCD"])
    await _spend(vm, 1, 5, "800")
    assert await checks.evaluate_pool_alerts(organization_id=fx.org.id, now=at(5)) == 0
    assert await OutboxMessage.all().count() == 0
