"""Reminders and change notices by mail: the background path from a saved event to a delivered message.

Every mail is an ``Outbox`` row with a unique key, so the guarantee lives in the database. The modules, in
the order a reminder passes through them (import the one you need; nothing is re-exported here):

- ``rules``: which events get reminders (SQL and Python, one rule), when a claimed mail is still wanted,
  retries and back-off;
- ``leads``: the lead times offered, their labels and parsing;
- ``planning``: ``plan`` writes the reminder rows, idempotent and set-based, inside the caller's transaction;
- ``notices``: change notices (old → new), and ``replan_after_change``, the listener on event saves;
- ``outbox``: SQL shared by planning and notices;
- ``addresses``: address rows and suppression;
- ``claims``: claiming due rows with a lease, and writing outcomes guarded by the claim (group commit);
- ``jobs``: the claimed rows of a batch and their re-check;
- ``compose``: building the mails;
- ``dispatch``: claim, re-check, send, mark — it commits itself (its docstring says why);
- ``tick``: one scheduler tick and its heartbeat; ``overview``: the operators' page.
"""
