"""Typed settings from CLOUDTUNER_* environment variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "CLOUDTUNER_"


class SettingsError(Exception):
    """A setting has a bad value; the message names the variable and what to fix."""


class Settings(BaseSettings):
    """Process settings. Field names map to CLOUDTUNER_<NAME> variables."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: str = ""
    base_url: str = ""
    log_level: str = "INFO"
    log_format: str = "text"
    # Slack keeps its own variable names (no CLOUDTUNER_ prefix), except the API URL override.
    slack_bot_token: str = Field("", validation_alias="SLACK_BOT_TOKEN")
    slack_client_id: str = Field("", validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: str = Field("", validation_alias="SLACK_CLIENT_SECRET", validate_default=True)
    slack_app_token: str = Field("", validation_alias="SLACK_APP_TOKEN", validate_default=True)
    slack_signing_secret: str = Field("", validation_alias="SLACK_SIGNING_SECRET", validate_default=True)
    slack_api_url: str = ""
    # Cloud API endpoints, for proxies, sovereign clouds and tests; empty: the clouds' public endpoints.
    azure_arm_url: str = "https://management.azure.com"
    azure_authority_url: str = "https://login.microsoftonline.com"
    bigquery_url: str = ""
    google_api_url: str = ""
    ca_bundle: str = ""  # a PEM file of extra CA certificates trusted for the cloud endpoints

    @field_validator("azure_arm_url", "azure_authority_url")
    @classmethod
    def _https_url(cls, value: str) -> str:
        if urlsplit(value).scheme != "https":
            raise ValueError("must be an https:// URL (Azure sends bearer tokens only over TLS)")
        return value.rstrip("/")

    @field_validator("bigquery_url", "google_api_url")
    @classmethod
    def _google_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("ca_bundle")
    @classmethod
    def _bundle_exists(cls, value: str) -> str:
        if value and not Path(value).is_file():
            raise ValueError("must be the path of a PEM file of CA certificates")
        return value

    @field_validator("port")
    @classmethod
    def _port_in_range(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("must be a TCP port between 1 and 65535")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("sqlite", "postgres", "postgresql", "asyncpg"):
            raise ValueError("must start with sqlite:// or postgres://")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value.upper()

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in ("text", "json"):
            raise ValueError("must be text or json")
        return value.lower()

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value:
            check_secret_key(value)
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str) -> str:
        if value and not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb- (OAuth & Permissions page of the app)")
        return value

    @field_validator("slack_client_secret")
    @classmethod
    def _client_pair(cls, value: str, info: ValidationInfo) -> str:
        if bool(value) != bool(info.data.get("slack_client_id")):
            raise ValueError("OAuth mode needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Basic Information page)")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str, info: ValidationInfo) -> str:
        if value and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)")
        if value and not (info.data.get("slack_bot_token") or info.data.get("slack_client_id")):
            raise ValueError("Socket Mode also needs SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
        return value

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: str, info: ValidationInfo) -> str:
        enabled = info.data.get("slack_bot_token") or info.data.get("slack_client_id")
        if enabled and not value and not info.data.get("slack_app_token"):
            raise ValueError("is required to verify Slack's requests in HTTP mode (Basic Information page); "
                             "or set SLACK_APP_TOKEN for Socket Mode")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token or self.slack_client_id)

    @property
    def db_url(self) -> str:
        """The effective database URL: the configured one or a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite://{(self.data_dir / 'cloudtuner.sqlite3').resolve()}"

    @property
    def public_url(self) -> str:
        return self.base_url or f"http://{self.host}:{self.port}"


def load_settings(**overrides: object) -> Settings:
    """Read settings, or raise SettingsError with one line naming the bad variable."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = _variable(str(error["loc"][0]))
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None
    return settings


def _variable(location: str) -> str:
    """The environment variable behind a field (or alias) named in a validation error."""
    field = Settings.model_fields.get(location)
    alias = field.validation_alias if field is not None else location
    return alias if isinstance(alias, str) else ENV_PREFIX + location.upper()


def check_secret_key(value: str) -> None:
    """Raises: ValueError naming what a usable secret key is."""
    if len(value) < 32:
        raise ValueError("must be at least 32 characters (try: python -c 'import secrets; print(secrets.token_urlsafe(32))')")
