"""One-time sign-in links: the bot's `console` command makes one; it signs in once, within minutes."""

import re
from datetime import timedelta

from core.clock import utcnow
from core.models import OneTimeToken
from core.services import auth
from tests.scenario.console_world import serve
from tests.scenario.slack_fake import CONSOLE, texts
from tests.scenario.slack_world import ENGINEER, make_world


async def test_the_bot_sends_a_linked_person_a_sign_in_link_that_works_once(db, slack):
    world = await make_world(slack.fake)
    status, _, url = await slack.command(ENGINEER, "console")
    assert status == 200
    answer = (await slack.fake.wait_for("response_url", lambda c: url.endswith(c.path))).args
    assert answer["response_type"] == "ephemeral"
    link = re.search(re.escape(CONSOLE) + r"(/signin/link/[\w-]+)", texts(answer)).group(1)
    stored = await OneTimeToken.get(member_id=world.engineer.id, purpose="sign_in")
    assert link.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is kept
    async with serve() as console:
        browser = console.browser()
        page = await browser.get(link)  # a link preview that only GETs does not use it up
        assert page.status == 200 and "Sign in" in page.text
        assert (await browser.get(link)).status == 200
        signed = await browser.post(link)
        assert signed.status == 303 and signed.location == "/"
        home = await browser.get("/")
        assert home.status == 200 and "eng" in home.text and 'href="/members"' not in home.text
        again = console.browser()
        await again.get(link)
        reused = await again.post(link)
        assert reused.status == 400 and "expired or was already used" in reused.text
        assert (await again.get("/")).location == "/signin"


async def test_an_expired_or_unknown_sign_in_link_is_refused(db, slack):
    world = await make_world(slack.fake)
    token = await auth.issue_sign_in_link(member_id=world.engineer.id,
                                          now=utcnow() - auth.SIGN_IN_LINK_LIFETIME - timedelta(seconds=1))
    async with serve() as console:
        browser = console.browser()
        for path in (f"/signin/link/{token}", "/signin/link/made-up"):
            await browser.get(path)
            page = await browser.post(path)
            assert page.status == 400 and "expired or was already used" in page.text
        assert (await browser.get("/")).location == "/signin"
