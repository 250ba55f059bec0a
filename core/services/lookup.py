"""Load an object by id within one organization; an id from elsewhere is NotFound, as if it did not exist."""

from __future__ import annotations

from core.errors import NotFound
from core.models import Member, Pool, Resource


async def pool(pool_id: int, organization_id: int) -> Pool:
    found = await Pool.get_or_none(id=pool_id, organization_id=organization_id)
    if found is None:
        raise NotFound("pool_not_found", pool_id=pool_id)
    return found


async def member(member_id: int, organization_id: int) -> Member:
    found = await Member.get_or_none(id=member_id, organization_id=organization_id)
    if found is None:
        raise NotFound("member_not_found", member_id=member_id)
    return found


async def resource(resource_id: int, organization_id: int) -> Resource:
    found = await Resource.get_or_none(id=resource_id, organization_id=organization_id)
    if found is None:
        raise NotFound("resource_not_found", resource_id=resource_id)
    return found
