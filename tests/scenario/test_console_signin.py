"""Sign-in by password (and its throttle, shared through the database), sign-out and the session cookie."""

from datetime import timedelta

from core.clock import utcnow
from core.models import SignInThrottle
from core.services import throttle
from tests.scenario.console_world import PASSWORD, org_with_password, serve


async def test_password_sign_in_and_sign_out(db):
    await org_with_password()
    async with serve() as console:
        browser = console.browser()
        assert (await browser.get("/")).location == "/signin"
        form = await browser.get("/signin")
        assert '<label for="f-email">' in form.text and '<label for="f-password">' in form.text
        assert "Sign in with Slack" not in form.text  # no OAuth client configured
        await browser.sign_in("BOSS@acme.test ")
        home = await browser.get("/")
        assert home.status == 200 and "Boss" in home.text and 'href="/members"' in home.text
        assert (await browser.get("/signin")).location == "/"
        out = await browser.post("/signout")
        assert out.status == 303 and out.location == "/signin"
        assert (await browser.get("/")).location == "/signin"


async def test_the_session_cookie_is_httponly_samesite_lax_and_secure_over_https(db):
    async with serve(public_url="https://console.example.test") as console:
        page = await console.browser().get("/signin")
        cookie = page.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    async with serve(public_url="http://127.0.0.1:8080") as console:
        page = await console.browser().get("/signin")
        assert "Secure" not in page.headers["Set-Cookie"]


async def test_a_wrong_password_is_refused_on_the_password_field_and_the_email_is_kept(db):
    await org_with_password()
    async with serve() as console:
        browser = console.browser()
        for email, password in (("boss@acme.test", "wrong password"), ("nobody@acme.test", PASSWORD), ("", "")):
            page = await browser.submit("/signin", "/signin", {"email": email, "password": password})
            assert page.status == 400 and "do not match" in page.error("password")
            assert page.value("email") == email and (not password or password not in page.text)
        assert (await browser.get("/")).location == "/signin"


async def test_five_failures_lock_the_account_for_every_process_sharing_the_database(db):
    await org_with_password()
    async with serve() as first, serve() as second:
        attacker = first.browser()
        for _ in range(throttle.ACCOUNT_LIMIT):
            await attacker.submit("/signin", "/signin", {"email": "boss@acme.test", "password": "guess guess"})
        owner = second.browser()  # another process, another address would see the same lock
        page = await owner.submit("/signin", "/signin", {"email": "boss@acme.test", "password": PASSWORD})
        assert page.status == 400 and "Too many failed sign-ins. Try again in 15 minutes." in page.text
        assert (await owner.get("/")).location == "/signin"


async def test_the_lock_ends_and_a_success_clears_the_account_count(db):
    fx = await org_with_password()
    key = throttle.account_key(fx.manager.email)
    await SignInThrottle.create(key=key, failures=0, window_started_at=utcnow() - timedelta(hours=1),
                                locked_until=utcnow() - timedelta(seconds=1))
    async with serve() as console:
        browser = console.browser()
        await browser.submit("/signin", "/signin", {"email": "boss@acme.test", "password": "guess guess"})
        assert (await SignInThrottle.get(key=key)).failures == 1
        await browser.sign_in("boss@acme.test")
    assert not await SignInThrottle.exists(key=key)


async def test_one_address_trying_many_accounts_is_locked_too(db):
    await org_with_password()
    async with serve() as console:
        browser = console.browser()
        for n in range(throttle.ADDRESS_LIMIT):
            await browser.submit("/signin", "/signin", {"email": f"user{n}@acme.test", "password": "guess guess"})
        page = await browser.submit("/signin", "/signin", {"email": "boss@acme.test", "password": PASSWORD})
        assert "Too many failed sign-ins" in page.text
