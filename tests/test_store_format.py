"""Forward compatibility: keys from a newer coprod survive, and a newer case format is read-only."""

from __future__ import annotations

import json

import pytest
from store_helpers import ONE_SECTION, open_store

from coprod_tui.core.case import CASE_FORMAT, new_case, set_section_text
from coprod_tui.core.export import dump_export, parse_export, parse_export_items
from coprod_tui.core.store import CaseStore, NewerFormatError

TEMPLATE = ONE_SECTION
INSIGHTS = {"themes": ["trust", "time"], "score": 3, "nested": {"a": [1, 2.5, None, True]}}


def plant(store: CaseStore, case_id: str, **keys: object) -> bytes:
    """Write keys into a stored case file as a newer coprod would; returns the new bytes."""
    path = store._case_path(case_id)
    data = json.loads(path.read_bytes())
    data["case"]["1"].update(keys)
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    return raw


@pytest.fixture
def store(tmp_path) -> CaseStore:
    return open_store(tmp_path / "store")


def test_unknown_keys_survive_load_save_update_and_restore(store):
    case = store.create(new_case("Fictional Greta", TEMPLATE))
    plant(store, case.id, insights=INSIGHTS)
    loaded = store.load(case.id)
    assert loaded.extra == {"insights": INSIGHTS} and not loaded.newer_format

    store.save(set_section_text(loaded, "situation", "edited"), base_revision=1)
    stored = json.loads(store._case_path(case.id).read_bytes())["case"]["1"]
    assert stored["insights"] == INSIGHTS and stored["sections"] == {"situation": "edited"}

    store.write_section(case.id, "situation", " more", append=True)
    assert store.load(case.id).extra == {"insights": INSIGHTS}
    restored = store.restore(case.id, 1)  # the version kept when it was first saved
    assert restored.extra == {"insights": INSIGHTS} and restored.text("situation") == ""


def test_unknown_keys_survive_export_and_import(store, tmp_path):
    case = store.create(new_case("Fictional Hugo", TEMPLATE))
    plant(store, case.id, insights=INSIGHTS)
    raw = dump_export([store.load(case.id, mapped=False)])
    assert json.loads(raw)["cases"][0]["insights"] == INSIGHTS
    other = open_store(tmp_path / "other")
    assert other.import_cases(parse_export(raw)).added == [case.id]
    assert other.load(case.id).extra == {"insights": INSIGHTS}
    assert other.import_cases(parse_export(raw)).unchanged == [case.id]


def test_a_newer_format_lists_shows_and_exports_but_is_never_written(store, tmp_path):
    case = store.create(new_case("Fictional Ingrid", TEMPLATE))
    kept = store.create(new_case("Fictional Johan", TEMPLATE))
    raw = plant(store, case.id, format=CASE_FORMAT + 1, insights=INSIGHTS)

    summaries = {s.id: s for s in store.list_cases()}
    assert not summaries[case.id].damaged and summaries[case.id].title == "Fictional Ingrid"
    loaded = store.load(case.id)
    assert loaded.newer_format and loaded.format == CASE_FORMAT + 1

    attempts = [
        lambda: store.save(set_section_text(loaded, "situation", "x"), base_revision=1),
        lambda: store.write_section(case.id, "situation", "x"),
        lambda: store.write_section(case.id, "situation", "x", append=True),
        lambda: store.update(case.id, lambda c: c),
        lambda: store.restore(case.id, 1),
    ]
    for attempt in attempts:
        with pytest.raises(NewerFormatError) as error:
            attempt()
        message = str(error.value)
        assert "newer coprod" in message and "read-only" in message and "\n" not in message
    assert store._case_path(case.id).read_bytes() == raw
    assert [s.id for s in store.list_cases()].count(case.id) == 1  # no conflict copy made

    exported = json.loads(dump_export([store.load(case.id, mapped=False)]))["cases"][0]
    assert exported["format"] == CASE_FORMAT + 1 and exported["insights"] == INSIGHTS
    assert store.load(kept.id).title == "Fictional Johan"
    assert any("newer coprod" in note for note in store.doctor().notes)

    other = open_store(tmp_path / "other")
    other.import_cases(parse_export_items(dump_export([store.load(case.id, mapped=False)])))
    assert other.load(case.id).newer_format


def test_a_case_object_from_a_newer_format_is_refused_even_for_a_new_file(store):
    case = new_case("Fictional Karin", TEMPLATE)
    case.format = CASE_FORMAT + 1
    with pytest.raises(NewerFormatError):
        store.save(case, base_revision=0)
    assert store.list_cases() == []


def test_a_newer_format_this_version_cannot_read_is_never_repaired(store):
    case = store.create(new_case("Fictional Lars", TEMPLATE))
    store.save(set_section_text(case, "situation", "old words"), base_revision=1)
    raw = plant(store, case.id, format=CASE_FORMAT + 1, sections={"situation": {"text": "new"}})
    assert store.list_cases()[0].damaged
    report = store.doctor(repair=True)
    assert any("newer coprod" in line and "not repaired" in line for line in report.problems)
    assert store._case_path(case.id).read_bytes() == raw
    assert not (store.path / "damaged").exists() or not any((store.path / "damaged").iterdir())


def test_a_case_that_would_read_back_damaged_is_never_written(store):
    case = store.create(new_case("Fictional Maja", TEMPLATE))
    bad = store.load(case.id)
    bad.tags = ["ok", "x" * 5000]
    with pytest.raises(Exception, match="tags") as error:
        store.save(bad, base_revision=1)
    assert getattr(error.value, "exit_code", None) == 2
    assert store.load(case.id).tags == []
