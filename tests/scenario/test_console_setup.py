"""First run through HTTP: / leads to /setup, the form's failures and success, then setup is closed."""

from core.models import Credential, Organization
from tests.factories import make_org
from tests.scenario.console_world import PASSWORD, serve

GOOD = {"name": "Acme", "currency": "eur", "timezone": "Europe/Berlin", "manager_name": "Ada",
        "manager_email": "Ada@Acme.test", "password": PASSWORD}


async def test_first_run_leads_to_setup_and_creates_the_organization_and_its_manager(db):
    async with serve() as console:
        browser = console.browser()
        first = await browser.get("/")
        assert first.status == 303 and first.location == "/setup"
        form = await browser.get("/setup")
        assert form.status == 200 and "<title>Set up Cloudtuner · Cloudtuner</title>" in form.text
        for name in GOOD:
            assert f'<label for="f-{name}">' in form.text and f'id="f-{name}"' in form.text
        done = await browser.post("/setup", GOOD)
        assert done.status == 303 and done.location == "/"
        home = await browser.get("/")
        assert home.status == 200 and "Acme is set up" in home.text and "Europe/Berlin" in home.text
        org = await Organization.get(name="Acme")
        assert (org.currency, org.timezone) == ("EUR", "Europe/Berlin")
        assert await Credential.filter(member__email="ada@acme.test").count() == 1


async def test_setup_is_closed_once_an_organization_exists(db):
    await make_org()
    async with serve() as console:
        browser = console.browser()
        assert (await browser.get("/")).location == "/signin"
        assert (await browser.get("/setup")).status == 404
        await browser.get("/signin")
        assert (await browser.post("/setup", GOOD)).status == 404
    assert await Organization.all().count() == 1


async def test_a_demo_organization_does_not_close_setup(db):
    from core.services.demo import load_demo

    await load_demo()
    async with serve() as console:
        assert (await console.browser().get("/")).location == "/setup"


async def test_setup_errors_stand_next_to_their_field_and_keep_the_input_but_not_the_password(db):
    async with serve() as console:
        browser = console.browser()
        short = await browser.submit("/setup", "/setup", {**GOOD, "password": "short"})
        assert short.status == 400
        assert "at least 10 characters" in short.error("password")
        assert short.value("name") == "Acme" and short.value("manager_email") == "Ada@Acme.test"
        assert 'value="short"' not in short.text
        currency = await browser.post("/setup", {**GOOD, "currency": "euro"})
        assert currency.status == 400 and "three-letter ISO code" in currency.text
        blank = await browser.post("/setup", {**GOOD, "name": "  "})
        assert blank.status == 400 and "must not be empty" in blank.text
        email = await browser.post("/setup", {**GOOD, "manager_email": "not-an-email"})
        assert email.status == 400 and "is not an email address" in email.text
        zone = await browser.post("/setup", {**GOOD, "timezone": "Mars/Olympus"})
        assert zone.status == 400 and "not a known time zone" in zone.text
        missing = await browser.post("/setup", {})
        assert missing.status == 400
    assert not await Organization.exists()


async def test_every_form_post_needs_the_session_csrf_token(db):
    async with serve() as console:
        browser = console.browser()
        await browser.get("/setup")
        for token in ("", "forged"):
            refused = await browser.post("/setup", GOOD, csrf=token)
            assert refused.status == 403 and "This form has expired" in refused.text
        stranger = console.browser()  # a token from another session is no good either
        assert (await stranger.post("/setup", GOOD, csrf=browser.csrf)).status == 403
    assert not await Organization.exists()


async def test_pages_carry_the_security_headers_and_the_stylesheet_is_local(db):
    async with serve() as console:
        browser = console.browser()
        page = await browser.get("/setup")
        csp = page.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src" not in csp.replace("default-src 'none'", "")
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Referrer-Policy"] == "same-origin"
        assert 'href="/static/console.css"' in page.text and "http" not in page.text.split("<body>")[0].replace(
            'content="width=device-width, initial-scale=1"', "")
        css = await browser.get("/static/console.css")
        assert css.status == 200 and "@media" in css.text
        assert (await browser.get("/nope")).status == 404
