"""BigQuery for the tests: the bqemulator (real SQL on DuckDB behind BigQuery's REST API) in a thread, fronted by
a small proxy on 127.0.0.1 that checks the service account's token and permissions the way BigQuery answers them
(403 accessDenied) and passes everything else through."""

from __future__ import annotations

import asyncio
import re
import threading

import pytest_asyncio
from aiohttp import ClientSession, web

from tests.integration.gcp_routes import EMAIL, authenticated, error

_JOBS = re.compile(r"^/bigquery/v2/projects/([^/]+)/(?:jobs|queries)$")
_TABLE = re.compile(r"^/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)$")
_DROPPED = {"authorization", "host", "content-length", "transfer-encoding"}


def _checks(google, request: web.Request, body: bytes) -> web.Response | None:
    grants = lambda project: google.grants.get((request[EMAIL], project), set())  # noqa: E731
    jobs, table = _JOBS.match(request.path), _TABLE.match(request.path)
    if jobs and request.method == "POST":
        project = jobs.group(1)
        if "bigquery.jobs.create" not in grants(project):
            return error(403, f"Access Denied: Project {project}: User does not have bigquery.jobs.create permission "
                              f"in project {project}.", "accessDenied")
        for p, d, t in re.findall(rb"`([a-z0-9-]+)\.(\w+)\.(\w+)`", body):
            if "bigquery.tables.getData" not in grants(p.decode()):
                name = f"{p.decode()}:{d.decode()}.{t.decode()}"
                return error(403, f"Access Denied: Table {name}: User does not have permission to query table {name}, "
                                  "or perhaps it does not exist.", "accessDenied")
    if table and "bigquery.tables.get" not in grants(table.group(1)):
        name = f"{table.group(1)}:{table.group(2)}.{table.group(3)}"
        return error(403, f"Access Denied: Table {name}: Permission bigquery.tables.get denied on table {name} (or it "
                          "may not exist).", "accessDenied")
    return None


def proxy(google, emulator_url: str) -> web.Application:
    session: dict[str, ClientSession] = {}

    async def forward(request: web.Request) -> web.StreamResponse:
        email = authenticated(google, request)
        if email is None:
            return error(401, "Request is missing required authentication credential.", "unauthorized")
        request[EMAIL] = email
        body = await request.read()
        refused = _checks(google, request, body)
        if refused is not None:
            return refused
        if "client" not in session:
            session["client"] = ClientSession()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROPPED}
        async with session["client"].request(request.method, emulator_url + request.path_qs, data=body,
                                             headers=headers) as answer:
            return web.Response(status=answer.status, body=await answer.read(),
                                content_type=answer.content_type or "application/json")

    async def close(_app) -> None:
        if "client" in session:
            await session["client"].close()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    app.on_cleanup.append(close)
    return app


class Emulator:
    """The emulator's server on its own thread and event loop: the tests' synchronous BigQuery calls (arranging
    data) block the tests' loop, so it must not serve from there. (bqemulator.testing would do this, but its
    package imports testcontainers.)"""

    def __init__(self) -> None:
        from bqemulator.config import PersistenceMode, Settings
        from bqemulator.server import EmulatorServer
        from bqemulator.storage import engine

        engine.DuckDBEngine._load_spatial = lambda self: None  # it would download DuckDB's spatial extension
        self.server = EmulatorServer(Settings(persistence_mode=PersistenceMode.EPHEMERAL, rest_host="127.0.0.1",
                                              rest_port=0, grpc_host="127.0.0.1", grpc_port=0))
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="bqemulator", daemon=True)

    def start(self) -> str:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(timeout=120)
        return self.server.rest_url.rstrip("/")

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def bigquery_server(google_server):
    """(the proxy's URL, the emulator's URL for arranging data directly)."""
    emulator = Emulator()
    url = await asyncio.to_thread(emulator.start)
    runner = web.AppRunner(proxy(google_server, url), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}", url
    await runner.cleanup()
    await asyncio.to_thread(emulator.stop)
