"""Slack identities: workspace binding, linking by verified email or a one-time code, the active organization."""

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from core.crypto import SecretBox
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import SlackLinkCode, SlackUser, SlackUserLink, SlackWorkspace
from core.services import orgs, slack_links
from tests.factories import make_member, make_org

BOX = SecretBox("k" * 40)
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


async def _counts() -> tuple[int, int, int]:
    return await SlackUser.all().count(), await SlackUserLink.all().count(), await SlackWorkspace.all().count()


async def test_bind_and_rebind_a_workspace(db):
    acme, globex = await make_org(), await make_org("Globex", "boss@globex.test")
    await slack_links.bind_workspace(team_id="t0001", organization_id=acme.org.id, team_name=" Acme ")
    assert (await slack_links.workspace_organization("T0001")).id == acme.org.id
    await slack_links.bind_workspace_by_name(team_id="T0001", organization="Globex")
    assert (await slack_links.workspace_organization("T0001")).id == globex.org.id
    assert await SlackWorkspace.all().count() == 1


@pytest.mark.parametrize("kwargs, error, code", [
    ({"team_id": "X123", "organization_id": 1}, InvalidInput, "slack_team_id_invalid"),
    ({"team_id": "T123", "organization_id": 999}, NotFound, "organization_not_found"),
])
async def test_binding_refuses_bad_input_and_writes_nothing(db, kwargs, error, code):
    await make_org()
    with pytest.raises(error) as err:
        await slack_links.bind_workspace(**kwargs)
    assert err.value.code == code and await SlackWorkspace.all().count() == 0


async def test_link_by_verified_email_in_the_workspaces_organization(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    await slack_links.bind_workspace(team_id="T0001", organization_id=fx.org.id)
    member = await slack_links.link_by_email(team_id="T0001", slack_user_id="U1", email=" ENG@acme.test",
                                             email_verified=True, timezone="Asia/Tokyo")
    assert member.id == eng.id
    assert (await slack_links.acting_member(team_id="T0001", slack_user_id="U1")).id == eng.id
    assert await slack_links.slack_timezone(team_id="T0001", slack_user_id="U1") == "Asia/Tokyo"
    again = await slack_links.link_by_email(team_id="T0001", slack_user_id="U1", email="eng@acme.test",
                                            email_verified=True)
    assert again.id == eng.id and await _counts() == (1, 1, 1)


@pytest.mark.parametrize("bound, email, verified, error, code", [
    (False, "eng@acme.test", True, Conflict, "slack_workspace_unbound"),
    (True, "", True, InvalidInput, "slack_email_missing"),
    (True, "eng@acme.test", False, InvalidInput, "slack_email_unverified"),
    (True, "nobody@acme.test", True, NotFound, "slack_no_member"),
])
async def test_linking_by_email_refuses_and_links_nothing(db, bound, email, verified, error, code):
    fx = await make_org()
    await make_member(fx, "eng@acme.test")
    if bound:
        await slack_links.bind_workspace(team_id="T0001", organization_id=fx.org.id)
    with pytest.raises(error) as err:
        await slack_links.link_by_email(team_id="T0001", slack_user_id="U1", email=email, email_verified=verified)
    assert err.value.code == code
    assert await _counts() == (0, 0, int(bound))


async def test_email_links_only_to_the_bound_organization(db):
    acme, globex = await make_org(), await make_org("Globex", "boss@globex.test")
    await make_member(globex, "eng@acme.test")
    await slack_links.bind_workspace(team_id="T0001", organization_id=acme.org.id)
    with pytest.raises(NotFound):
        await slack_links.link_by_email(team_id="T0001", slack_user_id="U1", email="eng@acme.test", email_verified=True)


async def test_a_link_code_works_once_within_a_day_and_only_org_managers_issue_it(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    with pytest.raises(PermissionDenied):
        await slack_links.issue_link_code(box=BOX, actor_id=eng.id, member_id=eng.id)
    with pytest.raises(NotFound):
        await slack_links.issue_link_code(box=BOX, actor_id=fx.manager.id, member_id=999)
    assert await SlackLinkCode.all().count() == 0
    code = await slack_links.issue_link_code(box=BOX, actor_id=fx.manager.id, member_id=eng.id, now=NOW)
    assert len(code) == 9 and code[4] == "-"
    stored = await SlackLinkCode.get()
    assert code.replace("-", "") not in stored.code_hash
    member = await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U9", code=code.lower().replace("-", " "),
                                                now=NOW + timedelta(hours=1))
    assert member.id == eng.id
    with pytest.raises(NotFound) as err:
        await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U8", code=code, now=NOW + timedelta(hours=2))
    assert err.value.code == "link_code_invalid"


async def test_a_link_code_is_kept_as_a_keyed_hash_a_copy_of_the_database_cannot_be_searched_for(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    code = await slack_links.issue_link_code(box=BOX, actor_id=fx.manager.id, member_id=eng.id, now=NOW)
    stored = (await SlackLinkCode.get()).code_hash
    assert stored not in {hashlib.sha256(code.replace("-", "").encode()).hexdigest(),
                          hashlib.sha256(code.encode()).hexdigest()}
    with pytest.raises(NotFound):  # the same code under another process secret matches nothing
        await slack_links.redeem_link_code(box=SecretBox("o" * 40), team_id="T0009", slack_user_id="U9", code=code,
                                           now=NOW)
    member = await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U9", code=code, now=NOW)
    assert member.id == eng.id


async def test_wrong_link_codes_are_limited_per_slack_person_for_an_hour(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    code = await slack_links.issue_link_code(box=BOX, actor_id=fx.manager.id, member_id=eng.id, now=NOW)
    for minute in range(slack_links.WRONG_CODES_ALLOWED):
        with pytest.raises(NotFound):
            await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U9", code=f"WRONG{minute:03d}",
                                               now=NOW + timedelta(minutes=minute))
    with pytest.raises(Conflict) as err:  # even the right code waits: guessing is stopped, not just slowed
        await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U9", code=code,
                                           now=NOW + timedelta(minutes=10))
    assert err.value.code == "link_code_attempts_exceeded"
    assert str(err.value).endswith("try again in 50 minutes.")
    assert (await SlackLinkCode.get()).used_at is None
    other = await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U8", code=code,
                                               now=NOW + timedelta(minutes=10))  # someone else is not held up
    assert other.id == eng.id
    code = await slack_links.issue_link_code(box=BOX, actor_id=fx.manager.id, member_id=eng.id, now=NOW)
    member = await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U9", code=code,
                                                now=NOW + timedelta(minutes=61))  # the first wrong one has aged out
    assert member.id == eng.id


