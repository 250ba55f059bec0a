"""Ack latency, `envs` capacity and the `resources` round trip: signed slash commands at a concurrency into the
real app and into a bare slack-bolt AsyncApp that only acks, both served the same way (aiohttp, 127.0.0.1)."""

from __future__ import annotations

import asyncio
import statistics
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import urlencode

from aiohttp import ClientSession, web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.suite.world import TEAM
from bot.app import BotConfig, build_bolt_app
from tests.scenario.slack_fake import SECRET, FakeSlack, sign
from webconsole.app import build_app
from webconsole.slack_routes import slack_routes


@dataclass
class TimedSlack(FakeSlack):
    """The fake Slack, noting when each response_url was answered."""

    answered: dict[str, float] = field(default_factory=dict)

    async def _response(self, request: web.Request) -> web.Response:
        self.answered[request.path] = time.perf_counter()
        return web.Response(text="ok")


@dataclass
class Round:
    """Ack latencies (seconds), wall time, and when each command's answer arrived after it was sent."""

    acks: list[float]
    wall: float
    answers: list[float]

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.acks, n=100, method="inclusive")[p - 1] if len(self.acks) > 1 else self.acks[0]

    def over(self, limit: float) -> int:
        return sum(1 for a in self.acks if a > limit)


def real_app(fake: FakeSlack) -> AsyncApp:
    return build_bolt_app(BotConfig(public_url="https://bench.example", secret_key="b" * 40, signing_secret=SECRET,
                                    bot_token="xoxb-bench", api_url=fake.api_url))


def bare_app(fake: FakeSlack, *, answer: bool = False) -> AsyncApp:
    """What Slack needs at least: verify and ack; with `answer`, one reply to the response_url (round trips)."""
    app = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token="xoxb-bench", base_url=fake.api_url))

    @app.command("/cloudtuner")
    async def only_ack(ack, respond) -> None:
        await ack()
        if answer:
            await respond("ok")

    return app


def bare_answering_app(fake: FakeSlack) -> AsyncApp:
    return bare_app(fake, answer=True)


@asynccontextmanager
async def served(app: AsyncApp):
    """The app behind webconsole.build_app on a free port, as `cloudtuner serve` runs it; yields its URL."""
    runner = web.AppRunner(build_app(checks={}, routes=[slack_routes(app)]), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/slack/events"
    finally:
        await runner.cleanup()


async def fire(url: str, fake: TimedSlack, *, user: str, text: str, requests: int, concurrency: int,
               answered: bool = True) -> Round:
    """`requests` commands, `concurrency` at a time; an ack is the HTTP answer, an answer the response_url post
    (waited for when `answered`)."""
    numbers, acks, sent = count(), [], {}
    async with ClientSession() as http:
        async def one() -> None:
            for n in iter(lambda: next(numbers), None):
                if n >= requests:
                    return
                path = f"/response/bench-{id(fake)}-{n}"
                body = urlencode({"team_id": TEAM, "user_id": user, "command": "/cloudtuner", "text": text,
                                  "response_url": str(fake.server.make_url(path)), "trigger_id": f"{n}.t",
                                  "api_app_id": "A0BENCH", "channel_id": "C0BENCH"})
                start = time.perf_counter()
                async with http.post(url, data=body, headers={
                        "Content-Type": "application/x-www-form-urlencoded", **sign(body)}) as resp:
                    await resp.read()
                    assert resp.status == 200, resp.status
                acks.append(time.perf_counter() - start)
                sent[path] = start

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        deadline = time.perf_counter() + (600 if answered else 0)
        while not all(p in fake.answered for p in sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
    answers = [fake.answered[p] - s for p, s in sent.items() if p in fake.answered]
    wall = max([fake.answered.get(p, s + a) for (p, s), a in zip(sent.items(), acks)]) - began
    return Round(acks, wall, answers)


async def pair(make_app, *, user: str, text: str, requests: int, concurrency: int, answered: bool = True) -> Round:
    """One round against a freshly served app (make_app(fake)) and its own fake Slack."""
    fake = TimedSlack()
    await fake.start()
    app = make_app(fake)
    try:
        async with served(app) as url:
            return await fire(url, fake, user=user, text=text, requests=requests, concurrency=concurrency,
                              answered=answered)
    finally:
        if app.client.session is not None:  # the shared session (bot.app.close_bolt_app; absent before it)
            await app.client.session.close()
        await fake.close()
