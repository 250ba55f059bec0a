"""The clock a test pins reads the pinned moment and runs on from it."""

from datetime import datetime, timedelta, timezone

from core import clock


def test_a_pinned_clock_starts_at_the_moment_and_runs_on():
    moment = datetime(2026, 5, 13, 10, 0, tzinfo=timezone.utc)
    clock.pin(moment)
    first, second = clock.utcnow(), clock.utcnow()
    assert moment <= first <= second < moment + timedelta(minutes=1)
    clock.pin(None)
    assert abs(clock.utcnow() - datetime.now(timezone.utc)) < timedelta(minutes=1)
