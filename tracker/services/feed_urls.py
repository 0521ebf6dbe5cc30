"""The address of a calendar feed an editor types, checked and normalised (webcal:// becomes https://), and
numbers in fetch errors as the current language writes them."""

from __future__ import annotations

from urllib.parse import urlsplit

from babel.numbers import format_decimal

from tracker.i18n import DEFAULT_LANGUAGE, current_language, current_locale
from tracker.phrases import said as _

MAX_URL_LENGTH = 2000
WEB_SCHEMES = ("http", "https")


def source_url(text: str) -> str:
    """Normalise an editor's URL: webcal(s):// becomes https://; only http(s) with a host, ≤ 2000 chars.

    Raises ValueError with a message for the editor otherwise.
    """
    url = text.strip()
    if not url:
        raise ValueError(_("Enter the address of the calendar feed."))
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(_("The address is longer than %(limit)d characters.", limit=MAX_URL_LENGTH))
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if sep and scheme in ("webcal", "webcals"):
        url, scheme = "https://" + rest, "https"
    if not sep or scheme not in WEB_SCHEMES:
        raise ValueError(_("Only http://, https:// and webcal:// addresses can be fetched."))
    if any(char.isspace() or ord(char) < 32 for char in url):
        raise ValueError(_("The address contains spaces or control characters."))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise ValueError(_("The address is not a valid URL (%(error)s).", error=str(error))) from None
    if not parts.hostname:
        raise ValueError(_("The address has no host name."))
    return url


def number_text(value: int) -> str:
    """A whole number as the current language writes it (1,000 / 1.000 / 1 000); English's without loading
    CLDR's number data in the middle of a fetch that is being measured."""
    if current_language() == DEFAULT_LANGUAGE:
        return f"{value:,}"
    return format_decimal(value, locale=current_locale())
