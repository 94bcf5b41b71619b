"""Search covers insights; revisiting an insight suggests the cases that may hold more of it."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coprod_tui.core.insights.model import Link, new_insight
from coprod_tui.core.insights.store import LinkView, insights_of
from coprod_tui.core.insights.suggest import evidence, significant_words, suggest_cases
from coprod_tui.core.search import SearchIndex
from coprod_tui.core.store import CaseStore
from tests.search_helpers import add_case, open_store


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return open_store(tmp_path / "store")


@pytest.fixture
def cases(store: CaseStore) -> dict[str, str]:
    ids = {}
    ids["lind"] = add_case(
        store,
        "Hemgång för herr Lind",
        situation="Herr Lind ville åka hem samma kväll. Sonen hämtade honom med bilen.",
    ).id
    ids["berg"] = add_case(
        store,
        "Fru Berg och trappan",
        patient="Fru Berg ville åka hem, men trappan i huset var för brant.",
    ).id
    ids["tove"] = add_case(
        store, "Tove och astman", situation="Tove hade ont i bröstet sedan i fredags."
    ).id
    return ids


@pytest.fixture
def index(store: CaseStore, cases: dict[str, str]) -> Iterator[SearchIndex]:
    opened = SearchIndex.for_store(store)
    yield opened
    opened.close()


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_an_insight_is_found_by_its_title_text_and_tags(store, cases, index) -> None:
    made = insights_of(store).create(
        new_insight(
            "Hemlängtan styr beslutet", text="Patienter vill sova hemma.", tags=["utskrivning"]
        )
    )
    for query in ("hemlängtan", "sova hemma", "utskrivning", "hemlangtan"):
        hits = index.search_insights(query)
        assert [(h.kind, h.doc_id, h.title) for h in hits] == [
            ("insight", made.id, "Hemlängtan styr beslutet")
        ], query
    assert index.search_insights("tag:utskrivning")[0].doc_id == made.id
    assert index.search_insights("section:situation hemlängtan") == []
    # the cases' search is unchanged: insights never appear among case hits
    assert all(hit.kind == "case" for hit in index.search("hem"))


def test_compounds_in_an_insight_are_found(store, cases, index) -> None:
    made = insights_of(store).create(new_insight("Läkarremissen kom sent"))
    assert [h.doc_id for h in index.search_insights("remiss")] == [made.id]


def test_the_index_follows_writes_trash_and_edits_it_was_not_told_of(store, cases) -> None:
    insights = insights_of(store)
    first = insights.create(new_insight("Trappan hemma avgör"))
    with SearchIndex.for_store(store) as index:  # built with the insight already there
        assert [h.doc_id for h in index.search_insights("trappan")] == [first.id]
        insights.update(first.id, lambda i: _retitled(i, "Hissen avgör"))  # not observed
        assert index.search_insights("trappan") == []
        assert [h.doc_id for h in index.search_insights("hissen")] == [first.id]
        insights.trash(first.id)
        assert index.search_insights("hissen") == []
        insights.untrash(first.id)
        assert [h.doc_id for h in index.search_insights("hissen")] == [first.id]


def test_an_observed_store_updates_the_index_in_the_background(store, cases, index) -> None:
    index.observe(store)
    insights = insights_of(store)
    made = insights.create(new_insight("Kvällsbesök ger trygghet"))
    assert [h.doc_id for h in index.search_insights("kvällsbesök")] == [made.id]
    insights.trash(made.id)
    assert index.search_insights("kvällsbesök") == []


def test_a_purged_insight_leaves_no_word_in_the_index_file(store, cases, index) -> None:
    index.observe(store)
    insights = insights_of(store)
    made = insights.create(new_insight("Ordet zebrafink finns bara här"))
    assert index.search_insights("zebrafink")
    insights.purge(made.id)
    assert index.search_insights("zebrafink") == []
    raw = index.path.read_bytes()
    assert b"zebrafink" not in raw


def test_an_index_made_before_insights_gains_their_tables_without_a_rebuild(store, cases) -> None:
    made = insights_of(store).create(new_insight("Sonen hämtar alltid"))
    with SearchIndex.for_store(store) as index:
        path = index.path
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE ins; DROP TABLE ins_files; DROP TABLE ins_tags;")
    conn.close()
    with SearchIndex.for_store(store) as index:
        assert [h.doc_id for h in index.search_insights("sonen")] == [made.id]
        assert index.rebuilds == 0
        assert index.search("Lind")  # the cases' rows were kept


def test_a_damaged_insight_file_is_skipped_not_fatal(store, cases, index) -> None:
    insights = insights_of(store)
    good = insights.create(new_insight("Bilen hem"))
    bad = insights.create(new_insight("Bilen trasig"))
    (store.path / "insights" / f"{bad.id}.json").write_text("{ not json", encoding="utf-8")
    assert [h.doc_id for h in index.search_insights("bilen")] == [good.id]


def test_a_rebuild_indexes_the_insights_too(store, cases, index) -> None:
    made = insights_of(store).create(new_insight("Brant trappa"))
    index.rebuild()
    conn = sqlite3.connect(index.path)
    assert conn.execute("SELECT insight_id FROM ins_files").fetchall() == [(made.id,)]
    conn.close()
    assert [h.doc_id for h in index.search_insights("trappa")] == [made.id]


# --- revisit: suggestions and evidence ------------------------------------------------------


def test_significant_words_leave_out_common_and_short_words() -> None:
    words = significant_words("Patienter VILL åka hem, och hem är där trappan är. Hem!")
    assert "hem" not in words  # shorter than 4 letters
    assert "patienter" in words and "trappan" in words
    assert "vill" not in words and "och" not in words and "där" not in words


def test_suggested_cases_share_the_insights_words_and_leave_out_the_linked(
    store, cases, index
) -> None:
    insight = new_insight(
        "Åka hem samma kväll",
        text="Patienter ville åka hem; trappan och sonen med bilen avgjorde.",
        links=[Link(cases["lind"], "situation")],
    )
    hits = suggest_cases(index, insight)
    assert [(h.case_id, h.section_id) for h in hits] == [(cases["berg"], "patient")]
    assert hits[0].title == "Fru Berg och trappan"
    assert "trappan" in hits[0].snippet and hits[0].highlights
    # nothing in common: no suggestion, and an insight of common words suggests nothing
    assert suggest_cases(index, new_insight("Zebrafinkar")) == []
    assert suggest_cases(index, new_insight("och att det")) == []


def test_suggestions_leave_out_trashed_cases(store, cases, index) -> None:
    store.trash(cases["berg"])
    assert suggest_cases(index, new_insight("trappan")) == []


def test_evidence_is_in_the_date_order_of_the_cases(store, cases) -> None:
    for name, date in (("lind", "2026-03-02"), ("berg", "2025-11-20"), ("tove", "")):
        case = store.load(cases[name])
        case.fields["date"] = date
        store.save(case, base_revision=case.revision)
    insight = insights_of(store).create(
        new_insight(
            "Tre fall",
            links=[
                Link(cases["tove"], "situation"),
                Link(cases["lind"], "situation"),
                Link(cases["berg"], "patient"),
            ],
        )
    )
    views = insights_of(store).resolve_links(insight, store)
    tove_created = store.load(cases["tove"]).created[:10]
    assert {v.link.case_id: v.case_date for v in views}[cases["tove"]] == tove_created
    ordered = [v.link.case_id for v in evidence(views)]
    assert ordered[:2] == [cases["berg"], cases["lind"]]
    gone = LinkView(Link("0" * 8 + "-0000-4000-8000-" + "0" * 12, "x"), views[0].anchor)
    assert evidence([gone, *views])[-1] is gone


def _retitled(insight, title):
    insight.title = title
    return insight


def test_folder_marks_move_with_every_write_and_distrust_a_fresh_change(store, monkeypatch):
    from coprod_tui.core.store import scan

    insights = insights_of(store)
    assert insights.folder_marks() in (None, (None, None))
    made = insights.create(new_insight("Markerna"))
    monkeypatch.setattr(scan, "RACY_NS", 0)  # trust marks at once for the comparison
    monkeypatch.setattr(scan, "COARSE_RACY_NS", 0)
    first = insights.folder_marks()
    assert first is not None and first[0] is not None
    assert insights.folder_marks() == first
    time.sleep(0.01)  # a later timestamp for the next rename
    insights.trash(made.id)
    assert insights.folder_marks() != first
    monkeypatch.undo()
    insights.untrash(made.id)
    assert insights.folder_marks() is None  # changed just now: not to be trusted yet
