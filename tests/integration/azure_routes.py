"""The request handlers of the fake Azure (see azure_fake): ARM paths are matched case-insensitively, as ARM does."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import datetime, timezone
from urllib.parse import parse_qs

from aiohttp import web

_TOKEN = re.compile(r"^/([^/]+)/oauth2/v2\.0/token$")
_SUB = r"^/subscriptions/([^/]+)"
_VM = _SUB + r"/resourcegroups/([^/]+)/providers/microsoft\.compute/virtualmachines/([^/]+)"
CLIENT, TENANT = web.RequestKey("client", str), web.RequestKey("tenant", str)
_GRAINS = {"PT1M": 60, "PT5M": 300, "PT15M": 900, "PT30M": 1800, "PT1H": 3600, "PT6H": 21600, "PT12H": 43200,
           "P1D": 86400}


def record(arm):
    @web.middleware
    async def middleware(request: web.Request, handler):
        arm.requests.append((request.method, request.path))
        if not _TOKEN.match(request.path) and arm.busy:
            return _error(503, "ServiceUnavailable", "The service is temporarily unavailable.")
        return await handler(request)
    return middleware


def routes(arm) -> list[web.RouteDef]:
    table = [
        ("POST", _TOKEN, _token), ("GET", re.compile(r"^/subscriptions$"), _subscriptions),
        ("GET", re.compile(_SUB + "$", re.I), _subscription),
        ("GET", re.compile(_SUB + r"/providers/(microsoft\.compute/virtualmachines)$", re.I), _vms),
        ("GET", re.compile(_SUB + r"/providers/([^/]+/[^/]+)$", re.I), _list),
        ("GET", re.compile(_VM + "/instanceview$", re.I), _instance_view),
        ("POST", re.compile(_VM + "/(start|deallocate)$", re.I), _power),
        ("GET", re.compile(_SUB + r"/providers/microsoft\.compute/locations/[^/]+/operations/([^/]+)$", re.I),
         _operation),
        ("GET", re.compile(_VM + "/providers/microsoft\\.insights/metrics$", re.I), _metrics),
        ("POST", re.compile(_SUB + r"/providers/microsoft\.costmanagement/query$", re.I), _costs),
    ]

    async def dispatch(request: web.Request) -> web.StreamResponse:
        for method, pattern, handler in table:
            found = pattern.match(request.path)
            if method == request.method and found:
                if handler is not _token and (client := _client(arm, request)) is None:
                    return _error(401, "InvalidAuthenticationToken", "The access token is invalid.")
                return await handler(arm, request, *found.groups())
        return _error(404, "NotFound", f"No route {request.method} {request.path}")

    return [web.route("*", "/{tail:.*}", dispatch)]


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def _client(arm, request: web.Request) -> str | None:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    parts = token.split(".")
    if len(parts) != 3 or parts[2] not in arm.tenants.get(parts[1], {}):
        return None
    request[CLIENT], request[TENANT] = parts[2], parts[1]
    return parts[2]


def _refused(arm, request: web.Request, sub: str, action: str, *, write: bool = False) -> web.Response | None:
    subscription = arm.subscriptions.get(sub)
    if subscription is None:
        return _error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
    allowed = subscription.operators if write else subscription.readers | subscription.operators
    if request[CLIENT] not in allowed or action.lower().removesuffix("/read") in subscription.denied:
        return _error(403, "AuthorizationFailed",
                      f"The client '{request[CLIENT]}' with object id '{request[CLIENT]}' does not have "
                      f"authorization to perform action '{action}' over scope '/subscriptions/{sub}' or the scope "
                      "is invalid. If access was recently granted, please refresh your credentials.")
    return None


async def _token(arm, request: web.Request, tenant: str) -> web.Response:
    body = {k: v[0] for k, v in parse_qs(await request.text()).items()}
    clients = arm.tenants.get(tenant)
    if clients is None:
        return web.json_response({"error": "invalid_request", "error_codes": [90002], "error_description":
                                  f"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct "
                                  "tenant ID and are signing into the correct cloud."}, status=400)
    client = body.get("client_id", "")
    if client not in clients:
        return web.json_response({"error": "unauthorized_client", "error_codes": [700016], "error_description":
                                  f"AADSTS700016: Application with identifier '{client}' was not found in the "
                                  f"directory '{tenant}'."}, status=400)
    if body.get("client_secret") != clients[client] or body.get("grant_type") != "client_credentials":
        return web.json_response({"error": "invalid_client", "error_codes": [7000215], "error_description":
                                  "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in "
                                  f"the request is the client secret value, not the client secret ID, for a secret "
                                  f"added to app '{client}'."}, status=401)
    return web.json_response({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                              "access_token": arm.token_for(tenant, client)})


async def _subscriptions(arm, request: web.Request) -> web.Response:
    mine = [{"id": f"/subscriptions/{sid}", "subscriptionId": sid, "tenantId": request[TENANT],
             "displayName": s.name, "state": s.state} for sid, s in sorted(arm.subscriptions.items())
            if request[CLIENT] in s.readers | s.operators]
    return web.json_response(arm.page(mine, request))


async def _subscription(arm, request: web.Request, sub: str) -> web.Response:
    refused = _refused(arm, request, sub, "Microsoft.Resources/subscriptions/read")
    if refused:
        return refused
    s = arm.subscriptions[sub]
    return web.json_response({"id": f"/subscriptions/{sub}", "subscriptionId": sub, "displayName": s.name,
                              "state": s.state, "tenantId": request[TENANT]})


def _vm_json(vm, with_status: bool) -> dict:
    properties = {"hardwareProfile": {"vmSize": vm.size}, "provisioningState": "Succeeded", "priority": "Regular",
                  "storageProfile": {"osDisk": {"osType": "Linux", "name": f"{vm.name}-os", "createOption": "FromImage"}}}
    if with_status:
        properties["instanceView"] = _view(vm)
    return {"id": vm.id, "name": vm.name, "type": "Microsoft.Compute/virtualMachines", "location": vm.location,
            "tags": vm.tags, "properties": properties}


def _view(vm) -> dict:
    return {"statuses": [{"code": "ProvisioningState/succeeded", "level": "Info"},
                         {"code": f"PowerState/{vm.power}", "level": "Info"}]}


async def _vms(arm, request: web.Request, sub: str, _kind: str) -> web.Response:
    refused = _refused(arm, request, sub, "Microsoft.Compute/virtualMachines/read")
    if refused:
        return refused
    status = request.query.get("statusOnly") == "true"
    mine = [_vm_json(vm, status) for vm in arm.vms.values() if vm.subscription == sub]
    return web.json_response(arm.page(mine, request))


async def _list(arm, request: web.Request, sub: str, kind: str) -> web.Response:
    refused = _refused(arm, request, sub, f"{kind}/read")
    return refused or web.json_response(arm.page(arm.subscriptions[sub].resources.get(kind.lower(), []), request))


def _find_vm(arm, sub: str, group: str, name: str):
    for vm in arm.vms.values():
        if (vm.subscription.lower(), vm.group.lower(), vm.name.lower()) == (sub.lower(), group.lower(), name.lower()):
            return vm
    return None


async def _instance_view(arm, request: web.Request, sub: str, group: str, name: str) -> web.Response:
    vm = _find_vm(arm, sub, group, name)
    refused = _refused(arm, request, sub, "Microsoft.Compute/virtualMachines/read")
    if refused or vm is None:
        return refused or _error(404, "ResourceNotFound", f"The Resource 'Microsoft.Compute/virtualMachines/{name}' "
                                                          f"under resource group '{group}' was not found.")
    return web.json_response(_view(vm))


async def _power(arm, request: web.Request, sub: str, group: str, name: str, verb: str) -> web.Response:
    refused = _refused(arm, request, sub, f"Microsoft.Compute/virtualMachines/{verb.lower()}/action", write=True)
    vm = _find_vm(arm, sub, group, name)
    if refused or vm is None:
        return refused or _error(404, "ResourceNotFound", f"The Resource 'Microsoft.Compute/virtualMachines/{name}' "
                                                          f"under resource group '{group}' was not found.")
    target = "running" if verb.lower() == "start" else "deallocated"
    op = arm.new_operation(vm, target)
    vm.power = "starting" if target == "running" else "deallocating"
    url = (f"{arm.base}/subscriptions/{sub}/providers/Microsoft.Compute/locations/{vm.location}/operations/{op}"
           f"?api-version={request.query.get('api-version', '')}")
    return web.Response(status=202, headers={"Azure-AsyncOperation": url, "Retry-After": "0"})


async def _operation(arm, request: web.Request, sub: str, op: str) -> web.Response:
    state = arm.operations[op]
    if state[0] > 0:
        state[0] -= 1
        return web.json_response({"name": op, "status": "InProgress"}, headers={"Retry-After": "0"})
    vm, target = state[1], state[2]
    if vm.fails:
        vm.power = "stopped" if target == "running" else "running"
        return web.json_response({"name": op, "status": "Failed", "error": {
            "code": vm.fails, "message": f"Operation on {vm.name} failed: {vm.fails}."}})
    vm.power = target
    return web.json_response({"name": op, "status": "Succeeded"})


async def _metrics(arm, request: web.Request, sub: str, group: str, name: str) -> web.Response:
    refused = _refused(arm, request, sub, "Microsoft.Insights/metrics/read")
    if refused:
        return refused
    first, last = (_utc(t) for t in request.query["timespan"].split("/"))
    grain = _GRAINS[request.query.get("interval", "PT1M")]
    vm_id = _find_vm(arm, sub, group, name).id.lower()
    value = []
    for metric in request.query["metricnames"].split(","):
        buckets: dict[datetime, list[float]] = defaultdict(list)
        for at, number in arm.metrics.get((vm_id, metric), []):
            if first <= at < last:
                start = datetime.fromtimestamp(at.timestamp() // grain * grain, timezone.utc)
                buckets[start].append(number)
        data = [{"timeStamp": f"{at:%Y-%m-%dT%H:%M:%SZ}", "average": sum(v) / len(v), "total": sum(v)}
                for at, v in sorted(buckets.items())]
        value.append({"id": f"{vm_id}/providers/Microsoft.Insights/metrics/{metric}", "type": "Microsoft.Insights/metrics",
                      "name": {"value": metric, "localizedValue": metric}, "unit": "Percent",
                      "timeseries": [{"metadatavalues": [], "data": data}]})
    return web.json_response({"cost": 0, "timespan": request.query["timespan"], "interval": request.query["interval"],
                              "namespace": "Microsoft.Compute/virtualMachines", "resourceregion": "westeurope",
                              "value": value})


async def _costs(arm, request: web.Request, sub: str) -> web.Response:
    refused = _refused(arm, request, sub, "Microsoft.CostManagement/query/action")
    if refused:
        return refused
    body = json.loads(await request.text())
    dataset = body["dataset"]
    grouping = [g["name"] for g in dataset.get("grouping", [])]
    if dataset.get("granularity") != "Daily" or "ResourceId" not in grouping or len(grouping) > 2:
        return _error(400, "BadRequest", "Invalid query definition: Daily granularity, at most 2 groupings.")
    first, last = (_utc(body["timePeriod"][k]).date() for k in ("from", "to"))
    sums: dict[tuple, float] = defaultdict(float)
    for cost, day, resource, location, tags, currency in arm.subscriptions[sub].costs:
        if first <= datetime.strptime(str(day), "%Y%m%d").date() <= last:
            sums[(day, resource, location, json.dumps(tags), currency)] += cost
    with_tags = "Tags" in dataset.get("include", [])
    rows = [[cost, day, resource, location, *([json.loads(tags)] if with_tags else []), currency]
            for (day, resource, location, tags, currency), cost in sorted(sums.items())]
    names = ["Cost", "UsageDate", "ResourceId", "ResourceLocation", *(["Tags"] if with_tags else []), "Currency"]
    page = arm.page(rows, request)
    properties = {"nextLink": page.get("nextLink"), "rows": page["value"],
                  "columns": [{"name": n, "type": "Number" if n in ("Cost", "UsageDate") else "String"} for n in names]}
    return web.json_response({"id": f"subscriptions/{sub}/providers/Microsoft.CostManagement/query/q1", "name": "q1",
                              "type": "Microsoft.CostManagement/query", "properties": properties})


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
