"""The lossless JSON export and idempotent import."""

from __future__ import annotations

import json
import re

import pytest
from store_helpers import make_template, open_store

from coprod_tui.core.case import new_case
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.export import (
    BACKUP_EXPORT_VERSION,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    ExportItem,
    dump_export,
    json_array_lines,
    parse_export,
    parse_export_items,
    safe_json,
)

TEMPLATE = make_template("situation", "notes", version=3, language="sv")


def rich_case(title: str = "Fiktiv: Åsa’s “visit”"):
    case = new_case(title, TEMPLATE, tags=["hemsjukvård", "KOL"], fields={"setting": "home"})
    case.sections["situation"] = "Line one\n\tindented \x1b[31mred\x1b[0m \x9b2J ✓ 🙂"
    case.orphans["old-section"] = "kept orphan"
    case.conflict_of = None
    case.revision = 7
    case.saved_by = "fiktiv@host"
    return case


def test_export_has_a_format_version_and_a_cases_list():
    data = json.loads(dump_export([rich_case()]))
    assert data["format"] == EXPORT_FORMAT and data["version"] == EXPORT_VERSION
    assert isinstance(data["cases"], list) and len(data["cases"]) == 1


def test_round_trip_is_exact():
    cases = [rich_case(), rich_case("Second")]
    back = parse_export(dump_export(cases))
    assert back == cases
    assert [c.to_dict() for c in back] == [c.to_dict() for c in cases]


def test_output_holds_no_raw_terminal_controls_but_reads_back_the_same():
    text = dump_export([rich_case()]).decode("utf-8")
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", text)
    assert "Åsa’s" in text and "✓" in text  # readable, not \u-escaped
    assert safe_json({"t": "\x9b"}) == '{\n  "t": "\\u009b"\n}'
    assert json.loads(json_array_lines([{"a": "\x7f"}, {"b": 1}])) == [{"a": "\x7f"}, {"b": 1}]
    assert json_array_lines([]) == "[]"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"\xff", "not UTF-8"),
        (b"{nope", "not valid JSON (line 1"),
        (b"[]", "not a coprod export"),
        (b'{"format": "coprod-export"}', "no export version"),
        (b'{"format": "coprod-export", "version": 99, "cases": []}', "newer coprod"),
        (b'{"format": "coprod-export", "version": 1}', 'no "cases" list'),
        (b'{"format": "coprod-export", "version": 1, "cases": [5]}', "case 1"),
        (
            b'{"format": "coprod-export", "version": 1, "cases": [{"id": "../x", "title": "t",'
            b' "template_id": "t", "created": "c", "updated": "u"}]}',
            "not a case id",
        ),
    ],
)
def test_bad_files_are_one_clear_input_error(raw, words):
    with pytest.raises(UserInputError) as error:
        parse_export(raw, source="f.json")
    assert words in str(error.value) and "\n" not in str(error.value)


def test_import_into_an_empty_store_gives_identical_cases(tmp_path):
    cases = [rich_case(), rich_case("Another")]
    store = open_store(tmp_path / "a", TEMPLATE)
    report = store.import_cases(parse_export(dump_export(cases)))
    assert sorted(report.added) == sorted(c.id for c in cases)
    for case in cases:
        assert store.load(case.id, mapped=False) == case
    again = dump_export([store.load(c.id, mapped=False) for c in cases], exported="x")
    assert again == dump_export(cases, exported="x")


def test_import_is_idempotent_and_a_clash_becomes_one_conflict_copy(tmp_path):
    store = open_store(tmp_path / "a", TEMPLATE)
    original = rich_case()
    store.import_cases([original])
    assert store.import_cases([original]).unchanged == [original.id]

    changed = original.copy()
    changed.sections["situation"] = "Edited elsewhere."
    report = store.import_cases([changed])
    assert len(report.conflicts) == 1
    assert report.conflicts[0][0] == original.id
    copy = store.load(report.conflicts[0][1])
    assert copy.conflict_of == original.id and copy.text("situation") == "Edited elsewhere."
    assert store.load(original.id) == store.load(original.id)  # untouched
    assert store.load(original.id, mapped=False) == original

    again = store.import_cases([changed])  # the same file a second time
    assert again.conflicts == [] and again.unchanged == [original.id]
    assert len(store.list_cases()) == 2


def test_bulk_import_of_many_cases(tmp_path):
    store = open_store(tmp_path / "a", TEMPLATE)
    cases = [rich_case(f"Case {n}") for n in range(60)]
    report = store.import_cases(cases)
    assert len(report.added) == 60
    assert len(store.list_cases()) == 60
    assert store.load(cases[17].id, mapped=False) == cases[17]


