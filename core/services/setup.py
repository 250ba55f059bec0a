"""First run: the organization and its first manager with a password, once; and the organization's settings."""

from __future__ import annotations

from core import validate
from core.db import transaction
from core.errors import Conflict
from core.models import Member, Organization
from core.permissions import load_actor, require_org_manager
from core.services import orgs, passwords


async def needed() -> bool:
    """Whether no (real, non-demo) organization exists yet, so the console offers its setup page."""
    return not await Organization.filter(is_demo=False).exists()


async def set_up(*, name: str, currency: str, timezone: str, manager_name: str, manager_email: str,
                 password: str) -> Member:
    """Create the first organization and its first organization manager, who signs in with the password.

    Raises: Conflict (setup_closed once an organization exists; organization_exists), InvalidInput.
    """
    password_hash = await passwords.hashed(password)
    timezone = validate.timezone_name("timezone", (timezone or "").strip())
    async with transaction():
        if not await needed():
            raise Conflict("setup_closed")
        org, manager = await orgs.create_organization(name=name, manager_email=manager_email,
                                                      manager_name=manager_name, currency=currency)
        await Organization.filter(id=org.id).update(timezone=timezone)
        await passwords.store(manager.id, password_hash)
    return manager


async def update_organization(*, actor_id: int, name: str, currency: str, timezone: str) -> Organization:
    """Rename the organization, change its currency or default time zone (org managers).

    Raises: PermissionDenied, InvalidInput, Conflict (organization_exists).
    """
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    name = validate.text("name", name)
    currency = orgs.currency_code(currency)
    timezone = validate.timezone_name("timezone", (timezone or "").strip())
    async with transaction():
        if await Organization.filter(name=name).exclude(id=actor.organization_id).exists():
            raise Conflict("organization_exists", field="name", name=name)
        await Organization.filter(id=actor.organization_id).update(name=name, currency=currency, timezone=timezone)
        return await Organization.get(id=actor.organization_id)
