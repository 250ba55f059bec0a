"""Compute Engine instances in every project the key can see: discovery, start and stop (operations waited for).

Blocking googleapiclient calls; the adapter runs each function in a worker thread with its own service object.
"""

from __future__ import annotations

from core.adapters.base import DiscoveredResource, PowerResult
from core.adapters.gcp.session import GcpSession
from core.errors import CoreError, InvalidInput, NotFound

_ACTIVE = {"PROVISIONING", "STAGING", "RUNNING", "STOPPING", "SUSPENDING", "REPAIRING"}
_ALREADY = {"start": {"RUNNING", "PROVISIONING", "STAGING"}, "stop": {"TERMINATED", "STOPPING", "STOPPED"}}
_WAITS = 40  # zoneOperations.wait returns after at most 2 minutes each: long enough for any start or stop


def projects(session: GcpSession) -> list[str]:
    """Active projects the key can list (Cloud Resource Manager); its own project when it may not list them."""
    crm = session.service("cloudresourcemanager", "v1")
    found, request = [], crm.projects().list(filter="lifecycleState:ACTIVE")
    try:
        while request is not None:
            answer = session.guarded(request.execute)
            found += [p["projectId"] for p in answer.get("projects", [])]
            request = crm.projects().list_next(request, answer)
    except InvalidInput as exc:
        if exc.code != "gcp_permission_missing":
            raise
        return [session.project]
    return sorted(set(found) | {session.project})


def instances(session: GcpSession, project: str) -> list[DiscoveredResource]:
    compute = session.service("compute", "v1").instances()
    found, request = [], compute.aggregatedList(project=project)
    while request is not None:
        answer = session.guarded(request.execute)
        for scope in answer.get("items", {}).values():
            found += [_instance(project, item) for item in scope.get("instances", [])]
        request = compute.aggregatedList_next(request, answer)
    return found


def resource_id(project: str, zone: str, instance_id: str) -> str:
    """The id the Detailed billing export names the instance by (resource.global_name)."""
    return f"//compute.googleapis.com/projects/{project}/zones/{zone}/instances/{instance_id}"


def parse_id(cloud_resource_id: str) -> tuple[str, str, str]:
    """(project, zone, instance id) of an instance's resource id; empty strings for anything else."""
    parts = cloud_resource_id.removeprefix("//compute.googleapis.com/").split("/")
    if len(parts) != 6 or parts[0] != "projects" or parts[2] != "zones" or parts[4] != "instances":
        return "", "", ""
    return parts[1], parts[3], parts[5]


def change(session: GcpSession, cloud_resource_id: str, action: str) -> PowerResult:
    """Start or stop one instance and wait for its operation. Key and outage errors are raised for the caller."""
    project, zone, instance = parse_id(cloud_resource_id)
    if not instance:
        return PowerResult(cloud_resource_id, "failed", "not a Compute Engine instance id")
    service = session.service("compute", "v1")
    try:
        status = session.guarded(service.instances().get(project=project, zone=zone, instance=instance).execute)["status"]
        if status in _ALREADY[action]:
            return PowerResult(cloud_resource_id, "already", status.lower())
        verb = service.instances().start if action == "start" else service.instances().stop
        operation = session.guarded(verb(project=project, zone=zone, instance=instance).execute)
        for _ in range(_WAITS):
            if operation.get("status") == "DONE":
                break
            operation = session.guarded(service.zoneOperations().wait(
                project=project, zone=zone, operation=operation["name"]).execute)
    except NotFound:
        return PowerResult(cloud_resource_id, "gone", "no such instance")
    except CoreError as exc:
        if exc.code != "cloud_request_refused" and exc.code != "gcp_permission_missing":
            raise
        return PowerResult(cloud_resource_id, "failed", str(exc))
    errors = operation.get("error", {}).get("errors", [])
    if errors:
        return PowerResult(cloud_resource_id, "failed", "; ".join(e.get("message", e.get("code", "")) for e in errors))
    return PowerResult(cloud_resource_id, "ok")


def _instance(project: str, item: dict) -> DiscoveredResource:
    zone = item["zone"].rsplit("/", 1)[-1]
    status = item.get("status", "")
    return DiscoveredResource(
        cloud_resource_id=resource_id(project, zone, str(item["id"])), name=item["name"], resource_type="instance",
        region=zone.rsplit("-", 1)[0], tags={str(k): str(v) for k, v in item.get("labels", {}).items()},
        active=status in _ACTIVE,
        details={"project": project, "zone": zone, "status": status,
                 "machine_type": item.get("machineType", "").rsplit("/", 1)[-1],
                 "preemptible": bool(item.get("scheduling", {}).get("preemptible"))})
