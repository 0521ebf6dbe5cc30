"""The database rate counters behind the login throttle and the mail budgets, on both databases."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from tests.conftest import NOW
from tracker.db import write_session
from tracker.models import RateCounter
from tracker.services import ratelimit

BUDGET = ratelimit.Budget(limit=3, window=timedelta(minutes=10))


def test_a_window_allows_its_limit_then_refuses_until_it_ends(engine: Engine) -> None:
    with write_session(engine) as session:
        answers = [ratelimit.hit(session, "k", BUDGET, NOW + timedelta(minutes=minute)) for minute in range(5)]
        assert [answer.allowed for answer in answers] == [True, True, True, False, False]
        assert [answer.count for answer in answers] == [1, 2, 3, 4, 5]
        assert answers[-1].resets_dt == NOW + timedelta(minutes=10)  # the window started at the first hit
        assert answers[-1].retry_after(NOW + timedelta(minutes=4)) == 360
        assert not ratelimit.peek(session, "k", BUDGET, NOW + timedelta(minutes=9, seconds=59)).allowed
        assert ratelimit.peek(session, "k", BUDGET, NOW + timedelta(minutes=10)).allowed  # peek counts nothing
        again = ratelimit.hit(session, "k", BUDGET, NOW + timedelta(minutes=10))
        assert (again.allowed, again.count, again.resets_dt) == (True, 1, NOW + timedelta(minutes=20))
        assert ratelimit.hit(session, "other", BUDGET, NOW).count == 1  # keys are independent
        ratelimit.clear(session, "k")
        assert ratelimit.peek(session, "k", BUDGET, NOW + timedelta(minutes=10)).count == 0
        session.commit()


def test_concurrent_hits_from_several_connections_are_all_counted(engine: Engine) -> None:
    hits_each, threads = 15, 4

    def worker() -> None:
        for _ in range(hits_each):
            with write_session(engine) as session:
                ratelimit.hit(session, "shared", ratelimit.Budget(1000, timedelta(hours=1)), NOW)
                session.commit()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    with Session(engine) as session:
        assert session.execute(select(RateCounter.count).where(RateCounter.key == "shared")).scalar_one() == 60


def test_ended_windows_are_forgotten(engine: Engine) -> None:
    with write_session(engine) as session:
        ratelimit.hit(session, "old", BUDGET, NOW - ratelimit.LONGEST_WINDOW - timedelta(seconds=1))
        ratelimit.hit(session, "recent", BUDGET, NOW - ratelimit.LONGEST_WINDOW + timedelta(seconds=1))
        assert ratelimit.forget_ended_windows(session, NOW) == 1
        session.commit()
    with Session(engine) as session:
        assert session.execute(select(RateCounter.key)).scalars().all() == ["recent"]
        assert session.execute(select(func.count()).select_from(RateCounter)).scalar_one() == 1


@pytest.mark.parametrize("budget", [(0, timedelta(minutes=1)), (1, timedelta(0)), (1, timedelta(days=3))])
def test_a_budget_outside_what_the_housekeeping_keeps_is_refused(budget: tuple[int, timedelta]) -> None:
    with pytest.raises(ValueError):
        ratelimit.Budget(*budget)
