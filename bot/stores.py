"""Bolt's installation and OAuth state stores on Tortoise, so they work on SQLite and PostgreSQL alike.

Installations are bot-only (the app asks for no user scopes); the bot token is sealed with SecretBox.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta, timezone

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from core.clock import utcnow
from core.crypto import SecretBox
from core.db import transaction
from core.models import SlackInstallation, SlackOAuthState

log = logging.getLogger("cloudtuner.bot.install")


class TortoiseInstallationStore(AsyncInstallationStore):
    def __init__(self, box: SecretBox) -> None:
        self._box = box

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await self.async_save_bot(installation.to_bot())
        await SlackInstallation.filter(**_key(installation.enterprise_id, installation.team_id)).update(
            installer_user_id=installation.user_id or "")

    async def async_save_bot(self, bot: Bot) -> None:
        values = {"team_name": bot.team_name or "", "app_id": bot.app_id or "", "bot_token": self._box.seal(bot.bot_token),
                  "bot_id": bot.bot_id or "", "bot_user_id": bot.bot_user_id or "",
                  "bot_scopes": ",".join(bot.bot_scopes or []), "is_enterprise_install": bool(bot.is_enterprise_install),
                  "installed_at": datetime.fromtimestamp(bot.installed_at, timezone.utc)}
        async with transaction():
            await SlackInstallation.update_or_create(defaults=values, **_key(bot.enterprise_id, bot.team_id))

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        row = await SlackInstallation.get_or_none(**_key(enterprise_id, None if is_enterprise_install else team_id))
        if row is None:
            return None
        return Bot(app_id=row.app_id or None, enterprise_id=row.enterprise_id or None, team_id=row.team_id or None,
                   team_name=row.team_name, bot_token=self._box.open(row.bot_token), bot_id=row.bot_id,
                   bot_user_id=row.bot_user_id, bot_scopes=row.bot_scopes, is_enterprise_install=row.is_enterprise_install,
                   installed_at=row.installed_at.timestamp())

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        bot = await self.async_find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                        is_enterprise_install=is_enterprise_install)
        if bot is None:
            return None
        row = await SlackInstallation.get(**_key(enterprise_id, None if is_enterprise_install else team_id))
        return Installation(app_id=bot.app_id, enterprise_id=bot.enterprise_id, team_id=bot.team_id,
                            team_name=bot.team_name, bot_token=bot.bot_token, bot_id=bot.bot_id,
                            bot_user_id=bot.bot_user_id, bot_scopes=bot.bot_scopes, user_id=row.installer_user_id,
                            is_enterprise_install=bot.is_enterprise_install, installed_at=bot.installed_at)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await SlackInstallation.filter(**_key(enterprise_id, team_id)).delete()

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class TortoiseStateStore(AsyncOAuthStateStore):
    """A state is good once, for `lifetime`; it may carry the organization the installer asked to connect."""

    def __init__(self, lifetime: timedelta = timedelta(minutes=10)) -> None:
        self._lifetime = lifetime

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args, organization_id: int | None = None, **kwargs) -> str:
        now, state = utcnow(), secrets.token_urlsafe(32)
        await SlackOAuthState.filter(expires_at__lt=now - self._lifetime).delete()
        await SlackOAuthState.create(state=state, organization_id=organization_id, expires_at=now + self._lifetime)
        return state

    async def async_consume(self, state: str) -> bool:
        now = utcnow()
        used = await SlackOAuthState.filter(state=state or "", consumed_at=None, expires_at__gt=now).update(
            consumed_at=now)
        return used == 1

    async def organization_asked(self, state: str | None) -> int | None:
        """The organization the install link named, if any (read after the state was consumed)."""
        row = await SlackOAuthState.get_or_none(state=state or "")
        return row.organization_id if row else None


def _key(enterprise_id: str | None, team_id: str | None) -> dict[str, str]:
    return {"enterprise_id": enterprise_id or "", "team_id": team_id or ""}
