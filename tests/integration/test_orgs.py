import pytest

from core.errors import Conflict, InvalidInput, PermissionDenied
from core.models import Member, Organization, Pool, Role
from core.services import orgs
from tests.factories import make_member, make_org


async def test_create_organization_makes_root_pool_and_manager(db):
    fx = await make_org()
    assert fx.root.name == "Acme" and fx.root.parent_id is None
    assert fx.manager.role == Role.ORG_MANAGER
    assert fx.org.currency == "USD"


@pytest.mark.parametrize("kwargs, code", [
    ({"name": " ", "manager_email": "a@b.co"}, "blank_value"),
    ({"name": "X", "manager_email": "not-an-email"}, "invalid_email"),
    ({"name": "X", "manager_email": "a@b.co", "currency": "dollars"}, "invalid_currency"),
])
async def test_create_organization_rejects_bad_input_and_writes_nothing(db, kwargs, code):
    with pytest.raises(InvalidInput) as err:
        await orgs.create_organization(**kwargs)
    assert err.value.code == code
    assert await Organization.all().count() == 0 and await Pool.all().count() == 0


async def test_duplicate_organization_name_is_a_conflict(db):
    await make_org()
    with pytest.raises(Conflict) as err:
        await make_org(email="other@acme.test")
    assert err.value.code == "organization_exists"
    assert await Member.all().count() == 1


async def test_only_org_managers_add_members(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    with pytest.raises(PermissionDenied):
        await orgs.add_member(actor_id=eng.id, email="x@acme.test")
    with pytest.raises(Conflict):
        await make_member(fx, "ENG@acme.test")


async def test_last_org_manager_cannot_step_down(db):
    fx = await make_org()
    with pytest.raises(Conflict) as err:
        await orgs.set_role(actor_id=fx.manager.id, member_id=fx.manager.id, role="engineer")
    assert err.value.code == "last_org_manager"
    other = await make_member(fx, "two@acme.test", role="org_manager")
    await orgs.set_role(actor_id=other.id, member_id=fx.manager.id, role="engineer")
    assert (await Member.get(id=fx.manager.id)).role == Role.ENGINEER


async def test_grant_and_revoke_pool(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    member = await orgs.grant_pool(actor_id=fx.manager.id, member_id=eng.id, pool_id=fx.root.id)
    assert member.role == Role.POOL_MANAGER
    member = await orgs.revoke_pool(actor_id=fx.manager.id, member_id=eng.id, pool_id=fx.root.id)
    assert member.role == Role.ENGINEER
