"""Tables that protect the service: rate counters shared by every process (login throttle, mail budgets)."""

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from tracker.models.core import UTCDateTime


class RateCounter(SQLModel, table=True):
    """How often something happened to one key (an account, a client address, a mailbox) in its current window.

    Kept in the database rather than in memory so that a limit holds across gunicorn workers, scheduler
    processes and restarts. ``tracker.services.ratelimit`` is the only code that reads or writes it.
    """

    __tablename__ = "rate_counter"

    key: str = Field(sa_type=String(300), primary_key=True)
    window_start_dt: datetime = Field(sa_type=UTCDateTime)
    count: int = Field(default=0)
