"""The case file: a real TinyDB database, written deterministically and diff-friendly."""

from __future__ import annotations

import difflib
import json
import shutil

import pytest
from store_helpers import TWO_SECTIONS, open_store
from tinydb import TinyDB

from coprod_tui.core.case import KNOWN_KEYS, Case, new_case, set_section_text
from coprod_tui.core.store import CaseStore
from coprod_tui.core.store.case_file import CASE_FILE, encode_case, read_case

TEMPLATE = TWO_SECTIONS


@pytest.fixture
def store(tmp_path) -> CaseStore:
    return open_store(tmp_path / "store", TEMPLATE)


def written_case(store: CaseStore) -> Case:
    case = store.create(new_case("Fictional Ingrid", TEMPLATE, tags=["trust", "home"]))
    edited = set_section_text(case, "situation", "She lives in Fiktiva Ängby.\nTwo lines.")
    return store.save(set_section_text(edited, "notes", "first"), base_revision=1).case


def test_stock_tinydb_opens_and_reads_a_case_file(store, tmp_path):
    case = written_case(store)
    original = store._case_path(case.id)
    copy = tmp_path / "copy.json"
    shutil.copyfile(original, copy)
    before = original.read_bytes()

    db = TinyDB(copy, access_mode="r")
    try:
        doc = db.table("case").get(doc_id=1)
        assert db.tables() == {"case"}
    finally:
        db.close()
    assert doc is not None and doc["title"] == "Fictional Ingrid"
    assert Case.from_dict(dict(doc)).to_dict() == case.to_dict()
    assert original.read_bytes() == before == copy.read_bytes()


def test_files_are_indented_lf_one_key_per_line_with_a_trailing_newline(store):
    case = written_case(store)
    raw = store._case_path(case.id).read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n") and "\r" not in text
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "case": {', '    "1": {']
    assert '        "situation": "She lives in Fiktiva Ängby.\\nTwo lines.",' in lines
    assert '        "notes": "first"' in lines
    assert '      "title": "Fictional Ingrid",' in lines
    # Known keys in a fixed order, whatever order the document had in memory.
    keys = [line.split('"')[1] for line in lines if line.startswith('      "')]
    assert keys == list(CASE_FILE.key_order)
    # The same case always gives the same bytes.
    assert encode_case(store.load(case.id, mapped=False)) == raw


def test_two_saves_differ_only_in_the_changed_section(store):
    case = written_case(store)
    path = store._case_path(case.id)
    before = path.read_text(encoding="utf-8").splitlines()
    store.save(set_section_text(case, "notes", "second"), base_revision=case.revision)
    after = path.read_text(encoding="utf-8").splitlines()

    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    keys = {line[1:].split('"')[1] for line in changed}
    assert "notes" in keys and "revision" in keys
    assert keys <= {"notes", "revision", "updated"}  # bookkeeping moves on, nothing else
    assert [line for line in changed if '"notes"' in line] == [
        '-        "notes": "first"',
        '+        "notes": "second"',
    ]


def test_the_written_key_order_names_every_known_key():
    assert sorted(CASE_FILE.key_order) == sorted(KNOWN_KEYS)


def test_unknown_keys_go_after_the_known_ones_sorted(store):
    case = written_case(store)
    path = store._case_path(case.id)
    data = json.loads(path.read_bytes())
    data["case"]["1"] = {"zeta": 1, "alpha": {"b": 2}, **data["case"]["1"]}
    path.write_text(json.dumps(data))
    loaded = store.load(case.id)
    store.save(set_section_text(loaded, "notes", "again"), base_revision=loaded.revision)
    lines = path.read_text(encoding="utf-8").splitlines()
    keys = [line.split('"')[1] for line in lines if line.startswith('      "')]
    assert keys == [*CASE_FILE.key_order, "alpha", "zeta"]


def test_an_older_one_line_file_still_reads_and_is_rewritten_in_the_new_layout(store):
    case = written_case(store)
    path = store._case_path(case.id)
    one_line = json.dumps({"case": {"1": case.to_dict()}}, ensure_ascii=False)
    path.write_text(one_line, encoding="utf-8")
    assert read_case(path, case.id).to_dict() == case.to_dict()
    assert store.load(case.id).text("notes") == "first"
    assert [s.title for s in store.list_cases()] == ["Fictional Ingrid"]
    saved = store.save(set_section_text(case, "notes", "new"), base_revision=case.revision)
    assert not saved.conflicted
    assert len(path.read_text(encoding="utf-8").splitlines()) > 10
