"""Organizations, members and roles."""

from __future__ import annotations

import re

from core import validate
from core.db import transaction
from core.errors import Conflict, InvalidInput
from core.models import Member, Organization, Pool, Role
from core.permissions import load_actor, require_org_manager
from core.services import lookup

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _email(field: str, value: str) -> str:
    email = (value or "").strip().lower()
    if len(email) > 255 or not _EMAIL.match(email):
        raise InvalidInput("invalid_email", field=field, value=value)
    return email


def currency_code(value: str, field: str = "currency") -> str:
    currency = (value or "").strip().upper()
    if not _CURRENCY.match(currency):
        raise InvalidInput("invalid_currency", field=field, value=currency)
    return currency


async def create_organization(*, name: str, manager_email: str, manager_name: str = "",
                              currency: str = "USD", is_demo: bool = False) -> tuple[Organization, Member]:
    """Create an organization with its root pool and its first org manager.

    Raises: InvalidInput (name, email, currency), Conflict (name taken).
    """
    name = validate.text("name", name)
    email = _email("manager_email", manager_email)
    currency = currency_code(currency)
    async with transaction():
        if await Organization.exists(name=name):
            raise Conflict("organization_exists", field="name", name=name)
        org = await Organization.create(name=name, currency=currency, is_demo=is_demo)
        await Pool.create(organization=org, parent=None, name=name)
        manager = await Member.create(organization=org, email=email, name=manager_name.strip()[:255], role=Role.ORG_MANAGER)
    return org, manager


async def root_pool(organization_id: int) -> Pool:
    return await Pool.get(organization_id=organization_id, parent_id=None)


async def add_member(*, actor_id: int, email: str, name: str = "", role: str = Role.ENGINEER.value) -> Member:
    """Invite a person into the actor's organization.

    Raises: PermissionDenied (not an org manager), InvalidInput, Conflict (already a member).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    email = _email("email", email)
    role = validate.choice("role", role, Role)
    async with transaction():
        if await Member.exists(organization_id=actor.organization_id, email=email):
            raise Conflict("member_exists", field="email", email=email)
        return await Member.create(organization_id=actor.organization_id, email=email, name=name.strip()[:255], role=role)


async def set_role(*, actor_id: int, member_id: int, role: str) -> Member:
    """Change a member's role; the last org manager cannot step down.

    Raises: PermissionDenied, NotFound, InvalidInput, Conflict (last org manager).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    role = validate.choice("role", role, Role)
    async with transaction():
        member = await lookup.member(member_id, actor.organization_id)
        if member.role == Role.ORG_MANAGER and role != Role.ORG_MANAGER:
            managers = await Member.filter(organization_id=actor.organization_id, role=Role.ORG_MANAGER).count()
            if managers == 1:
                raise Conflict("last_org_manager", field="role")
        member.role = role
        await member.save(update_fields=["role"])
        if role != Role.POOL_MANAGER:
            await member.managed_pools.clear()
    return member


async def grant_pool(*, actor_id: int, member_id: int, pool_id: int) -> Member:
    """Make a member manager of a pool (and so of its sub-pools); makes them a pool manager.

    Raises: PermissionDenied, NotFound, Conflict (an org manager already manages everything).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    async with transaction():
        member = await lookup.member(member_id, actor.organization_id)
        pool = await lookup.pool(pool_id, actor.organization_id)
        if member.role == Role.ORG_MANAGER:
            raise Conflict("already_org_manager", member=member.label)
        if member.role != Role.POOL_MANAGER:
            member.role = Role.POOL_MANAGER
            await member.save(update_fields=["role"])
        await member.managed_pools.add(pool)
    return member


async def revoke_pool(*, actor_id: int, member_id: int, pool_id: int) -> Member:
    """Take a pool away from a pool manager; with no pools left they become an engineer.

    Raises: PermissionDenied, NotFound.
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    async with transaction():
        member = await lookup.member(member_id, actor.organization_id)
        pool = await lookup.pool(pool_id, actor.organization_id)
        await member.managed_pools.remove(pool)
        if member.role == Role.POOL_MANAGER and not await member.managed_pools.all().exists():
            member.role = Role.ENGINEER
            await member.save(update_fields=["role"])
    return member
