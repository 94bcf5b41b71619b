"""The framework matrix's table: rows, columns across templates and renames, filters, summaries.

Cases and people are invented (Swedish and English).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.matrix import build_matrix, first_words
from coprod_tui.core.store import CaseStore
from coprod_tui.core.store.storage import atomic_write_bytes
from coprod_tui.core.template import FieldSpec, Section, Template

ENGLISH = Template(
    id="visit-en",
    version=1,
    title="Visit",
    language="en",
    source="invented",
    sections=(
        Section(id="situation", title="Situation"),
        Section(id="experience", title="Experience", renamed_from=("feelings",)),
        Section(id="reflections", title="Reflections"),
    ),
    fields=(FieldSpec(id="place", label="Place"), FieldSpec(id="role", label="Your role")),
)
#: Shares "situation", still uses the old id "feelings", has "waiting" and a field of its own.
SWEDISH = Template(
    id="besok-sv",
    version=1,
    title="Besök",
    language="sv",
    source="invented",
    sections=(
        Section(id="situation", title="Situationen"),
        Section(id="feelings", title="Känslor"),
        Section(id="waiting", title="Väntan"),
    ),
    fields=(FieldSpec(id="place", label="Plats"), FieldSpec(id="unit", label="Enhet")),
)


class Registry:
    def __init__(self, *templates: Template) -> None:
        self.templates = {t.id: t for t in templates}

    def get(self, template_id: str) -> Template:
        return self.templates[template_id]


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return CaseStore.open(tmp_path / "store", templates=Registry(ENGLISH, SWEDISH))


def add(store: CaseStore, title: str, template: Template, texts: dict[str, str], **kw) -> str:
    fields = kw.pop("fields", {})
    case = new_case(title, template, **kw)
    case.fields.update(fields)
    case = store.create(case)
    for section_id, text in texts.items():
        store.write_section(case.id, section_id, text)
    return case.id


def rows_by_id(matrix) -> dict[str, dict[str, str]]:
    headers = matrix.table.headers
    return {row[0]: dict(zip(headers, row, strict=True)) for row in matrix.table.rows}


def test_one_row_per_case_with_id_title_tags_fields_and_every_section(store: CaseStore) -> None:
    karin = add(
        store,
        "Karin på vårdcentralen",
        ENGLISH,
        {"situation": "Karin väntar på återbesök.\nHon är orolig.", "reflections": "Vi lyssnade."},
        tags=["akut", "Remiss"],
        fields={"place": "Vårdcentralen Åby", "role": "sjuksköterska"},
    )
    matrix = build_matrix(store, [ENGLISH], language="sv")
    assert matrix.table.name == "Cases"
    assert matrix.table.headers == (
        "id",
        "title",
        "tags",
        "Place",
        "Your role",
        "1. Situation",
        "2. Experience",
        "3. Reflections",
    )
    row = rows_by_id(matrix)[karin]
    assert row["title"] == "Karin på vårdcentralen"
    assert row["tags"] == "akut, Remiss"
    assert row["Place"] == "Vårdcentralen Åby" and row["Your role"] == "sjuksköterska"
    assert row["1. Situation"] == "Karin väntar på återbesök.\nHon är orolig."
    assert row["2. Experience"] == ""
    assert row["3. Reflections"] == "Vi lyssnade."


def test_columns_across_templates_follow_renames_and_fields_join(store: CaseStore) -> None:
    oskar = add(
        store,
        "Oskar i väntrummet",
        SWEDISH,
        {"feelings": "Oskar är arg.", "waiting": "Två timmar."},
        fields={"place": "Åby", "unit": "Akuten"},
    )
    matrix = build_matrix(store, [ENGLISH, SWEDISH], language="sv")
    assert matrix.table.headers[3:] == (
        "Place",
        "Your role",
        "Enhet",
        "1. Situation",
        "2. Experience",
        "3. Reflections",
        "4. Väntan",
    )
    row = rows_by_id(matrix)[oskar]
    assert row["2. Experience"] == "Oskar är arg."  # stored under the old id "feelings"
    assert row["4. Väntan"] == "Två timmar."
    assert row["Place"] == "Åby" and row["Enhet"] == "Akuten" and row["Your role"] == ""


def test_sections_select_and_order_columns_by_id_old_id_or_number(store: CaseStore) -> None:
    add(store, "Anna", ENGLISH, {"situation": "S", "experience": "E", "reflections": "R"})
    matrix = build_matrix(store, [ENGLISH], sections=["reflections", "feelings"])
    assert matrix.table.headers[-2:] == ("3. Reflections", "2. Experience")
    assert matrix.table.rows[0][-2:] == ["R", "E"]
    by_number = build_matrix(store, [ENGLISH], sections=["1", "situation"])
    assert by_number.table.headers[-1] == "1. Situation"  # named twice, shown once
    assert len(by_number.table.headers) == 6
    with pytest.raises(UserInputError, match="no section 'plans'.*situation, experience"):
        build_matrix(store, [ENGLISH], sections=["plans"])


def test_tag_filter_trash_and_damaged_cases_are_left_out(store: CaseStore) -> None:
    keep = add(store, "Berit", ENGLISH, {}, tags=["Akut"])
    add(store, "Cecilia", ENGLISH, {}, tags=["remiss"])
    gone = add(store, "David", ENGLISH, {}, tags=["akut"])
    store.trash(gone)
    broken = add(store, "Erik", ENGLISH, {}, tags=["akut"])
    atomic_write_bytes(store.path / "cases" / f"{broken}.json", b"{not json")
    matrix = build_matrix(store, [ENGLISH], tag="akut")
    assert [row[0] for row in matrix.table.rows] == [keep]
    assert matrix.damaged == 1 and matrix.tag == "akut"
    assert len(build_matrix(store, [ENGLISH]).table.rows) == 2


def test_rows_are_in_swedish_order_when_the_language_is_swedish(store: CaseStore) -> None:
    for title in ("Örjan", "Zara", "Åsa", "Ärla", "Anders"):
        add(store, title, ENGLISH, {})
    titles = [row[1] for row in build_matrix(store, [ENGLISH], language="sv").table.rows]
    assert titles == ["Anders", "Zara", "Åsa", "Ärla", "Örjan"]


def test_words_cuts_each_section_to_its_first_words(store: CaseStore) -> None:
    add(
        store,
        "Frida",
        ENGLISH,
        {"situation": "Frida  ringde i går\nom sin remiss.", "experience": "Kort."},
    )
    matrix = build_matrix(store, [ENGLISH], words=3)
    row = matrix.table.rows[0]
    assert row[-3] == "Frida  ringde i…"
    assert row[-2] == "Kort."  # shorter than three words: whole, no ellipsis
    with pytest.raises(UserInputError):
        build_matrix(store, [ENGLISH], words=0)


def test_first_words() -> None:
    assert first_words("ett två tre", 3) == "ett två tre"
    assert first_words("ett två tre ", 2) == "ett två…"
    assert first_words("  ett\n\ntvå", 1) == "ett…"
    assert first_words("", 4) == ""
    assert first_words("inte kortad", None) == "inte kortad"


def test_progress_is_told_up_to_the_total(store: CaseStore) -> None:
    for number in range(3):
        add(store, f"Case {number}", ENGLISH, {})
    told: list[tuple[int, int]] = []
    build_matrix(store, [ENGLISH], progress=lambda done, total: told.append((done, total)))
    assert told[0] == (0, 3) and told[-1] == (3, 3)
