"""The console served on 127.0.0.1 and a client that behaves like a browser: keeps cookies, reads the CSRF
token from the page it is on and posts it back with the form."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestServer

from core.models import Member
from core.services import invites, passwords
from tests.factories import OrgFixture, make_org
from webconsole.access_log import RedactingAccessLogger
from webconsole.app import build_app
from webconsole.console import console_routes
from webconsole.options import ConsoleConfig, SlackSetup, SlackSignIn

SECRET_KEY = "console-test-secret-key-" + "x" * 24
PASSWORD = "correct horse battery"
PUBLIC = "http://console.test"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Page:
    status: int
    text: str
    location: str = ""
    headers: dict = field(default_factory=dict)

    def error(self, name: str) -> str:
        """The error shown next to the field `name` ("" when none)."""
        found = re.search(rf'<p class="error" id="e-{name}">([^<]*)</p>', self.text)
        return found.group(1) if found else ""

    def value(self, name: str) -> str:
        found = re.search(rf'name="{name}" type="[a-z]+" value="([^"]*)"', self.text)
        return found.group(1) if found else ""


class Browser:
    """One browser profile: its own cookies, and the CSRF token of the last page it saw."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = ClientSession(cookie_jar=CookieJar(unsafe=True))
        self.csrf = ""

    async def close(self) -> None:
        await self.http.close()

    async def get(self, path: str) -> Page:
        async with self.http.get(self.base + path, allow_redirects=False) as resp:
            page = Page(resp.status, await resp.text(), resp.headers.get("Location", ""), dict(resp.headers))
        found = TOKEN_RE.search(page.text)
        self.csrf = found.group(1) if found else self.csrf
        return page

    async def post(self, path: str, data: dict | None = None, *, csrf: str | None = None) -> Page:
        form = {**(data or {}), "csrf_token": self.csrf if csrf is None else csrf}
        async with self.http.post(self.base + path, data=form, allow_redirects=False) as resp:
            page = Page(resp.status, await resp.text(), resp.headers.get("Location", ""), dict(resp.headers))
        found = TOKEN_RE.search(page.text)
        self.csrf = found.group(1) if found else self.csrf
        return page

    async def submit(self, form_page: str, action: str, data: dict) -> Page:
        """Open the page with the form, then post it, as a person would."""
        await self.get(form_page)
        return await self.post(action, data)

    async def sign_in(self, email: str, password: str = PASSWORD) -> Page:
        page = await self.submit("/signin", "/signin", {"email": email, "password": password})
        assert page.status == 303 and page.location == "/", page.text
        return page


@dataclass
class Console:
    server: TestServer
    browsers: list[Browser] = field(default_factory=list)

    def browser(self) -> Browser:
        browser = Browser(str(self.server.make_url("")).rstrip("/"))
        self.browsers.append(browser)
        return browser

    async def signed_in(self, email: str) -> Browser:
        browser = self.browser()
        await browser.sign_in(email)
        return browser


@asynccontextmanager
async def serve(*, slack: SlackSetup | None = None, sign_in: SlackSignIn | None = None, public_url: str = PUBLIC):
    app = build_app(checks={}, routes=[console_routes(ConsoleConfig(
        public_url=public_url, secret_key=SECRET_KEY, slack=slack, slack_sign_in=sign_in))])
    server = TestServer(app, host="127.0.0.1")
    await server.start_server(access_log_class=RedactingAccessLogger)
    console = Console(server)
    try:
        yield console
    finally:
        for browser in console.browsers:
            await browser.close()
        await server.close()


async def org_with_password(name: str = "Acme", email: str = "boss@acme.test") -> OrgFixture:
    fx = await make_org(name, email)
    await passwords.set_password(member_id=fx.manager.id, password=PASSWORD)
    return fx


async def member_with_password(fx: OrgFixture, email: str, role: str = "engineer") -> Member:
    member, token, _ = await invites.invite(actor_id=fx.manager.id, email=email, role=role, name=email.split("@")[0])
    await invites.accept(token=token, password=PASSWORD)
    return member
