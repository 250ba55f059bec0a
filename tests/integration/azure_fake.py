"""A local HTTPS fake of Azure Resource Manager and of the Entra ID token endpoint, enough for the real
azure-mgmt clients: sign-in with a client secret, role checks per subscription, paged lists, virtual
machines whose start/deallocate are long-running operations (202 + Azure-AsyncOperation, Retry-After: 0),
Azure Monitor metrics and the Cost Management query API with nextLink paging."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count
from urllib.parse import urlencode

from aiohttp import web

from tests.integration import azure_routes


@dataclass
class Vm:
    subscription: str
    group: str
    name: str
    location: str = "westeurope"
    size: str = "Standard_B2s"
    power: str = "running"  # running | stopped (allocated) | deallocated
    tags: dict[str, str] = field(default_factory=dict)
    fails: str = ""  # the error code an operation on it ends with

    @property
    def id(self) -> str:
        return (f"/subscriptions/{self.subscription}/resourceGroups/{self.group}/providers/"
                f"Microsoft.Compute/virtualMachines/{self.name}")


@dataclass
class Subscription:
    name: str
    readers: set[str] = field(default_factory=set)  # client ids with the Reader role
    operators: set[str] = field(default_factory=set)  # client ids allowed to start and deallocate
    state: str = "Enabled"
    denied: set[str] = field(default_factory=set)  # lower-case list paths refused despite the role
    resources: dict[str, list[dict]] = field(default_factory=dict)  # list path -> ARM objects
    costs: list[list] = field(default_factory=list)  # query rows: cost, day, resource id, location, tags, currency


@dataclass
class Arm:
    """What the fake knows; tests arrange it and read `requests` back."""

    base: str = ""
    tenants: dict[str, dict[str, str]] = field(default_factory=dict)  # tenant -> client id -> secret
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    vms: dict[str, Vm] = field(default_factory=dict)  # lower-case id -> vm
    metrics: dict[tuple[str, str], list[tuple[datetime, float]]] = field(default_factory=dict)
    page_size: int = 2
    polls: int = 2  # how often an operation answers InProgress before it ends
    busy: bool = False  # every ARM call answers 503
    requests: list[tuple[str, str]] = field(default_factory=list)
    operations: dict[str, list] = field(default_factory=dict)  # id -> [polls left, vm, target power]
    _ids: count = field(default_factory=lambda: count(1))

    def reset(self) -> None:
        base = self.base
        self.__init__()
        self.base = base

    def add_tenant(self, tenant: str, client: str, secret: str) -> None:
        self.tenants.setdefault(tenant, {})[client] = secret

    def add_subscription(self, subscription: str, name: str, *, readers=(), operators=()) -> Subscription:
        self.subscriptions[subscription] = Subscription(name, set(readers), set(operators))
        return self.subscriptions[subscription]

    def add_vm(self, vm: Vm) -> Vm:
        self.vms[vm.id.lower()] = vm
        return vm

    def add(self, subscription: str, kind: str, group: str, name: str, **properties) -> str:
        """A disk, snapshot or public IP (kind: the provider path, e.g. "Microsoft.Compute/disks")."""
        rid = f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{kind}/{name}"
        item = {"id": rid, "name": name, "type": kind, "location": properties.pop("location", "westeurope"),
                "tags": properties.pop("tags", {}), "properties": properties}
        extra = {k: properties.pop(k) for k in ("sku", "managedBy") if k in properties}
        self.subscriptions[subscription].resources.setdefault(kind.lower(), []).append({**item, **extra})
        return rid

    def add_cost(self, subscription: str, day: date, resource: str, cost: str, *, location: str = "westeurope",
                 tags: dict[str, str] | None = None, currency: str = "USD") -> None:
        tag_list = [f"{json.dumps(k)}:{json.dumps(v)}" for k, v in (tags or {}).items()]
        self.subscriptions[subscription].costs.append(
            [float(cost), int(f"{day:%Y%m%d}"), resource.lower(), location, tag_list, currency])

    def token_for(self, tenant: str, client: str) -> str:
        return f"fake.{tenant}.{client}"

    def new_operation(self, vm: Vm, power: str) -> str:
        op = f"op-{next(self._ids)}"
        self.operations[op] = [self.polls, vm, power]
        return op

    def page(self, items: list, request: web.Request) -> dict:
        """One page of a list; nextLink carries the offset like ARM's $skiptoken."""
        skip = int(request.query.get("$skiptoken", "0"))
        answer: dict = {"value": items[skip:skip + self.page_size]}
        if skip + self.page_size < len(items):
            query = {**{k: v for k, v in request.query.items()}, "$skiptoken": str(skip + self.page_size)}
            answer["nextLink"] = f"{self.base}{request.path}?{urlencode(query)}"
        return answer


def build_app(arm: Arm) -> web.Application:
    app = web.Application(middlewares=[azure_routes.record(arm)])
    app.add_routes(azure_routes.routes(arm))
    return app
