"""The language machinery itself: parsing a language from outside, the current language, catalogues and plurals.

The catalogues here are written by the test (a few entries in a temporary folder), so what a translation should
give is known without the app: the oracle is the test's own .po text and CLDR's plural rule as Babel states it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from babel import Locale
from jinja2 import Environment

from tracker import i18n

PO = """\
msgid ""
msgstr ""
"Language: mk\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n % 10 != 1 || n % 100 == 11);\\n"

msgid "Upcoming"
msgstr "{upcoming}"

msgid "%(num)d event"
msgid_plural "%(num)d events"
msgstr[0] "%(num)d настан"
msgstr[1] "%(num)d настани"
"""


def write_catalogue(folder: Path, upcoming: str) -> Path:
    path = folder / "mk" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PO.format(upcoming=upcoming), encoding="utf-8")
    return path


@pytest.mark.parametrize(("raw", "expected"), [("mk", "mk"), (" SQ ", "sq"), ("en", "en")])
def test_a_language_from_outside_is_one_of_the_three(raw: str, expected: str) -> None:
    assert i18n.parse_language(raw) == expected


@pytest.mark.parametrize("raw", ["", "de", "mk-MK", "sq_AL", "x" * 500, "m\x00k"])
def test_any_other_language_is_refused_with_a_message_naming_the_choices(raw: str) -> None:
    with pytest.raises(i18n.LanguageError) as caught:
        i18n.parse_language(raw)
    assert "en, mk, sq" in str(caught.value) and len(str(caught.value)) < 120


def test_use_language_nests_and_restores_and_an_unknown_language_reads_as_the_default() -> None:
    assert i18n.current_language() == "en"
    with i18n.use_language("mk"):
        assert i18n.current_language() == "mk"
        with i18n.use_language("sq"):
            assert i18n.current_language() == "sq"
        assert i18n.current_language() == "mk"
        with i18n.use_language("de"):
            assert i18n.current_language() == "en"
    assert i18n.current_language() == "en"


def test_the_current_language_belongs_to_one_thread() -> None:
    seen: list[str] = []
    with i18n.use_language("mk"):
        worker = threading.Thread(target=lambda: seen.append(i18n.current_language()))
        worker.start()
        worker.join()
    assert seen == ["en"]


def test_a_po_without_its_mo_is_compiled_in_memory(tmp_path: Path) -> None:
    write_catalogue(tmp_path, "Претстојни")
    catalogue = i18n.load_catalogue(tmp_path, "mk")
    assert catalogue.gettext("Upcoming") == "Претстојни"
    assert catalogue.gettext("Not in the catalogue") == "Not in the catalogue"


def test_a_mo_is_used_unless_its_po_is_newer(tmp_path: Path) -> None:
    po = write_catalogue(tmp_path, "from the mo")
    mo = po.with_suffix(".mo")
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source, mo.open("wb") as target:
        write_mo(target, read_po(source, locale="mk"))
    write_catalogue(tmp_path, "from the po")
    os.utime(po, (1_000_000, 1_000_000))
    os.utime(mo, (2_000_000, 2_000_000))
    assert i18n.load_catalogue(tmp_path, "mk").gettext("Upcoming") == "from the mo"
    os.utime(po, (3_000_000, 3_000_000))
    assert i18n.load_catalogue(tmp_path, "mk").gettext("Upcoming") == "from the po"


def test_a_language_without_a_catalogue_reads_as_english(tmp_path: Path) -> None:
    assert i18n.load_catalogue(tmp_path, "sq").gettext("Upcoming") == "Upcoming"


@pytest.mark.parametrize("count", [0, 1, 2, 5, 11, 21, 101, 111])
def test_plural_forms_follow_cldr(tmp_path: Path, count: int) -> None:
    write_catalogue(tmp_path, "x")
    catalogue = i18n.load_catalogue(tmp_path, "mk")
    one = Locale.parse("mk").plural_form(count) == "one"
    expected = f"{count} настан" if one else f"{count} настани"
    assert catalogue.ngettext("%(num)d event", "%(num)d events", count) % {"num": count} == expected


def test_gettext_fills_named_placeholders_only_when_given() -> None:
    assert i18n.gettext("50% done") == "50% done"
    assert i18n.gettext("Hello %(name)s", name="Ana") == "Hello Ana"
    assert i18n.ngettext("%(num)d event in %(city)s", "%(num)d events in %(city)s", 3, city="Ohrid") == (
        "3 events in Ohrid"
    )


def test_templates_get_trans_blocks_with_placeholders_and_plurals() -> None:
    env = Environment(autoescape=True)
    i18n.install_in_jinja(env)
    template = env.from_string(
        "{% trans name=who %}Hello {{ name }}{% endtrans %}|"
        "{% trans count=n %}{{ count }} event{% pluralize %}{{ count }} events{% endtrans %}|"
        "{{ _('Fish & %(what)s', what=thing) }}|{{ current_language() }}"
    )
    # values are escaped; the catalogue's own text is trusted markup (it may hold a link), as Jinja treats it
    assert template.render(who="<Ana>", n=2, thing="<chips>") == "Hello &lt;Ana&gt;|2 events|Fish & &lt;chips&gt;|en"


def test_formats_use_the_24_hour_albanian_of_north_macedonia() -> None:
    assert str(i18n.babel_locale("sq")) == "sq_MK"
    assert "a" not in i18n.babel_locale("sq").time_formats["short"].pattern
    assert i18n.babel_locale("mk").first_week_day == 0


def test_a_refused_language_keeps_the_raw_value_and_quotes_at_most_twenty_characters() -> None:
    raw = "abcdefghijklmnopqrstuvwxyz"
    with pytest.raises(i18n.LanguageError) as caught:
        i18n.parse_language(raw)
    assert caught.value.value == raw
    assert "“abcdefghijklmnopqrst”" in str(caught.value)


def test_a_mo_as_new_as_its_po_is_used(tmp_path: Path) -> None:
    po = write_catalogue(tmp_path, "from the mo")
    mo = po.with_suffix(".mo")
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source, mo.open("wb") as target:
        write_mo(target, read_po(source, locale="mk"))
    write_catalogue(tmp_path, "from the po")
    os.utime(po, (2_000_000, 2_000_000))
    os.utime(mo, (2_000_000, 2_000_000))
    assert i18n.load_catalogue(tmp_path, "mk").gettext("Upcoming") == "from the mo"


@pytest.mark.parametrize("count", [1, 2, 11, 21])
@pytest.mark.parametrize("headers", [("Plural-Forms",), ("Plural-Forms", "Language:")])
def test_a_po_without_plural_forms_counts_as_its_language_does_in_cldr(
    tmp_path: Path, count: int, headers: tuple[str, ...]
) -> None:
    """Without its ``Plural-Forms`` header (nor even ``Language``), the folder's language gives CLDR's rule."""
    path = write_catalogue(tmp_path, "x")
    text = path.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(True) if not any(header in line for header in headers)]
    path.write_text("".join(kept), encoding="utf-8")
    catalogue = i18n.load_catalogue(tmp_path, "mk")
    one = Locale.parse("mk").plural_form(count) == "one"
    expected = f"{count} настан" if one else f"{count} настани"
    assert catalogue.ngettext("%(num)d event", "%(num)d events", count) % {"num": count} == expected


def test_english_plurals_take_the_singular_for_one_only() -> None:
    assert i18n.ngettext("%(num)d event", "%(num)d events", 1) == "1 event"
    assert i18n.ngettext("%(num)d event", "%(num)d events", 0) == "0 events"
    env = Environment(autoescape=True)
    i18n.install_in_jinja(env)
    template = env.from_string("{{ ngettext('%(num)d event', '%(num)d events', n) }}")
    assert [template.render(n=n) for n in (1, 2)] == ["1 event", "2 events"]


def test_templates_trim_the_whitespace_of_trans_blocks_as_extraction_does() -> None:
    env = Environment(autoescape=True)
    i18n.install_in_jinja(env)
    template = env.from_string("{% trans %}\n    One\n      sentence\n{% endtrans %}")
    assert template.render() == "One sentence"


def test_templates_know_the_languages_and_their_own_names() -> None:
    env = Environment(autoescape=True)
    i18n.install_in_jinja(env)
    template = env.from_string("{% for code in LANGUAGES %}{{ code }}={{ LANGUAGE_NAMES[code] }};{% endfor %}")
    assert template.render() == "en=English;mk=Македонски;sq=Shqip;"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ('{"mk": {"title": "Т"}, "de": {"title": "D"}, "sq": "text"}', {"mk": {"title": "Т"}}),
        ('{"sq": {"name": "N"}, "en": {}}', {"en": {}, "sq": {"name": "N"}}),
        ("not json", {}),
        ('["mk"]', {}),
        ("", {}),
        (None, {}),
    ],
)
def test_a_stored_translations_column_reads_as_the_offered_languages_objects(
    stored: str | None, expected: dict
) -> None:
    assert i18n.stored_by_language(stored) == expected
