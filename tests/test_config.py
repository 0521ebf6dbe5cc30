"""Configuration order (defaults → instance/config.py → TRACKER_* → test config) and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker import create_app
from tracker.config import ConfigError


def build(tmp_path: Path, env: dict[str, str] | None = None, test_config: dict | None = None):
    environ = {"TRACKER_INSTANCE_PATH": str(tmp_path), **(env or {})}
    return create_app(test_config, environ=environ)


def test_defaults_use_sqlite_in_instance_and_keep_a_generated_secret(tmp_path: Path) -> None:
    app = build(tmp_path)
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    secret = app.config["SECRET_KEY"]
    assert len(secret) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert build(tmp_path).config["SECRET_KEY"] == secret, "the generated key is kept, not regenerated"
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_instance_config_then_environment_then_test_config(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(
        'BASE_URL = "https://from-file.example.org"\nCALENDAR_NAME = "Protocol calendar"\nMAIL_FROM = "a@b.org"\n'
    )
    app = build(tmp_path, env={"TRACKER_BASE_URL": "https://from-env.example.org/"})
    assert app.config["BASE_URL"] == "https://from-env.example.org"
    assert app.config["CALENDAR_NAME"] == "Protocol calendar"
    assert app.config["SESSION_COOKIE_SECURE"] is True, "https base URL → secure cookies"
    app = build(tmp_path, test_config={"CALENDAR_NAME": "Test"})
    assert app.config["CALENDAR_NAME"] == "Test"


def test_postgresql_url_selects_postgresql(tmp_path: Path) -> None:
    app = build(tmp_path, env={"TRACKER_DATABASE_URL": "postgresql+psycopg://user@db.example.org/tracker"})
    from tracker.web.sessions import get_engine

    assert get_engine(app).dialect.name == "postgresql"


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("TRACKER_DATABASE_URL", "mysql://x/y", "only sqlite"),
        ("TRACKER_DATABASE_URL", "not a url", "not a database URL"),
        ("TRACKER_BASE_URL", "tracker.example.org", "absolute http"),
        ("TRACKER_SECRET_KEY", "short", "at least 16"),
        ("TRACKER_SMTP_URL", "http://mail", "smtp://host:port"),
        ("TRACKER_SMTP_URL", "smtp://mail:port", "port must be a number"),
        ("TRACKER_SMTP_URL", "smtp://mail:25?timeout=abc", "timeout"),
        ("TRACKER_SMTP_URL", "smtp://mail:25?timeout=nan", "timeout"),
        ("TRACKER_SMTP_URL", "smtp://mail:25?timeout=0", "timeout"),
        ("TRACKER_MAIL_FROM", "nobody", "not a valid e-mail"),
        ("TRACKER_SESSION_COOKIE_SECURE", "maybe", "true/false"),
        ("TRACKER_SCHEDULER_INTERVAL_SECONDS", "-5", "positive"),
    ],
)
def test_bad_environment_value_names_the_variable(tmp_path: Path, variable: str, value: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build(tmp_path, env={variable: value})
    assert str(caught.value).startswith(variable + ":")
    assert fragment in str(caught.value)


def test_bad_instance_config_value_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text('BASE_URL = "ftp://x"\n')
    with pytest.raises(ConfigError, match=r"^BASE_URL \(instance/config.py\)"):
        build(tmp_path)


def test_an_instance_config_that_sets_one_value_keeps_the_defaults_of_the_others(tmp_path: Path) -> None:
    """A config.py naming only BASE_URL once stopped start-up: the defaults were checked as if the file set them."""
    (tmp_path / "config.py").write_text('BASE_URL = "https://calendar.example.org"\n')
    app = build(tmp_path)
    assert app.config["BASE_URL"] == "https://calendar.example.org"
    assert app.config["MAIL_FROM"] == "tracker@localhost"
