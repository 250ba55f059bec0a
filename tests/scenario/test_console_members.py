"""Members through HTTP: invite and accept (expiry, reuse), role, pools, link codes and removal."""

import re
from datetime import timedelta

from core.clock import utcnow
from core.events import decode
from core.models import Booking, Member, OutboxMessage, Pool, Resource, Role
from core.services import bookings, environments, invites
from tests.scenario.console_world import PASSWORD, member_with_password, org_with_password, serve

INVITE_LINK = re.compile(r'value="http://console\.test(/invites/[\w-]+)"')


async def test_invite_a_member_who_accepts_in_another_browser(db):
    fx = await org_with_password()
    async with serve() as console:
        boss = await console.signed_in(fx.manager.email)
        page = await boss.submit("/members", "/members/invite", {"email": "New@Acme.test", "name": "Nia", "role": "pool_manager"})
        assert page.status == 200 and "new@acme.test is invited" in page.text
        link = INVITE_LINK.search(page.text).group(1)
        listed = await boss.get("/members")
        assert "new@acme.test" in listed.text and "invited" in listed.text
        newcomer = console.browser()
        accept = await newcomer.get(link)
        assert accept.status == 200 and "invited to <strong>Acme</strong>" in accept.text
        short = await newcomer.post(link, {"name": "Nia N.", "password": "short"})
        assert short.status == 400 and "at least 10" in short.error("password") and short.value("name") == "Nia N."
        done = await newcomer.post(link, {"name": "Nia N.", "password": PASSWORD})
        assert done.status == 303 and done.location == "/"
        assert "Welcome!" in (await newcomer.get("/")).text
        member = await Member.get(email="new@acme.test")
        assert (member.name, member.role) == ("Nia N.", Role.POOL_MANAGER)
        reused = console.browser()
        assert (await reused.get(link)).status == 404
        await reused.get("/signin")
        refused = await reused.post(link, {"password": "another password"})
        assert refused.status == 404 and "expired or was already used" in refused.text
        again = console.browser()
        await again.sign_in("new@acme.test")


async def test_an_expired_invite_is_refused_and_a_new_link_replaces_it(db):
    fx = await org_with_password()
    member, token, _ = await invites.invite(actor_id=fx.manager.id, email="late@acme.test", role="engineer",
                                         now=utcnow() - invites.INVITE_LIFETIME - timedelta(minutes=1))
    async with serve() as console:
        late = console.browser()
        page = await late.get(f"/invites/{token}")
        assert page.status == 404 and "expired or was already used" in page.text
        boss = await console.signed_in(fx.manager.email)
        await boss.get("/members")
        fresh = await boss.post(f"/members/{member.id}/invite")
        assert fresh.status == 200 and "New invite link" in fresh.text
        assert (await late.get(INVITE_LINK.search(fresh.text).group(1))).status == 200
        await boss.get("/members")
        has_password = await boss.post(f"/members/{fx.manager.id}/invite")
        assert has_password.status == 400 and "already set a password" in has_password.text


async def test_invite_failures_keep_the_input(db):
    fx = await org_with_password()
    async with serve() as console:
        boss = await console.signed_in(fx.manager.email)
        bad = await boss.submit("/members", "/members/invite", {"email": "nope", "name": "N", "role": "engineer"})
        assert bad.status == 400 and "is not an email address" in bad.text and bad.value("name") == "N"
        taken = await boss.post("/members/invite", {"email": "boss@acme.test", "name": "", "role": "engineer"})
        assert taken.status == 400 and "already a member" in taken.text
        role = await boss.post("/members/invite", {"email": "x@acme.test", "name": "", "role": "king"})
        assert role.status == 400 and "x@acme.test" in role.text
    assert not await Member.exists(email="x@acme.test")


