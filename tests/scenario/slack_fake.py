"""A local fake of Slack for scenario tests: its Web API and response_urls (recording every call), and a
driver that POSTs to the real app exactly what Slack sends, signed with the signing secret.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import parse_qsl, urlencode

import pytest_asyncio
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from bot.app import BotConfig, build_bolt_app, close_bolt_app
from bot.install import SCOPES
from core.crypto import SecretBox
from webconsole.app import build_app
from webconsole.slack_routes import slack_routes

SECRET = "s3cr3t-signing-secret"
TEAM = "T0001"
CONSOLE = "https://ct.example.test"
SECRET_KEY = "k" * 40
BOX = SecretBox(SECRET_KEY)  # the bot's, for what tests issue through core directly (link codes)


@dataclass
class Call:
    method: str
    args: dict
    token: str = ""
    path: str = ""


@dataclass
class FakeSlack:
    """The Web API at /api/<method> and response_urls at /response/<n>; answers {"ok": true, ...}."""

    calls: list[Call] = field(default_factory=list)
    users: dict[str, dict] = field(default_factory=dict)
    rate_limited: dict[str, int] = field(default_factory=dict)
    failures: dict[str, dict] = field(default_factory=dict)  # method -> the error Slack answers it with
    scopes: list[str] = field(default_factory=lambda: list(SCOPES))  # what the token was granted
    server: TestServer | None = None
    envelopes: asyncio.Queue = field(default_factory=asyncio.Queue)
    _seq: count = field(default_factory=lambda: count(1))

    def add_user(self, user_id: str, email: str | None, *, verified: bool = True, tz: str = "Europe/Berlin") -> None:
        self.users[user_id] = {"id": user_id, "team_id": TEAM, "name": user_id.lower(),
                               "real_name": f"{user_id} Person", "tz": tz, "is_email_confirmed": verified,
                               "profile": {"email": email} if email else {}}

    @property
    def api_url(self) -> str:
        return str(self.server.make_url("/api/"))

    def response_url(self) -> str:
        return str(self.server.make_url(f"/response/{next(self._seq)}"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{n}", self._response)
        app.router.add_get("/socket", self._socket)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        await self.server.close()

    def to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, check=lambda call: True, *, after: int = 0, timeout: float = 10) -> Call:
        """The first call to `method` (None: any) among calls[after:] that passes `check`, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((c for c in self.calls[after:] if method in (None, c.method) and check(c)), None)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no {method} call matched; calls: {[c.method for c in self.calls]}")
            await asyncio.sleep(0.02)

    async def _args(self, request: web.Request) -> dict:
        args = dict(request.query)
        raw = await request.text()
        if request.content_type == "application/json" and raw:
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw))
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method, args = request.match_info["method"], await self._args(request)
        if self.rate_limited.get(method):
            self.rate_limited[method] -= 1
            self.calls.append(Call(method + ":429", args))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"})
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or args.get("token", "")
        self.calls.append(Call(method, args, token))
        answer = {"ok": False, **self.failures[method]} if method in self.failures else self._answer(method, args)
        return web.json_response(answer, headers={"X-OAuth-Scopes": ",".join(self.scopes)})

    def _answer(self, method: str, args: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "team": "Acme", "team_id": TEAM, "user": "cloudtuner", "user_id": "UBOT",
                    "bot_id": "BBOT", "url": "https://acme.slack.com/"}
        if method == "users.info":
            user = self.users.get(args.get("user"))
            if user and "users:read.email" not in self.scopes:  # Slack leaves the email out, it is no error
                user = {**user, "profile": {k: v for k, v in user["profile"].items() if k != "email"}}
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method in ("views.open", "views.update", "views.publish"):
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {**(view or {}), "id": f"V{next(self._seq)}"}}
        if method == "oauth.v2.access":
            return {"ok": True, "access_token": "xoxb-installed", "token_type": "bot", "scope": "commands,chat:write",
                    "bot_user_id": "UBOT2", "app_id": "A0001", "team": {"id": "T0002", "name": "Globex"},
                    "authed_user": {"id": "UINSTALLER"}}
        if method == "apps.connections.open":
            return {"ok": True, "url": str(self.server.make_url("/socket")).replace("http", "ws", 1)}
        if method.startswith("chat."):
            return {"ok": True, "channel": args.get("channel"), "ts": f"1700000000.{next(self._seq):06d}"}
        return {"ok": True}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, send queued envelopes, record what the app sends back."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})

        async def send() -> None:
            while True:
                await ws.send_json(await self.envelopes.get())

        sender = asyncio.ensure_future(send())
        try:
            async for message in ws:
                if message.type == web.WSMsgType.TEXT:
                    self.calls.append(Call("socket", json.loads(message.data)))
        finally:
            sender.cancel()
        return ws

    async def _response(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await request.json(), path=request.path))
        return web.Response(text="ok")


