"""Nothing a client sends makes the console fail: oversized, odd and missing values get an answer, never a 500."""

import pytest

from tests.scenario.console_world import org_with_password, serve

ODD = ["x" * 5000, "\x00", "../../etc/passwd", "é" * 300, "  ", "1e309", "<script>alert(1)</script>"]


@pytest.mark.parametrize("value", ODD)
async def test_odd_values_in_every_form_get_an_answer(db, value):
    fx = await org_with_password()
    async with serve() as console:
        boss = await console.signed_in(fx.manager.email)
        await boss.get("/members")
        forms = [("/members/invite", {"email": value, "name": value, "role": value}),
                 ("/members/invite", {"email": value + "@acme.test", "name": value, "role": "engineer"}),
                 ("/settings/organization", {"name": value, "currency": value, "timezone": value}),
                 ("/settings/slack/bind", {"team_id": value, "team_name": value}),
                 (f"/members/{fx.manager.id}/role", {"role": value}),
                 (f"/members/{fx.manager.id}/pools", {"pool_id": value}),
                 ("/signin", {"email": value, "password": value}),
                 (f"/invites/{value[:200]}", {"password": value}),
                 (f"/signin/link/{value[:200]}", {})]
        for path, data in forms:
            page = await boss.post(path, data)
            assert page.status < 500, (path, page.status, page.text[-400:])
            assert "<script>" not in page.text
        for path in (f"/members?offset={value}", f"/invites/{value[:200]}", f"/members/{value[:50]}/remove"):
            assert (await boss.get(path)).status < 500
