"""Services: plain functions that take a ``Session`` and ``now``; they never touch ``request``.

Views, the CLI and the scheduler call the same code. Services flush; the caller commits.
"""