def sign(body: str, *, timestamp: int | None = None, secret: str = SECRET) -> dict:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class SlackDriver:
    """Sends the app what Slack would send for a person's command, message, click or submission."""

    http: ClientSession
    url: str
    fake: FakeSlack
    _seq: count = field(default_factory=lambda: count(1))

    last: tuple[str, str] | None = None

    async def post(self, body: str, content_type: str, *, headers: dict | None = None,
                   signed: bool = True) -> tuple[int, str]:
        self.last = (body, content_type)
        sent = {"Content-Type": content_type, **(sign(body) if signed else {}), **(headers or {})}
        async with self.http.post(self.url + "/slack/events", data=body.encode(), headers=sent) as resp:
            return resp.status, await resp.text()

    async def retry(self, number: int = 1) -> tuple[int, str]:
        """Deliver the last request again, byte for byte, the way Slack retries (freshly signed)."""
        body, content_type = self.last
        return await self.post(body, content_type, headers={"X-Slack-Retry-Num": str(number),
                                                            "X-Slack-Retry-Reason": "http_timeout"})

    async def command(self, user: str, text: str, *, team: str = TEAM) -> tuple[int, str, str]:
        """/cloudtuner <text>; returns status, body and the response_url given."""
        url = self.fake.response_url()
        form = {"token": "legacy", "team_id": team, "team_domain": "acme", "channel_id": "C0CHANNEL1",
                "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": "/cloudtuner",
                "text": text, "api_app_id": "A0001", "is_enterprise_install": "false", "response_url": url,
                "trigger_id": f"{next(self._seq)}.trigger"}
        status, body = await self.post(urlencode(form), "application/x-www-form-urlencoded")
        return status, body, url

    async def event(self, event: dict, *, event_id: str | None = None, **headers: str) -> tuple[int, str]:
        body = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "event": event, "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._seq):08d}", "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}]}
        return await self.post(json.dumps(body), "application/json", headers=headers)

    async def dm(self, user: str, text: str, **kwargs) -> tuple[int, str]:
        return await self.event({"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user,
                                 "text": text, "ts": f"{time.time():.6f}", "event_ts": f"{time.time():.6f}"}, **kwargs)

    async def home_opened(self, user: str) -> tuple[int, str]:
        return await self.event({"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home",
                                 "event_ts": f"{time.time():.6f}"})

    async def interact(self, payload: dict, **headers: str) -> tuple[int, str]:
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded",
                               headers=headers)

    async def click(self, user: str, action_id: str, value: str = "", *, home: bool = False) -> tuple[int, str, str]:
        """A button in a message the bot sent (or in the App Home); returns status, body, response_url."""
        url = "" if home else self.fake.response_url()
        payload = {"type": "block_actions", "user": {"id": user, "team_id": TEAM}, "api_app_id": "A0001",
                   "token": "legacy", "team": {"id": TEAM, "domain": "acme"}, "trigger_id": f"{next(self._seq)}.trigger",
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": str(value),
                                "action_ts": f"{time.time():.6f}"}]}
        if home:
            payload["container"] = {"type": "view", "view_id": "VHOME"}
            payload["view"] = {"id": "VHOME", "type": "home", "blocks": []}
        else:
            payload.update(container={"type": "message", "message_ts": "1.1", "channel_id": f"D{user}",
                                      "is_ephemeral": True},
                           channel={"id": f"D{user}"}, response_url=url, message={"ts": "1.1", "blocks": []})
        status, body = await self.interact(payload)
        return status, body, url

    async def submit(self, user: str, view: dict, values: dict, **headers: str) -> tuple[int, str]:
        """Submit a modal the app opened (as recorded by views.open) with input values (see `state`)."""
        submitted = {**view, "type": "modal", "state": {"values": values}, "hash": "h1"}
        payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM},
                   "api_app_id": "A0001", "token": "legacy", "trigger_id": f"{next(self._seq)}.trigger",
                   "view": submitted, "response_urls": []}
        return await self.interact(payload, **headers)

    async def suggest(self, user: str, action_id: str, value: str, view: dict) -> tuple[int, str]:
        payload = {"type": "block_suggestion", "user": {"id": user, "team_id": TEAM}, "team": {"id": TEAM},
                   "api_app_id": "A0001", "token": "legacy", "action_id": action_id, "block_id": action_id,
                   "value": value, "view": view}
        return await self.interact(payload)


def state(**elements: dict) -> dict:
    """view.state.values for modals whose block ids equal their action ids."""
    return {name: {name: element} for name, element in elements.items()}


def date(value: str | None) -> dict:
    return {"type": "datepicker", "selected_date": value}


def clock(value: str | None) -> dict:
    return {"type": "timepicker", "selected_time": value}


def pick(value: str | None) -> dict:
    return {"type": "static_select", "selected_option": {"value": value} if value else None}


def person(user: str | None) -> dict:
    return {"type": "users_select", "selected_user": user}


def text(value: str | None) -> dict:
    return {"type": "plain_text_input", "value": value}


def number(value: str | None) -> dict:
    return {"type": "number_input", "value": value}


@pytest_asyncio.fixture
async def slack(db):
    """The real app in token mode on 127.0.0.1, its Web API client pointed at a fresh FakeSlack."""
    fake = FakeSlack()
    await fake.start()
    bolt = build_bolt_app(BotConfig(public_url=CONSOLE, secret_key=SECRET_KEY, signing_secret=SECRET,
                                    bot_token="xoxb-test", api_url=fake.api_url))
    async with TestServer(build_app(checks={}, routes=[slack_routes(bolt, signing_secret=SECRET)]), host="127.0.0.1") as server, \
            ClientSession() as http:
        yield SlackDriver(http, str(server.make_url("")).rstrip("/"), fake)
        await asyncio.sleep(0.05)  # let listeners that already answered finish their last writes
    await close_bolt_app(bolt)
    await fake.close()


def texts(message: dict) -> str:
    """Every text a person sees in a message or view (its blocks, else its text), one per line."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    blocks = message.get("blocks")
    walk(json.loads(blocks) if isinstance(blocks, str) else blocks or [])
    return "\n".join(found) or message.get("text", "")


def buttons(message: dict) -> list[tuple[str, str]]:
    """(action id, value) of every button, in order."""
    blocks = message.get("blocks")
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks or []
    found = []
    for block in blocks:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("type") == "button":
                found.append((element["action_id"], element["value"]))
    return found
