import os

import pytest

from config.settings import SettingsError, load_settings
from config.startup import ensure_secret_key, write_private


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "HOST", "PORT", "SECRET_KEY", "BASE_URL", "DATA_DIR", "LOG_LEVEL", "LOG_FORMAT"):
        monkeypatch.delenv(f"CLOUDTUNER_{name}", raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_use_sqlite_in_the_data_dir():
    settings = load_settings()
    assert settings.host == "127.0.0.1" and settings.port == 8080
    assert settings.db_url.startswith("sqlite://") and settings.db_url.endswith("/data/cloudtuner.sqlite3")
    assert settings.public_url == "http://127.0.0.1:8080"


def test_postgres_url_is_taken_as_is(monkeypatch):
    monkeypatch.setenv("CLOUDTUNER_DATABASE_URL", "postgres://u:p@db:5432/ct")
    assert load_settings().db_url == "postgres://u:p@db:5432/ct"


@pytest.mark.parametrize("name, value, expected", [
    ("PORT", "http", "CLOUDTUNER_PORT: "),
    ("PORT", "70000", "CLOUDTUNER_PORT: must be a TCP port between 1 and 65535"),
    ("DATABASE_URL", "mysql://x", "CLOUDTUNER_DATABASE_URL: must start with sqlite:// or postgres://"),
    ("BASE_URL", "ftp://x", "CLOUDTUNER_BASE_URL: must be an http:// or https:// URL"),
    ("SECRET_KEY", "short", "CLOUDTUNER_SECRET_KEY: must be at least 32 characters"),
    ("LOG_LEVEL", "LOUD", "CLOUDTUNER_LOG_LEVEL: must be one of"),
    ("AZURE_ARM_URL", "http://arm.local", "CLOUDTUNER_AZURE_ARM_URL: must be an https:// URL"),
    ("GOOGLE_API_URL", "grpc://x", "CLOUDTUNER_GOOGLE_API_URL: must be an http:// or https:// URL"),
    ("CA_BUNDLE", "/no/such.pem", "CLOUDTUNER_CA_BUNDLE: must be the path of a PEM file"),
    ("LOG_FORMAT", "xml", "CLOUDTUNER_LOG_FORMAT: must be text or json"),
])
def test_a_bad_value_gives_one_line_naming_the_variable(monkeypatch, name, value, expected):
    monkeypatch.setenv(f"CLOUDTUNER_{name}", value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert str(err.value).startswith(expected) and "\n" not in str(err.value)


def test_cloud_endpoints_reach_the_adapters_through_the_composition_root(monkeypatch):
    from config.process import configure_adapters
    from core.adapters import context

    monkeypatch.setenv("CLOUDTUNER_AZURE_ARM_URL", "https://arm.example.test/")
    monkeypatch.setenv("CLOUDTUNER_BIGQUERY_URL", "http://127.0.0.1:9050")
    before = context.current()
    try:
        configure_adapters(load_settings())
        assert (context.current().azure_arm_url, context.current().bigquery_url) == (
            "https://arm.example.test", "http://127.0.0.1:9050")
        assert context.current().azure_authority_url == "https://login.microsoftonline.com"
    finally:
        context.use(before)


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("CLOUDTUNER_PORT=9001\n")
    assert load_settings().port == 9001


def test_secret_key_is_generated_once_and_kept(tmp_path):
    settings = load_settings(data_dir=tmp_path / "d")
    first = ensure_secret_key(settings)
    assert len(first) >= 32
    assert ensure_secret_key(settings) == first
    assert oct((tmp_path / "d" / "secret.key").stat().st_mode & 0o777) == "0o600"


def test_configured_secret_key_wins(tmp_path):
    key = "k" * 40
    assert ensure_secret_key(load_settings(data_dir=tmp_path, secret_key=key)) == key
    assert not (tmp_path / "secret.key").exists()


def test_a_key_file_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "secret.key"
    write_private(path, "a" * 40)
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    def crash(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        write_private(path, "b" * 40)
    assert path.read_text() == "a" * 40 and [p.name for p in tmp_path.iterdir()] == ["secret.key"]


@pytest.mark.parametrize("kept", ["", "short"])
def test_a_short_kept_key_is_refused_like_the_variable(tmp_path, kept):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "secret.key").write_text(kept)
    with pytest.raises(SettingsError) as err:
        ensure_secret_key(load_settings(data_dir=tmp_path / "d"))
    assert "secret.key" in str(err.value) and "must be at least 32 characters" in str(err.value)
