"""Start to healthy and idle memory: `cloudtuner serve` against the benchmark's database next to a bare
aiohttp process that serves only /healthz, both started the same way."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BARE = ("from aiohttp import web\napp = web.Application()\n"
        "async def ok(request):\n    return web.json_response({'status': 'ok'})\n"
        "app.router.add_get('/healthz', ok)\nimport os\nweb.run_app(app, host='127.0.0.1', "
        "port=int(os.environ['CLOUDTUNER_PORT']), print=None)\n")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _measure(command: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    port = _port()
    env = {**env, "CLOUDTUNER_PORT": str(port)}
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"{command} exited with {proc.returncode}") from None
                await asyncio.sleep(0.02)
        healthy = time.perf_counter() - start
        await asyncio.sleep(3)
        return healthy, _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def start_and_idle(db_url: str, workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUDTUNER_", "SLACK_"))}
    env.update(CLOUDTUNER_DATABASE_URL=db_url, CLOUDTUNER_DATA_DIR=str(workdir / "data"), CLOUDTUNER_SECRET_KEY="b" * 40,
               PYTHONPATH=os.getcwd(), CLOUDTUNER_LOG_LEVEL="WARNING")
    ours = await _measure([sys.executable, "-m", "config.cli", "serve", "--no-migrate"], env, workdir)
    bare = await _measure([sys.executable, "-c", BARE], env, workdir)
    return {"healthy": ours[0], "rss": ours[1], "bare_healthy": bare[0], "bare_rss": bare[1]}
