import asyncio
from decimal import Decimal

import pytest
from tortoise import connections

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.messages import render
from core.models import Alert, AlertBasis, Pool, ThresholdType
from core.queries.alerts import alert_pools, list_alerts, may_add_alerts
from core.services import alerts, orgs
from tests.factories import make_member, make_org

CHANNEL = "C0123ABCD"


async def setup_tree():
    """Acme: root (limit 10000) > Dev (limit 1000) > Dev-A; root > Ops (no limit)."""
    fx = await make_org()
    fx.root.monthly_limit = Decimal(10000)
    await fx.root.save()
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev", monthly_limit=1000)
    dev_a = await Pool.create(organization=fx.org, parent=dev, name="Dev-A", monthly_limit=400)
    ops = await Pool.create(organization=fx.org, parent=fx.root, name="Ops")
    return fx, dev, dev_a, ops


async def pool_manager(fx, email, pool):
    member = await make_member(fx, email)
    await orgs.grant_pool(actor_id=fx.manager.id, member_id=member.id, pool_id=pool.id)
    return member


async def recipient_links() -> int:
    rows = await connections.get("default").execute_query_dict("SELECT COUNT(*) AS n FROM alert_recipient")
    return rows[0]["n"]


def create(actor, pool, **overrides):
    kwargs = dict(actor_id=actor.id, pool_id=pool.id, based_on="cost", threshold=50, threshold_type="percentage",
                  include_children=False, channels=[CHANNEL], recipient_ids=[])
    kwargs.update(overrides)
    return alerts.create_alert(**kwargs)


async def test_create_alert_stores_threshold_and_targets_and_lists_them(db):
    fx, dev, dev_a, _ = await setup_tree()
    eng = await make_member(fx, "eng@acme.test")
    alert = await create(fx.manager, dev, threshold="90", include_children=True,
                         channels=[" C0123ABCD ", "GABCDEFGH12", "C0123ABCD"], recipient_ids=[eng.id, eng.id])
    stored = await Alert.get(id=alert.id).prefetch_related("recipients")
    assert (stored.based_on, stored.threshold, stored.threshold_type) == (AlertBasis.COST, 90, ThresholdType.PERCENTAGE)
    assert stored.include_children and stored.channels == ["C0123ABCD", "GABCDEFGH12"]
    assert [m.id for m in stored.recipients] == [eng.id]
    assert (stored.state_month, stored.state_above, stored.created_by_id) == ("", False, fx.manager.id)
    await create(fx.manager, fx.root, based_on="forecast", threshold="2500.50", threshold_type="absolute")
    listed = (await list_alerts(organization_id=fx.org.id, member_id=fx.manager.id)).rows
    assert [(s.pool_name, s.based_on, s.threshold, s.threshold_type) for s in listed] == [
        ("Acme", "forecast", Decimal("2500.50"), "absolute"), ("Dev", "cost", Decimal(90), "percentage")]
    assert listed[1].channels == ("C0123ABCD", "GABCDEFGH12") and listed[1].include_children
    assert listed[1].recipient_ids == (eng.id,) and listed[1].recipients == ("eng",)


@pytest.mark.parametrize("based_on", ["constraint", "env_change"])
async def test_alerts_without_threshold_store_zero(db, based_on):
    fx, _, _, ops = await setup_tree()
    alert = await create(fx.manager, ops, based_on=based_on, threshold="junk", threshold_type="junk")
    stored = await Alert.get(id=alert.id)
    assert (stored.threshold, stored.threshold_type) == (0, ThresholdType.ABSOLUTE)


@pytest.mark.parametrize("overrides, code", [
    ({"based_on": "budget"}, "not_in_choices"),
    ({"threshold_type": "relative"}, "not_in_choices"),
    ({"threshold": 0, "threshold_type": "absolute"}, "threshold_not_positive"),
    ({"threshold": "-5", "threshold_type": "absolute"}, "not_an_amount"),
    ({"threshold": "10.005", "threshold_type": "absolute"}, "not_an_amount"),
    ({"threshold": 0}, "value_out_of_range"),
    ({"threshold": 501}, "value_out_of_range"),
    ({"threshold": "50.5"}, "not_a_whole_number"),
    ({"threshold": "half"}, "not_a_whole_number"),
    ({"channels": ["#general"]}, "invalid_slack_channel"),
    ({"channels": ["c0123abcd"]}, "invalid_slack_channel"),
    ({"channels": ["C0123ABC"]}, "invalid_slack_channel"),
    ({"channels": ["C0123ABCDEFGH"]}, "invalid_slack_channel"),
    ({"channels": ["D0123ABCD"]}, "invalid_slack_channel"),
    ({"channels": [CHANNEL, ""]}, "invalid_slack_channel"),
    ({"channels": [], "recipient_ids": []}, "alert_needs_target"),
    ({"pool": "ops"}, "percentage_alert_needs_limit"),
])
async def test_create_alert_rejects_bad_input_and_writes_nothing(db, overrides, code):
    fx, dev, _, ops = await setup_tree()
    eng = await make_member(fx, "eng@acme.test")
    overrides = {"recipient_ids": [eng.id], **overrides}
    pool = ops if overrides.pop("pool", None) else dev
    with pytest.raises(InvalidInput) as err:
        await create(fx.manager, pool, **overrides)
    assert err.value.code == code
    assert "{" not in str(err.value)
    assert await Alert.all().count() == 0 and await recipient_links() == 0


