"""The console in headless Chromium against the real served process: first-run setup, sign-out and
sign-in, then an invite accepted in a second browser context."""

import re

from playwright.async_api import expect

from tests.scenario.browser import accept, chromium, invite, new_page, set_up, sign_in, sign_out
from tests.cli import cli_env, own_db_url
from tests.scenario.served import serving

PASSWORD = "a long enough password"


async def test_setup_sign_in_invite_and_accept_in_a_real_browser(db, tmp_path):
    async with serving(cli_env(tmp_path, own_db_url(db, tmp_path)), tmp_path) as served, chromium() as browser:
        boss = await new_page(browser)
        await set_up(boss, served.url, org="Initech", email="ada@initech.test", password=PASSWORD)
        await expect(boss.get_by_role("status")).to_contain_text("Initech is set up")
        await sign_out(boss)
        await expect(boss).to_have_url(served.url + "/signin")
        await sign_in(boss, served.url, email="ada@initech.test", password="wrong password!")
        await expect(boss.locator("#e-password")).to_contain_text("do not match")
        await sign_in(boss, served.url, email="ada@initech.test", password=PASSWORD)
        await expect(boss.get_by_role("heading", name="Home")).to_be_visible()
        link = await invite(boss, served.url, email="bob@initech.test", name="Bob", role="engineer")
        assert re.fullmatch(re.escape(served.url) + r"/invites/[\w-]+", link)

        bob = await new_page(browser, width=390, height=844)  # another person, on a phone
        await accept(bob, link, password=PASSWORD)
        await expect(bob.get_by_role("status")).to_contain_text("Welcome!")
        await expect(bob.get_by_role("link", name="Members")).to_have_count(0)
        await bob.goto(served.url + "/members")
        await expect(bob.get_by_role("heading", name="Not allowed")).to_be_visible()

        await boss.goto(served.url + "/members")
        row = boss.get_by_role("row").filter(has_text="bob@initech.test")
        await expect(row).to_contain_text("password")
