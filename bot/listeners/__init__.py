"""Listeners, one file per feature; each is ack, one service call, render, answer."""

from slack_bolt.async_app import AsyncApp

from bot.listeners import alerts, commands, envs, home, orgs, power, resources


def register(app: AsyncApp) -> None:
    for feature in (commands, home, resources, envs, alerts, orgs, power):
        feature.register(app)
