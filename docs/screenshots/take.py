"""Screenshots of every console page, for the README: serves a fresh install and clicks through it.

    .venv/bin/python docs/screenshots/take.py        # needs Debian's chromium and the test extras

Writes PNGs next to this file. Not part of the test suite.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.scenario import browser as ui  # noqa: E402
from tests.cli import cli_env  # noqa: E402
from tests.scenario.served import serving  # noqa: E402

OUT = Path(__file__).parent
PASSWORD = "a long enough password"


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = cli_env(Path(tmp), f"sqlite://{tmp}/console.sqlite3")
        async with serving(env, tmp) as served, ui.chromium() as browser:
            url = served.url
            boss = await ui.new_page(browser)

            async def shot(page, name: str, path: str | None = None) -> None:
                if path is not None:
                    await page.goto(url + path)
                await page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)

            await shot(boss, "setup", "/setup")
            await ui.set_up(boss, url, org="Initech", email="ada@initech.test", password=PASSWORD)
            await shot(boss, "home")
            await ui.sign_out(boss)
            await ui.sign_in(boss, url, email="ada@initech.test", password="wrong password!")
            await shot(boss, "signin")
            await ui.sign_in(boss, url, email="ada@initech.test", password=PASSWORD)
            for email, name, role in (("bob@initech.test", "Bob", "engineer"), ("pat@initech.test", "Pat", "pool_manager")):
                link = await ui.invite(boss, url, email=email, name=name, role=role)
            await shot(boss, "invited")
            newcomer = await ui.new_page(browser, width=390, height=844)
            await newcomer.goto(link)
            await shot(newcomer, "accept-invite-phone")
            await ui.accept(newcomer, link, password=PASSWORD)
            await shot(newcomer, "members-403-phone", "/members")
            await shot(boss, "members", "/members")
            await boss.get_by_role("link", name="Remove…").first.click()
            await shot(boss, "remove-member")
            await shot(boss, "organization", "/settings/organization")
            await shot(boss, "slack", "/settings/slack")
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
