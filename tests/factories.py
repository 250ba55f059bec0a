"""Builders of test data through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from core.models import Member, Organization, Pool, Resource
from core.services import orgs


SEEN = datetime(2024, 1, 1, tzinfo=timezone.utc)  # when factory-made resources were first and last seen


@dataclass
class OrgFixture:
    org: Organization
    root: Pool
    manager: Member


async def make_org(name: str = "Acme", email: str = "boss@acme.test") -> OrgFixture:
    org, manager = await orgs.create_organization(name=name, manager_email=email, manager_name="Boss")
    return OrgFixture(org=org, root=await orgs.root_pool(org.id), manager=manager)


async def make_member(fx: OrgFixture, email: str, role: str = "engineer") -> Member:
    return await orgs.add_member(actor_id=fx.manager.id, email=email, name=email.split("@")[0], role=role)


async def make_resource(fx: OrgFixture, name: str, *, pool: Pool | None = None, owner: Member | None = None,
                        cloud_resource_id: str | None = None, **extra) -> Resource:
    """A discovered instance (named `name`, id `cloud_resource_id` or the name) in the pool, else the root pool."""
    extra = {"resource_type": "instance", "first_seen": SEEN, "last_seen": SEEN, **extra}
    return await Resource.create(organization=fx.org, pool=pool or fx.root, owner=owner, name=name,
                                 cloud_resource_id=cloud_resource_id or name, **extra)
