"""The lossless JSON export and idempotent import."""

from __future__ import annotations

import json
import re

import pytest
from store_helpers import make_template, open_store

from coprod_tui.core.case import new_case
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.export import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    dump_export,
    json_array_lines,
    parse_export,
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
