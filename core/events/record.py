"""Recording events: their outbox rows, one per target, written in the caller's transaction.

A batch is written set-based: one statement claims the keys of the events found by time (notices) and
one writes the outbox rows (`core.db.insert_new`), whatever the number of events; routing reads the
organization's alerts, pools and subscriptions once per Router.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from core.db import insert_new, transaction
from core.events.base import Event, encode
from core.events.routing import Router
from core.models import Notice, OutboxMessage

_PENDING = {"state": "pending", "attempts": 0, "last_error": "", "claimed_by": "", "claimed_until": None,
            "delivered_at": None, "rerouted_from": "", "reroute_reason": ""}


async def record(event: Event, *, organization_id: int, now: datetime, key: str | None = None,
                 router: Router | None = None, until_heard: bool = False) -> int:
    """Queue the event for each of its targets (core.events.routing); 1 when it was recorded now, else 0.

    With a `key` the event is found by time and announced once: the key is claimed (a notice) with the
    rows, and a later call with the same key records nothing. With `until_heard`, an event nobody would
    receive is not claimed, so it is announced when it is found again with an audience (a violation of a
    resource that gets an owner later). The rows exist exactly when the caller's transaction commits.
    """
    return await record_all([(event, key)], organization_id=organization_id, now=now, router=router,
                            until_heard=until_heard)


async def record_all(found: Sequence[tuple[Event, str | None]], *, organization_id: int, now: datetime,
                     router: Router | None = None, until_heard: bool = False) -> int:
    """`record` for many (event, key) pairs at once, in a fixed number of statements; returns how many were new."""
    router = router or Router(organization_id)
    routed = [(event, key, await router.targets(event)) for event, key in found]
    if until_heard:
        routed = [item for item in routed if item[2]]
    if not routed:
        return 0
    async with transaction():
        keys = [key for _, key, _ in routed if key is not None]
        claimed = set(await insert_new(Notice, [{"organization_id": organization_id, "key": key, "created_at": now}
                                                for key in dict.fromkeys(keys)], unique="key", returning="key"))
        new = []
        for event, key, targets in routed:
            if key is None or key in claimed:
                claimed.discard(key)
                new.append((event, key or f"{event.type}:{uuid.uuid4().hex}", targets))
        await insert_new(OutboxMessage, [
            {**_PENDING, "organization_id": organization_id, "event_type": event.type, "payload": encode(event),
             "dedup_key": f"{base}|{target.key}"[:255], "target_kind": target.kind, "target_address": target.address,
             "next_attempt_at": now, "created_at": now}
            for event, base, targets in new for target in targets], unique="dedup_key", returning="id")
    return len(new)
