"""A local fake of Google's OAuth token endpoint and of the Compute Engine, Cloud Monitoring and Resource Manager
REST APIs, enough for google-auth and google-api-python-client: service-account JWTs checked against the key's
public half, permissions per (service account, project), paged lists, start/stop as zone operations."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count

from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.integration import gcp_routes


@dataclass
class Instance:
    project: str
    zone: str
    name: str
    id: str
    status: str = "RUNNING"
    labels: dict[str, str] = field(default_factory=dict)
    machine_type: str = "e2-standard-2"
    fails: str = ""  # the error code an operation on it ends with

    def json(self, base: str) -> dict:
        zone_url = f"{base}/compute/v1/projects/{self.project}/zones/{self.zone}"
        return {"kind": "compute#instance", "id": self.id, "name": self.name, "zone": zone_url, "status": self.status,
                "machineType": f"{zone_url}/machineTypes/{self.machine_type}", "labels": self.labels,
                "scheduling": {"preemptible": False}, "selfLink": f"{zone_url}/instances/{self.name}"}


@dataclass
class Google:
    """What the fake knows; tests arrange it and read `requests` back."""

    base: str = ""
    keys: dict[str, object] = field(default_factory=dict)  # service account e-mail -> public key
    grants: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (e-mail, project) -> permissions
    instances: list[Instance] = field(default_factory=list)
    cpu: dict[str, list[tuple[datetime, float]]] = field(default_factory=dict)  # instance id -> utilisation 0..1
    page_size: int = 2
    polls: int = 1  # how often an operation is still RUNNING when waited for
    busy: bool = False
    requests: list[tuple[str, str]] = field(default_factory=list)
    operations: dict[str, list] = field(default_factory=dict)  # name -> [polls left, instance, target status]
    _ids: count = field(default_factory=lambda: count(1))

    def reset(self) -> None:
        base = self.base
        self.__init__()
        self.base = base

    def service_account(self, email: str, project: str) -> dict:
        """A new key for the account (its public half registered here): the JSON key file's content."""
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys[email] = private.public_key()
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        return {"type": "service_account", "project_id": project, "private_key_id": f"kid-{next(self._ids)}",
                "private_key": pem, "client_email": email, "client_id": "1234567890",
                "token_uri": f"{self.base}/token", "auth_uri": f"{self.base}/auth"}

    def grant(self, email: str, project: str, *permissions: str) -> None:
        self.grants.setdefault((email, project), set()).update(permissions)

    def add(self, instance: Instance) -> Instance:
        self.instances.append(instance)
        return instance

    def find(self, project: str, zone: str, name_or_id: str) -> Instance | None:
        return next((i for i in self.instances if (i.project, i.zone) == (project, zone)
                     and name_or_id in (i.name, i.id)), None)

    def verify(self, assertion: str) -> str | None:
        """The e-mail whose registered key signed the JWT, or None."""
        try:
            header, payload, signature = assertion.split(".")
            claims = json.loads(_unb64(payload))
            self.keys[claims["iss"]].verify(_unb64(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(),
                                            hashes.SHA256())
        except (ValueError, KeyError, InvalidSignature):
            return None
        return claims["iss"]

    def new_operation(self, instance: Instance, target: str) -> dict:
        name = f"operation-{next(self._ids)}"
        self.operations[name] = [self.polls, instance, target]
        return {"kind": "compute#operation", "name": name, "status": "RUNNING", "zone": instance.zone}


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def build_app(google: Google) -> web.Application:
    app = web.Application()
    app.add_routes(gcp_routes.routes(google))
    return app
