"""The fake Azure served over HTTPS on 127.0.0.1 (once per test process) and the adapter pointed at it."""

from __future__ import annotations

import pytest
import pytest_asyncio
from aiohttp import web

from core.adapters import context
from core.adapters.base import Credentials
from core.adapters.registry import adapter_for
from tests.integration.azure_fake import Arm, Vm, build_app
from tests.integration.tls import self_signed

TENANT = "11111111-1111-4111-8111-111111111111"
CLIENT = "22222222-2222-4222-8222-222222222222"
SECRET = "s3cret~value"
SUB_A = "aaaaaaaa-0000-4000-8000-00000000000a"
SUB_B = "bbbbbbbb-0000-4000-8000-00000000000b"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def azure_server(tmp_path_factory):
    """(the fake, its CA certificate path); the server runs on the session's event loop."""
    cert, context = self_signed(tmp_path_factory.mktemp("azure-tls"))
    arm = Arm()
    runner = web.AppRunner(build_app(arm), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    arm.base = f"https://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    yield arm, str(cert)
    await runner.cleanup()


@pytest.fixture
def azure(azure_server) -> Arm:
    """An empty fake with one tenant and app registration; the adapters' endpoints point at it."""
    arm, cert = azure_server
    arm.reset()
    arm.add_tenant(TENANT, CLIENT, SECRET)
    before = context.current()
    context.use(context.AdapterContext(azure_arm_url=arm.base, azure_authority_url=arm.base, ca_bundle=cert,
                                       azure_poll_seconds=0))
    yield arm
    context.use(before)


def fields(kind: str = "azure_subscription", **changes) -> dict:
    values = {"subscription_id": SUB_A, "tenant_id": TENANT, "client_id": CLIENT, "client_secret": SECRET}
    if kind == "azure_tenant":
        values.pop("subscription_id")
    return {**values, **changes}


def adapter(kind: str = "azure_subscription", **changes):
    values = fields(kind, **changes)
    secrets = {"client_secret": values.pop("client_secret")}
    return adapter_for(kind, Credentials(config=values, secrets=secrets))


def two_subscriptions(arm: Arm) -> tuple[Vm, Vm]:
    """Subscription A (readable, operable) with a VM, a disk, a snapshot and two IPs; B (readable) with a VM."""
    arm.add_subscription(SUB_A, "Production", readers=[CLIENT], operators=[CLIENT])
    arm.add_subscription(SUB_B, "Marketing", readers=[CLIENT])
    web_vm = arm.add_vm(Vm(SUB_A, "rg-web", "web-1", tags={"team": "web"}))
    batch = arm.add_vm(Vm(SUB_B, "rg-batch", "batch-1", location="northeurope", power="deallocated",
                          size="Standard_D4s_v5"))
    arm.add(SUB_A, "Microsoft.Compute/disks", "rg-web", "web-1-os", diskSizeGB=30, diskState="Attached",
            managedBy=web_vm.id, sku={"name": "Premium_LRS"})
    arm.add(SUB_A, "Microsoft.Compute/disks", "rg-web", "orphan", diskSizeGB=128, diskState="Unattached",
            tags={"team": "data"})
    arm.add(SUB_A, "Microsoft.Compute/snapshots", "rg-web", "nightly", diskSizeGB=30,
            creationData={"createOption": "Copy", "sourceResourceId": web_vm.id + "-os"},
            timeCreated="2025-03-02T01:00:00Z")
    arm.add(SUB_A, "Microsoft.Network/publicIPAddresses", "rg-web", "web-ip", ipAddress="20.1.2.3",
            ipConfiguration={"id": f"{web_vm.id}-nic/ipConfigurations/ipconfig1"}, sku={"name": "Standard"})
    arm.add(SUB_A, "Microsoft.Network/publicIPAddresses", "rg-web", "spare-ip", ipAddress="20.1.2.4")
    return web_vm, batch
