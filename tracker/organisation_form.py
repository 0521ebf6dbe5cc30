"""The directory form's organisation: ``OrganisationInput`` plus its name and acronym in Macedonian and Albanian.

Each language's name is one line of at most ``SHORT_MAX`` characters, its acronym follows the stored acronym's
rules; both are optional, but an acronym needs a name in its language. ``names`` is what
``tracker.organisation_names.encode_names`` stores. Forms that leave the fields out (the JSON API uses
``OrganisationInput``) keep the stored translations.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from pydantic import BeforeValidator

from tracker.i18n import N_, gettext
from tracker.organisation_names import NAME_LANGUAGES, parse_names
from tracker.validation import SHORT_MAX, InputError, OrganisationInput, _acronym, _line

#: What a too long name is called in its message.
_NAME_WHAT = {"mk": N_("The name in Macedonian"), "sq": N_("The name in Albanian")}
#: When an acronym is given in a language without a name.
NAME_WANTED = {
    "mk": N_("Enter the name in Macedonian too: an acronym needs a name in its language."),
    "sq": N_("Enter the name in Albanian too: an acronym needs a name in its language."),
}
#: The form's fields of each translated language: (name field, acronym field).
FIELDS = {language: (f"name_{language}", f"acronym_{language}") for language in NAME_LANGUAGES}


def _optional_name(value: Any, *, language: str) -> str:
    return _line(value, maximum=SHORT_MAX, what=_NAME_WHAT[language])


class OrganisationForm(OrganisationInput):
    name_mk: Annotated[str, BeforeValidator(partial(_optional_name, language="mk"))] = ""
    acronym_mk: Annotated[str | None, BeforeValidator(_acronym)] = None
    name_sq: Annotated[str, BeforeValidator(partial(_optional_name, language="sq"))] = ""
    acronym_sq: Annotated[str | None, BeforeValidator(_acronym)] = None

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> Any:
        """Validate (``FormModel.from_form``); an acronym without a name in its language is an error too."""
        errors: dict[str, str] = {}
        form = None
        try:
            form = super().from_form(data)
        except InputError as error:
            errors = dict(error.errors)
        for language, (name_field, acronym_field) in FIELDS.items():
            if str(data.get(acronym_field) or "").strip() and not str(data.get(name_field) or "").strip():
                errors.setdefault(name_field, gettext(NAME_WANTED[language]))
        if errors:
            raise InputError(errors)
        return form

    @property
    def names(self) -> dict[str, dict[str, str]]:
        """``{"mk": {"name": …, "acronym": …}}`` for the languages given a name."""
        found = {}
        for language, (name_field, acronym_field) in FIELDS.items():
            name = getattr(self, name_field)
            if name:
                found[language] = {"name": name, "acronym": getattr(self, acronym_field) or ""}
        return found


def names_values(translations: str | None) -> dict[str, str]:
    """The form values showing stored translations (``name_mk``, ``acronym_mk``, …)."""
    stored = parse_names(translations)
    values = {}
    for language, (name_field, acronym_field) in FIELDS.items():
        values[name_field] = stored.get(language, {}).get("name", "")
        values[acronym_field] = stored.get(language, {}).get("acronym", "")
    return values
