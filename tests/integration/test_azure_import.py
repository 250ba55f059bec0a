"""An Azure tenant imported end to end (discovery, costs, metrics into the database), re-imported, and run by a
power schedule; and `cloudtuner datasource add azure_subscription` as an operator runs it."""

import asyncio
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from core.crypto import SecretBox
from core.models import DataSource, Expense, Resource, ResourceEvent, ResourceMetric
from core.services import datasources
from core.services.imports import run_import
from jobs.runner import Deps
from tests.factories import make_org
from tests.integration import azure_world as world
from tests.integration.azure_world import azure, azure_server  # noqa: F401 (fixtures)
from tests.integration.power_world import H, M, drive, make_power_world, utc

BOX = SecretBox("k" * 40)
NOW = datetime(2025, 3, 20, 12, tzinfo=timezone.utc)
MARCH = date(2025, 3, 1)


async def _tenant_source() -> DataSource:
    fx = await make_org()
    return await datasources.connect_data_source(actor_id=fx.manager.id, kind="azure_tenant", name="Azure",
                                                 fields=world.fields("azure_tenant"), box=BOX)


async def test_a_tenant_import_keeps_each_subscription_and_a_reimport_replaces_the_month(db, azure):
    web_vm, batch = world.two_subscriptions(azure)
    azure.add_cost(world.SUB_A, MARCH, web_vm.id, "2.50", tags={"team": "web"})
    azure.add_cost(world.SUB_A, MARCH + timedelta(days=1), web_vm.id, "2.25", tags={"team": "web"})
    azure.add_cost(world.SUB_B, MARCH, batch.id, "4", location="northeurope")
    gone = f"/subscriptions/{world.SUB_B}/resourceGroups/rg-old/providers/Microsoft.Compute/disks/old-disk"
    azure.add_cost(world.SUB_B, MARCH, gone, "0.333333", location="northeurope", tags={"team": "old"})
    azure.metrics[(web_vm.id.lower(), "Percentage CPU")] = [(NOW - timedelta(hours=2), 42.0)]
    source = await _tenant_source()

    summary = await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)

    assert (summary.items_read, summary.days, summary.total_cost) == (4, 2, Decimal("9.083333"))
    assert summary.resources_created == 8 and summary.billing_only == 1
    resources = {r.name: r for r in await Resource.filter(data_source_id=source.id)}
    assert resources["batch-1"].details["subscription_id"] == world.SUB_B
    assert (resources["old-disk"].resource_type, resources["old-disk"].active, resources["old-disk"].tags) == (
        "volume", False, {"team": "old"})
    assert await ResourceMetric.filter(resource_id=resources["web-1"].id, metric="cpu").count() == 2  # hour, day
    azure.subscriptions[world.SUB_A].costs = []
    azure.add_cost(world.SUB_A, MARCH, web_vm.id, "1", tags={"team": "web"})
    again = await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)
    assert again.total_cost == Decimal("5.333333")
    costs = dict(await Expense.filter(resource_id=resources["web-1"].id).values_list("day", "cost"))
    assert costs == {MARCH: Decimal("1")}
    assert (await DataSource.get(id=source.id)).last_import_status.startswith("ok: 3 line items, 1 days, 5.33")


async def test_a_subscription_refusing_its_costs_fails_the_import_and_keeps_the_old_figures(db, azure):
    web_vm, _ = world.two_subscriptions(azure)
    azure.add_cost(world.SUB_A, MARCH, web_vm.id, "2.50")
    source = await _tenant_source()
    await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)
    azure.subscriptions[world.SUB_B].denied = {"microsoft.costmanagement/query/action"}
    try:
        await run_import(data_source_id=source.id, box=BOX, start=MARCH, now=NOW)
    except Exception as exc:
        assert exc.code == "azure_permission_missing" and exc.params["field"] == "client_id"
    else:
        raise AssertionError("the import should fail")
    assert await Expense.all().values_list("cost", flat=True) == [Decimal("2.5")]
    assert (await DataSource.get(id=source.id)).last_import_status.startswith("failed: Application")


async def test_a_power_schedule_deallocates_at_night_and_starts_in_the_morning(db, azure):
    world.two_subscriptions(azure)
    vms = {name: azure.add_vm(world.Vm(world.SUB_A, "rg-app", name)) for name in ("vm-a", "vm-b", "vm-c")}
    azure.vms[vms["vm-c"].id.lower()].power = "stopped"  # stopped in the OS: allocated, still billed
    power = await make_power_world("azure_subscription", ids={n: vm.id.lower() for n, vm in vms.items()})
    power.source.config = {k: v for k, v in world.fields().items() if k != "client_secret"}
    power.source.secret = BOX.seal(json.dumps({"client_secret": world.SECRET}))
    await power.source.save()
    deps = Deps(worker="test", open_adapter=lambda source: datasources.open_adapter(source, BOX))
    monday = utc(2026, 3, 2)
    await drive(deps, monday + 18 * H + 55 * M, monday + 19 * H + 2 * M)
    assert {n: vm.power for n, vm in vms.items()} == {"vm-a": "deallocated", "vm-b": "deallocated",
                                                      "vm-c": "deallocated"}
    await drive(deps, monday + 31 * H + 55 * M, monday + 32 * H + 2 * M)
    assert {vm.power for vm in vms.values()} == {"running"}
    events = await ResourceEvent.filter(resource_id=power.vms["vm-c"].id).order_by("id").values_list("kind", flat=True)
    assert events == ["power_stop_ok", "power_start_ok"]


async def _cli(tmp_path, db_url: str, cert: str, base: str, *args: str) -> tuple[int, str, str]:
    """The command in its own process; awaited, so the fake on this event loop keeps answering."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDTUNER_")}
    env.update(CLOUDTUNER_DATA_DIR=str(tmp_path / "data"), CLOUDTUNER_DATABASE_URL=db_url, PYTHONPATH=os.getcwd(),
               CLOUDTUNER_AZURE_ARM_URL=base, CLOUDTUNER_AZURE_AUTHORITY_URL=base, CLOUDTUNER_CA_BUNDLE=cert)
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "config.cli", *args, env=env, cwd=tmp_path,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode, out.decode(), err.decode()


async def test_datasource_add_from_the_command_line(db, tmp_path, azure, azure_server):
    world.two_subscriptions(azure)
    await make_org()
    config = tmp_path / "azure.json"
    config.write_text(json.dumps(world.fields()))
    code, out, err = await _cli(tmp_path, db, azure_server[1], azure.base, "datasource", "add", "azure_subscription",
                                "--org", "Acme", "--name", "Azure prod", "--config", str(config))
    assert (code, out.strip()) == (0, f'Connected azure_subscription data source "Azure prod" (account '
                                      f'{world.SUB_A}) to organization "Acme".'), err
    config.write_text(json.dumps(world.fields(client_secret="nope")))
    code, out, err = await _cli(tmp_path, db, azure_server[1], azure.base, "datasource", "add", "azure_subscription",
                                "--org", "Acme", "--name", "Other", "--config", str(config))
    assert code == 1 and err.startswith(f"cloudtuner: Azure refused the secret of application {world.CLIENT}")
    assert "nope" not in err
