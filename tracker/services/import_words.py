"""How the import preview, the source pages and ``tracker import`` name what an import does, in the reader's language.

What is stored stays in no language: a plan's actions and a sync's counts are codes ("create", "unchanged")
with numbers, a source's last result a code ("changed", "error"); this module words them when they are shown,
with the plural forms of the language in use (``tracker.i18n``).
"""

from __future__ import annotations

from babel.lists import format_list

from tracker.i18n import N_, current_locale, gettext, ngettext

CREATE, UPDATE, CANCEL, UNCHANGED, SKIP, CONFLICT, DUPLICATE = (
    "create",
    "update",
    "cancel",
    "unchanged",
    "skip",
    "conflict",
    "duplicate",
)
#: The actions in the order they are counted.
ACTIONS = (CREATE, UPDATE, CANCEL, UNCHANGED, SKIP, CONFLICT, DUPLICATE)

#: What happens to one event of the preview (its table's last column).
ACTION_LABELS = {
    CREATE: N_("To create"),
    UPDATE: N_("To update"),
    CANCEL: N_("To cancel"),
    UNCHANGED: N_("Unchanged"),
    SKIP: N_("Skipped"),
    CONFLICT: N_("In conflict with a local edit"),
    DUPLICATE: N_("Flagged as a possible duplicate"),
}

#: A source's last result, by its stored code.
RESULT_LABELS = {
    "changed": N_("read and applied"),
    "unchanged": N_("unchanged (same content)"),
    "not-modified": N_("not modified (HTTP 304)"),
    "error": N_("failed"),
    "": N_("not fetched yet"),
}


def action_label(action: str) -> str:
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def result_label(result: str) -> str:
    return gettext(RESULT_LABELS[result]) if result in RESULT_LABELS else result


def _planned(action: str, count: int) -> str:
    """One action's count in a preview: what would happen."""
    if action == CREATE:
        return ngettext("%(num)d event will be created", "%(num)d events will be created", count)
    if action == UPDATE:
        return ngettext("%(num)d event will be updated", "%(num)d events will be updated", count)
    if action == CANCEL:
        return ngettext("%(num)d event will be cancelled", "%(num)d events will be cancelled", count)
    if action == UNCHANGED:
        return ngettext("%(num)d event is unchanged", "%(num)d events are unchanged", count)
    if action == SKIP:
        return ngettext("%(num)d event will be skipped", "%(num)d events will be skipped", count)
    if action == CONFLICT:
        return ngettext(
            "%(num)d event is in conflict with a local edit", "%(num)d events are in conflict with a local edit", count
        )
    return ngettext(
        "%(num)d event is flagged as a possible duplicate", "%(num)d events are flagged as possible duplicates", count
    )


def _done(action: str, count: int) -> str:
    """One action's count after an import or a sync: what was done."""
    if action == CREATE:
        return ngettext("%(num)d created", "%(num)d created", count)
    if action == UPDATE:
        return ngettext("%(num)d updated", "%(num)d updated", count)
    if action == CANCEL:
        return ngettext("%(num)d cancelled", "%(num)d cancelled", count)
    if action == UNCHANGED:
        return ngettext("%(num)d unchanged", "%(num)d unchanged", count)
    if action == SKIP:
        return ngettext("%(num)d skipped", "%(num)d skipped", count)
    if action == CONFLICT:
        return ngettext("%(num)d in conflict with a local edit", "%(num)d in conflict with a local edit", count)
    return ngettext("%(num)d flagged as a possible duplicate", "%(num)d flagged as possible duplicates", count)


def _listed(parts: list[str]) -> str:
    return format_list(parts, locale=current_locale()) if parts else ""


def describe_plan(counts: dict[str, int]) -> str:
    """ "2 events will be created and 1 event is unchanged" for a preview (actions in a fixed order)."""
    return _listed([_planned(action, counts[action]) for action in ACTIONS if counts.get(action)]) or gettext(
        "The file holds no events."
    )


def describe_counts(counts: dict[str, int]) -> str:
    """ "2 created and 1 unchanged" for a finished import or a source's last sync; unknown codes are left out."""
    return _listed([_done(action, counts[action]) for action in ACTIONS if counts.get(action)]) or gettext(
        "nothing to do"
    )


def all_day_when(day: str) -> str:
    """The start of an all-day event in the preview and the source page's flagged events."""
    return gettext("%(day)s (all day)", day=day)