async def test_an_expired_link_code_is_refused(db):
    fx = await make_org()
    eng = await make_member(fx, "eng@acme.test")
    code = await slack_links.issue_link_code(box=BOX, actor_id=fx.manager.id, member_id=eng.id, now=NOW)
    with pytest.raises(NotFound):
        await slack_links.redeem_link_code(box=BOX, team_id="T0009", slack_user_id="U9", code=code, now=NOW + timedelta(days=1))
    assert await _counts() == (0, 0, 0) and (await SlackLinkCode.get()).used_at is None


async def test_choose_between_organizations(db):
    acme, globex = await make_org(), await make_org("Globex", "boss@globex.test")
    acme_eng = await make_member(acme, "eng@acme.test")
    globex_eng = await orgs.add_member(actor_id=globex.manager.id, email="e@globex.test")
    await slack_links.bind_workspace(team_id="T0001", organization_id=acme.org.id)
    await slack_links.link_by_email(team_id="T0001", slack_user_id="U1", email="eng@acme.test", email_verified=True)
    code = await slack_links.issue_link_code(box=BOX, actor_id=globex.manager.id, member_id=globex_eng.id)
    await slack_links.redeem_link_code(box=BOX, team_id="T0001", slack_user_id="U1", code=code)
    links = await slack_links.links_of(team_id="T0001", slack_user_id="U1")
    assert [(link.organization.name, link.active) for link in links] == [("Acme", False), ("Globex", True)]
    chosen = await slack_links.choose_organization(team_id="T0001", slack_user_id="U1", organization_id=acme.org.id)
    assert chosen.id == acme_eng.id
    assert (await slack_links.acting_member(team_id="T0001", slack_user_id="U1")).id == acme_eng.id
    other, _ = await orgs.create_organization(name="Other", manager_email="x@other.test")
    with pytest.raises(NotFound) as err:
        await slack_links.choose_organization(team_id="T0001", slack_user_id="U1", organization_id=other.id)
    assert err.value.code == "slack_not_a_member_of"
    assert (await slack_links.acting_member(team_id="T0001", slack_user_id="U1")).id == acme_eng.id


async def test_an_installer_binds_the_workspace_only_when_they_manage_exactly_one_organization(db):
    await make_org()
    globex = await make_org("Globex", "boss@globex.test")
    await orgs.add_member(actor_id=globex.manager.id, email="boss@acme.test", role="org_manager")
    assert await slack_links.bind_for_installer(team_id="T0001", email="boss@acme.test", email_verified=True) is None
    org = await slack_links.bind_for_installer(team_id="T0001", email="boss@acme.test", email_verified=True,
                                               organization_id=globex.org.id)
    assert org.id == globex.org.id
    assert await slack_links.bind_for_installer(team_id="T0002", email="boss@globex.test", email_verified=False) is None
    assert (await slack_links.bind_for_installer(team_id="T0002", email="boss@globex.test", email_verified=True)).id == \
        globex.org.id
    assert await SlackWorkspace.all().count() == 2


async def test_unknown_slack_time_zones_fall_back_to_utc(db):
    fx = await make_org()
    await slack_links.bind_workspace(team_id="T0001", organization_id=fx.org.id)
    await slack_links.link_by_email(team_id="T0001", slack_user_id="U1", email="boss@acme.test", email_verified=True,
                                    timezone="Mars/Olympus")
    assert await slack_links.slack_timezone(team_id="T0001", slack_user_id="U1") == "UTC"
    await slack_links.remember_timezone(team_id="T0001", slack_user_id="U1", timezone="Europe/Paris")
    assert await slack_links.slack_timezone(team_id="T0001", slack_user_id="U2") == "UTC"
    assert await slack_links.slack_timezone(team_id="T0001", slack_user_id="U1") == "Europe/Paris"
