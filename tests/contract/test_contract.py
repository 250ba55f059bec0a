"""The cloud contract's scenarios, run against every world of tests.contract.kit: the kind's description,
connect good and bad, discovery, billing for a range, metrics, start/stop, errors translated."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.adapters import registry
from core.adapters.base import Capability, CloudUnavailable, PowerTarget
from core.crypto import SecretBox
from core.errors import CoreError, InvalidInput
from core.models import DataSource
from core.services import datasources
from tests.factories import make_org

BOX = SecretBox("k" * 40)


def test_the_kind_is_described_as_data_and_offered(world):
    info = world.info
    assert info in registry.kinds() and info.label and info.help and info.capabilities
    names = [f.name for f in info.fields]
    assert len(set(names)) == len(names)
    assert all(f.label and f.help for f in info.fields), "every field has a label and a help text"
    assert all(not f.choices or f.default in f.choices for f in info.fields)
    assert set(world.good_fields()) <= set(names)
    assert {f.name for f in info.fields if f.required and not f.default} <= set(world.good_fields())


async def test_good_credentials_connect_and_only_secrets_are_sealed(db, world):
    fx = await make_org()
    with world.checking_credentials():
        source = await datasources.connect_data_source(actor_id=fx.manager.id, kind=world.kind.value, name="Cloud",
                                                       fields=world.good_fields(), box=BOX)
    stored = await DataSource.get(id=source.id)
    assert stored.config[datasources.ACCOUNT_ID] == world.account_id
    for spec in world.info.fields:
        value = world.good_fields().get(spec.name)
        if spec.secret and value:
            assert spec.name not in stored.config and value not in stored.secret
        elif value:
            assert stored.config[spec.name] == value


async def test_bad_credentials_or_a_missing_field_are_refused_and_store_nothing(db, world):
    fx = await make_org()
    required = next(f.name for f in world.info.fields if f.required and not f.default)
    missing = {k: v for k, v in world.good_fields().items() if k != required}
    with world.checking_credentials():
        with pytest.raises(InvalidInput) as bad:
            await datasources.connect_data_source(actor_id=fx.manager.id, kind=world.kind.value, name="Cloud",
                                                  fields={**world.good_fields(), **world.bad_credentials()}, box=BOX)
        with pytest.raises(InvalidInput) as incomplete:
            await datasources.connect_data_source(actor_id=fx.manager.id, kind=world.kind.value, name="Cloud",
                                                  fields=missing, box=BOX)
    assert bad.value.code == "cloud_credentials_invalid"
    assert incomplete.value.code == "blank_value"
    assert await DataSource.all().count() == 0


@pytest.mark.needs(Capability.DISCOVER)
async def test_discovery_finds_instances_in_two_regions_and_skips_nothing(world):
    first, second = world.add_instance("web", world.regions[0]), world.add_instance("db", world.regions[1])
    discovery = await world.adapter().discover()
    found = {r.cloud_resource_id: r for r in discovery.resources}
    assert (found[first.cloud_resource_id].name, found[first.cloud_resource_id].region) == ("web", world.regions[0])
    assert (found[second.cloud_resource_id].resource_type, found[second.cloud_resource_id].region) == (
        "instance", world.regions[1])
    assert found[first.cloud_resource_id].active and discovery.skipped == {}


@pytest.mark.needs(Capability.BILLING)
async def test_billing_reads_daily_costs_for_a_range(world):
    web = world.add_instance("web", world.regions[0])
    first = (datetime.now(timezone.utc).date().replace(day=1) - timedelta(days=1)).replace(day=1)
    days = [first + timedelta(days=n) for n in range(3)]
    world.put_costs(web, {days[0]: Decimal("1.20"), days[1]: Decimal("2.40"), days[2]: Decimal("4.80")})
    batch = await world.adapter().billing(days[1], days[2])
    lines = {(line.cloud_resource_id, line.day): line.cost for line in batch.lines}
    assert lines == {(web.cloud_resource_id, days[1]): Decimal("2.40"), (web.cloud_resource_id, days[2]): Decimal("4.80")}
    assert all(line.account_id == world.account_id for line in batch.lines)
    assert batch.covered == [(days[1], days[2])] and batch.items_read > 0


@pytest.mark.needs(Capability.METRICS)
async def test_metrics_are_read_back_per_instance(world):
    web = world.add_instance("web", world.regions[0])
    hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    for minute, percent in ((5, 10.0), (35, 30.0)):
        world.put_cpu(web, hour + timedelta(minutes=minute), percent)
    points = await world.adapter().metrics([web], hour, hour + timedelta(hours=1), 3600)
    cpu = [(p.cloud_resource_id, p.period_seconds, p.value) for p in points if p.metric == "cpu"]
    assert cpu == [(web.cloud_resource_id, 3600, 20.0)]  # the hour's average
    assert all(hour <= p.at < hour + timedelta(hours=1) and p.at.tzinfo is not None for p in points)


@pytest.mark.needs(Capability.POWER)
async def test_start_and_stop_report_every_instance(world):
    web = world.add_instance("web", world.regions[0])
    gone = world.add_instance("old", world.regions[0])
    world.remove(gone)
    adapter = world.adapter()
    stopped = await adapter.stop([web, gone])
    assert [(r.cloud_resource_id, r.outcome) for r in stopped] == [(web.cloud_resource_id, "ok"),
                                                                    (gone.cloud_resource_id, "gone")]
    assert world.state(web) == "stopped"
    assert [r.outcome for r in await adapter.stop([web])] == ["already"]
    assert [r.outcome for r in await adapter.start([web])] == ["ok"] and world.state(web) == "running"


async def test_an_unreachable_cloud_is_a_translated_error_for_every_call(world):
    adapter = world.adapter(**world.unreachable())
    calls = {"validate": adapter.validate}
    if world.info.can(Capability.DISCOVER):
        calls["discover"] = adapter.discover
    if world.info.can(Capability.POWER):
        calls["stop"] = lambda: adapter.stop([PowerTarget("vm-1", world.regions[0])])
    for name, call in calls.items():
        with pytest.raises(CoreError) as err:
            await call()
        assert isinstance(err.value, CloudUnavailable), name
        assert err.value.code == "cloud_unavailable" and str(err.value)
