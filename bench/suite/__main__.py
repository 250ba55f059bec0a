"""bench/run [--scale 1] [--backends sqlite,postgres]: build each organization size, measure every figure of
issue 10 next to its same-run baseline, print one table per database and size."""

from __future__ import annotations

import argparse
import asyncio
import platform
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
from tortoise.backends.base import executor

from bench.suite import jobs, process, slack, world
from core import db
from core.clock import utcnow


def _row(figure: str, base: float, ours: float, unit: str = "ms", scale: float = 1000) -> str:
    ratio = ours / base if base else float("nan")
    return f"| {figure} | {base * scale:,.1f} {unit} | {ours * scale:,.1f} {unit} | {ratio:.2f}x |"


async def measure(url: str, label: str, resources: int, args, workdir: Path) -> list[str]:
    await db.migrate(url)
    await db.start(url)
    scale = resources / 100_000
    now = utcnow().replace(second=0, microsecond=0)
    due_at = now - timedelta(minutes=2)
    started = time.perf_counter()
    built = await world.build(resources=resources, environments=max(10, round(1000 * args.scale)),
                              scheduled=min(resources, max(10, round(10_000 * args.scale))),
                              schedules=max(1, round(500 * args.scale)), today=now.date(), due_at=due_at)
    load = time.perf_counter() - started
    lines = [f"\n### {label}, {resources:,} resources ({load:.0f} s to generate)\n",
             "| figure | baseline (same run) | Cloudtuner | ratio |", "| --- | ---: | ---: | ---: |"]
    try:
        power = await jobs.power_due(due_at)
        lines.append(_row(f"power: {power['instances']:,} instances due at once, last cloud call after due "
                          f"({power['calls']} calls)", power["baseline"], power["last_call"]))
        check = await jobs.constraint_check(now)
        lines.append(_row("constraint check, first run", check["baseline"], check["first"]))
        lines.append(_row("constraint check, steady", check["baseline"], check["steady"]))
        lines.append(f"| constraint check statements (first / steady) | — | {check['statements_first']} / "
                     f"{check['statements_steady']} | — |")
        requests, concurrency = args.requests, args.concurrency
        bare = await slack.pair(slack.bare_app, user=world.BOSS, text="envs", requests=requests,
                                concurrency=concurrency, answered=False)
        ours = await slack.pair(slack.real_app, user=world.BOSS, text="envs", requests=requests,
                                concurrency=concurrency)
        for p in (50, 95, 99):
            lines.append(_row(f"ack p{p}, `envs`, concurrency {concurrency}", bare.percentile(p), ours.percentile(p)))
        lines.append(f"| acks over 3 s | {bare.over(3)} of {requests} | {ours.over(3)} of {requests} | — |")
        lines.append(f"| `envs` capacity (answers/s; bare: acks/s) | {requests / bare.wall:,.0f} /s | "
                     f"{requests / ours.wall:,.0f} /s | {bare.wall / ours.wall:.3f}x |")
        stop = asyncio.Event()
        looping = asyncio.ensure_future(jobs.loop_jobs(stop))
        busy = await slack.pair(slack.real_app, user=world.BOSS, text="envs", requests=requests,
                                concurrency=concurrency)
        stop.set()
        runs = await looping
        lines.append(_row(f"ack p99 while the jobs run ({runs} job runs)", bare.percentile(99), busy.percentile(99)))
        lines.append(f"| acks over 3 s while the jobs run | {bare.over(3)} | {busy.over(3)} of {requests} | — |")
        bare_rt = await slack.pair(slack.bare_answering_app, user=world.OWNER, text="resources", requests=args.round_trips,
                                   concurrency=1)
        ours_rt = await slack.pair(slack.real_app, user=world.OWNER, text="resources", requests=args.round_trips,
                                   concurrency=1)
        bare_rt.acks, ours_rt.acks = bare_rt.answers, ours_rt.answers
        lines.append(_row(f"`resources` round trip p95, owner of {world.OWNED:,}", bare_rt.percentile(95),
                          ours_rt.percentile(95)))
    finally:
        await db.stop()
    if resources == max(args.sizes):
        started_ = await process.start_and_idle(url, workdir)
        lines.append(_row("start → healthy", started_["bare_healthy"], started_["healthy"]))
        lines.append(_row("idle RSS", started_["bare_rss"], started_["rss"], unit="MB", scale=1))
        lines.append(_row("peak RSS after the constraint check (bench process)", started_["bare_rss"],
                          check["peak_rss"], unit="MB", scale=1))
    del scale
    return lines


async def on_postgres(args, resources: int, workdir: Path) -> list[str]:
    executor.EXECUTOR_CACHE.clear()
    name = f"cloudtuner_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.postgres)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return await measure(args.postgres.rsplit("/", 1)[0] + "/" + name, "PostgreSQL", resources, args, workdir)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        executor.EXECUTOR_CACHE.clear()


async def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes (0.05 for a quick run)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=0, help="commands per ack round (default 3000 x scale)")
    parser.add_argument("--round-trips", type=int, default=40)
    args = parser.parse_args()
    args.sizes = [max(100, round(n * args.scale)) for n in (10_000, 100_000)]
    args.requests = args.requests or max(args.concurrency * 2, round(3000 * args.scale))
    print(f"# bench/run --scale {args.scale}: {platform.processor() or platform.machine()}, "
          f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}, load "
          f"{__import__('os').getloadavg()[0]:.1f}")
    for backend in args.backends.split(","):
        for resources in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                if backend == "sqlite":
                    lines = await measure(f"sqlite://{tmp}/bench.sqlite3", "SQLite", resources, args, Path(tmp))
                else:
                    lines = await on_postgres(args, resources, Path(tmp))
            print("\n".join(lines), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
