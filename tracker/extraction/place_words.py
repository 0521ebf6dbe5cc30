"""How place names change with case in Albanian, Serbian and Macedonian: a small table of endings per language.

Releases write "në Shkup", "Qyteti i Shkupit", "у Београду", "Republikës së Maqedonisë së Veriut": the gazetteer
holds one form per name and these functions give the others, from the name's last letter. They over-generate on
purpose (a form no text uses costs a key, not a false match) but never cut a name shorter than its stem, so no
form is a different, shorter word. English names do not inflect.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

#: Albanian articles that change with case ("Maqedonia e Veriut", "Maqedonisë së Veriut"); one stands for all.
ARTICLES = frozenset({"e", "së", "të", "i"})
#: Words of names that never inflect: function words, and Albanian words already in an oblique case ("Veriut").
FIXED = frozenset({"of", "the", "and", "dhe", "и", "da", "de", "la", "le", "el", "del", "saint", "st."})
OBLIQUE = ("ut", "it", "së", "ës", "ve")
CYRILLIC = frozenset("абвгдђежзѕијклљмнњопрстћќуфхцчџшѓ")
#: The most forms one name may have; past it fewer of its words inflect (see ``name_forms``).
MAX_FORMS = 400


def _with(stem: str, endings: str) -> set[str]:
    """``stem`` plus each space-separated ending ("-" for none)."""
    return {stem + ("" if ending == "-" else ending) for ending in endings.split()}


def albanian_forms(word: str) -> set[str]:
    """Tiranë -> Tirana, Tiranës; Shkup -> Shkupi, Shkupit, Shkupin; Maqedonia -> Maqedonisë; Shkodër -> Shkodra."""
    stem, last = word[:-1], word[-1]
    if last == "ë":
        return _with(stem, "ë e a ës es ën en")
    if last == "a":
        forms = _with(stem, "a ë e ës es ën en")
        if stem.endswith("i"):  # -ia: Maqedonia, Maqedoni, Maqedonisë, Maqedoninë
            forms |= _with(stem, "- së se në ne")
        return forms
    if last == "i":  # indefinite feminine (Serbi -> Serbia, Serbisë) or definite masculine (Shkupi -> Shkupit)
        return _with(word, "- a së se në ne t n")
    if last == "e":  # feminine in -e: Sofje -> Sofjes, Sofjen
        return _with(word, "- s n")
    if last in "aiouy":
        return {word}
    forms = _with(word, "- i it in u ut un")
    if last == "j":  # after a vowel the article is -t: Ferizaj -> Ferizajt
        forms |= _with(word, "t")
    if word.endswith("ër"):  # the ë drops before an ending: Shkodër -> Shkodra, Zvicër -> Zvicrës
        forms |= _with(word[:-2] + "r", "a ës es ën en")
    return forms


def serbian_latin_forms(word: str) -> set[str]:
    """Ženeva -> Ženevi, Ženeve; Beograd -> Beogradu; Skoplje -> Skoplju; Republika -> Republici; Novi -> Novom."""
    stem, last = word[:-1], word[-1]
    if last == "a":
        forms = _with(stem, "a e i u om oj")
        for hard, soft in (("k", "c"), ("g", "z"), ("h", "s")):  # sibilarisation: Republika -> Republici
            if stem.endswith(hard):
                forms.add(stem[:-1] + soft + "i")
        return forms
    if last == "o":
        return _with(stem, "o a u om")
    if last == "e":
        return _with(stem, "e a u em")
    if last == "i":  # adjectives: Novi Sad -> Novom Sadu, Novog Sada
        return {word} | _with(stem, "og om oga omu")
    if last in "uy":
        return {word}
    forms = _with(word, "- a u om e")
    if word[-2] == "a" and last in "ck":  # the a drops before an ending: Kragujevac -> Kragujevcu, Čačak -> Čačku
        forms |= _with(word[:-2] + last, "a u om")
    return forms


def serbian_cyrillic_forms(word: str) -> set[str]:
    """Женева -> Женеви; Београд -> Београду; Скопље -> Скопљу; Република -> Републици; Северна -> Северној."""
    stem, last = word[:-1], word[-1]
    if last == "а":
        forms = _with(stem, "а е и у ом ој")
        for hard, soft in (("к", "ц"), ("г", "з"), ("х", "с")):
            if stem.endswith(hard):
                forms.add(stem[:-1] + soft + "и")
        return forms
    if last == "о":
        return _with(stem, "о а у ом")
    if last == "е":
        return _with(stem, "е а у ем")
    if last == "и":
        return {word} | _with(stem, "ог ом ога ому")
    if last == "у":
        return {word}
    forms = _with(word, "- а у ом е")
    if word[-2] == "а" and last in "цк":  # Крагујевац -> Крагујевцу, Чачак -> Чачку
        forms |= _with(word[:-2] + last, "а у ом")
    return forms


def macedonian_forms(word: str) -> set[str]:
    """Macedonian nouns keep their form; only the definite article joins them (Чешка -> Чешката, Белград -> ...от)."""
    last = word[-1]
    if last == "а":
        return _with(word, "- та")
    if last in "ое":
        return _with(word, "- то")
    if last in "иуј":
        return {word}
    return _with(word, "- от")


def _latin_any(word: str) -> set[str]:
    return albanian_forms(word) | serbian_latin_forms(word)


def _cyrillic_any(word: str) -> set[str]:
    return serbian_cyrillic_forms(word) | macedonian_forms(word)


#: Endings by language, for names whose language is known (countries); None: by script (geonames' city names).
BY_LANGUAGE: dict[str | None, Callable[[str], set[str]] | None] = {
    "en": None,
    "sq": albanian_forms,
    "sr-Latn": serbian_latin_forms,
    "sr": serbian_cyrillic_forms,
    "mk": macedonian_forms,
}


def word_forms(word: str, language: str | None = None) -> set[str]:
    """The forms of one case-folded word of a name; articles stand for one another."""
    if word in ARTICLES:
        return set(ARTICLES)
    if len(word) < 3 or word in FIXED or word.endswith(OBLIQUE) or not word.isalpha():
        return {word}
    if language is not None:
        inflect = BY_LANGUAGE[language]
    else:
        inflect = _cyrillic_any if any(char in CYRILLIC for char in word) else _latin_any
    return inflect(word) if inflect else {word}


def name_forms(name: str, language: str | None = None) -> set[str]:
    """Every inflected form of a case-folded name ("maqedonia e veriut" -> "maqedonisë së veriut", ...).

    Each word takes its own endings (a Serbian adjective agrees with its noun, an Albanian article changes with
    the case); when that makes too many combinations, only the first and last words inflect, then only the last,
    and names of more than three words inflect only their articles.
    """
    words = name.split()
    content = [at for at, word in enumerate(words) if word not in ARTICLES and word not in FIXED]
    options = [word_forms(word, language) for word in words]
    if len(content) > 3:
        content = []
    for keep in (content, content[:1] + content[-1:], content[-1:], []):
        trimmed = [forms if at in keep or words[at] in ARTICLES else {words[at]} for at, forms in enumerate(options)]
        if math.prod(len(forms) for forms in trimmed) <= MAX_FORMS:
            options = trimmed
            break
    return {" ".join(combination) for combination in itertools.product(*options)}
