"""Messages of limits that several validation rules share, in the language in use with its plural forms.

``tracker.validation`` names a field by a phrase ("The title", marked in ``FIELD_WORDS``) and a list field by its
English plural ("tags"); the message is made, and translated, when the rule fails.
"""

from __future__ import annotations

from tracker.i18n import N_, ngettext
from tracker.i18n import gettext as _

#: The phrases ``tracker.validation`` names its fields by (``what=``, ``missing=``): marked here for the catalogue
#: and translated where a message is made (``gettext(what)``), so that the field declarations stay plain strings.
FIELD_WORDS = (
    N_("This field"), N_("The title"), N_("Enter a title."), N_("The place"), N_("The source"), N_("The acronym"),
    N_("The name"), N_("Enter the organisation's name."), N_("Enter the person's name."), N_("A tag"),
    N_("A person's name"), N_("An organisation's name"), N_("An alias"), N_("kind"), N_("status"),
    N_("visibility"), N_("role"), N_("start date"), N_("end date"), N_("start time"), N_("end time"),
)  # fmt: skip


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
