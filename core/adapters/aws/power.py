"""Start and stop instances, batched per region; each instance gets its own outcome."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict

from core.adapters.aws.session import AwsSession, off_loop, request
from core.adapters.base import PowerResult, PowerTarget
from core.errors import CoreError

BATCH = 50
_ALREADY = {"start": {"running", "pending"}, "stop": {"stopped", "stopping"}}
_GONE = {"terminated", "shutting-down"}
_INSTANCE_ID = re.compile(r"i-[0-9a-f]+")


async def change(session: AwsSession, targets: list[PowerTarget], action: str) -> list[PowerResult]:
    """action is "start" or "stop"; results in the order of the targets."""
    by_region: dict[str, list[str]] = defaultdict(list)
    for target in targets:
        by_region[target.region].append(target.cloud_resource_id)
    found = await asyncio.gather(*(off_loop(_region, session, region, ids, action)
                                   for region, ids in by_region.items()))
    outcome = {r.cloud_resource_id: r for batch in found for r in batch}
    return [outcome[t.cloud_resource_id] for t in targets]


def _region(session: AwsSession, region: str, ids: list[str], action: str) -> list[PowerResult]:
    ec2 = session.client("ec2", region)
    results = []
    for first in range(0, len(ids), BATCH):
        results += _batch(ec2, ids[first:first + BATCH], action)
    return results


def _batch(ec2, ids: list[str], action: str) -> list[PowerResult]:
    states, results = _states(ec2, ids), []
    todo = []
    for instance_id in ids:
        state = states.get(instance_id)
        if state is None or state in _GONE:
            results.append(PowerResult(instance_id, "gone", state or "no such instance"))
        elif state in _ALREADY[action]:
            results.append(PowerResult(instance_id, "already", state))
        else:
            todo.append(instance_id)
    if todo:
        results += _act(ec2, todo, action)
    return results


def _states(ec2, ids: list[str]) -> dict[str, str]:
    """Instance id -> state name; ids AWS does not know are left out (it refuses the whole call for one)."""
    remaining = list(ids)
    while remaining:
        try:
            answer = request(ec2, "describe_instances", InstanceIds=remaining)
        except CoreError as exc:
            unknown = set(_INSTANCE_ID.findall(str(exc.params.get("reason", "")))) & set(remaining)
            if exc.code != "cloud_request_refused" or not unknown:
                raise
            remaining = [i for i in remaining if i not in unknown]
            continue
        return {i["InstanceId"]: i["State"]["Name"] for r in answer["Reservations"] for i in r["Instances"]}
    return {}


def _act(ec2, ids: list[str], action: str) -> list[PowerResult]:
    """One call for the batch; when AWS refuses it, each instance alone, so one bad instance fails only itself.
    Account-level errors (keys, permission, outage) are raised for the caller to record."""
    try:
        request(ec2, f"{action}_instances", InstanceIds=ids)
    except CoreError as exc:
        if exc.code != "cloud_request_refused":
            raise
        if len(ids) == 1:
            return [PowerResult(ids[0], "failed", str(exc.params.get("reason", "")))]
        return [result for instance_id in ids for result in _act(ec2, [instance_id], action)]
    return [PowerResult(instance_id, "ok") for instance_id in ids]
