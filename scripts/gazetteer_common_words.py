"""Write ``scripts/gazetteer_common_words.txt``: place-name forms that are also common words, never matched as places.

A maintainer's tool, run by hand (it needs ``pip install wordfreq``, which nothing else uses) after changing the
gazetteer's names or endings; ``build_gazetteer.py`` reads the committed list and so needs no word frequencies. A
form is listed when it is among the most frequent words of English, Macedonian or Serbo-Croatian (Latin, and its
Serbian Cyrillic spelling) and names a city that is not well known: a capital, a curated city or a city of the
region is well known (its towns named like words, "Prozor", are left out by the builder), and so is any city of
50,000 people for an English word (wordfreq's English list is full of city names, and a big city's name is seldom a
word) or of 100,000 for a Macedonian or Serbian one. So "Onda" (Spain; "then"), "Summit" (US) and "Taylor" (US) are
listed; "Split", "Ohrid", "Graz" and "Gaza" not. Words that name a well-known city and are still common words
("Tema", Ghana, "topic"; "nisu", "are not", a form of Niš; "Istok", Kosovo, "east") are in ``build_gazetteer.STOP``
or ``FORCE`` below, by hand.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path

import wordfreq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.extraction.places import keys_of  # noqa: E402

OUTPUT = Path(__file__).resolve().parent / "gazetteer_common_words.txt"
TOP = 50_000
#: A city at least this big is well known (see above).
BIG = {"en": 50_000, "mk": 100_000, "sh": 100_000}


def _words(text: str) -> set[str]:
    return set(text.split())


#: English words that name a city of 50,000 or more and are (read by hand in the list this script printed)
#: far more often a person, a thing or a region than that city.
FORCE = _words(
    """man big side date david george cars wedding mary surprise martin forest chair taylor virginia jackson carolina
    roman davis elizabeth temple rugby gary allen wayne anderson ann commonwealth hamilton lawrence lincoln praise
    clay kennedy barry oral warren brick nelson pole charlotte franklin ontario metro madison tyler nancy norman tours
    julia julie julien rogers hub logan brandon bryan frederick troy newton acre henderson carson richardson gilbert
    reservoir bury poles hayes saga lynn niche milton victories sunrise tracy eugene wan worms wyoming flint hammond
    kai nigel surrey darwin sparks chandler norton turbo castro paramount sutton windsor plantation shaping boulder
    irving rodriguez vista highland santos brent stalin api jupiter hassan nikki bolton hampton woodland alicia bam
    sis conway kendall mao edison erie hoover shelby stafford canton kara bowie brits alexandra camden everett
    buchanan barking thornton tyre mesa dudley homestead ser weston ajax ama blackburn buckley gao garland rubio
    confederation lowell orion rivera una atlantis caldwell torrent vaughan ames cary corona livingston midland
    mackay mandela natal paterson quincy bender greenwood bartlett langley antony compton latina meridian adler
    centennial hayward constantine davenport moreno milford ventura clifton mascara pristine chinatown mojo ode
    sakura uptown peabody sanford zara blaine chatham dalai denton cheyenne sig billings olympia athena cypress
    downey hawthorne amherst carmichael mendoza woodlands pueblo carmel fuji hamid ina melo santana americana chico
    kira redmond soma tome casper derry ogden cicero monsanto morley samba bama concordia paine colton lander yao
    candies nada waldorf fleetwood macon napier massa mora anand astoria livingstone sabha rouse mariano revere
    arcadia kimberley mariana mau upland goodyear pau sari centurion mons marietta rosetta karin mila bello chino
    hagen centro chas nix orkney janine largo lira mush paco babu moa oss benfica naga ota kaya racine delgado palma
    enid fishers bol fontana dali serra itu valence barra sams engels uga bimbo ica mala simmering davie kita bela
    grays pilar puri manta gaya asahi hani miki moro tama iga ilo pare samar butterworth warne sousa formosa margate
    poli deva ise hala pushkin aku seri anda fatwa pala azul horizonte indio bade eldorado khanna timon kandi goya
    rodin tsu masai oas lorena naka kobo rangel sakurai agr bolus tonk berta gare beni flavia midori minna bau emin
    gama juli saki cavalli marl barbosa"""
)
#: Well-known cities whose own names are common words, kept all the same.
KEEP = {"nice", "bari", "oxford", "cambridge", "split", "varna", "tuzla", "ohrid", "bled"}

_CYRILLIC = {"lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "đ": "ђ",
             "e": "е", "ž": "ж", "z": "з", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
             "p": "п", "r": "р", "s": "с", "t": "т", "ć": "ћ", "u": "у", "f": "ф", "h": "х", "c": "ц", "č": "ч",
             "š": "ш"}  # fmt: skip


def cyrillic_of(latin: str) -> str | None:
    """Serbian Cyrillic for a Serbo-Croatian Latin word, or None if it has other letters."""
    out, at = [], 0
    while at < len(latin):
        pair = latin[at : at + 2]
        if pair in _CYRILLIC:
            out.append(_CYRILLIC[pair])
            at += 2
        elif latin[at] in _CYRILLIC:
            out.append(_CYRILLIC[latin[at]])
            at += 1
        else:
            return None
    return "".join(out)


def common_words(language: str) -> list[str]:
    """The language's commonest words; Serbo-Croatian in Latin and in Serbian Cyrillic."""
    words = wordfreq.top_n_list(language, TOP)
    if language == "sh":
        words += [cyrillic for word in words if (cyrillic := cyrillic_of(word))]
    return words


def main() -> int:
    builder = _load_builder()
    data = json.loads(gzip.decompress(builder.OUTPUT.read_bytes()))
    data["stop"] = sorted(builder.STOP)  # the hand-made list only: this one is what we are making
    rows = {(row[0], row[1], row[3]): row for row in data["cities"]}
    keys = keys_of(data)
    verdicts: dict[str, bool] = {}  # word -> listed; a word common in several languages is judged by the mildest
    for language in ("en", "mk", "sh"):
        for word in common_words(language):
            key = keys.get(word)
            if key is None or key.place.city is None or word in KEEP:
                continue
            row = rows[(key.place.city, key.place.country, key.place.population)]
            curated = len(row) > 4 and bool(row[4] & builder.INFLECT) and row[1] not in builder.REGION
            # the region's towns are what its languages' texts name: their common words are in STOP by hand
            well_known = curated or row[1] in builder.REGION or row[3] >= BIG[language]
            verdicts[word] = verdicts.get(word, True) and not well_known
    listed = {word for word, verdict in verdicts.items() if verdict} | (FORCE - builder.STOP)
    header = f"# Written by scripts/gazetteer_common_words.py (wordfreq's {TOP:,} commonest en, mk, sh words)\n"
    OUTPUT.write_text(header + "".join(f"{word}\n" for word in sorted(listed)))
    print(f"{OUTPUT}: {len(listed)} words")
    return 0


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
