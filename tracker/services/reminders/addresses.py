"""Mail addresses: one row per address ever subscribed, which remembers whether the server refused it for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from tracker.dialects import dialect_insert
from tracker.models import MailAddress
from tracker.validation import mailbox_key


def ensure_address(session: Session, email: str) -> None:
    """Create the address row if missing, without failing when another request creates it at the same time."""
    statement = dialect_insert(session)(MailAddress).values(email=email)
    session.execute(statement.on_conflict_do_nothing(index_elements=["email"]))


def is_suppressed(session: Session, email: str) -> bool:
    """Whether the address, or the plain address of its mailbox (``victim@…`` for ``victim+1@…``), is suppressed.

    One look-up of two primary keys. Finding every suppressed spelling of the mailbox would need a scan of all
    addresses ever seen, on every request and while holding the write lock; the mailbox budget bounds the rest.
    """
    return (
        session.execute(
            select(MailAddress.email)
            .where(MailAddress.email.in_({email, mailbox_key(email)}), MailAddress.suppressed_dt.is_not(None))
            .limit(1)
        ).first()
        is not None
    )


def suppress(session: Session, email: str, now: datetime, reason: str) -> None:
    """Stop mailing an address that the server refused permanently; its queued mails are skipped. Flushes only."""
    ensure_address(session, email)
    session.execute(
        update(MailAddress)
        .where(MailAddress.email == email)
        .values(suppressed_dt=now, suppressed_reason=reason[:2000])
        .execution_options(synchronize_session=False)
    )
