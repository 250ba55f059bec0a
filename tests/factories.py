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



async def make_pool(fx: OrgFixture, name: str, parent: Pool | None = None, **extra) -> Pool:
    return await Pool.create(organization=fx.org, parent=parent or fx.root, name=name, **extra)


async def make_pool_manager(fx: OrgFixture, email: str, pool: Pool) -> Member:
    member = await make_member(fx, email)
    return await orgs.grant_pool(actor_id=fx.manager.id, member_id=member.id, pool_id=pool.id)


async def make_resource(pool: Pool, name: str, *, owner: Member | None = None, cloud_resource_id: str | None = None,
                        **extra) -> Resource:
    """A discovered instance named `name` (its cloud id `cloud_resource_id`, else the name) in the pool's
    organization, seen at SEEN unless `first_seen`/`last_seen` say otherwise."""
    extra = {"resource_type": "instance", "first_seen": SEEN, "last_seen": SEEN, **extra}
    return await Resource.create(organization_id=pool.organization_id, pool=pool, owner=owner, name=name,
                                 cloud_resource_id=cloud_resource_id or name, **extra)
