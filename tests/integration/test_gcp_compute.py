"""The Google Cloud adapter's Compute Engine and Cloud Monitoring side through google-api-python-client (static
discovery) and google-auth's service-account flow against the local fake; a power schedule run through it."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from core.adapters.base import CloudUnavailable, PowerTarget
from core.adapters.gcp.compute import resource_id
from core.crypto import SecretBox
from core.errors import InvalidInput
from core.models import ResourceEvent
from core.services import datasources
from jobs.runner import Deps
from tests.integration import gcp_world as world
from tests.integration.gcp_world import gcp, google_server  # noqa: F401 (fixtures)
from tests.integration.power_world import H, M, drive, make_power_world, utc


def _id(instance) -> str:
    return resource_id(instance.project, instance.zone, instance.id)


async def test_discovers_instances_in_every_project_the_key_can_see(gcp):
    world.instances(gcp)
    adapter = world.adapter(world.key(gcp))
    discovery = await adapter.discover()
    found = {r.name: r for r in discovery.resources}
    assert set(found) == {"web-1", "db-1", "cache-1", "batch-1"} and discovery.skipped == {}
    web = found["web-1"]
    assert web.cloud_resource_id == "//compute.googleapis.com/projects/acme-prod/zones/europe-west1-b/instances/1001"
    assert (web.region, web.tags, web.active) == ("europe-west1", {"team": "web"}, True)
    assert web.details == {"project": "acme-prod", "zone": "europe-west1-b", "status": "RUNNING",
                           "machine_type": "e2-standard-2", "preemptible": False}
    assert not found["db-1"].active and found["batch-1"].details["project"] == world.OTHER
    assert [p for _, p in gcp.requests].count("/compute/v1/projects/acme-prod/aggregated/instances") == 2  # 2 pages
    assert [m for m, p in gcp.requests if p == "/token"] == ["POST"]  # one token for every call


async def test_a_project_that_refuses_is_skipped_and_without_project_listing_the_own_project_is_read(gcp):
    world.instances(gcp)
    service_key = world.key(gcp)
    gcp.grants[(world.EMAIL, world.OTHER)].discard("compute.instances.list")
    adapter = world.adapter(service_key)
    discovery = await adapter.discover()
    assert {r.name for r in discovery.resources} == {"web-1", "db-1", "cache-1"}
    assert "compute.instances.list" in discovery.skipped[world.OTHER]
    for project in (world.PROJECT, world.OTHER):
        gcp.grants[(world.EMAIL, project)].discard("resourcemanager.projects.get")
    assert {r.details["project"] for r in (await adapter.discover()).resources} == {world.PROJECT}


async def test_stop_and_start_wait_for_their_operations(gcp):
    vms = world.instances(gcp)
    adapter = world.adapter(world.key(gcp))
    gone = "//compute.googleapis.com/projects/acme-prod/zones/europe-west1-b/instances/999"
    targets = [PowerTarget(_id(vms["web-1"]), "europe-west1"), PowerTarget(_id(vms["db-1"]), "europe-west1"),
               PowerTarget(gone, "europe-west1")]
    stopped = await adapter.stop(targets)
    assert [(r.outcome, r.detail) for r in stopped] == [("ok", ""), ("already", "terminated"),
                                                        ("gone", "no such instance")]
    assert vms["web-1"].status == "TERMINATED"
    assert sum(1 for _, p in gcp.requests if p.endswith("/wait")) == gcp.polls + 1
    vms["db-1"].fails = "ZONE_RESOURCE_POOL_EXHAUSTED"
    started = await adapter.start(targets[:2])
    assert [r.outcome for r in started] == ["ok", "failed"] and "enough resources" in started[1].detail
    assert vms["web-1"].status == "RUNNING"


async def test_a_missing_permission_fails_only_that_instance(gcp):
    vms = world.instances(gcp)
    service_key = world.key(gcp)
    gcp.grants[(world.EMAIL, world.OTHER)].discard("compute.instances.stop")
    results = await world.adapter(service_key).stop([PowerTarget(_id(vms["web-1"]), "europe-west1"),
                                                     PowerTarget(_id(vms["batch-1"]), "us-central1")])
    assert [r.outcome for r in results] == ["ok", "failed"]
    assert "compute.instances.stop" in results[1].detail and vms["batch-1"].status == "RUNNING"


async def test_cpu_utilisation_is_read_as_percent_per_period(gcp):
    vms = world.instances(gcp)
    hour = datetime(2025, 3, 3, 10, tzinfo=timezone.utc)
    gcp.cpu["1001"] = [(hour + timedelta(minutes=5), 0.1), (hour + timedelta(minutes=35), 0.3)]
    gcp.cpu["2001"] = [(hour + timedelta(minutes=1), 0.8)]
    targets = [PowerTarget(_id(vms[n]), "") for n in ("web-1", "batch-1", "db-1")]
    points = await world.adapter(world.key(gcp)).metrics(targets, hour, hour + timedelta(hours=1), 3600)
    assert {(p.cloud_resource_id, p.at, round(p.value, 6)) for p in points} == {
        (_id(vms["web-1"]), hour, 20.0), (_id(vms["batch-1"]), hour, 80.0)}


async def test_a_revoked_key_and_an_outage_get_their_errors(gcp):
    world.instances(gcp)
    service_key = world.key(gcp)
    gcp.service_account("other@x.iam.gserviceaccount.com", world.PROJECT)
    gcp.keys[world.EMAIL] = gcp.keys["other@x.iam.gserviceaccount.com"]  # the key's public half is gone
    with pytest.raises(InvalidInput) as err:
        await world.adapter(service_key).discover()
    assert (err.value.code, err.value.params["field"]) == ("gcp_key_refused", "service_account_key")
    gcp.busy = True
    with pytest.raises(CloudUnavailable):
        await world.adapter(world.key(gcp)).discover()


@pytest.mark.parametrize("text, code", [("{not json", "gcp_key_not_json"), ('{"type": "authorized_user"}',
                                                                            "gcp_key_incomplete")])
def test_a_key_that_is_not_a_service_account_key_names_the_field(text, code):
    with pytest.raises(InvalidInput) as err:
        world.adapter({}, service_account_key=text)
    assert (err.value.code, err.value.params["field"]) == (code, "service_account_key")


async def test_a_power_schedule_stops_and_starts_instances_through_the_adapter(db, gcp):
    box = SecretBox("k" * 40)
    vms = world.instances(gcp)
    service_key = world.key(gcp)
    power = await make_power_world("gcp", ids={"vm-a": _id(vms["web-1"]), "vm-b": _id(vms["cache-1"]),
                                               "vm-c": _id(vms["batch-1"])})
    power.source.config = {k: v for k, v in world.fields(service_key).items() if k != "service_account_key"}
    power.source.secret = box.seal(json.dumps({"service_account_key": json.dumps(service_key)}))
    await power.source.save()
    deps = Deps(worker="test", open_adapter=lambda source: datasources.open_adapter(source, box))
    monday = utc(2026, 3, 2)
    await drive(deps, monday + 18 * H + 55 * M, monday + 19 * H + 2 * M)
    assert {vms[n].status for n in ("web-1", "cache-1", "batch-1")} == {"TERMINATED"}
    await drive(deps, monday + 31 * H + 55 * M, monday + 32 * H + 2 * M)
    assert {vms[n].status for n in ("web-1", "cache-1", "batch-1")} == {"RUNNING"}
    events = await ResourceEvent.filter(resource_id=power.vms["vm-c"].id).order_by("id").values_list("kind", flat=True)
    assert events == ["power_stop_ok", "power_start_ok"]
