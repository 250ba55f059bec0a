"""`cloudtuner serve` running for a test (the console's scenario and browser tests, the screenshots)."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import time
import urllib.request
from contextlib import asynccontextmanager
from dataclasses import dataclass

from tests.cli import COMMAND


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    url: str
    proc: subprocess.Popen
    output: str = ""


async def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> dict:
    """/healthz's answer once the process answers at all (the event loop keeps running meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:
                return json.load(resp)
        except OSError:
            assert proc.poll() is None, proc.stdout.read()
            await asyncio.sleep(0.2)
    raise AssertionError(f"{url} never answered /healthz")


@asynccontextmanager
async def serving(env: dict, cwd):
    """The process on a free port of 127.0.0.1 until the block ends; its output is collected at the end."""
    port = free_port()
    proc = subprocess.Popen([*COMMAND, "serve"], env={**env, "CLOUDTUNER_PORT": str(port)}, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    served = Served(f"http://127.0.0.1:{port}", proc)
    try:
        await wait_healthy(served.url, proc)
        yield served
    finally:
        proc.terminate()
        served.output = proc.communicate(timeout=30)[0]
