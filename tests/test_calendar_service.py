"""Month/week/agenda building: which days events cover in the chosen zone, lanes of multi-day bars,
bounded queries that use the (start_dt, end_dt) index, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tests.query_plans import captured_statements, explain, selects_from
from tracker.filters import parse_filter
from tracker.models import Event
from tracker.services import agenda, calendar, calendar_grid, calendar_queries


def month_days(session: Session, year: int, month: int, **filters: str) -> dict[str, list[date]]:
    """Title → days (in the month's grid) on which the event is drawn."""
    view = calendar.month_view(session, parse_filter(filters, session), year, month, NOW, include_internal=False)
    days: dict[str, list[date]] = {}
    for week in view.weeks:
        for day in week.days:
            for placed in day.items:
                days.setdefault(placed.event.title, []).append(day.date)
    return days


def test_timed_events_move_with_the_viewers_zone_all_day_events_never_do(db_session: Session) -> None:
    make_event(db_session, title="Late call", start_date="2026-11-10", start_time="23:00", end_time="23:45")
    make_event(db_session, **{**SKOPJE_CONFERENCE, "start_date": "2026-11-15", "end_date": "2026-11-16"})
    title = SKOPJE_CONFERENCE["title"]
    own = month_days(db_session, 2026, 11)
    assert own["Late call"] == [date(2026, 11, 10)]
    assert own[title] == [date(2026, 11, 15), date(2026, 11, 16)]
    for zone, late_day in (
        ("Asia/Tokyo", date(2026, 11, 11)),  # 07:00 next morning
        ("Pacific/Kiritimati", date(2026, 11, 11)),  # UTC+14
        ("America/New_York", date(2026, 11, 10)),  # 17:00
        ("Pacific/Pago_Pago", date(2026, 11, 10)),  # UTC−11
    ):
        shown = month_days(db_session, 2026, 11, tz=zone)
        assert shown["Late call"] == [late_day], zone
        assert shown[title] == [date(2026, 11, 15), date(2026, 11, 16)], zone


def test_days_across_the_daylight_saving_changes(db_session: Session) -> None:
    # Skopje leaves summer time on 25 October 2026 (03:00 CEST → 02:00 CET) and starts it on 29 March 2026.
    make_event(db_session, title="Night shift", start_date="2026-10-24", start_time="22:00",
               end_date="2026-10-25", end_time="06:00")  # fmt: skip
    make_event(db_session, title="Clock change day", all_day="on", start_date="2026-10-25", end_date="2026-10-25")
    make_event(db_session, title="Spring morning", start_date="2026-03-29", start_time="04:00", end_time="05:00")
    october = month_days(db_session, 2026, 10)
    assert october["Night shift"] == [date(2026, 10, 24), date(2026, 10, 25)]
    assert october["Clock change day"] == [date(2026, 10, 25)]
    assert month_days(db_session, 2026, 10, tz="UTC")["Night shift"] == [date(2026, 10, 24), date(2026, 10, 25)]
    assert month_days(db_session, 2026, 10, tz="America/Los_Angeles")["Clock change day"] == [date(2026, 10, 25)]
    # 04:00 CEST on 29 March is 02:00 UTC, 19:00 the day before in Los Angeles.
    assert month_days(db_session, 2026, 3)["Spring morning"] == [date(2026, 3, 29)]
    assert month_days(db_session, 2026, 3, tz="America/Los_Angeles")["Spring morning"] == [date(2026, 3, 28)]
    event = db_session.exec(select(Event).where(Event.title == "Spring morning")).scalar_one()
    assert calendar_grid.day_time_label(event, date(2026, 3, 29), None) == "04:00–05:00 CEST"


def test_events_crossing_month_edges_and_very_long_events_are_found(db_session: Session) -> None:
    make_event(db_session, title="Across the month end", all_day="on", start_date="2026-10-30", end_date="2026-11-02")
    make_event(db_session, title="Half-year mission", all_day="on", start_date="2026-06-01", end_date="2026-12-31")
    make_event(db_session, title="Ended in October", all_day="on", start_date="2026-10-01", end_date="2026-10-25")
    days = month_days(db_session, 2026, 11)
    assert days["Across the month end"][-1] == date(2026, 11, 2)
    assert date(2026, 10, 30) in days["Across the month end"]  # the leading days of the grid show it too
    assert len(days["Half-year mission"]) == 42  # every day of the six-week grid (26 Oct – 6 Dec)
    assert "Ended in October" not in days
    # The longest event bounds the index range scan: 214 days (and a second of margin).
    assert calendar_queries.longest_duration(db_session).days == 214


def test_lanes_keep_multi_day_bars_on_one_row_through_the_week(db_session: Session) -> None:
    make_event(db_session, title="A three days", all_day="on", start_date="2026-11-03", end_date="2026-11-05")
    make_event(db_session, title="B two days", all_day="on", start_date="2026-11-04", end_date="2026-11-05")
    make_event(db_session, title="C after A", all_day="on", start_date="2026-11-06", end_date="2026-11-08")
    make_event(db_session, title="D single", start_date="2026-11-05", start_time="09:00", end_time="10:00")
    view = calendar.month_view(db_session, parse_filter({}, db_session), 2026, 11, NOW, include_internal=False)
    week = next(week for week in view.weeks if week.days[0].date == date(2026, 11, 2))
    by_day = {day.date.day: [slot.event.title if slot else None for slot in day.slots] for day in week.days}
    assert by_day[3] == ["A three days"]
    assert by_day[4] == ["A three days", "B two days"]
    assert by_day[5] == ["A three days", "B two days", "D single"]
    assert by_day[6] == ["C after A"]  # lane 0 is free again
    assert by_day[8] == ["C after A"]
    starts = {day.date.day: day.slots[0] for day in week.days if day.slots}
    assert starts[3].starts and starts[3].span == 3 and not starts[3].continues_before
    assert not starts[4].starts and starts[4].continues_before and starts[4].continues_after
    assert starts[6].span == 3 and starts[8].continues_before and not starts[8].continues_after
    assert view.event_count == 4


def test_month_view_counts_and_marks_today(db_session: Session) -> None:
    view = calendar.month_view(db_session, parse_filter({}, db_session), 2026, 11, NOW, include_internal=False)
    assert view.weeks[0].days[0].date == date(2026, 10, 26)  # Monday-first grid
    assert view.weeks[-1].days[-1].date == date(2026, 12, 6)
    assert [day.date for week in view.weeks for day in week.days if day.is_today] == [date(2026, 11, 2)]
    assert view.previous == (2026, 10) and view.next == (2026, 12)
    assert calendar.month_view(
        db_session, parse_filter({}, db_session), 2026, 1, NOW, include_internal=False
    ).previous == (2025, 12)


def test_out_of_range_months_weeks_and_years_are_refused_with_a_message(db_session: Session) -> None:
    empty = parse_filter({}, db_session)
    with pytest.raises(calendar_queries.CalendarRangeError, match="months run from 1 to 12"):
        calendar.month_view(db_session, empty, 2026, 13, NOW, include_internal=False)
    with pytest.raises(calendar_queries.CalendarRangeError, match="2026 has weeks 1 to 53"):
        calendar.week_view(db_session, empty, 2026, 54, NOW, include_internal=False)
    with pytest.raises(calendar_queries.CalendarRangeError, match="1900 to 2200"):
        calendar.month_view(db_session, empty, 9999, 1, NOW, include_internal=False)


def test_week_view_labels_times_on_each_day(db_session: Session) -> None:
    make_event(db_session, title="Overnight", start_date="2026-11-03", start_time="22:00", end_date="2026-11-05",
               end_time="02:00")  # fmt: skip
    view = calendar.week_view(db_session, parse_filter({}, db_session), 2026, 45, NOW, include_internal=False)
    assert view.title == "Week 45, 2\u2009–\u20098 Nov 2026"
    labels = {day.date.day: [label for _event, label in day.entries] for day in view.days}
    assert labels[3] == ["from 22:00 CET"] and labels[4] == ["all day"] and labels[5] == ["until 02:00 CET"]
    assert view.previous == (2026, 44) and view.next == (2026, 46)
    assert view.days[0].is_today


def test_agenda_lists_running_and_upcoming_events_and_groups_them_by_day(db_session: Session) -> None:
    make_event(db_session, title="Running since Friday", all_day="on", start_date="2026-10-30", end_date="2026-11-03")
    make_event(db_session, title="Over yesterday", start_date="2026-11-01", start_time="10:00", end_time="11:00")
    make_event(db_session, title="Tomorrow", start_date="2026-11-03", start_time="10:00", end_time="11:00")
    make_event(db_session, title="Internal", start_date="2026-11-03", start_time="12:00", end_time="13:00",
               visibility="internal")  # fmt: skip
    empty = parse_filter({}, db_session)
    events = agenda.agenda(db_session, empty, NOW, include_internal=False, limit=10)
    assert [event.title for event in events] == ["Running since Friday", "Tomorrow"]
    groups = agenda.group_by_day(events, None, today=date(2026, 11, 2))
    assert [(group.date, [event.title for event in group.events]) for group in groups] == [
        (date(2026, 11, 2), ["Running since Friday"]),
        (date(2026, 11, 3), ["Tomorrow"]),
    ]
    assert len(agenda.agenda(db_session, empty, NOW, include_internal=True, limit=10)) == 3
    past = agenda.archive(db_session, empty, NOW, include_internal=False, year=None, limit=10)
    assert [event.title for event in past] == ["Over yesterday"]
    assert agenda.archive(db_session, empty, NOW, include_internal=False, year=2025, limit=10) == []
    assert agenda.archive_years(db_session, NOW, include_internal=False) == [2026]


def test_the_month_and_agenda_queries_use_the_start_index_bounded_on_both_sides(
    db_session: Session, engine: Engine
) -> None:
    """The plans of the statements ``month_view`` and ``agenda`` execute (captured, not rewritten here)."""
    for day in range(1, 29):
        make_event(db_session, title=f"Meeting {day}", start_date=f"2026-02-{day:02d}")
    if engine.dialect.name == "postgresql":
        db_session.exec(text("ANALYZE event"))  # type: ignore[call-overload]
        db_session.exec(text("SET LOCAL enable_seqscan = off"))  # type: ignore[call-overload]
    empty = parse_filter({}, db_session)
    with captured_statements(engine) as captured:
        view = calendar.month_view(db_session, empty, 2026, 2, NOW, include_internal=False)
    assert view.event_count == 28
    (month,) = selects_from(captured, "event")
    with captured_statements(engine) as captured:
        assert len(agenda.agenda(db_session, empty, datetime(2026, 2, 10, tzinfo=UTC), include_internal=False,
                                 limit=50)) == 19  # fmt: skip
    upcoming, *_links = selects_from(captured, "event")
    month_plan, upcoming_plan = explain(db_session, *month), explain(db_session, *upcoming)
    if engine.dialect.name == "sqlite":
        # Both bounds on start_dt narrow the index range; the longest event comes from its own index.
        assert "SEARCH event USING INDEX ix_event_start_end (start_dt>? AND start_dt<?)" in month_plan
        assert "SEARCH event USING INDEX ix_event_start_end (start_dt>?)" in upcoming_plan
    else:
        assert re.search(r"Index Cond: \(\(start_dt < .*\) AND \(start_dt >= ", month_plan), month_plan
        assert re.search(r"ix_event_start_end.*\n.*Index Cond: \(\(start_dt >= ", upcoming_plan), upcoming_plan
    for plan in (month_plan, upcoming_plan):
        assert "ix_event_start_end" in plan and "ix_event_duration" in plan, plan
    db_session.rollback()
