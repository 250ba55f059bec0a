from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.errors import InvalidInput
from core.models import ConstraintKind
from core.rules.constraints import (
    LIMIT_MAX, Effective, Own, Policy, Violation, effective_constraints, limit_amount, limit_kind,
    policy_value, pool_chain, ttl_expiring_soon, ttl_until, violations,
)

TTL, DAILY, TOTAL = ConstraintKind.TTL, ConstraintKind.DAILY_EXPENSE_LIMIT, ConstraintKind.TOTAL_EXPENSE_LIMIT
NOW = datetime(2024, 5, 10, 12, 0, tzinfo=timezone.utc)
FIRST_SEEN = datetime(2024, 5, 1, tzinfo=timezone.utc)
ZERO = Decimal(0)


@pytest.mark.parametrize("kind, value, expected", [
    (TTL, 1, 1), (TTL, 720, 720), (TTL, "48", 48), (TTL, 24.0, 24),
    (DAILY, 0, 0), (DAILY, 5, 5), (TOTAL, LIMIT_MAX, LIMIT_MAX),
])
def test_policy_value_accepts_bounds(kind, value, expected):
    assert policy_value(kind, value) == expected


@pytest.mark.parametrize("kind, value, code", [
    (TTL, 0, "value_out_of_range"), (TTL, 721, "value_out_of_range"), (TTL, -1, "value_out_of_range"),
    (TTL, 1.5, "not_a_whole_number"), (TTL, "a day", "not_a_whole_number"), (TTL, None, "not_a_whole_number"),
    (DAILY, -1, "value_out_of_range"), (DAILY, "9.99", "not_a_whole_number"), (DAILY, True, "not_a_whole_number"),
    (TOTAL, LIMIT_MAX + 1, "value_out_of_range"), (TOTAL, "", "not_a_whole_number"),
])
def test_policy_value_refuses(kind, value, code):
    with pytest.raises(InvalidInput) as err:
        policy_value(kind, value)
    assert err.value.code == code


def test_limit_amount_bounds():
    assert limit_amount(DAILY, 0) == 0 and limit_amount(TOTAL, "100") == 100
    for bad, code in ((-5, "value_out_of_range"), (2.5, "not_a_whole_number"), ("ten", "not_a_whole_number")):
        with pytest.raises(InvalidInput) as err:
            limit_amount(DAILY, bad)
        assert err.value.code == code


def test_limit_kind_accepts_limits_only():
    assert limit_kind("daily_expense_limit") == DAILY and limit_kind(TOTAL) == TOTAL
    with pytest.raises(InvalidInput) as err:
        limit_kind("ttl")
    assert err.value.code == "not_an_expense_limit"
    with pytest.raises(InvalidInput) as err:
        limit_kind("weekly")
    assert err.value.code == "not_in_choices"


def test_ttl_until_must_be_aware_and_in_future():
    berlin = timezone(timedelta(hours=2))
    until = ttl_until(datetime(2024, 5, 10, 15, 0, tzinfo=berlin), NOW)
    assert until == datetime(2024, 5, 10, 13, 0, tzinfo=timezone.utc) and until.tzinfo == timezone.utc
    assert ttl_until(NOW + timedelta(seconds=1), NOW) == NOW + timedelta(seconds=1)
    for past in (NOW, NOW - timedelta(seconds=1)):
        with pytest.raises(InvalidInput) as err:
            ttl_until(past, NOW)
        assert err.value.code == "ttl_in_past"
    for bad in (datetime(2030, 1, 1), "2030-01-01", None):
        with pytest.raises(InvalidInput) as err:
            ttl_until(bad, NOW)
        assert err.value.code == "ttl_not_a_time"


def test_pool_chain_walks_up_and_survives_cycles():
    parents = {1: None, 2: 1, 3: 2, 4: 1}
    assert pool_chain(3, parents) == [3, 2, 1]
    assert pool_chain(1, parents) == [1]
    assert pool_chain(5, {5: 6, 6: 5}) == [5, 6]
    assert pool_chain(7, {7: 99}) == [7, 99]


def test_policy_ttl_counts_from_first_seen_and_names_its_pool():
    got = effective_constraints(FIRST_SEEN, [], [Policy(3, TTL, 48), Policy(3, DAILY, 10)])
    assert got == {TTL: Effective(TTL, "pool:3", FIRST_SEEN + timedelta(hours=48)),
                   DAILY: Effective(DAILY, "pool:3", 10)}


def test_nearest_pool_wins_and_parent_fills_missing_kinds():
    chain = [Policy(3, TTL, 24), Policy(2, TTL, 100), Policy(2, TOTAL, 500), Policy(1, DAILY, 7)]
    got = effective_constraints(FIRST_SEEN, [], chain)
    assert got[TTL] == Effective(TTL, "pool:3", FIRST_SEEN + timedelta(hours=24))
    assert got[TOTAL] == Effective(TOTAL, "pool:2", 500)
    assert got[DAILY] == Effective(DAILY, "pool:1", 7)


def test_inactive_policy_is_ignored_as_if_absent():
    chain = [Policy(3, DAILY, 5, active=False), Policy(1, DAILY, 50)]
    assert effective_constraints(FIRST_SEEN, [], chain)[DAILY] == Effective(DAILY, "pool:1", 50)
    assert effective_constraints(FIRST_SEEN, [], [Policy(3, TTL, 5, active=False)]) == {}


