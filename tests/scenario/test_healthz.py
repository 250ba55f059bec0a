"""/healthz through HTTP: the real app with real and failing checks."""

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from core import db as database
from webconsole.app import build_app


async def _get(app):
    async with TestServer(app, host="127.0.0.1") as server, ClientSession() as http:
        async with http.get(server.make_url("/healthz")) as resp:
            return resp.status, await resp.json()


async def test_healthz_ok_when_database_answers(db):
    status, body = await _get(build_app(checks={"database": database.ping}))
    assert status == 200 and body == {"status": "ok", "checks": {"database": "ok"}}


async def test_healthz_names_the_failing_part():
    async def broken() -> None:
        raise RuntimeError("scheduler is not running")

    async def fine() -> None:
        return None

    status, body = await _get(build_app(checks={"database": fine, "scheduler": broken}))
    assert status == 503
    assert body == {"status": "failing", "checks": {"database": "ok", "scheduler": "failing"}}
