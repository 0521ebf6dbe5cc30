"""Helpers for the feed tests and ``bench/feeds.py``: the shared checker, Mozilla's ical.js, a big data set.

The checker (``../shared/tools/icscheck``) and ical.js (from its install home) are run as the real programs;
nothing is stubbed. ``bulk_events`` writes many varied events straight into the tables (the form validation
is not under test there, and 10,000 events through the service would take minutes).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
from sqlalchemy import insert, select
from sqlmodel import Session

from tracker.models import Event, EventOrganisation, EventTag, Organisation
from tracker.timezones import TimeError, all_day_bounds, local_to_utc

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
ICSCHECK = SHARED / "tools" / "icscheck" / "icscheck"
ICALJS_SCRIPT = SHARED / "tools" / "icscheck" / "icaljs_check.mjs"
ICSCHECK_HOME = Path(os.environ.get("ICSCHECK_HOME", Path.home() / ".cache" / "icscheck"))

#: Zones with different rules: EU and US DST, southern-hemisphere DST, abolished DST, half hours, none, UTC.
ZONES = (
    "Europe/Skopje", "Europe/Zurich", "America/New_York", "Australia/Sydney", "America/Sao_Paulo",
    "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "UTC", "Europe/London", "Pacific/Auckland",
)  # fmt: skip

HOSTILE_TITLES = (
    'Comma, semicolon; backslash \\ and "quotes"',
    "Newline\r\nDTSTART:19700101T000000Z injected? \n END:VEVENT",
    "Tab\there and a form feed\x0c and a bell\x07 and DEL\x7f and ESC\x1b[0m",
    "Министерска конференција за одржливо управување со миграциите на Западен Балкан, Скопје",
    "Emoji 🇲🇰 🗓️ 👩🏽‍💼 across the fold 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
    "Line separator\u2028paragraph\u2029next-line\x85vertical\x0btab",
    "C1 control\x9b31m and BOM\ufeff and noncharacter\uffff end",
)


@dataclass
class CheckResult:
    errors: int
    warnings: int
    events: int
    output: str
    parsers: dict[str, Any]

    @property
    def clean(self) -> bool:
        return self.errors == 0 and self.warnings == 0


def icscheck(data: bytes | dict[str, bytes], *, kind: str = "feed", fast: bool = False) -> list[CheckResult]:
    """Run the shared checker with every parser required; one result per file (a dict: several files)."""
    files = data if isinstance(data, dict) else {"calendar.ics": data}
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, body in files.items():
            path = Path(folder) / name
            path.write_bytes(body)
            paths.append(str(path))
        command = [sys.executable, str(ICSCHECK), "--json", "--require-all", "--max-per-rule", "0", "--kind", kind]
        if fast:
            command.append("--fast")
        completed = subprocess.run([*command, *paths], capture_output=True, text=True, timeout=600, check=False)
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"icscheck failed to run: {completed.stderr or completed.stdout}")
    report = json.loads(completed.stdout)
    results = []
    for item in report["files"]:
        text = "\n".join(
            f"{finding.get('severity')}: [{finding.get('source')}/{finding.get('rule')}] {finding.get('message')}"
            for finding in item["findings"]
        )
        results.append(CheckResult(item["errors"], item["warnings"], item["events"], text, item["parsers"]))
    return results


def icaljs_events(data: bytes) -> dict[str, tuple[str, str]]:
    """What Mozilla's ical.js (Thunderbird) reads: {UID: (start, end)}; "D:yyyymmdd" or "U:<unix seconds>"."""
    completed = subprocess.run(
        ["node", str(ICALJS_SCRIPT), "-", "--only", "ical.js", "--modules", str(ICSCHECK_HOME / "node_modules")],
        input=data,
        capture_output=True,
        timeout=300,
        check=True,
    )
    report = json.loads(completed.stdout)
    status = report["parsers"]["ical.js"]["status"]
    assert status == "ok", report
    return {key.split("|", 1)[0]: (start, end) for key, start, end in report["events"]["ical.js"]}


