"""Migration 0003 keeps the meaning of outbox rows written before events were typed, on both databases."""

import json
import subprocess
import sys
import uuid

import asyncpg
import pytest

from tests.conftest import PG_ADMIN_URL, _pg_reachable


async def _fresh_url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite://{tmp_path / 'upgrade.sqlite3'}"
    problem = await _pg_reachable()
    if problem:
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    name = f"cloudtuner_upgrade_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def test_rows_written_before_typed_events_keep_their_target_text_and_reroute(backend, tmp_path):
    url = await _fresh_url(backend, tmp_path)
    done = subprocess.run([sys.executable, "-m", "tests.integration.event_outbox_upgrade", url], capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        {"type": "catalog_notice", "target": ["slack_channel", "C0ALERTS01"], "subject": ["resource", 7],
         "text": '"vm-1" passed its TTL at 2026-03-10 13:00 UTC and is still active. Delete it, or set a later TTL '
                 "if you still need it.", "rerouted": ["", ""]},
        {"type": "catalog_notice", "target": ["member", "1"], "subject": ["environment", 4],
         "text": '"stage" is free again: the booking of holder ended at 2026-03-10 09:30 UTC.',
         "rerouted": ["C0ENVCHAN1", "is_archived"]},
    ]
