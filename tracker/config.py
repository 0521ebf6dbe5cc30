"""Configuration: documented defaults → ``instance/config.py`` → ``TRACKER_*`` environment → test config.

Every value from outside is parsed and validated here, once, so that a bad setting stops start-up with a
message naming the variable instead of failing later inside a request.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from tracker.i18n import DEFAULT_LANGUAGE, parse_language
from tracker.mail.headers import MailError
from tracker.mail.settings import SmtpTarget
from tracker.parsing import IntegerError, parse_int


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the setting."""


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of true/false/1/0/yes/no/on/off")


def _parse_database_url(raw: str) -> str:
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ValueError(f"not a database URL ({exc})") from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ValueError("only sqlite:/// and postgresql+psycopg:// URLs are supported")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() not in {"psycopg", "psycopg2"}:
        raise ValueError("use the psycopg 3 driver: postgresql+psycopg://user@host/db")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() == "psycopg2":
        raise ValueError("psycopg2 is not installed; use postgresql+psycopg://")
    return raw


def _parse_http_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError("expected an absolute http:// or https:// URL such as https://tracker.example.org")
    return raw.strip().rstrip("/")


def _parse_smtp_url(raw: str) -> str:
    """Checked by the parser the mail code uses, so a URL that passes here also works when mail is sent."""
    if not raw.strip():
        return ""
    try:
        SmtpTarget.parse(raw.strip())
    except MailError as exc:
        raise ValueError(str(exc)) from None
    return raw.strip()


def _parse_email(raw: str) -> str:
    from tracker.validation import normalise_email

    return normalise_email(raw)


def _parse_positive_int(raw: str) -> int:
    try:
        return parse_int(raw, name="value", minimum=1, maximum=2**31 - 1)
    except IntegerError:
        raise ValueError("must be a positive whole number (at most 2147483647)") from None


def _parse_count(raw: str) -> int:
    try:
        return parse_int(raw, name="value", minimum=0, maximum=100)
    except IntegerError:
        raise ValueError("must be a whole number from 0 to 100") from None


def _parse_secret(raw: str) -> str:
    if len(raw) < 16:
        raise ValueError("must be at least 16 characters long")
    return raw


#: ``EMBED_ALLOWED_ORIGINS`` values that are not origins: any site may frame ``/embed/``, or none may.
ANY_ORIGIN, NO_ORIGIN = "*", "none"