async def test_change_role_grant_and_revoke_a_pool(db):
    fx = await org_with_password()
    dev = await Pool.create(organization=fx.org, parent=fx.root, name="Dev")
    eng = await member_with_password(fx, "eng@acme.test")
    async with serve() as console:
        boss = await console.signed_in(fx.manager.email)
        await boss.get("/members")
        granted = await boss.post(f"/members/{eng.id}/pools", {"pool_id": str(dev.id)})
        assert granted.status == 303 and granted.location == "/members"
        listed = await boss.get("/members")
        assert "now manages that pool" in listed.text and f"/members/{eng.id}/pools/{dev.id}/revoke" in listed.text
        assert (await Member.get(id=eng.id)).role == Role.POOL_MANAGER
        await boss.post(f"/members/{eng.id}/pools/{dev.id}/revoke")
        assert (await Member.get(id=eng.id)).role == Role.ENGINEER
        await boss.get("/members")
        await boss.post(f"/members/{eng.id}/role", {"role": "org_manager"})
        assert (await Member.get(id=eng.id)).role == Role.ORG_MANAGER
        assert "is now organization manager" in (await boss.get("/members")).text
        await boss.post(f"/members/{eng.id}/role", {"role": "engineer"})
        await boss.post(f"/members/{fx.manager.id}/role", {"role": "engineer"})
        last = await boss.get("/members")
        assert "last organization manager" in last.text
        await boss.post(f"/members/{eng.id}/role", {"role": "wizard"})
        assert "wizard" in (await boss.get("/members")).text
        await boss.post(f"/members/{eng.id}/pools", {"pool_id": "999999"})
        assert "No pool 999999" in (await boss.get("/members")).text
        await boss.post("/members/999999/role", {"role": "engineer"})
        assert "No member 999999" in (await boss.get("/members")).text


async def test_link_code_page(db):
    fx = await org_with_password()
    eng = await member_with_password(fx, "eng@acme.test")
    async with serve() as console:
        boss = await console.signed_in(fx.manager.email)
        await boss.get("/members")
        page = await boss.post(f"/members/{eng.id}/link-code")
        assert page.status == 200 and re.search(r"link [A-Z2-9]{4}-[A-Z2-9]{4}", page.text)


async def test_remove_a_member_keeps_resources_in_their_pool_and_cancels_upcoming_bookings(db):
    fx = await org_with_password()
    eng = await member_with_password(fx, "eng@acme.test")
    now = utcnow()
    vm = await Resource.create(organization=fx.org, pool=fx.root, owner=eng, cloud_resource_id="i-1", name="vm",
                               resource_type="instance", region="eu", first_seen=now, last_seen=now)
    env = await environments.create_environment(actor_id=fx.manager.id, pool_id=fx.root.id, name="staging")
    await bookings.create_booking(actor_id=eng.id, environment_id=env.id, starts_at=now + timedelta(days=1),
                                  ends_at=now + timedelta(days=2))
    async with serve() as console:
        person = console.browser()
        await person.sign_in("eng@acme.test")
        boss = await console.signed_in(fx.manager.email)
        confirm = await boss.get(f"/members/{eng.id}/remove")
        assert confirm.status == 200 and "1 resource they own" in confirm.text and "1 upcoming booking" in confirm.text
        done = await boss.post(f"/members/{eng.id}/remove")
        assert done.status == 303
        assert "is removed" in (await boss.get("/members")).text
        assert (await person.get("/")).location == "/signin"  # their session ends with them
        await boss.get("/members")
        await boss.post(f"/members/{fx.manager.id}/remove")
        assert "cannot remove yourself" in (await boss.get("/members")).text
    vm = await Resource.get(id=vm.id)
    assert vm.pool_id == fx.root.id and vm.owner_id is None
    assert not await Booking.exists(environment_id=env.id)
    notice = await OutboxMessage.get(event_type="booking_cancelled_member_removed")
    assert (notice.target_kind, notice.target_address) == ("member", str(fx.manager.id))
    assert "staging" in decode(notice.event_type, notice.payload).text()


async def test_an_invitee_the_bot_knows_is_linked_and_told_in_slack(db):
    from core.models import SlackUser, SlackUserLink
    from core.services import slack_links
    from tests.factories import make_org

    fx = await org_with_password()
    globex = await make_org("Globex", "pat@globex.test")
    await slack_links.bind_workspace(team_id="T0001", organization_id=fx.org.id)
    person = await SlackUser.create(team_id="T0001", slack_user_id="UPAT")
    await SlackUserLink.create(slack_user=person, member=globex.manager)
    async with serve() as console:
        boss = await console.signed_in(fx.manager.email)
        page = await boss.submit("/members", "/members/invite", {"email": "pat@globex.test", "name": "", "role": "engineer"})
        assert "also told them in Slack" in page.text
        unknown = await boss.submit("/members", "/members/invite", {"email": "sam@acme.test", "name": "", "role": "engineer"})
        assert "also told them in Slack" not in unknown.text
    pat = await Member.get(organization_id=fx.org.id, email="pat@globex.test")
    assert await SlackUserLink.exists(slack_user=person, member=pat)
    message = await OutboxMessage.get(event_type="member_invited")
    assert (message.target_kind, message.target_address) == ("member", str(pat.id))
    shown = decode(message.event_type, message.payload).text()
    assert "member of Acme in Cloudtuner, as engineer" in shown and "`console`" in shown
