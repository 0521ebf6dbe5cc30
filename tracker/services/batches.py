"""Work that listeners of event changes may put off to the end of a batch of changes.

An import saves thousands of events in one transaction. Each save tells its listeners (``on_event_change``);
the reminder planner re-plans after every one, which is right for an editor's single save and wasteful for a
batch: inside ``batch(session)``, a listener that can do its work for many events at once ``defer``s it, and
it runs once for all of them when the batch ends (still inside the transaction, before the caller commits).
If the batch fails, the deferred work is dropped with the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session

_KEY = "tracker.batched_changes"
DeferredWork = Callable[[Session, set[Any]], None]


@contextmanager
def batch(session: Session) -> Iterator[None]:
    """Run the block as one batch: deferred work runs once at its end, for every item deferred in it."""
    if _KEY in session.info:  # already in a batch: the outer one runs the work
        yield
        return
    session.info[_KEY] = {}
    try:
        yield
    except BaseException:
        session.info.pop(_KEY, None)
        raise
    pending: dict[str, tuple[DeferredWork, set[Any]]] = session.info.pop(_KEY)
    for work, items in pending.values():
        work(session, items)


def defer(session: Session, name: str, work: DeferredWork, item: Hashable) -> bool:
    """Put ``item`` on ``name``'s list for the end of the batch; False (do it now) outside a batch."""
    pending = session.info.get(_KEY)
    if pending is None:
        return False
    pending.setdefault(name, (work, set()))[1].add(item)
    return True
