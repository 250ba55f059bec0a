"""Headless Chromium (Debian's, driven by Playwright) and the console's flows as a person clicks them.

Shared by the end-to-end test and docs/screenshots/take.py."""

from __future__ import annotations

from contextlib import asynccontextmanager

from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@asynccontextmanager
async def chromium():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(browser: Browser, *, width: int = 1000, height: int = 800) -> Page:
    """A page in a browser context of its own (its own cookies), as another person's browser."""
    context = await browser.new_context(viewport={"width": width, "height": height})
    return await context.new_page()


async def set_up(page: Page, url: str, *, org: str, email: str, password: str) -> None:
    await page.goto(url + "/")
    await page.get_by_label("Organization name").fill(org)
    await page.get_by_label("Currency").fill("EUR")
    await page.get_by_label("Default time zone").select_option("Europe/Berlin")
    await page.get_by_label("Your name").fill("Ada Manager")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Create organization").click()


async def sign_in(page: Page, url: str, *, email: str, password: str) -> None:
    await page.goto(url + "/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Sign out").click()


async def invite(page: Page, url: str, *, email: str, name: str, role: str) -> str:
    """Invite someone from the members page; returns the invite link shown to copy."""
    await page.goto(url + "/members")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Role", exact=True).select_option(role)
    await page.get_by_role("button", name="Invite", exact=True).click()
    return await page.get_by_label("Copy this").input_value()


async def accept(page: Page, link: str, *, password: str) -> None:
    await page.goto(link)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Set password and sign in").click()
