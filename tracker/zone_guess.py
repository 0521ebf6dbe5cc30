"""Which time zone a place is in, from its city and country: so an editor rarely has to pick one.

The answer comes from the IANA database's own country table (``zone.tab`` in the ``tzdata`` package, one line per
zone and country): a country with one zone needs no city; in a country with several, the city must be the city a
zone is named after ("Chicago" → America/Chicago). Cities are compared folded (case, accents and Cyrillic do not
matter: "Скопје" is Skopje). Kosovo (XK, a code the table does not list) keeps Europe/Belgrade's clock.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from tracker.text import romanise

#: Countries the IANA table leaves out, and the zone they keep.
EXTRA_COUNTRIES = {"XK": ("Europe/Belgrade",)}
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """Country code → the zones of that country, in the table's order (most populous region first)."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) >= 3:
            found.setdefault(columns[0].upper(), []).append(columns[2])
    zones = {country: tuple(names) for country, names in found.items()}
    return {**zones, **EXTRA_COUNTRIES}


def city_key(city: str) -> str:
    """A city name folded to lower-case Latin letters and digits, words joined by one space."""
    return _NOT_WORD.sub(" ", romanise(city.replace("_", " "))).strip()


def zone_city(zone: str) -> str:
    """The folded city a zone is named after: ``America/Argentina/Buenos_Aires`` → ``buenos aires``."""
    return city_key(zone.rsplit("/", 1)[-1])


def propose_zone(city: str, country: str | None) -> str | None:
    """The zone of ``city`` in ``country``, when the table tells it without doubt; None otherwise."""
    code = (country or "").strip().upper()
    key = city_key(city or "")
    candidates = zones_by_country().get(code, ()) if code else ()
    if code and not candidates:
        return None
    if key:
        pool = candidates or tuple(zone for zones in zones_by_country().values() for zone in zones)
        named = sorted({zone for zone in pool if zone_city(zone) == key})
        if len(named) == 1:
            return named[0]
    return candidates[0] if len(candidates) == 1 else None
