"""Romanised spellings and organisation slugs (``tracker.text``, the models' slug hook, migration 0006)."""

from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy import text
from sqlmodel import Session

from tests.conftest import PROJECT_ROOT
from tracker.models import Organisation
from tracker.text import CYRILLIC_TO_ASCII, romanise, slugify

ROMANISED = [
    ("António Vitorino", "antonio vitorino"),
    ("Антонио Виторино", "antonio vitorino"),
    ("Vít Rakušan", "vit rakusan"),
    ("Оливер Спасовски", "oliver spasovski"),
    ("Жерновски", "zernovski"),  # folded scientific Latin: how "Žernovski" reads once folded
    ("Ђорђе Ћосић", "dorde cosic"),
    ("Straße ŁÓDŹ", "strasse lodz"),
    ("Ministria e Punëve të Brendshme", "ministria e puneve te brendshme"),
]

SLUGS = [
    ("International Organization for Migration", "international-organization-for-migration"),
    ("MoI CZ", "moi-cz"),
    ("Министерство за внатрешни работи", "ministerstvo-za-vnatreshni-raboti"),
    ("Жерновски", "zhernovski"),  # the ASCII way people type it
    ("  --IOM -- (UN)--  ", "iom-un"),
    ("Ministria e Punëve të Brendshme", "ministria-e-puneve-te-brendshme"),
    ("!!!", ""),
]


@pytest.mark.parametrize(("name", "expected"), ROMANISED)
def test_romanise_spells_every_script_the_same_way(name: str, expected: str) -> None:
    assert romanise(name) == expected


@pytest.mark.parametrize(("name", "expected"), SLUGS)
def test_slugs_are_readable_ascii(name: str, expected: str) -> None:
    assert slugify(name) == expected


def test_a_slug_is_cut_at_a_word_boundary_without_a_trailing_hyphen() -> None:
    assert slugify("a" * 79 + " b", maximum=80) == "a" * 79
    assert slugify("word " * 30, maximum=12) == "word-word-wo"


def test_the_ascii_table_spells_digraphs() -> None:
    assert romanise("Жж Шш Чч", CYRILLIC_TO_ASCII) == "zhzh shsh chch"


def test_new_organisations_get_free_slugs_from_acronym_or_name(db_session: Session) -> None:
    db_session.add(Organisation(name="International Organization for Migration", acronym="IOM"))
    db_session.commit()
    same_acronym_later = Organisation(name="Institute of Medicine", acronym="iom ")
    no_acronym = Organisation(name="Министерство за внатрешни работи")
    twin_in_one_flush = Organisation(name="Ministerstvo za vnatreshni raboti")
    db_session.add_all([same_acronym_later, no_acronym, twin_in_one_flush])
    db_session.commit()
    slugs = dict(db_session.execute(text("SELECT name, slug FROM organisation")).all())
    assert slugs == {
        "International Organization for Migration": "iom",
        "Institute of Medicine": "iom-2",
        "Министерство за внатрешни работи": "ministerstvo-za-vnatreshni-raboti",
        "Ministerstvo za vnatreshni raboti": "ministerstvo-za-vnatreshni-raboti-2",
    }


def test_a_renamed_organisation_keeps_its_address(db_session: Session) -> None:
    organisation = Organisation(name="Ministry of Interior", acronym="MoI MK")
    db_session.add(organisation)
    db_session.commit()
    organisation.name, organisation.acronym = "Ministry of Internal Affairs", "MVR"
    db_session.commit()
    assert db_session.execute(text("SELECT slug FROM organisation")).scalar_one() == "moi-mk"


def test_the_migration_fills_slugs_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    path = PROJECT_ROOT / "tracker" / "migrations" / "versions" / "0006_editors_desk.py"
    spec = importlib.util.spec_from_file_location("migration_0006", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]

    class Connection:
        def __init__(self) -> None:
            self.updates: dict[int, str] = {}

        def execute(self, statement: object, values: dict[str, object] | None = None) -> object:
            if values is None:
                return type(
                    "Rows", (), {"all": lambda _self: [(1, "IOM", None), (2, "Other", "IOM"), (3, "!", None)]}
                )()
            self.updates[int(values["id"])] = str(values["slug"])  # type: ignore[arg-type]
            return None

    connection = Connection()
    monkeypatch.setattr(module.op, "get_bind", lambda: connection, raising=False)
    module._fill_slugs()
    assert connection.updates == {1: "iom", 2: "iom-2", 3: "organisation"}