def _parse_one_origin(raw: str) -> str:
    """``https://example.org`` or ``http://host:8080``, optionally ``https://*.example.org``: what CSP's
    ``frame-ancestors`` reads as a host source, nothing more (no path, query, user or quotes)."""
    parts = urlsplit(raw)
    host = parts.hostname or ""
    bare = host[2:] if host.startswith("*.") else host
    valid_host = (
        bool(bare) and bare.isascii() and all(part and part.replace("-", "").isalnum() for part in bare.split("."))
    )
    try:
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
    if (
        parts.scheme not in {"http", "https"} or not valid_host or not port_ok or parts.username is not None
        or parts.path not in {"", "/"} or parts.query or parts.fragment or raw.endswith(("?", "#"))
    ):  # fmt: skip
        raise ValueError(
            f"{raw[:80]!r} is not an origin; give origins such as https://example.org or https://*.example.org "
            + f"separated by spaces or commas, or {ANY_ORIGIN!r} (any site) or {NO_ORIGIN!r} (no site)"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def parse_embed_origins(raw: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The sites that may frame the ``/embed/`` pages: ``("*",)`` for any, ``()`` for none, else origins.

    At most 50 of them, so the header every embed answer carries stays small."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else [str(item).strip() for item in raw]
    if not items:
        raise ValueError(f"empty; use {ANY_ORIGIN!r} for any site or {NO_ORIGIN!r} for none")
    if len(items) == 1 and items[0].lower() in {ANY_ORIGIN, NO_ORIGIN}:
        return () if items[0].lower() == NO_ORIGIN else (ANY_ORIGIN,)
    if len(items) > 50:
        raise ValueError("at most 50 origins")
    return tuple(dict.fromkeys(_parse_one_origin(item) for item in items))


#: Links point here when BASE_URL is not set and the app was not started by ``tracker serve`` (which knows better).
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

#: Every setting the app reads: name → (default, parser for values from outside, what it is).
SETTINGS: dict[str, tuple[Any, Callable[[str], Any], str]] = {
    "DATABASE_URL": (None, _parse_database_url, "SQLAlchemy URL; default: SQLite file instance/tracker.sqlite3"),
    "SECRET_KEY": (None, _parse_secret, "signs sessions; default: generated once into instance/secret_key"),
    "BASE_URL": (
        None,
        _parse_http_url,
        "absolute links in feeds and e-mail; default: the address `tracker serve` listens on, else "
        + "http://127.0.0.1:5000",
    ),
    "SMTP_URL": ("", _parse_smtp_url, "smtp://host:port[?starttls=1] or smtps://; empty: write to instance/outbox"),
    "MAIL_FROM": ("tracker@localhost", _parse_email, "sender address of reminder mail"),
    "SESSION_COOKIE_SECURE": (None, _parse_bool, "default: true when BASE_URL is https"),
    "SCHEDULER_INTERVAL_SECONDS": (30, _parse_positive_int, "seconds between reminder ticks"),
    "DEFAULT_LANGUAGE": (
        DEFAULT_LANGUAGE,
        parse_language,
        "interface language when neither the switcher's cookie "
        + "nor the browser's Accept-Language chooses one: en, mk or sq",
    ),
    "CALENDAR_NAME": ("Conference Tracker", str, "calendar name in feeds and page titles"),
    "REMINDER_LEASE_SECONDS": (120, _parse_positive_int, "seconds a scheduler holds claimed reminders"),
    "REMINDER_BATCH_SIZE": (100, _parse_positive_int, "reminders claimed and sent over one SMTP connection"),
    "FEED_CACHE_MAX_BYTES": (32 * 1024 * 1024, _parse_positive_int, "bytes of finished feeds each process keeps"),
    "CONFIRM_MAILS_PER_HOUR": (200, _parse_positive_int, "confirmation mails the whole site queues per hour"),
    "CONFIRM_MAILS_PER_MAILBOX": (3, _parse_positive_int, "confirmation mails per mailbox (+tags alike) per 24 h"),
    "TRUSTED_PROXIES": (
        0,
        _parse_count,
        "reverse proxies in front of the app; only then does X-Forwarded-For give the client's address",
    ),
    "EMBED_ALLOWED_ORIGINS": (
        ANY_ORIGIN,
        parse_embed_origins,
        "sites whose pages may frame /embed/ (origins such as https://example.org); '*' any, 'none' no site",
    ),
    "MAX_CONTENT_LENGTH": (
        2 * 1024 * 1024,
        _parse_positive_int,
        "largest request body in bytes; a larger one is answered 413 before it is read",
    ),
    "IMPORT_MAX_BYTES": (5 * 1024 * 1024, _parse_positive_int, "largest .ics file or fetched feed body imported"),
    "IMPORT_MAX_EVENTS": (20_000, _parse_positive_int, "events (after expanding repeats) one import may bring"),
    "IMPORT_BUDGET_SECONDS": (20, _parse_positive_int, "seconds one import may spend reading its file"),
    "SOURCE_FETCH_SECONDS": (30, _parse_positive_int, "wall-clock limit of one fetch of a calendar source"),
    "SOURCE_ALLOW_PRIVATE_ADDRESSES": (
        False,
        _parse_bool,
        "fetch sources on loopback and private addresses too: for tests only, never in production",
    ),
}


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, (_default, parse, _doc) in SETTINGS.items():
        raw = environ.get(f"TRACKER_{name}")
        if raw is None:
            continue
        try:
            values[name] = parse(raw)
        except ValueError as exc:
            raise ConfigError(f"TRACKER_{name}: {exc}") from None
    return values


def _validate_loaded(config: Mapping[str, Any]) -> None:
    """Check values that came from instance/config.py or a test config (already Python objects)."""
    for name, (_default, parse, _doc) in SETTINGS.items():
        value = config.get(name)
        if isinstance(value, str) and value and parse is not str:
            try:
                parse(value)
            except ValueError as exc:
                raise ConfigError(f"{name} (instance/config.py): {exc}") from None


def _generated_secret(instance_path: Path) -> str:
    """Return the secret key kept in the instance folder, creating it once with owner-only permissions."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_config(
    app_config: dict[str, Any],
    instance_path: Path,
    environ: Mapping[str, str],
    test_config: Mapping[str, Any] | None,
) -> None:
    """Fill ``app_config`` (a Flask config) in the documented order and validate the result."""
    for name, (default, _parse, _doc) in SETTINGS.items():
        app_config[name] = default
    config_file = instance_path / "config.py"
    if config_file.exists():
        namespace: dict[str, Any] = {}
        exec(compile(config_file.read_text(), str(config_file), "exec"), namespace)
        from_file = {key: value for key, value in namespace.items() if key.isupper()}
        _validate_loaded(from_file)  # only what the file sets: the defaults are not the file's to answer for
        app_config.update(from_file)
    app_config.update(_from_environment(environ))
    if test_config:
        app_config.update(test_config)

    # Whether someone chose the address users reach; if not, ``tracker serve`` puts in the one it listens on.
    app_config["BASE_URL_CONFIGURED"] = bool(app_config.get("BASE_URL"))
    if not app_config["BASE_URL_CONFIGURED"]:
        app_config["BASE_URL"] = DEFAULT_BASE_URL
    if not app_config.get("DATABASE_URL"):
        app_config["DATABASE_URL"] = f"sqlite:///{instance_path / 'tracker.sqlite3'}"
    if not app_config.get("SECRET_KEY"):
        app_config["SECRET_KEY"] = _generated_secret(instance_path)
    if app_config.get("SESSION_COOKIE_SECURE") is None:
        app_config["SESSION_COOKIE_SECURE"] = str(app_config["BASE_URL"]).startswith("https://")
    app_config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app_config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app_config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    _normalise_embed_origins(app_config)


def _normalise_embed_origins(app_config: dict[str, Any]) -> None:
    """Store the embed origins parsed, whichever source set them (a string, or a list in instance/config.py)."""
    value = app_config.get("EMBED_ALLOWED_ORIGINS")
    if value == ():  # already parsed: no site
        return
    try:
        app_config["EMBED_ALLOWED_ORIGINS"] = parse_embed_origins(value)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"EMBED_ALLOWED_ORIGINS: {exc}") from None
