"""Fixtures of the scenario tests: the fake Slack Web API and the jobs' troubled variant of it."""

from tests.scenario.jobs_world import fake  # noqa: F401  (a fixture, found by pytest through this conftest)
from tests.scenario.slack_fake import slack  # noqa: F401
