"""The address of a calendar feed an editor types, checked and normalised (webcal:// becomes https://)."""

from __future__ import annotations

from urllib.parse import urlsplit

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
