"""Bad values stay in their own case: every kind of damaged case file and of damaged catalog.

A damaged case is listed as damaged (the rest lists normally), refuses to load
with one clear error, is reported by ``doctor`` and set aside by ``doctor
--repair``. The catalog is only a cache: any row or snapshot of the wrong
shape is dropped and the case file read again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

import pytest
from store_helpers import ONE_SECTION, open_store

from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.store import CaseStore, DamagedCaseError
from coprod_tui.core.store.catalog import JOURNAL_NAME, good_row

TEMPLATE = ONE_SECTION
OTHER_ID = "0f0f0f0f-0000-4000-8000-000000000001"
PWNED = "\u001b]0;PWNED\u0007"


def _doc(mutate: Callable[[dict], None]) -> Callable[[bytes], bytes]:
    """A damage that edits the case document, then writes it back as JSON."""

    def damage(raw: bytes) -> bytes:
        data = json.loads(raw)
        mutate(data["case"]["1"])
        return json.dumps(data).encode()

    return damage


def _set(key: str, value: object) -> Callable[[bytes], bytes]:
    return _doc(lambda doc: doc.__setitem__(key, value))


def _drop(key: str) -> Callable[[bytes], bytes]:
    return _doc(lambda doc: doc.pop(key))


def _raw(key: str, literal: bytes) -> Callable[[bytes], bytes]:
    """Replace one value with raw JSON text json.dumps could never write."""

    def damage(raw: bytes) -> bytes:
        data = json.loads(raw)
        data["case"]["1"][key] = "@@HERE@@"
        return json.dumps(data).encode().replace(b'"@@HERE@@"', literal)

    return damage


#: Each kind of damaged case file: (name, damage applied to the file's bytes).
DAMAGED_CASE_FILES: list[tuple[str, Callable[[bytes], bytes]]] = [
    ("conflict_of is a number", _set("conflict_of", 7)),
    ("conflict_of holds escape codes", _set("conflict_of", PWNED)),
    ("conflict_of is not a case id", _set("conflict_of", "../../etc/passwd")),
    ("revision is 1e999 (infinity)", _raw("revision", b"1e999")),
    ("revision has 5000 digits", _raw("revision", b"7" * 5000)),
    ("revision is NaN", _raw("revision", b"NaN")),
    ("revision is true", _set("revision", True)),
    ("revision is negative", _set("revision", -1)),
    ("revision is 2**53", _set("revision", 2**53)),
    ("revision is a float", _set("revision", 1.5)),
    ("revision is a string", _set("revision", "3")),
    ("template_version is huge", _set("template_version", 10**30)),
    ("template_version is a string", _set("template_version", "1")),
    ("id is path-like", _set("id", "../x")),
    ("id is missing", _drop("id")),
    ("title is a number", _set("title", 7)),
    ("title is null", _set("title", None)),
    ("title is absurdly long", _set("title", "x" * 200_000)),
    ("title holds a lone surrogate", _raw("title", b'"bad \\ud800 text"')),
    ("created does not parse", _set("created", "yesterday")),
    ("updated is a number", _set("updated", 1700000000)),
    ("updated is out of range", _set("updated", "9999-12-31T23:59:59-12:00")),
    ("tags is a string", _set("tags", "home")),
    ("tags holds a number", _set("tags", ["home", 3])),
    ("sections is a list", _set("sections", ["a"])),
    ("a section is a number", _set("sections", {"situation": 5})),
    ("a field is null", _set("fields", {"setting": None})),
    ("orphans is a string", _set("orphans", "x")),
    ("saved_by is a list", _set("saved_by", [])),
    ("template_id is an object", _set("template_id", {})),
    ("format is a string", _set("format", "2")),
    ("an unknown key nests very deep", _raw("insights", b"[" * 200 + b"]" * 200)),
    ("an unknown key is NaN", _raw("insights", b"NaN")),
    ("the document is a number", lambda raw: b'{"case": {"1": 5}}'),
    ("the top level is a list", lambda raw: b"[]"),
    ("nesting deeper than the parser", lambda raw: b"[" * 100_000 + b"]" * 100_000),
    ("an empty file", lambda raw: b""),
    ("garbage bytes", lambda raw: b"\x00\xff\xfe torn"),
    ("half a file", lambda raw: raw[: len(raw) // 2]),
]


def damage_case(store: CaseStore, case_id: str, damage: Callable[[bytes], bytes]) -> bytes:
    path = store._case_path(case_id)
    raw = damage(path.read_bytes())
    path.write_bytes(raw)
    return raw


@pytest.fixture
def two(tmp_path):
    """A store with a case to damage and one that stays good."""
    store = open_store(tmp_path / "store")
    bad = store.create(new_case("Fictional Astrid", TEMPLATE))
    good = store.create(new_case("Fictional Bertil", TEMPLATE))
    return store, bad, good


@pytest.mark.parametrize(
    ("kind", "damage"), DAMAGED_CASE_FILES, ids=[k for k, _ in DAMAGED_CASE_FILES]
)
def test_a_damaged_case_stays_in_its_own_case(two, kind, damage):
    store, bad, good = two
    raw = damage_case(store, bad.id, damage)

    summaries = {s.id: s for s in store.list_cases()}
    assert summaries[bad.id].damaged, kind
    assert not summaries[good.id].damaged and summaries[good.id].title == "Fictional Bertil"
    assert all(s.conflict_of is None for s in summaries.values())
    with pytest.raises(DamagedCaseError) as error:
        store.load(bad.id)
    assert "\n" not in str(error.value) and "doctor" in str(error.value)
    assert "\x1b" not in str(error.value)
    assert store.load(good.id).title == "Fictional Bertil"

    report = store.doctor()
    assert [bad.id[:8] in line for line in report.problems] == [True]
    assert store._case_path(bad.id).read_bytes() == raw  # checking changes nothing

    report = store.doctor(repair=True)
    assert report.healthy, report.problems
    [aside] = (store.path / "damaged").iterdir()
    assert aside.read_bytes() == raw and str(aside) in report.fixed[0]
    assert [s.id for s in store.list_cases()] == [good.id]
    assert store.doctor().healthy


@pytest.mark.parametrize(
    ("kind", "damage"), DAMAGED_CASE_FILES[:12], ids=[k for k, _ in DAMAGED_CASE_FILES[:12]]
)
def test_repair_brings_back_the_newest_good_version(tmp_path, kind, damage):
    store = open_store(tmp_path / "store")
    case = store.create(new_case("Fictional Cecilia", TEMPLATE))
    store.save(set_section_text(case, "situation", "kept words"), base_revision=1)
    store = open_store(store.path)  # a new session: the next save keeps revision 2
    current = store.load(case.id)
    store.save(set_section_text(current, "situation", "newest words"), base_revision=2)
    damage_case(store, case.id, damage)
    assert store.history(case.id)[0].revision == 2
    report = store.doctor(repair=True)
    assert report.healthy, report.problems
    repaired = store.load(case.id)
    # Past the damaged revision (3) even when its number is unreadable: an editor
    # still holding revision 3 gets a conflict, not a silent overwrite.
    assert repaired.text("situation") == "kept words" and repaired.revision == 4


def test_a_byte_order_mark_is_not_damage(two):
    store, bad, _good = two
    path = store._case_path(bad.id)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert not any(s.damaged for s in store.list_cases())
    assert store.load(bad.id).title == "Fictional Astrid"


def test_an_oversized_case_file_is_damaged_not_read(two, monkeypatch):
    from coprod_tui.core.store import storage

    store, bad, good = two
    monkeypatch.setattr(storage, "MAX_JSON_BYTES", 200)
    assert {s.id: s.damaged for s in store.list_cases()} == {bad.id: True, good.id: True}
    with pytest.raises(DamagedCaseError, match="larger than"):
        store.load(bad.id)


def test_damaged_kept_versions_are_reported_per_value_too(two):
    store, bad, _good = two
    store.save(set_section_text(bad, "situation", "words"), base_revision=1)
    [snap] = store._history.snapshots(bad.id)
    data = json.loads(snap.path.read_bytes())
    data["case"]["1"]["revision"] = True
    snap.path.unlink()
    snap.path.write_bytes(json.dumps(data).encode())
    assert store.history(bad.id)[0].damaged
    assert any("kept revision 1 is damaged" in line for line in store.doctor().problems)


# --- the catalog -------------------------------------------------------------------------


def age(store: CaseStore) -> None:
    """Make every case file look old, so the catalog trusts rows matching its fingerprint."""
    past = time.time_ns() - 60 * 10**9
    for path in (store.path / "cases").iterdir():
        os.utime(path, ns=(past, past))


@pytest.fixture
def listed(tmp_path):
    """Three aged cases, listed once so that a catalog snapshot exists."""
    store = open_store(tmp_path / "store")
    cases = [
        store.create(new_case(f"Fictional {name}", TEMPLATE)) for name in ("Dag", "Eva", "Frej")
    ]
    age(store)
    (store.path / JOURNAL_NAME).unlink(missing_ok=True)
    store.list_cases()
    assert (store.path / "catalog.json").exists()
    return store, cases


def true_row(store: CaseStore, case_id: str) -> list:
    """The row a writer would note for this case file now."""
    from coprod_tui.core.store.catalog import summary_fields

    info = store._case_path(case_id).stat()
    case = store.load(case_id, mapped=False)
    return [info.st_ino, info.st_mtime_ns, info.st_size, 0, *summary_fields(case)]


def _snapshot(mutate: Callable[[dict], None]) -> Callable[[CaseStore, list], None]:
    def damage(store: CaseStore, cases: list) -> None:
        path = store.path / "catalog.json"
        data = json.loads(path.read_bytes())
        mutate(data)
        path.write_bytes(json.dumps(data).encode())

    return damage


def _first_row(edit: Callable[[list], None]) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        for row in data["cases"].values():
            edit(row)

    return mutate


def _snapshot_bytes(raw: bytes) -> Callable[[CaseStore, list], None]:
    def damage(store: CaseStore, cases: list) -> None:
        (store.path / "catalog.json").write_bytes(raw)

    return damage


def _journal_row(index: int, value: object) -> Callable[[CaseStore, list], None]:
    """A journal line with the file's true fingerprint but one hostile value."""

    def damage(store: CaseStore, cases: list) -> None:
        row = true_row(store, cases[0].id)
        row[index] = value
        line = json.dumps(["cases", cases[0].id, *row]) + "\n"
        with open(store.path / JOURNAL_NAME, "a", encoding="utf-8") as handle:
            handle.write(line)

    return damage