async def test_absolute_alert_is_allowed_on_a_pool_without_limit(db):
    fx, _, _, ops = await setup_tree()
    alert = await create(fx.manager, ops, threshold=300, threshold_type="absolute")
    assert (await Alert.get(id=alert.id)).threshold == 300


async def test_engineer_cannot_create_or_delete_alerts(db):
    fx, dev, _, _ = await setup_tree()
    eng = await make_member(fx, "eng@acme.test")
    with pytest.raises(PermissionDenied) as err:
        await create(eng, dev)
    assert err.value.code == "not_pool_manager"
    alert = await create(fx.manager, dev)
    with pytest.raises(PermissionDenied):
        await alerts.delete_alert(actor_id=eng.id, alert_id=alert.id)
    assert [a.id for a in await Alert.all()] == [alert.id]


async def test_pool_manager_of_the_pool_or_an_ancestor_manages_its_alerts(db):
    fx, dev, dev_a, _ = await setup_tree()
    for manager in (await pool_manager(fx, "dev@acme.test", dev), await pool_manager(fx, "root@acme.test", fx.root)):
        alert = await create(manager, dev_a)
        assert await Alert.filter(id=alert.id, pool_id=dev_a.id).exists()
        await alerts.delete_alert(actor_id=manager.id, alert_id=alert.id)
        assert not await Alert.exists(id=alert.id)


async def test_pool_manager_of_a_sibling_or_a_sub_pool_is_refused(db):
    fx, dev, dev_a, ops = await setup_tree()
    ops_manager = await pool_manager(fx, "ops@acme.test", ops)
    sub_manager = await pool_manager(fx, "deva@acme.test", dev_a)
    alert = await create(fx.manager, dev)
    for actor in (ops_manager, sub_manager):
        with pytest.raises(PermissionDenied) as err:
            await create(actor, dev)
        assert err.value.params == {"pool": "Dev"}
        with pytest.raises(PermissionDenied):
            await alerts.delete_alert(actor_id=actor.id, alert_id=alert.id)
    assert [a.id for a in await Alert.all()] == [alert.id]


async def test_other_organizations_pools_members_and_alerts_are_not_found(db):
    fx, dev, _, _ = await setup_tree()
    other = await make_org("Globex", "boss@globex.test")
    other_member = await make_member(other, "eng@globex.test")
    other_alert = await create(other.manager, other.root, threshold=100, threshold_type="absolute")
    with pytest.raises(NotFound) as err:
        await create(fx.manager, other.root, threshold=100, threshold_type="absolute")
    assert err.value.code == "pool_not_found"
    with pytest.raises(NotFound) as err:
        await create(fx.manager, dev, recipient_ids=[fx.manager.id, other_member.id])
    assert (err.value.code, err.value.params) == ("member_not_found", {"member_id": other_member.id})
    with pytest.raises(NotFound) as err:
        await alerts.delete_alert(actor_id=fx.manager.id, alert_id=other_alert.id)
    assert err.value.code == "alert_not_found"
    assert [a.id for a in await Alert.all()] == [other_alert.id] and await recipient_links() == 0
    assert (await list_alerts(organization_id=fx.org.id, member_id=fx.manager.id)).rows == ()
    assert [s.id for s in (await list_alerts(organization_id=other.org.id, member_id=other.manager.id)).rows] == [
        other_alert.id]


async def test_delete_alert_removes_it_and_its_recipients(db):
    fx, dev, _, _ = await setup_tree()
    eng = await make_member(fx, "eng@acme.test")
    keep = await create(fx.manager, dev, recipient_ids=[eng.id])
    gone = await create(fx.manager, dev, threshold=90, recipient_ids=[eng.id, fx.manager.id])
    await alerts.delete_alert(actor_id=fx.manager.id, alert_id=gone.id)
    assert [a.id for a in await Alert.all()] == [keep.id] and await recipient_links() == 1
    with pytest.raises(NotFound):
        await alerts.delete_alert(actor_id=fx.manager.id, alert_id=gone.id)


