"""Tables that protect the service: rate counters shared by every process (login throttle, mail budgets), API tokens."""

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


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API, issued and revoked by an admin.

    Only the SHA-256 of the token is stored (it is shown once); ``prefix`` lets people tell tokens apart.
    ``can_write`` allows create, update and cancel; ``can_see_internal`` lets the token read internal events.
    """

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(100))
    token_hash: str = Field(sa_type=String(64), unique=True)
    prefix: str = Field(sa_type=String(12))
    can_write: bool = Field(default=False)
    can_see_internal: bool = Field(default=False)
    #: The account the token acts as (revisions name it); an admin's choice when issuing.
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="CASCADE")
    created_dt: datetime = Field(sa_type=UTCDateTime)
    revoked_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_dt: datetime | None = Field(default=None, sa_type=UTCDateTime)
