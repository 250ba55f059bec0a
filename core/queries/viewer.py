"""Who is looking at a read: the member and the pools they manage, so read models can say what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import NotFound
from core.models import Role
from core.permissions import load_actor, organization_pools_managed


@dataclass(frozen=True)
class Viewer:
    member_id: int
    role: Role
    managed: frozenset[int]  # ids of the pools the member manages (core.permissions' rule)

    def manages(self, pool_id: int) -> bool:
        return pool_id in self.managed


async def viewer(*, organization_id: int, member_id: int) -> Viewer:
    """The member of the organization who reads, in a fixed number of queries.

    Raises: NotFound (no such member in the organization).
    """
    actor = await load_actor(member_id)
    if actor.organization_id != organization_id:
        raise NotFound("member_not_found", member_id=member_id)
    return Viewer(member_id=actor.id, role=actor.role, managed=await organization_pools_managed(actor))
