"""The Slack app manifest for this install: docs/slack-manifest.yaml with the public URL filled in.

In Socket Mode Slack needs no URL except the OAuth redirects, so those are all that stay.
"""

from __future__ import annotations

from bot import ids
from bot.install import SCOPES

EXAMPLE_URL = "https://cloudtuner.example.com"
SIGN_IN_CALLBACK = "/signin/slack/callback"


def manifest(public_url: str, *, socket_mode: bool) -> dict:
    """The manifest as data (Slack accepts it as JSON or YAML)."""
    events = f"{public_url}/slack/events"
    command = {"command": ids.COMMAND, "url": events,
               "description": "Your resources, shared environments, alerts and schedules",
               "usage_hint": "resources | envs [filter] | org | alerts | schedules | console | help",
               "should_escape": False}
    interactivity = {"is_enabled": True, "request_url": events, "message_menu_options_url": events}
    subscriptions = {"request_url": events,
                     "bot_events": ["app_home_opened", "message.im", "app_uninstalled", "tokens_revoked"]}
    if socket_mode:
        del command["url"], interactivity["request_url"], interactivity["message_menu_options_url"]
        del subscriptions["request_url"]
    return {
        "display_information": {"name": "Cloudtuner",
                                "description": "Cloud spend, shared environments and power schedules, from Slack.",
                                "background_color": "#1d3557"},
        "features": {"app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                                  "messages_tab_read_only_enabled": False},
                     "bot_user": {"display_name": "Cloudtuner", "always_online": True},
                     "slash_commands": [command]},
        "oauth_config": {"redirect_urls": [f"{public_url}/slack/oauth_redirect", public_url + SIGN_IN_CALLBACK],
                         "scopes": {"bot": list(SCOPES), "user": ["openid", "email", "profile"]}},
        "settings": {"event_subscriptions": subscriptions, "interactivity": interactivity,
                     "org_deploy_enabled": False, "socket_mode_enabled": socket_mode,
                     "token_rotation_enabled": False},
    }
