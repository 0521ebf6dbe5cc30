"""Messages of limits that several validation rules share, in the language in use with its plural forms.

``tracker.validation`` names a field by a marked phrase ("The title", ``N_``) and a list field by its English
plural ("tags"); the message is made, and translated, when the rule fails.
"""

from __future__ import annotations

from tracker.i18n import gettext as _
from tracker.i18n import ngettext


def too_long(what: str, length: int, maximum: int) -> str:
    """``what`` (a marked phrase, "The title") has ``length`` characters, over ``maximum``."""
    return ngettext(
        "%(what)s has %(num)d character; at most %(maximum)d are allowed.",
        "%(what)s has %(num)d characters; at most %(maximum)d are allowed.",
        length, what=_(what), maximum=maximum,
    )  # fmt: skip


def too_many(plural: str, at_most: int) -> str:
    """The message for more than ``at_most`` values of a list field (``plural``: the field's English word)."""
    if plural == "tags":
        return ngettext("At most %(num)d tag is allowed.", "At most %(num)d tags are allowed.", at_most)
    if plural == "people":
        return ngettext("At most %(num)d person is allowed.", "At most %(num)d people are allowed.", at_most)
    if plural == "aliases":
        return ngettext("At most %(num)d alias is allowed.", "At most %(num)d aliases are allowed.", at_most)
    return ngettext("At most %(num)d organisation is allowed.", "At most %(num)d organisations are allowed.", at_most)
