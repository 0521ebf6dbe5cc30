"""Services: plain functions that take a ``Session`` and ``now``; they never touch ``request``.

Views, the CLI and the scheduler call the same code. Services flush; the caller commits.

One exception, on the background path: ``reminders.dispatch`` (with ``reminders.claims`` and
``reminders.tick``) opens its own sessions and commits several times per batch. Its claims are leases that
other scheduler processes must see before the first mail goes out, and each "sent" mark must be committed
right after the server's 250 so that a crash resends at most one small group; one transaction around a
batch would hide the claim and hold the write lock through the SMTP exchange.
"""
