"""The coverage matrix: statuses, columns across templates and renames, totals, sorting, JSON.

Cases and people are invented. The word counts come from the catalog, so a
matrix of many cases opens no case file; rows cached before the counts
existed are re-read, never trusted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.coverage import SHORT_WORDS, build_coverage, cell_status
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.store import CaseStore
from coprod_tui.core.store.storage import atomic_write_bytes
from coprod_tui.core.template import Section, Template

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
)
#: Shares two ids with ENGLISH, still uses the old id "feelings", and has one of its own.
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
)


class Registry:
    def __init__(self, *templates: Template) -> None:
        self.templates = {t.id: t for t in templates}

    def get(self, template_id: str) -> Template:
        return self.templates[template_id]


def words(n: int) -> str:
    return " ".join(["ord"] * n)


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return CaseStore.open(tmp_path / "store", templates=Registry(ENGLISH, SWEDISH))


def add(store: CaseStore, title: str, template: Template, texts: dict[str, str], **kw) -> str:
    case = store.create(new_case(title, template, **kw))
    for section_id, text in texts.items():
        store.write_section(case.id, section_id, text)
    return case.id


def test_status_thresholds() -> None:
    assert cell_status(0) == "empty"
    assert cell_status(1) == "short"
    assert cell_status(SHORT_WORDS - 1) == "short"
    assert cell_status(SHORT_WORDS) == "written"


def test_cells_count_words_and_say_empty_short_written(store: CaseStore) -> None:
    karin = add(
        store,
        "Karin på vårdcentralen",
        ENGLISH,
        {"situation": words(SHORT_WORDS), "experience": words(3), "reflections": "   \n  "},
    )
    coverage = build_coverage(store, [ENGLISH], language="sv")
    assert [c.id for c in coverage.columns] == ["situation", "experience", "reflections"]
    assert [c.number for c in coverage.columns] == [1, 2, 3]
    assert coverage.cell(karin, "situation").words == SHORT_WORDS
    assert coverage.cell(karin, "situation").status == "written"
    assert coverage.cell(karin, "experience").status == "short"
    assert coverage.cell(karin, "reflections").status == "empty"  # blank text is empty


def test_columns_follow_the_default_template_then_others_and_renames_count(
    store: CaseStore,
) -> None:
    # Written in the Swedish template under the old id "feelings": it counts as "experience".
    oskar = add(store, "Oskar i väntrummet", SWEDISH, {"feelings": words(25), "waiting": words(4)})
    coverage = build_coverage(store, [ENGLISH, SWEDISH], language="sv")
    assert [c.id for c in coverage.columns] == [
        "situation",
        "experience",
        "reflections",
        "waiting",
    ]
    assert coverage.columns[0].title == "Situation"  # the default template names it
    assert coverage.cell(oskar, "experience").words == 25
    assert coverage.cell(oskar, "feelings").words == 25  # the old id finds the same cell
    assert coverage.cell(oskar, "waiting").status == "short"
    # The Swedish template leading: its order and titles first.
    swedish_first = build_coverage(store, [SWEDISH, ENGLISH], language="sv")
    assert [c.id for c in swedish_first.columns][:3] == ["situation", "feelings", "waiting"]
    assert swedish_first.columns[0].title == "Situationen"
    assert swedish_first.cell(oskar, "feelings").words == 25


def test_totals_per_section(store: CaseStore) -> None:
    add(store, "Anna", ENGLISH, {"situation": words(30)})
    add(store, "Bertil", ENGLISH, {"situation": words(2), "reflections": words(40)})
    add(store, "Cecilia", ENGLISH, {})
    coverage = build_coverage(store, [ENGLISH])
    situation, experience, reflections = coverage.totals
    assert (situation.written, situation.short, situation.empty, situation.words) == (1, 1, 1, 32)
    assert (experience.written, experience.short, experience.empty) == (0, 0, 3)
    assert (reflections.written, reflections.words) == (1, 40)


def test_trashed_cases_are_left_out_and_tags_filter_without_regard_to_case(
    store: CaseStore,
) -> None:
    kept = add(store, "Doris", ENGLISH, {"situation": words(5)}, tags=["Akut"])
    add(store, "Egon", ENGLISH, {"situation": words(5)}, tags=["remiss"])
    gone = add(store, "Frida", ENGLISH, {}, tags=["akut"])
    store.trash(gone)
    assert [row.case_id for row in build_coverage(store, [ENGLISH], tag="AKUT").rows] == [kept]
    assert len(build_coverage(store, [ENGLISH]).rows) == 2
    assert build_coverage(store, [ENGLISH], tag="ingen").rows == ()


def test_sorting_by_title_updated_and_section(store: CaseStore) -> None:
    add(store, "Örjan", ENGLISH, {"situation": words(1)})
    add(store, "Åsa", ENGLISH, {"situation": words(50)})
    add(store, "Zelda", ENGLISH, {"situation": words(10)})
    coverage = build_coverage(store, [ENGLISH], language="sv")
    assert [row.title for row in coverage.rows] == ["Zelda", "Åsa", "Örjan"]
    english = build_coverage(store, [ENGLISH], language="en")
    assert [row.title for row in english.rows] == ["Åsa", "Örjan", "Zelda"]
    by_words = coverage.sorted("situation")
    assert [row.title for row in by_words.rows] == ["Örjan", "Zelda", "Åsa"]
    assert [row.title for row in coverage.sorted("situation", reverse=True).rows] == [
        "Åsa",
        "Zelda",
        "Örjan",
    ]
    newest_first = coverage.sorted("updated", reverse=True)
    stamps = [row.updated for row in newest_first.rows]
    assert stamps == sorted(stamps, reverse=True)
    with pytest.raises(UserInputError, match="cannot sort by"):
        coverage.sorted("nonsense")


def test_json_has_every_section_for_every_case(store: CaseStore) -> None:
    case_id = add(store, "Gustav", ENGLISH, {"experience": words(21)}, tags=["hem"])
    data = json.loads(json.dumps(build_coverage(store, [ENGLISH]).to_json()))
    assert data["short_words"] == SHORT_WORDS
    assert [s["id"] for s in data["sections"]] == ["situation", "experience", "reflections"]
    (case,) = data["cases"]
    assert case["id"] == case_id and case["tags"] == ["hem"] and case["words"] == 21
    assert case["cells"]["experience"] == {"words": 21, "status": "written"}
    assert case["cells"]["situation"] == {"words": 0, "status": "empty"}
    assert data["totals"]["experience"] == {"written": 1, "short": 0, "empty": 0, "words": 21}


def test_no_case_file_is_opened_through_the_store(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(store, "Helga", ENGLISH, {"situation": words(7)})
    store.list_cases()

    def refuse(*_args: object, **_kw: object) -> None:
        raise AssertionError("coverage must read the catalog, not the cases")

    monkeypatch.setattr(store, "load", refuse)
    monkeypatch.setattr(store, "read_file", refuse)
    assert build_coverage(store, [ENGLISH]).rows[0].cells[0].words == 7


def test_catalog_rows_from_before_word_counts_are_read_again(store: CaseStore) -> None:
    case_id = add(store, "Ivar", ENGLISH, {"situation": words(12), "reflections": words(30)})
    store.rebuild_catalog()
    catalog = store.path / "catalog.json"
    data = json.loads(catalog.read_text("utf-8"))
    # Make it the older row format: no "words" field.
    data["fields"] = data["fields"][:-1]
    for area in ("cases", "trash"):
        for row in data[area].values():
            row.pop()
    atomic_write_bytes(catalog, json.dumps(data).encode(), mode=0o600)
    (store.path / "catalog.journal").unlink(missing_ok=True)

    coverage = build_coverage(store, [ENGLISH])
    assert coverage.cell(case_id, "situation").words == 12
    assert coverage.cell(case_id, "reflections").status == "written"
    (summary,) = store.list_cases()
    assert summary.section_words() == {"situation": 12, "reflections": 30}


def test_a_damaged_case_is_counted_not_shown(store: CaseStore) -> None:
    add(store, "Jonna", ENGLISH, {"situation": words(3)})
    bad = add(store, "Klas", ENGLISH, {})
    (store.path / "cases" / f"{bad}.json").write_bytes(b"{not json")
    coverage = build_coverage(store, [ENGLISH])
    assert [row.title for row in coverage.rows] == ["Jonna"]
    assert coverage.damaged == 1


def test_progress_is_told_up_to_the_total(store: CaseStore) -> None:
    for name in ("Lena", "Måns", "Nils"):
        add(store, name, ENGLISH, {})
    seen: list[tuple[int, int]] = []
    build_coverage(store, [ENGLISH], progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_a_registry_gives_its_default_template_first(store: CaseStore) -> None:
    class Installed:
        def all(self) -> list[Template]:
            return [SWEDISH, ENGLISH]

        def default(self) -> Template:
            return ENGLISH

    add(store, "Olle", SWEDISH, {"waiting": words(2)})
    coverage = build_coverage(store, Installed())
    assert [c.id for c in coverage.columns] == [
        "situation",
        "experience",
        "reflections",
        "waiting",
    ]


def test_a_column_says_where_to_open_a_case_of_each_template() -> None:
    columns = {c.id: c for c in build_columns()}
    assert columns["experience"].section_id_in(ENGLISH) == "experience"
    assert columns["experience"].section_id_in(SWEDISH) == "feelings"
    assert columns["waiting"].section_id_in(ENGLISH) is None
    assert columns["situation"].section_id_in(None) is None


def build_columns():
    from coprod_tui.core.coverage import section_columns

    return section_columns(ENGLISH, [ENGLISH, SWEDISH])
