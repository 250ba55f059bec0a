"""The request handlers of the fake Google APIs (see gcp_fake)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timezone
from urllib.parse import parse_qs

from aiohttp import web

EMAIL = web.RequestKey("email", str)
_ROUTES = [
    ("GET", r"^/v1/projects$", "_projects"),
    ("GET", r"^/compute/v1/projects/([^/]+)/aggregated/instances$", "_aggregated"),
    ("GET", r"^/compute/v1/projects/([^/]+)/zones/([^/]+)/instances/([^/]+)$", "_instance"),
    ("POST", r"^/compute/v1/projects/([^/]+)/zones/([^/]+)/instances/([^/]+)/(start|stop)$", "_power"),
    ("POST", r"^/compute/v1/projects/([^/]+)/zones/([^/]+)/operations/([^/]+)/wait$", "_wait"),
    ("GET", r"^/v3/projects/([^/]+)/timeSeries$", "_time_series"),
]


def routes(google) -> list[web.RouteDef]:
    table = [(method, re.compile(pattern), globals()[name]) for method, pattern, name in _ROUTES]

    async def dispatch(request: web.Request) -> web.StreamResponse:
        google.requests.append((request.method, request.path))
        if request.path == "/token" and request.method == "POST":
            return await _token(google, request)
        if google.busy:
            return error(503, "The service is currently unavailable.", "backendError")
        email = authenticated(google, request)
        if email is None:
            return error(401, "Request had invalid authentication credentials.", "authError")
        request[EMAIL] = email
        for method, pattern, handler in table:
            found = pattern.match(request.path)
            if method == request.method and found:
                return await handler(google, request, *found.groups())
        return error(404, f"The requested URL {request.path} was not found.", "notFound")

    return [web.route("*", "/{tail:.*}", dispatch)]


def authenticated(google, request: web.Request) -> str | None:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    email = token.removeprefix("fake-token.")
    return email if token.startswith("fake-token.") and email in google.keys else None


def error(status: int, message: str, reason: str) -> web.Response:
    return web.json_response({"error": {"code": status, "message": message,
                                        "errors": [{"message": message, "domain": "global", "reason": reason}]}},
                             status=status)


def refused(google, request: web.Request, project: str, permission: str) -> web.Response | None:
    if permission in google.grants.get((request[EMAIL], project), set()):
        return None
    return error(403, f"Required '{permission}' permission for 'projects/{project}'", "forbidden")


async def _token(google, request: web.Request) -> web.Response:
    body = {k: v[0] for k, v in parse_qs(await request.text()).items()}
    email = google.verify(body.get("assertion", ""))
    if body.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" or email is None:
        return web.json_response({"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
                                 status=400)
    return web.json_response({"access_token": f"fake-token.{email}", "expires_in": 3599, "token_type": "Bearer"})


def _page(google, request: web.Request, items: list) -> tuple[list, dict]:
    start = int(request.query.get("pageToken", "0"))
    more = {"nextPageToken": str(start + google.page_size)} if start + google.page_size < len(items) else {}
    return items[start:start + google.page_size], more


async def _projects(google, request: web.Request) -> web.Response:
    mine = sorted({p for (email, p), perms in google.grants.items()
                   if email == request[EMAIL] and "resourcemanager.projects.get" in perms})
    if not mine:
        return error(403, "The caller does not have permission resourcemanager.projects.get", "forbidden")
    items, more = _page(google, request, [{"projectId": p, "lifecycleState": "ACTIVE"} for p in mine])
    return web.json_response({"projects": items, **more})


async def _aggregated(google, request: web.Request, project: str) -> web.Response:
    denied = refused(google, request, project, "compute.instances.list")
    if denied:
        return denied
    items, more = _page(google, request, [i for i in google.instances if i.project == project])
    scopes: dict[str, dict] = defaultdict(lambda: {"instances": []})
    for instance in items:
        scopes[f"zones/{instance.zone}"]["instances"].append(instance.json(google.base))
    return web.json_response({"kind": "compute#instanceAggregatedList", "items": dict(scopes), **more})


async def _instance(google, request: web.Request, project: str, zone: str, name: str) -> web.Response:
    denied = refused(google, request, project, "compute.instances.get")
    instance = google.find(project, zone, name)
    if denied or instance is None:
        return denied or error(404, f"The resource 'projects/{project}/zones/{zone}/instances/{name}' was not found",
                               "notFound")
    return web.json_response(instance.json(google.base))


async def _power(google, request: web.Request, project: str, zone: str, name: str, verb: str) -> web.Response:
    denied = refused(google, request, project, f"compute.instances.{verb}")
    instance = google.find(project, zone, name)
    if denied or instance is None:
        return denied or error(404, f"The resource 'projects/{project}/zones/{zone}/instances/{name}' was not found",
                               "notFound")
    instance.status = "STAGING" if verb == "start" else "STOPPING"
    return web.json_response(google.new_operation(instance, "RUNNING" if verb == "start" else "TERMINATED"))


async def _wait(google, request: web.Request, project: str, zone: str, name: str) -> web.Response:
    state = google.operations[name]
    answer = {"kind": "compute#operation", "name": name, "zone": zone}
    if state[0] > 0:
        state[0] -= 1
        return web.json_response({**answer, "status": "RUNNING"})
    instance, target = state[1], state[2]
    if instance.fails:
        instance.status = "TERMINATED" if target == "RUNNING" else "RUNNING"
        return web.json_response({**answer, "status": "DONE", "error": {"errors": [
            {"code": instance.fails, "message": f"The zone '{zone}' does not have enough resources available."}]}})
    instance.status = target
    return web.json_response({**answer, "status": "DONE"})


async def _time_series(google, request: web.Request, project: str) -> web.Response:
    denied = refused(google, request, project, "monitoring.timeSeries.list")
    if denied:
        return denied
    wanted = re.findall(r'"(\d+)"', request.query["filter"].split("one_of(", 1)[1])
    first, last = (_utc(request.query[f"interval.{k}"]) for k in ("startTime", "endTime"))
    period = int(request.query["aggregation.alignmentPeriod"].rstrip("s"))
    series = []
    for instance in (i for i in google.instances if i.project == project and i.id in wanted):
        buckets: dict[int, list[float]] = defaultdict(list)
        for at, value in google.cpu.get(instance.id, []):
            if first <= at < last:
                buckets[int(at.timestamp()) // period * period + period].append(value)
        points = [{"interval": {"startTime": _iso(end), "endTime": _iso(end)},
                   "value": {"doubleValue": sum(v) / len(v)}} for end, v in sorted(buckets.items(), reverse=True)]
        series.append({"metric": {"type": "compute.googleapis.com/instance/cpu/utilization"},
                       "resource": {"type": "gce_instance", "labels": {"project_id": project, "zone": instance.zone,
                                                                        "instance_id": instance.id}},
                       "metricKind": "GAUGE", "valueType": "DOUBLE", "points": points})
    return web.json_response({"timeSeries": series} if series else {})


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