def _journal_bytes(raw: bytes) -> Callable[[CaseStore, list], None]:
    def damage(store: CaseStore, cases: list) -> None:
        (store.path / JOURNAL_NAME).write_bytes(raw)

    return damage


#: Each kind of damaged or hostile catalog: (name, damage(store, cases)).
DAMAGED_CATALOGS: list[tuple[str, Callable[[CaseStore, list], None]]] = [
    ("snapshot is not JSON", _snapshot_bytes(b"{not json")),
    ("snapshot is a list", _snapshot_bytes(b"[1, 2, 3]")),
    ("snapshot has a 5000-digit number", _snapshot_bytes(b'{"format": ' + b"9" * 5000 + b"}")),
    ("snapshot nests too deep", _snapshot_bytes(b"[" * 100_000 + b"]" * 100_000)),
    ("snapshot of another format", _snapshot(lambda d: d.__setitem__("format", 99))),
    ("text table is not a list", _snapshot(lambda d: d.__setitem__("texts", {"a": 1}))),
    ("text table holds numbers", _snapshot(lambda d: d.__setitem__("texts", [1, 2]))),
    ("set table is not a list", _snapshot(lambda d: d.__setitem__("sets", 5))),
    ("set table holds strings", _snapshot(lambda d: d.__setitem__("sets", ["ab"]))),
    ("cases area is a list", _snapshot(lambda d: d.__setitem__("cases", [1]))),
    ("trash area is a string", _snapshot(lambda d: d.__setitem__("trash", "x"))),
    ("a row index points past the table", _snapshot(_first_row(lambda r: r.__setitem__(5, 999)))),
    ("a row index is negative", _snapshot(_first_row(lambda r: r.__setitem__(12, -1)))),
    ("a row index is a string", _snapshot(_first_row(lambda r: r.__setitem__(6, "0")))),
    ("a row is too short", _snapshot(_first_row(lambda r: r.pop()))),
    ("a row is too long", _snapshot(_first_row(lambda r: r.append("extra")))),
    ("a row is an object", _snapshot(lambda d: d["cases"].update(dict.fromkeys(d["cases"], {})))),
    ("a row's revision is huge", _snapshot(_first_row(lambda r: r.__setitem__(10, 10**40)))),
    ("a row's conflict_of is a number", _snapshot(_first_row(lambda r: r.__setitem__(11, 7)))),
    ("a snapshot row has a non-id key", _snapshot(lambda d: d["cases"].update({"../x": [0] * 13}))),
    ("unknown snapshot keys", _snapshot(lambda d: d.update(later={"x": [1]}, fields=None))),
    ("journal row: conflict_of escape codes", _journal_row(11, PWNED)),
    ("journal row: conflict_of a number", _journal_row(11, 7)),
    ("journal row: revision a float", _journal_row(10, 1.5)),
    ("journal row: revision true", _journal_row(10, True)),
    ("journal row: title a number", _journal_row(4, 12)),
    ("journal row: title with a lone surrogate", _journal_row(4, "\ud800")),
    ("journal row: tags not a list", _journal_row(6, "tag")),
    ("journal row: filled holds numbers", _journal_row(9, [1, 2])),
    ("journal row: flags out of range", _journal_row(3, 99)),
    ("journal row: inode huge", _journal_row(0, 10**30)),
    ("journal row: updated a list", _journal_row(7, [])),
    ("journal: not JSON at all", _journal_bytes(b"\x00\x01garbage\n{[\n")),
    ("journal: lines that are not lists", _journal_bytes(b'{"a": 1}\n5\n"x"\nnull\n')),
    ("journal: a 5000-digit number", _journal_bytes(b"[" + b"1" * 5000 + b"]\n")),
    ("journal: deep nesting", _journal_bytes(b"[" * 50_000 + b"]" * 50_000 + b"\n")),
    ("journal: wrong lengths", _journal_bytes(b'["cases"]\n["cases", "x", 1, 2]\n')),
    ("journal: unknown area", _journal_bytes(b'["elsewhere", "' + OTHER_ID.encode() + b'"]\n')),
    ("journal: case id a number", _journal_bytes(b'["cases", 7' + b", 0" * 13 + b"]\n")),
]


