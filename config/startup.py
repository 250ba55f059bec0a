"""Start-up checks: the data dir private to this user, the database reachable, each mistake one line naming the
setting and what to do (a SettingsError), within seconds rather than a traceback or a hang."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import tempfile
from pathlib import Path

import asyncpg
from tortoise.backends.base.config_generator import expand_db_url

from config.settings import Settings, SettingsError, check_secret_key

SECRET_KEY_FILE = "secret.key"
CONNECT_TIMEOUT = 5.0  # seconds for the first connection to PostgreSQL
log = logging.getLogger("cloudtuner")


async def prepare(settings: Settings) -> None:
    """The data dir exists, is writable and private (0700, its files 0600), the secret key is usable, the
    database answers.

    Raises: SettingsError.
    """
    prepare_data_dir(settings.data_dir)
    ensure_secret_key(settings)
    setting = "CLOUDTUNER_DATABASE_URL" if settings.database_url else "CLOUDTUNER_DATA_DIR"
    credentials = expand_db_url(settings.db_url)["credentials"]
    if "file_path" in credentials:
        _sqlite_file(Path(credentials["file_path"]), setting)
    else:
        await _postgres_answers(credentials)


def ensure_secret_key(settings: Settings) -> str:
    """Return the secret key, generating and keeping one in the data dir (0600, written atomically) when unset.

    Raises: SettingsError (the kept key is too short: secrets sealed with it would be sealed with a guessable key).
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / SECRET_KEY_FILE
    if path.exists():
        key = path.read_text().strip()
        try:
            check_secret_key(key)
        except ValueError as exc:
            raise SettingsError(f"{path} (the key kept for an unset CLOUDTUNER_SECRET_KEY) {exc}") from None
        return key
    prepare_data_dir(settings.data_dir)
    key = secrets.token_urlsafe(48)
    write_private(path, key)
    return key


def prepare_data_dir(path: Path) -> None:
    """Create the data dir 0700, or tighten it and its files (0600) when others could read them, saying so.

    Raises: SettingsError (it cannot be created or written).
    """
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        tightened = _tighten(path)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise SettingsError(f"CLOUDTUNER_DATA_DIR: {path} cannot be written ({exc.strerror or exc}); make it a "
                            "directory this user can write, or point CLOUDTUNER_DATA_DIR elsewhere") from None
    if tightened:
        log.warning("made %s private to this user: %d entries were readable by others and are now 0700/0600",
                    path, tightened)


def write_private(path: Path, text: str) -> None:
    """Write a file 0600 atomically (a temp file renamed over it), so a crash never leaves it empty or half."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _tighten(root: Path) -> int:
    changed = 0
    for path, private in [(root, 0o700)] + [(p, 0o700 if p.is_dir() else 0o600) for p in root.rglob("*")]:
        if path.is_symlink() or not path.stat().st_mode & 0o077:
            continue
        path.chmod(private)
        changed += 1
    return changed


def _sqlite_file(path: Path, setting: str) -> None:
    """The SQLite file's directory exists (SQLite would wait forever); a new file is created 0600."""
    if not path.parent.is_dir():
        raise SettingsError(f"{setting}: the directory {path.parent} of the SQLite file does not exist; create it, "
                            "or point the setting at an existing one")
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise SettingsError(f"{setting}: the SQLite file {path} cannot be opened ({exc.strerror or exc}); make it "
                            "writable by this user, or point the setting elsewhere") from None


async def _postgres_answers(credentials: dict) -> None:
    where = f"{credentials.get('host')}:{credentials.get('port')}/{credentials.get('database')}"
    try:
        conn = await asyncpg.connect(host=credentials.get("host"), port=credentials.get("port"),
                                     user=credentials.get("user"), password=credentials.get("password"),
                                     database=credentials.get("database"), timeout=CONNECT_TIMEOUT)
    except (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        reason = f"no answer within {CONNECT_TIMEOUT:g} s" if isinstance(exc, asyncio.TimeoutError) else (
            str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise SettingsError(f"CLOUDTUNER_DATABASE_URL: PostgreSQL at {where} cannot be used ({reason}); start it, "
                            "or fix the host, port, database, user or password in the URL") from None
    await conn.close()
