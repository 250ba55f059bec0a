"""The Azure adapter through the real azure-mgmt clients against the local HTTPS fake of ARM and Entra ID."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.adapters.base import CloudUnavailable, PowerTarget
from core.errors import InvalidInput
from tests.integration import azure_world as world
from tests.integration.azure_fake import Vm
from tests.integration.azure_world import azure, azure_server  # noqa: F401 (fixtures)

MARCH = date(2025, 3, 1)


async def test_discovers_vms_disks_snapshots_and_ips_with_their_details(azure):
    web_vm, _ = world.two_subscriptions(azure)
    found = {r.cloud_resource_id: r for r in (await world.adapter().discover()).resources}
    vm = found[web_vm.id.lower()]
    assert (vm.name, vm.resource_type, vm.region, vm.tags, vm.active) == ("web-1", "instance", "westeurope",
                                                                         {"team": "web"}, True)
    assert vm.details == {"subscription_id": world.SUB_A, "resource_group": "rg-web", "state": "running",
                          "size": "Standard_B2s", "os_type": "Linux", "priority": "Regular"}
    by_name = {r.name: r for r in found.values()}
    assert by_name["web-1-os"].details["attached"] is True
    assert by_name["web-1-os"].details["instance_id"] == web_vm.id.lower()
    assert (by_name["orphan"].details["attached"], by_name["orphan"].tags) == (False, {"team": "data"})
    assert by_name["nightly"].resource_type == "snapshot" and by_name["nightly"].details["size_gb"] == 30
    assert by_name["web-ip"].details["attached"] and not by_name["spare-ip"].details["attached"]
    assert by_name["web-ip"].details["address"] == "20.1.2.3"
    assert len(found) == 6  # the other subscription's VM is not in this data source


async def test_a_tenant_discovers_every_subscription_and_skips_one_that_refuses(azure):
    _, batch = world.two_subscriptions(azure)
    locked = "cccccccc-0000-4000-8000-00000000000c"
    azure.add_subscription(locked, "Locked", readers=[world.CLIENT]).denied = {"microsoft.compute/virtualmachines"}
    azure.add_subscription("dddddddd-0000-4000-8000-00000000000d", "Gone", readers=[world.CLIENT]).state = "Disabled"
    adapter = world.adapter("azure_tenant")
    discovery = await adapter.discover()
    found = {r.cloud_resource_id: r for r in discovery.resources}
    assert found[batch.id.lower()].details["state"] == "deallocated" and not found[batch.id.lower()].active
    assert found[batch.id.lower()].details["subscription_id"] == world.SUB_B
    assert {r.details["subscription_id"] for r in found.values()} == {world.SUB_A, world.SUB_B}
    assert list(discovery.skipped) == [locked]
    assert "Microsoft.Compute/virtualMachines/read" in discovery.skipped[locked]
    assert not any("dddddddd" in path for _, path in azure.requests)  # a disabled subscription is not read


async def test_a_tenant_whose_every_subscription_refuses_fails_with_the_reason(azure):
    azure.add_subscription(world.SUB_A, "Locked", readers=[world.CLIENT]).denied = {"microsoft.compute/disks"}
    with pytest.raises(InvalidInput) as err:
        await world.adapter("azure_tenant").discover()
    assert (err.value.code, err.value.params["field"]) == ("azure_reader_role_missing", "subscription_id")
    assert err.value.params["action"] == "Microsoft.Compute/disks/read"


async def test_start_and_deallocate_run_to_the_end_of_the_operation(azure):
    web_vm, batch = world.two_subscriptions(azure)
    adapter = world.adapter("azure_tenant")
    gone = "/subscriptions/%s/resourcegroups/rg-web/providers/microsoft.compute/virtualmachines/nope" % world.SUB_A
    targets = [PowerTarget(web_vm.id.lower(), "westeurope"), PowerTarget(gone, "westeurope")]
    stopped = await adapter.stop(targets)
    assert [(r.outcome, r.detail) for r in stopped] == [("ok", ""), ("gone", "no such virtual machine")]
    assert web_vm.power == "deallocated"
    polls = [p for m, p in azure.requests if "/operations/" in p]
    assert len(polls) == azure.polls + 1  # polled through InProgress to Succeeded
    assert [r.outcome for r in await adapter.stop(targets[:1])] == ["already"]
    assert [(r.outcome, r.detail) for r in await adapter.start(targets[:1])] == [("ok", "")]
    assert web_vm.power == "running"


async def test_a_stopped_but_allocated_vm_is_deallocated(azure):
    web_vm, _ = world.two_subscriptions(azure)
    web_vm.power = "stopped"
    result = await world.adapter().stop([PowerTarget(web_vm.id.lower(), "westeurope")])
    assert result[0].outcome == "ok" and web_vm.power == "deallocated"


async def test_a_failing_operation_and_a_missing_role_fail_only_their_vm(azure):
    web_vm, batch = world.two_subscriptions(azure)
    other = azure.add_vm(Vm(world.SUB_A, "rg-web", "web-2", power="deallocated", fails="AllocationFailed"))
    targets = [PowerTarget(web_vm.id.lower(), "westeurope"), PowerTarget(other.id.lower(), "westeurope"),
               PowerTarget(batch.id.lower(), "northeurope")]
    web_vm.power = "deallocated"
    results = await world.adapter("azure_tenant").start(targets)
    assert [r.outcome for r in results] == ["ok", "failed", "failed"]
    assert "AllocationFailed" in results[1].detail
    assert "Microsoft.Compute/virtualMachines/start/action" in results[2].detail
    assert batch.power == "deallocated"


async def test_metrics_are_averaged_or_summed_per_period(azure):
    web_vm, _ = world.two_subscriptions(azure)
    hour = datetime(2025, 3, 3, 10, tzinfo=timezone.utc)
    vm_id = web_vm.id.lower()
    azure.metrics[(vm_id, "Percentage CPU")] = [(hour + timedelta(minutes=m), v) for m, v in ((0, 10.0), (30, 30.0))]
    azure.metrics[(vm_id, "Network In Total")] = [(hour + timedelta(minutes=m), 1000.0) for m in (0, 30)]
    points = await world.adapter().metrics([PowerTarget(vm_id, "westeurope")], hour, hour + timedelta(hours=1), 3600)
    got = {(p.metric, p.at, p.period_seconds): p.value for p in points}
    assert got == {("cpu", hour, 3600): 20.0, ("network_in", hour, 3600): 2000.0}


async def test_costs_follow_next_link_over_several_pages_and_keep_tags(azure):
    web_vm, batch = world.two_subscriptions(azure)
    for n in range(5):
        azure.add_cost(world.SUB_A, MARCH + timedelta(days=n), web_vm.id, "1.105", tags={"team": "web"})
    azure.add_cost(world.SUB_A, MARCH, web_vm.id, "0.01", tags={"team": "web"})
    azure.add_cost(world.SUB_B, date(2025, 4, 2), batch.id, "7.5", location="northeurope")
    azure.add_cost(world.SUB_B, date(2025, 4, 2), batch.id, "9", currency="EUR", location="northeurope")
    batch_result = await world.adapter("azure_tenant", currency="USD").billing(MARCH, date(2025, 4, 10))
    lines = {(line.cloud_resource_id, line.day): line for line in batch_result.lines}
    assert lines[(web_vm.id.lower(), MARCH)].cost == Decimal("1.115")
    assert sum(line.cost for line in batch_result.lines) == Decimal("13.035")
    first = lines[(web_vm.id.lower(), MARCH)]
    assert (first.tags, first.region, first.account_id, first.resource_type, first.name) == (
        {"team": "web"}, "westeurope", world.SUB_A, "instance", "web-1")
    assert lines[(batch.id.lower(), date(2025, 4, 2))].account_id == world.SUB_B
    assert batch_result.rejected == {"cost in EUR, not the organization's USD": 1}
    assert batch_result.covered == [(MARCH, date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 4, 10))]
    pages = [p for m, p in azure.requests if m == "POST" and p.lower().endswith("costmanagement/query")]
    assert len(pages) >= 4  # A: March on 3 pages; A April; B March; B April


async def test_an_outage_is_unavailable_not_a_crash(azure):
    world.two_subscriptions(azure)
    azure.busy = True
    with pytest.raises(CloudUnavailable) as err:
        await world.adapter().discover()
    assert err.value.code == "cloud_unavailable" and err.value.params["cloud"] == "Azure"


async def test_malformed_fields_name_the_field():
    with pytest.raises(InvalidInput) as err:
        world.adapter(subscription_id="not-a-guid")
    assert (err.value.code, err.value.params["field"]) == ("datasource_field_invalid", "subscription_id")
    with pytest.raises(InvalidInput) as err:
        world.adapter(client_secret="")
    assert (err.value.code, err.value.params["field"]) == ("datasource_field_missing", "client_secret")
