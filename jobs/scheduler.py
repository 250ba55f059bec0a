"""The in-process scheduler (APScheduler 3.x on the running asyncio loop)."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def build_scheduler() -> AsyncIOScheduler:
    """A UTC scheduler; jobs coalesce missed runs into one and never overlap themselves."""
    return AsyncIOScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