def test_active_zero_policy_turns_an_inherited_limit_off():
    chain = [Policy(3, DAILY, 0), Policy(1, DAILY, 50)]
    assert effective_constraints(FIRST_SEEN, [], chain)[DAILY] == Effective(DAILY, "pool:3", 0)


@pytest.mark.parametrize("own, expected", [
    (Own(TTL, until=NOW + timedelta(days=3)), NOW + timedelta(days=3)),
    (Own(DAILY, amount=3), 3),
    (Own(TOTAL, amount=0), 0),
])
def test_own_constraint_overrides_pool_policy_of_same_kind(own, expected):
    chain = [Policy(3, TTL, 24), Policy(3, DAILY, 10), Policy(3, TOTAL, 100)]
    got = effective_constraints(FIRST_SEEN, [own], chain)
    assert got[own.kind] == Effective(own.kind, "resource", expected)
    assert all(e.source == "pool:3" for k, e in got.items() if k != own.kind)
    assert list(got) == [TTL, DAILY, TOTAL]


def test_own_constraint_without_value_is_ignored():
    assert effective_constraints(FIRST_SEEN, [Own(DAILY)], [Policy(1, DAILY, 9)])[DAILY].source == "pool:1"


def _check(effective, *, active=True, now=NOW, today=ZERO, yesterday=ZERO, total=ZERO):
    return violations(effective, active=active, now=now, today_cost=today, yesterday_cost=yesterday, total_cost=total)


def test_nothing_to_check_means_no_violations():
    assert _check({}, today=Decimal(10**9), total=Decimal(10**9)) == []


def test_ttl_violation_at_and_after_deadline_only_while_active():
    deadline = NOW - timedelta(hours=1)
    eff = {TTL: Effective(TTL, "pool:1", deadline)}
    assert _check(eff) == [Violation(TTL, deadline, NOW, "2024-05-10T11:00:00+00:00")]
    assert _check({TTL: Effective(TTL, "resource", NOW)}) == [Violation(TTL, NOW, NOW, NOW.isoformat())]
    assert _check({TTL: Effective(TTL, "resource", NOW + timedelta(microseconds=1))}) == []
    assert _check(eff, active=False) == []


def test_ttl_period_key_is_utc_and_changes_with_deadline():
    plus2 = timezone(timedelta(hours=2))
    a = _check({TTL: Effective(TTL, "resource", datetime(2024, 5, 10, 13, 0, tzinfo=plus2))})
    b = _check({TTL: Effective(TTL, "resource", datetime(2024, 5, 10, 11, 30, tzinfo=timezone.utc))})
    assert a[0].period_key == "2024-05-10T11:00:00+00:00" and b[0].period_key != a[0].period_key


def test_daily_limit_exactly_reached_is_not_a_violation():
    eff = {DAILY: Effective(DAILY, "pool:1", 10)}
    assert _check(eff, today=Decimal("10.000000"), yesterday=Decimal(10)) == []


def test_daily_limit_keys_the_day_that_exceeded():
    eff = {DAILY: Effective(DAILY, "pool:1", 10)}
    assert _check(eff, today=Decimal("10.000001")) == [Violation(DAILY, 10, Decimal("10.000001"), "2024-05-10")]
    assert _check(eff, yesterday=Decimal(11)) == [Violation(DAILY, 10, Decimal(11), "2024-05-09")]
    both = _check(eff, today=Decimal(12), yesterday=Decimal(11))
    assert [v.period_key for v in both] == ["2024-05-09", "2024-05-10"]


def test_daily_day_is_the_utc_day_of_now():
    late_in_tokyo = datetime(2024, 5, 11, 1, 0, tzinfo=timezone(timedelta(hours=9)))
    got = _check({DAILY: Effective(DAILY, "pool:1", 1)}, now=late_in_tokyo, today=Decimal(2))
    assert got[0].period_key == "2024-05-10"


def test_zero_limits_are_off():
    eff = {DAILY: Effective(DAILY, "resource", 0), TOTAL: Effective(TOTAL, "resource", 0)}
    assert _check(eff, today=Decimal(5), yesterday=Decimal(5), total=Decimal(5)) == []


def test_total_limit_above_only_and_keyed_by_limit():
    eff = {TOTAL: Effective(TOTAL, "pool:1", 100)}
    assert _check(eff, total=Decimal(100)) == []
    assert _check(eff, total=Decimal("100.01")) == [Violation(TOTAL, 100, Decimal("100.01"), "total:100")]


def test_inactive_resource_still_breaks_expense_limits():
    eff = {TTL: Effective(TTL, "resource", NOW - timedelta(days=1)), TOTAL: Effective(TOTAL, "pool:1", 1)}
    assert [v.kind for v in _check(eff, active=False, total=Decimal(2))] == [TOTAL]


def test_ttl_expiring_soon_window():
    def soon(deadline, window=timedelta(hours=24)):
        return ttl_expiring_soon({TTL: Effective(TTL, "resource", deadline)}, NOW, window)
    assert soon(NOW + timedelta(hours=24)) == NOW + timedelta(hours=24)
    assert soon(NOW + timedelta(minutes=1)) == NOW + timedelta(minutes=1)
    assert soon(NOW + timedelta(hours=24, seconds=1)) is None
    assert soon(NOW) is None and soon(NOW - timedelta(hours=1)) is None
    assert soon(NOW + timedelta(hours=2), window=timedelta(hours=1)) is None
    assert ttl_expiring_soon({DAILY: Effective(DAILY, "pool:1", 5)}, NOW) is None
