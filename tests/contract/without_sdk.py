"""`python -m tests.contract.without_sdk ARGS...`: the `cloudtuner` command on a machine where boto3 is
missing (its import fails), with the in-memory test cloud registered as a second cloud.

Before running the command it imports every part of the process (web console, Slack bot, jobs), which must
not need the SDK; then it asks the test cloud to start an instance, which must work without it.
"""

from __future__ import annotations

import asyncio
import sys

sys.modules["boto3"] = None  # `import boto3` now raises ImportError, as when it is not installed

import bot.app  # noqa: E402,F401
import jobs.scheduler  # noqa: E402,F401
import webconsole.app  # noqa: E402,F401
from config.cli import main  # noqa: E402
from core.adapters import registry  # noqa: E402
from core.adapters.base import Credentials, PowerTarget  # noqa: E402
from tests.integration import fake_cloud  # noqa: E402

if __name__ == "__main__":
    registry.register(fake_cloud.INFO)
    fake_cloud.CLOUD.states["vm-1"] = "stopped"
    started = asyncio.run(registry.adapter_for(fake_cloud.KIND, Credentials({}, {})).start([PowerTarget("vm-1", "r")]))
    print(f"test cloud: {started[0].outcome}", file=sys.stderr)
    sys.exit(main(sys.argv[1:]))
