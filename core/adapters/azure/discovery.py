"""What a subscription holds: virtual machines (with power state), managed disks, snapshots and public IPs.

Resource ids are kept in lower case, as Cost Management reports them, so billing finds what discovery saw.
"""

from __future__ import annotations

import asyncio

from core.adapters.azure.session import AzureSession
from core.adapters.base import DiscoveredResource
from core.errors import CoreError

_RUNNING = {"running", "starting"}


async def subscription(session: AzureSession, subscription_id: str) -> list[DiscoveredResource]:
    """Every resource of one subscription (four list calls side by side). Raises: the translated core errors."""
    compute, network = session.client("compute", subscription_id), session.client("network", subscription_id)
    vms, disks, snapshots, ips = await asyncio.gather(
        session.items(compute.virtual_machines.list_all(status_only="true"), subscription_id),
        session.items(compute.disks.list(), subscription_id),
        session.items(compute.snapshots.list(), subscription_id),
        session.items(network.public_ip_addresses.list_all(), subscription_id))
    return ([_vm(v, subscription_id) for v in vms] + [_disk(d, subscription_id) for d in disks]
            + [_snapshot(s, subscription_id) for s in snapshots] + [_ip(i, subscription_id) for i in ips])


async def many(session: AzureSession, subscription_ids: list[str]) -> tuple[list[DiscoveredResource], dict[str, str]]:
    """Resources of every subscription that answered, and subscription -> why for those that refused.

    Raises: the first subscription's error when none answered.
    """
    answers = await asyncio.gather(*(subscription(session, s) for s in subscription_ids), return_exceptions=True)
    found, skipped, first_error = [], {}, None
    for subscription_id, answer in zip(subscription_ids, answers):
        if isinstance(answer, CoreError):
            skipped[subscription_id] = str(answer)
            first_error = first_error or answer
        elif isinstance(answer, BaseException):
            raise answer
        else:
            found += answer
    if first_error is not None and len(skipped) == len(subscription_ids):
        raise first_error
    return found, skipped


def power_state(view) -> str:
    """'running', 'deallocated', 'stopped' (still allocated and billed), ... from an instance view."""
    statuses = getattr(view, "statuses", None) or []
    codes = [s.code for s in statuses if s.code and s.code.startswith("PowerState/")]
    return codes[0].split("/", 1)[1] if codes else "unknown"


def resource_group(resource_id: str) -> str:
    parts = resource_id.split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("resourcegroups") + 1] if "resourcegroups" in lowered else ""


def _common(item, subscription_id: str, resource_type: str, **details) -> DiscoveredResource:
    return DiscoveredResource(cloud_resource_id=item.id.lower(), name=item.name, resource_type=resource_type,
                              region=item.location or "", tags=dict(item.tags or {}),
                              details={"subscription_id": subscription_id, "resource_group": resource_group(item.id),
                                       **details})


def _vm(vm, subscription_id: str) -> DiscoveredResource:
    state = power_state(vm.instance_view)
    size = vm.hardware_profile.vm_size if vm.hardware_profile else ""
    os_disk = vm.storage_profile.os_disk if vm.storage_profile else None
    found = _common(vm, subscription_id, "instance", state=state, size=size,
                    os_type=text(getattr(os_disk, "os_type", "")), priority=text(vm.priority) or "Regular")
    return DiscoveredResource(**{**found.__dict__, "active": state in _RUNNING or state == "stopped"})


def _disk(disk, subscription_id: str) -> DiscoveredResource:
    return _common(disk, subscription_id, "volume", size_gb=disk.disk_size_gb, state=text(disk.disk_state),
                   attached=bool(disk.managed_by), instance_id=(disk.managed_by or "").lower(),
                   sku=text(disk.sku.name) if disk.sku else "")


def _snapshot(snapshot, subscription_id: str) -> DiscoveredResource:
    source = snapshot.creation_data.source_resource_id if snapshot.creation_data else ""
    created = snapshot.time_created.isoformat() if snapshot.time_created else ""
    return _common(snapshot, subscription_id, "snapshot", size_gb=snapshot.disk_size_gb,
                   source_disk=(source or "").lower(), created=created)


def _ip(ip, subscription_id: str) -> DiscoveredResource:
    attached_to = ip.ip_configuration.id.lower() if ip.ip_configuration and ip.ip_configuration.id else ""
    return _common(ip, subscription_id, "ip_address", address=ip.ip_address or "", attached=bool(attached_to),
                   attached_to=attached_to, sku=text(ip.sku.name) if ip.sku else "")


def text(value) -> str:
    """An SDK enum or string as its plain value ('Linux', not 'OperatingSystemTypes.LINUX')."""
    return str(getattr(value, "value", value) or "")
