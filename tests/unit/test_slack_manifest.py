"""The app manifest asks for what the bot uses: its scopes, events, command and endpoints."""

from pathlib import Path

import pytest

from bot import ids
from bot.install import SCOPES

yaml = pytest.importorskip("yaml")
MANIFEST = Path(__file__).parents[2] / "docs" / "slack-manifest.yaml"


def test_manifest_matches_the_bot():
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert manifest["oauth_config"]["scopes"]["bot"] == SCOPES
    assert manifest["features"]["slash_commands"][0]["command"] == ids.COMMAND
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert {"app_home_opened", "message.im"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
    settings = manifest["settings"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            settings["interactivity"]["message_menu_options_url"], manifest["features"]["slash_commands"][0]["url"]]
    assert all(url.endswith("/slack/events") for url in urls)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")


def test_the_console_shows_this_manifest_with_the_install_urls():
    from bot.manifest import EXAMPLE_URL, manifest

    assert manifest(EXAMPLE_URL, socket_mode=False) == yaml.safe_load(MANIFEST.read_text())
    socket = manifest("http://127.0.0.1:8080", socket_mode=True)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in socket["settings"]["event_subscriptions"]
    assert "url" not in socket["features"]["slash_commands"][0]
