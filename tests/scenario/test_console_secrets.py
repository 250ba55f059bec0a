"""No secret (the secret key, password hashes, passwords, Slack tokens, link tokens) in any page or log line."""

import logging
import re

from config.logging import DATABASE_LOGGERS
from core.models import Credential, OneTimeToken
from core.services import auth
from tests.scenario.console_world import PASSWORD, SECRET_KEY, member_with_password, org_with_password, serve
from webconsole.options import SlackSetup

BOT_TOKEN = "xoxb-very-secret-bot-token"


async def test_no_secret_in_any_page_or_log_line(db, caplog):
    caplog.set_level(logging.DEBUG)
    fx = await org_with_password()
    eng = await member_with_password(fx, "eng@acme.test")

    async def check() -> None:
        raise RuntimeError(f"token {BOT_TOKEN} refused")

    slack = SlackSetup(mode="http", oauth=False, manifest="{}", check=check)
    bodies = []
    async with serve(slack=slack) as console:
        boss = console.browser()
        await boss.sign_in(fx.manager.email)
        for path in ("/", "/members", f"/members/{eng.id}/remove", "/settings/organization", "/settings/slack"):
            bodies.append((await boss.get(path)).text)
        invited = await boss.post("/members/invite", {"email": "new@acme.test", "name": "", "role": "engineer"})
        invite_token = re.search(r"/invites/([\w-]+)", invited.text).group(1)
        newcomer = console.browser()
        bodies.append((await newcomer.get(f"/invites/{invite_token}")).text)
        bodies.append((await newcomer.post(f"/invites/{invite_token}", {"name": "", "password": PASSWORD})).text)
        bodies.append((await boss.post("/signin", {"email": fx.manager.email, "password": "wrong password x"})).text)
        token = await auth.issue_sign_in_link(member_id=eng.id)
        other = console.browser()
        bodies.append((await other.get(f"/signin/link/{token}")).text)
        bodies.append((await other.post(f"/signin/link/{token}")).text)
        bodies.append((await other.get("/")).text)
    hashes = await Credential.all().values_list("password_hash", flat=True)
    token_hashes = await OneTimeToken.all().values_list("token_hash", flat=True)
    quiet = ("tortoise", *DATABASE_LOGGERS)  # kept at WARNING by config.logging: they print SQL parameters
    logs = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if not r.name.startswith(quiet))
    for secret in [SECRET_KEY, PASSWORD, BOT_TOKEN, *hashes, *token_hashes]:
        assert all(secret not in body for body in bodies), secret[:12]
    for secret in [SECRET_KEY, PASSWORD, BOT_TOKEN, *hashes, *token_hashes, invite_token, token]:
        assert secret not in logs, secret[:12]  # link tokens are on their own pages, never in the log
    assert "/invites/<redacted>" in logs and "/signin/link/<redacted>" in logs