async def test_record_evaluation_fires_once_rearms_and_resets_monthly(db):
    fx, dev, _, _ = await setup_tree()
    alert = await create(fx.manager, dev, threshold=50)

    async def check(value, month="2024-05"):
        return (await alerts.record_evaluation(alert_id=alert.id, month=month, value=Decimal(value),
                                               limit=Decimal(1000))).fire

    assert [await check(v) for v in (400, 500, 700, 300, 600)] == [False, True, False, False, True]
    stored = await Alert.get(id=alert.id)
    assert (stored.state_month, stored.state_above) == ("2024-05", True)
    assert [await check(600, "2024-06"), await check(650, "2024-06")] == [True, False]


async def test_record_evaluation_message_names_pool_currency_and_formula(db):
    fx, dev, _, _ = await setup_tree()
    alert = await create(fx.manager, dev, based_on="forecast", threshold=100)
    decision = await alerts.record_evaluation(alert_id=alert.id, month="2024-05", value=Decimal("1100"),
                                              limit=Decimal(1000), formula="300.00 + 40.00/day × 20 days")
    assert decision.fire and decision.threshold_amount == 1000
    text = render(decision.message_code, **decision.params)
    assert "Pool \"Dev\"" in text and "1,100.00 USD" in text and "300.00 + 40.00/day × 20 days" in text


async def test_record_evaluation_refuses_bad_month_missing_alert_and_thresholdless_alert(db):
    fx, dev, _, _ = await setup_tree()
    alert = await create(fx.manager, dev)
    constraint = await create(fx.manager, dev, based_on="constraint")
    with pytest.raises(InvalidInput) as err:
        await alerts.record_evaluation(alert_id=alert.id, month="May", value=Decimal(900), limit=Decimal(1000))
    assert err.value.code == "invalid_month"
    with pytest.raises(NotFound) as err:
        await alerts.record_evaluation(alert_id=alert.id + 100, month="2024-05", value=Decimal(1), limit=Decimal(1))
    assert err.value.code == "alert_not_found"
    with pytest.raises(InvalidInput) as err:
        await alerts.record_evaluation(alert_id=constraint.id, month="2024-05", value=Decimal(9), limit=Decimal(1))
    assert err.value.code == "alert_has_no_threshold"
    states = await Alert.all().order_by("id").values_list("state_month", "state_above")
    assert [tuple(s) for s in states] == [("", False), ("", False)]


@pytest.mark.parametrize("callers", [2, 5])
async def test_concurrent_evaluations_fire_exactly_once(db, callers):
    fx, dev, _, _ = await setup_tree()
    alert = await create(fx.manager, dev, threshold=50)
    decisions = await asyncio.gather(*[
        alerts.record_evaluation(alert_id=alert.id, month="2024-05", value=Decimal(800), limit=Decimal(1000))
        for _ in range(callers)])
    assert sum(d.fire for d in decisions) == 1
    stored = await Alert.get(id=alert.id)
    assert (stored.state_month, stored.state_above) == ("2024-05", True)


async def test_the_list_says_who_may_add_and_delete_exactly_as_the_services_allow(db):
    fx, dev, dev_a, ops = await setup_tree()
    on_dev_a = await create(fx.manager, dev_a)
    on_ops = await create(fx.manager, ops, based_on="constraint")
    dev_manager = await pool_manager(fx, "dev@acme.test", dev)
    idle = await make_member(fx, "idle@acme.test", role="pool_manager")
    eng = await make_member(fx, "eng@acme.test")

    async def flags(member) -> tuple:
        listed = await list_alerts(organization_id=fx.org.id, member_id=member.id)
        return listed.can_add, {row.id: row.can_delete for row in listed.rows}

    assert await flags(fx.manager) == (True, {on_dev_a.id: True, on_ops.id: True})
    assert await flags(dev_manager) == (True, {on_dev_a.id: True, on_ops.id: False})
    assert await flags(idle) == (False, {on_dev_a.id: False, on_ops.id: False})
    assert await flags(eng) == (False, {on_dev_a.id: False, on_ops.id: False})
    assert [await may_add_alerts(organization_id=fx.org.id, member_id=m.id) for m in (dev_manager, idle)] == [True, False]
    assert await alert_pools(organization_id=fx.org.id, member_id=dev_manager.id) == [(dev.id, "Dev"), (dev_a.id, "Dev-A")]
    assert await alert_pools(organization_id=fx.org.id, member_id=fx.manager.id, search="dev-") == [(dev_a.id, "Dev-A")]
    with pytest.raises(PermissionDenied):
        await alerts.delete_alert(actor_id=dev_manager.id, alert_id=on_ops.id)
    await alerts.delete_alert(actor_id=dev_manager.id, alert_id=on_dev_a.id)
    with pytest.raises(PermissionDenied):
        await create(idle, ops, based_on="constraint")