def _file(*cases: dict, version: int = 1, **top) -> bytes:
    return json.dumps({"format": EXPORT_FORMAT, "version": version, **top, "cases": list(cases)})


def test_an_export_with_trash_or_history_is_version_2_and_older_readers_refuse_it(monkeypatch):
    from coprod_tui.core.export import json_format as export

    case = rich_case()
    assert json.loads(dump_export([ExportItem(case)]))["version"] == 1
    full = dump_export([ExportItem(case, trashed=True)])
    data = json.loads(full)
    assert data["version"] == BACKUP_EXPORT_VERSION == 2 and data["cases"][0]["trashed"] is True
    [item] = parse_export_items(full)
    assert item.trashed and item.case == case
    monkeypatch.setattr(export, "NEWEST_EXPORT_VERSION", 1)  # as coprod before version 2
    with pytest.raises(UserInputError, match="made by a newer coprod"):
        parse_export(full)


def test_every_bad_case_is_reported_one_per_line_and_nothing_is_returned():
    good = rich_case().to_dict()
    twin = dict(good)
    bad_revision = {**rich_case().to_dict(), "revision": 1.5}
    hostile = {**rich_case().to_dict(), "id": "\x1b]0;PWNED\x07../x"}
    raw = _file(good, twin, bad_revision, 5, hostile, later="kept", version=1)
    with pytest.raises(UserInputError) as error:
        parse_export_items(raw.encode(), source="f.json")
    lines = str(error.value).splitlines()
    assert len(lines) == 4
    assert (
        lines[0]
        == f"f.json: case 2 ({good['id']}): the same id as case 1; each case must appear once"
    )
    assert lines[1].startswith(f"f.json: case 3 ({bad_revision['id']}): 'revision'")
    assert lines[2] == "f.json: case 4: a case must be a JSON object"
    assert lines[3].startswith("f.json: case 5 (../x): 'id' is not a case id")
    assert "\x1b" not in str(error.value) and "\x07" not in str(error.value)


def test_unknown_keys_of_the_file_and_of_each_case_are_fine():
    case = rich_case().to_dict()
    case["insights"] = {"themes": ["time"]}
    [back] = parse_export(_file(case, version=1, made_by="a newer coprod", extra=[1]).encode())
    assert back.extra == {"insights": {"themes": ["time"]}}


def test_a_bom_is_skipped_and_a_huge_file_refused(monkeypatch):
    from coprod_tui.core.export import json_format as export

    raw = dump_export([rich_case()])
    assert len(parse_export(b"\xef\xbb\xbf" + raw)) == 1
    monkeypatch.setattr(export, "MAX_JSON_BYTES", 100)
    with pytest.raises(UserInputError, match="larger than"):
        parse_export(raw)


def test_kept_versions_are_checked_too():
    case = rich_case()
    older = case.copy()
    older.revision = 9  # not older than the case (7)
    raw = dump_export([ExportItem(case, history=[older])])
    with pytest.raises(UserInputError, match="kept version 1 .* is not older"):
        parse_export_items(raw)
    older.revision, older.id = 3, "0f0f0f0f-0000-4000-8000-000000000001"
    with pytest.raises(UserInputError, match="another case's id"):
        parse_export_items(dump_export([ExportItem(case, history=[older])]))


def test_import_puts_trash_back_in_the_trash_and_kept_versions_in_history(tmp_path):
    active, trashed = rich_case("Active one"), rich_case("Trashed one")
    old = trashed.copy()
    old.revision, old.sections = 4, {"situation": "an earlier text"}
    old.updated = "2026-01-02T03:04:05Z"
    raw = dump_export([ExportItem(active), ExportItem(trashed, trashed=True, history=[old])])
    store = open_store(tmp_path / "a", TEMPLATE)
    report = store.import_cases(parse_export_items(raw))
    assert sorted(report.added) == sorted([active.id, trashed.id])
    assert report.trashed == [trashed.id] and report.versions == 1
    assert [s.id for s in store.list_cases()] == [active.id]
    assert [s.id for s in store.list_trash()] == [trashed.id]
    assert [info.revision for info in store.history(trashed.id)] == [4]
    assert store.load_revision(trashed.id, 4).text("situation") == "an earlier text"
    assert store.kept_versions(trashed.id) == [old]

    again = store.import_cases(parse_export_items(raw))
    assert sorted(again.unchanged) == sorted([active.id, trashed.id]) and again.versions == 0
