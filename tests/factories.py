"""Builders of test data through the real services."""

from __future__ import annotations

from dataclasses import dataclass

from core.models import Member, Organization, Pool
from core.services import orgs


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
