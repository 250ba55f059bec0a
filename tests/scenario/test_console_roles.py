"""An engineer (and a pool manager) gets 403 on every manager page and action; nothing changes."""

import pytest

from core.models import Member, Organization, Pool, Role, SlackWorkspace
from core.services import orgs
from tests.scenario.console_world import member_with_password, org_with_password, serve


def _manager_requests(member_id: int, pool_id: int) -> list[tuple[str, str, dict]]:
    m = f"/members/{member_id}"
    return [
        ("get", "/members", {}), ("get", f"{m}/remove", {}), ("get", "/settings/organization", {}),
        ("get", "/settings/slack", {}),
        ("post", "/members/invite", {"email": "x@acme.test", "name": "", "role": "org_manager"}),
        ("post", f"{m}/invite", {}), ("post", f"{m}/link-code", {}), ("post", f"{m}/role", {"role": "engineer"}),
        ("post", f"{m}/pools", {"pool_id": str(pool_id)}), ("post", f"{m}/pools/{pool_id}/revoke", {}),
        ("post", f"{m}/remove", {}),
        ("post", "/settings/organization", {"name": "Mine", "currency": "EUR", "timezone": "UTC"}),
        ("post", "/settings/slack/bind", {"team_id": "T0BAD", "team_name": "Evil"}),
    ]


@pytest.mark.parametrize("role", [Role.ENGINEER.value, Role.POOL_MANAGER.value])
async def test_non_managers_get_403_on_every_manager_page_and_action(db, role):
    fx = await org_with_password()
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev")
    person = await member_with_password(fx, "eng@acme.test")
    if role == Role.POOL_MANAGER.value:
        await orgs.grant_pool(actor_id=fx.manager.id, member_id=person.id, pool_id=dev.id)
    async with serve() as console:
        browser = console.browser()
        await browser.sign_in("eng@acme.test")
        home = await browser.get("/")
        assert home.status == 200
        assert 'href="/members"' not in home.text and 'href="/settings/slack"' not in home.text
        for method, path, data in _manager_requests(fx.manager.id, dev.id):
            page = await (browser.get(path) if method == "get" else browser.post(path, data))
            assert page.status == 403, (method, path, page.status)
            assert "Not allowed" in page.text
    assert await Member.filter(organization_id=fx.org.id).count() == 2
    assert (await Member.get(id=fx.manager.id)).role == Role.ORG_MANAGER
    assert (await Organization.get(id=fx.org.id)).name == "Acme"
    assert not await SlackWorkspace.exists()


async def test_signed_out_visitors_are_sent_to_sign_in(db):
    fx = await org_with_password()
    async with serve() as console:
        browser = console.browser()
        for method, path, data in _manager_requests(fx.manager.id, fx.root.id):
            await browser.get("/signin")
            page = await (browser.get(path) if method == "get" else browser.post(path, data))
            assert page.status == 303 and page.location == "/signin", (method, path)
