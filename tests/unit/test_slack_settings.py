"""Slack settings keep Slack's own variable names; a bad combination stops start-up naming the variable."""

import pytest

from config.settings import SettingsError, load_settings

SLACK = ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET",
         "CLOUDTUNER_SLACK_API_URL")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in SLACK:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_no_slack_settings_means_the_bot_is_off():
    assert load_settings().slack_enabled is False


@pytest.mark.parametrize("env", [
    {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"},
    {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"},
    {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"},
])
def test_the_three_ways_to_run(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.slack_enabled and settings.slack_bot_token == env.get("SLACK_BOT_TOKEN", "")


@pytest.mark.parametrize("env, expected", [
    ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN: must be a bot token starting with xoxb-"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET: is required to verify Slack's requests in HTTP mode"),
    ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET: OAuth mode needs both"),
    ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_APP_TOKEN: Socket Mode also needs SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN: must be an app-level token"),
    ({"CLOUDTUNER_SLACK_API_URL": "ftp://x"}, "CLOUDTUNER_SLACK_API_URL: must be an http:// or https:// URL"),
])
def test_a_bad_combination_names_the_variable(monkeypatch, env, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert str(err.value).startswith(expected) and "\n" not in str(err.value)
