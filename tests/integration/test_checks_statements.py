"""The constraint and TTL checks run a fixed number of statements, whatever the number of violations."""

import logging
from datetime import datetime, timedelta, timezone

import pytest

from core.models import OutboxMessage, ResourceConstraint
from core.models.enums import ConstraintKind
from core.services import alerts, checks
from tests.factories import make_member, make_org, make_resource

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


async def _org_with_expired(count: int, ttl: datetime) -> int:
    fx = await make_org(name=f"Org{count}", email=f"boss@org{count}.test")
    eng = await make_member(fx, f"eng@org{count}.test")
    await alerts.create_alert(actor_id=fx.manager.id, pool_id=fx.root.id, based_on="constraint", threshold=0,
                              threshold_type="absolute", include_children=True, channels=["C0ALERTS01"])
    for n in range(count):
        vm = await make_resource(fx.root, f"vm-{n}", owner=eng, cloud_resource_id=f"{count}-vm{n}")
        await ResourceConstraint.create(resource=vm, kind=ConstraintKind.TTL, until=ttl)
    return fx.org.id


def _statements(caplog) -> int:
    return sum(1 for r in caplog.records if r.name == "tortoise.db_client")


@pytest.mark.parametrize("check, ttl", [(checks.notify_violations, NOW - timedelta(hours=1)),
                                        (checks.warn_expiring_ttls, NOW + timedelta(hours=1))],
                         ids=["violations", "ttl_warnings"])
async def test_the_statement_count_does_not_grow_with_violations(db, caplog, check, ttl):
    small, large = await _org_with_expired(3, ttl), await _org_with_expired(40, ttl)
    counts = []
    for org_id in (small, large, large):  # the large one twice: the second run finds them all announced already
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
            announced = await check(organization_id=org_id, now=NOW)
        counts.append((announced, _statements(caplog)))
    assert [announced for announced, _ in counts] == [3, 40, 0]
    assert counts[0][1] == counts[1][1] and counts[2][1] <= counts[1][1]
    assert await OutboxMessage.filter(organization_id=large).count() == 40 * (2 if check is checks.notify_violations
                                                                              else 1)
