"""The organization a member belongs to, its settings and its Slack workspaces, for the console."""

from __future__ import annotations

from core.models import Organization, SlackWorkspace
from core.permissions import load_actor, require_org_manager


async def organization_of(*, member_id: int) -> Organization:
    """Raises: NotFound (member)."""
    actor = await load_actor(member_id)
    return await Organization.get(id=actor.organization_id)


async def managed_organization(*, actor_id: int) -> Organization:
    """The actor's organization, for its settings pages. Raises: PermissionDenied (not an org manager), NotFound."""
    actor = await load_actor(actor_id)
    require_org_manager(actor)
    return await Organization.get(id=actor.organization_id)


async def slack_workspaces(*, organization_id: int) -> list[SlackWorkspace]:
    return await SlackWorkspace.filter(organization_id=organization_id).order_by("team_name", "id")