@pytest.mark.parametrize(("kind", "damage"), DAMAGED_CATALOGS, ids=[k for k, _ in DAMAGED_CATALOGS])
def test_a_damaged_catalog_never_breaks_listing(listed, kind, damage):
    store, cases = listed
    damage(store, cases)
    summaries = {s.id: s for s in store.list_cases()}
    assert set(summaries) == {case.id for case in cases}, kind
    for case in cases:
        summary = summaries[case.id]
        assert summary.title == case.title and summary.revision == 1
        assert type(summary.revision) is int and summary.tags == () and summary.filled == ()
        assert summary.conflict_of is None and not summary.damaged
    # ... and the next listing, from whatever was rewritten, is as good.
    again = {s.id: (s.title, s.revision) for s in store.list_cases()}
    assert again == {case.id: (case.title, 1) for case in cases}


def test_escape_codes_in_a_well_typed_catalog_title_are_only_text(listed):
    store, cases = listed
    _journal_row(4, "Fictional \x1b[2J\x1b]0;PWNED\x07")(store, cases)
    [summary] = [s for s in store.list_cases() if s.id == cases[0].id]
    assert isinstance(summary.title, str)  # shown through printable by every front end


def test_good_row_accepts_what_writers_write(listed):
    store, cases = listed
    assert good_row(true_row(store, cases[0].id))
    assert not good_row(tuple(true_row(store, cases[0].id)))
    assert not good_row(None)
