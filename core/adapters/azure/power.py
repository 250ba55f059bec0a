"""Start and deallocate virtual machines as long-running operations polled to the end; each VM gets its own
outcome. Stop means deallocate: a stopped-but-allocated VM is still billed for its compute."""

from __future__ import annotations

import asyncio

from core.adapters.azure.discovery import power_state
from core.adapters.azure.session import AzureSession
from core.adapters.base import CloudUnavailable, PowerResult, PowerTarget
from core.errors import CoreError, NotFound

PARALLEL = 16
_ALREADY = {"start": {"running", "starting"}, "stop": {"deallocated", "deallocating"}}
_SIGN_IN = {"azure_secret_invalid", "azure_tenant_not_found", "azure_client_not_found", "azure_sign_in_failed"}


async def change(session: AzureSession, targets: list[PowerTarget], action: str) -> list[PowerResult]:
    """action is "start" or "stop"; results in the order of the targets. Sign-in and outage errors are raised for
    the caller to record; a VM Azure refuses fails alone."""
    gate = asyncio.Semaphore(PARALLEL)

    async def one(target: PowerTarget) -> PowerResult:
        async with gate:
            return await _vm(session, target.cloud_resource_id, action)

    return list(await asyncio.gather(*(one(t) for t in targets)))


def parse_id(resource_id: str) -> tuple[str, str, str]:
    """(subscription, resource group, name) of a virtual machine's resource id."""
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    try:
        return (parts[lowered.index("subscriptions") + 1], parts[lowered.index("resourcegroups") + 1],
                parts[lowered.index("virtualmachines") + 1])
    except (ValueError, IndexError):
        return "", "", ""


async def _vm(session: AzureSession, resource_id: str, action: str) -> PowerResult:
    subscription_id, group, name = parse_id(resource_id)
    if not name:
        return PowerResult(resource_id, "failed", "not a virtual machine id")
    machines = session.client("compute", subscription_id).virtual_machines
    try:
        view = await session.call(machines.instance_view(group, name), subscription_id)
        state = power_state(view)
        if state in _ALREADY[action]:
            return PowerResult(resource_id, "already", state)
        begin = machines.begin_start if action == "start" else machines.begin_deallocate
        poller = await session.call(begin(group, name), subscription_id)
        await session.call(poller.result(), subscription_id)
    except NotFound:
        return PowerResult(resource_id, "gone", "no such virtual machine")
    except CoreError as exc:
        if isinstance(exc, CloudUnavailable) or exc.code in _SIGN_IN:
            raise
        return PowerResult(resource_id, "failed", str(exc))
    return PowerResult(resource_id, "ok")