def expected_instants(event: Any) -> tuple[str, str]:
    """The database's view of an event in ical.js's notation (all-day: dates, exclusive end)."""
    if event.all_day:
        end = event.end_date + timedelta(days=1)
        return f"D:{event.start_date:%Y%m%d}", f"D:{end:%Y%m%d}"
    return f"U:{int(event.start_dt.timestamp())}", f"U:{int(event.end_dt.timestamp())}"


def _local_times(rng: random.Random, day: date, zone: str) -> tuple[datetime, datetime]:
    while True:
        start_wall = time(rng.randrange(0, 24), rng.choice((0, 15, 30, 45)))
        try:
            start = local_to_utc(day, start_wall, zone)
        except TimeError:
            continue  # a wall time in a spring-forward gap
        return start, start + timedelta(minutes=rng.choice((30, 60, 90, 120, 240, 600)))


def bulk_events(session: Session, count: int, now: datetime, *, seed: int = 4, prefix: str = "bulk") -> list[int]:
    """Insert ``count`` varied events (zones, DST days, all-day spans, statuses, hostile text); returns ids."""
    rng = random.Random(seed)
    organisations = list(session.exec(select(Organisation.id)).scalars())  # type: ignore[call-overload]
    statuses = ("confirmed",) * 6 + ("tentative", "postponed", "cancelled")
    dst_days = (date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1), date(2026, 4, 5))
    rows: list[dict[str, Any]] = []
    for number in range(count):
        zone = ZONES[number % len(ZONES)]
        day = rng.choice(dst_days) if number % 10 == 0 else date(2025, 1, 1) + timedelta(days=rng.randrange(0, 1460))
        all_day = number % 4 == 0
        if all_day:
            last = day + timedelta(days=rng.choice((0, 0, 1, 2, 4)))
            start_dt, end_dt = all_day_bounds(day, last, zone)
            start_date, end_date = day, last
        else:
            start_dt, end_dt = _local_times(rng, day, zone)
            start_date = end_date = None
        title = HOSTILE_TITLES[number % len(HOSTILE_TITLES)] if number % 13 == 0 else f"Event {number}: migration talks"
        status = statuses[number % len(statuses)]
        rows.append(
            {
                "uid": f"{prefix}-{number}@conference-tracker",
                "title": title,
                "kind": ("conference", "meeting", "official_visit", "other")[number % 4],
                "status": status,
                "all_day": all_day,
                "timezone": zone,
                "start_dt": start_dt,
                "end_dt": end_dt,
                "start_date": start_date,
                "end_date": end_date,
                "venue": 'Hall 2, "Main"; floor 1' if number % 7 == 0 else "",
                "city": ("Skopje", "Geneva", "New York", "Sydney", "Охрид")[number % 5],
                "country": ("MK", "CH", "US", "AU", "MK")[number % 5],
                "description": f"Line one; details, more\nLine two for event {number}\\n literal",
                "source_url": "https://example.org/press?id=1&x=a,b" if number % 5 == 0 else None,
                "visibility": "internal" if number % 17 == 0 else "public",
                "revision": 1,
                "sequence": 0,
                "created_dt": now,
                "updated_dt": now,
                "deleted_dt": None,
            }
        )
    ids: list[int] = []
    for start in range(0, len(rows), 1000):
        result = session.execute(insert(Event).returning(Event.id), rows[start : start + 1000])
        ids.extend(result.scalars())
    links = []
    tags = []
    for number, event_id in enumerate(ids):
        if organisations and number % 3 == 0:
            links.append({"event_id": event_id, "organisation_id": organisations[number % len(organisations)],
                          "role": "host", "sort_order": 0})  # fmt: skip
        tags.append({"event_id": event_id, "tag": ("migration", "western balkans", "asylum")[number % 3]})
    if links:
        session.execute(insert(EventOrganisation), links)
    session.execute(insert(EventTag), tags)
    session.commit()
    return ids


def vevents(body: bytes) -> dict[str, Any]:
    """The VEVENTs of a calendar by UID, as icalendar reads them."""
    return {str(component["UID"]): component for component in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def unfolded_text(body: bytes) -> str:
    return body.decode("utf-8").replace("\r\n ", "")


def uid_of(session: Session, key: str) -> Event:
    """A demo event by the key of its UID."""
    return session.exec(select(Event).where(Event.uid == f"demo-{key}@conference-tracker")).scalar_one()  # type: ignore[call-overload]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]
