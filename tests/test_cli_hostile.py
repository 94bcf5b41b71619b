"""The CLI against hostile input: damaged cases, hostile import files, escape codes in arguments.

Every failure is clear lines on standard error, never a traceback, never a raw
terminal control; a bad case never stops the rest of the store from working.
"""

from __future__ import annotations

import io
import json
import sys
import uuid
from pathlib import Path

import pytest

from coprod_tui.cli import main

PWNED = "\u001b]0;PWNED\u0007"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("COPROD_TEMPLATES", raising=False)
    monkeypatch.delenv("COPROD_STORE", raising=False)
    monkeypatch.delenv("COPROD_DEBUG", raising=False)


class Run:
    """Run ``coprod`` in-process on one store; keeps the output."""

    def __init__(self, store_dir: Path, capsys, monkeypatch) -> None:
        self.store_dir = store_dir
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: bytes = b"", store: Path | None = None):
        fake = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        self.monkeypatch.setattr(sys, "stdin", fake)
        try:
            code = main(["--store", str(store or self.store_dir), *args])
        except SystemExit as exit_info:  # argparse usage errors
            code = int(exit_info.code or 0)
        out, err = self.capsys.readouterr()
        for text in (out, err):
            assert "Traceback" not in text
            assert not any(control in text for control in RAW_CONTROLS), repr(text)
        return code, out, err


@pytest.fixture
def run(tmp_path, capsys, monkeypatch) -> Run:
    return Run(tmp_path / "store", capsys, monkeypatch)


def new(run: Run, title: str) -> str:
    code, out, err = run("new", title)
    assert code == 0, err
    return out.strip()


def case_path(run: Run, case_id: str, folder: str = "cases") -> Path:
    return run.store_dir / folder / f"{case_id}.json"


def set_key(path: Path, key: str, value: object) -> None:
    data = json.loads(path.read_bytes())
    data["case"]["1"][key] = value
    path.write_text(json.dumps(data))


# --- damaged cases through every command -------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("conflict_of", 7),
        ("conflict_of", PWNED),
        ("revision", "@1e999"),
        ("revision", "@" + "9" * 5000),
        ("title", ["a list"]),
        ("updated", "9999-12-31T23:59:59-12:00"),
    ],
)
def test_a_damaged_case_is_damaged_for_every_command_and_the_rest_works(run, key, value):
    bad, good = new(run, "Fictional Olof"), new(run, "Fictional Petra")
    path = case_path(run, bad)
    if isinstance(value, str) and value.startswith("@"):
        set_key(path, key, "@@")
        path.write_bytes(path.read_bytes().replace(b'"@@"', value[1:].encode()))
    else:
        set_key(path, key, value)

    code, out, _ = run("list")
    assert code == 0 and "Fictional Petra" in out
    [line] = [line for line in out.splitlines() if line.startswith(bad[:8])]
    assert "DAMAGED" in line and "doctor" in line
    rows = {row["id"]: row for row in json.loads(run("list", "--json")[1])}
    assert rows[bad]["damaged"] and not rows[good]["damaged"]

    for command in (("show", bad), ("show", bad, "--json"), ("export", bad)):
        code, _out, err = run(*command)
        assert code == 1 and len(err.strip().splitlines()) == 1 and "damaged" in err, command
    code, out, _ = run("history", bad)
    assert code == 0 and "DAMAGED" in out
    code, out, err = run("export", "--all")
    assert code == 1 and bad[:8] in err and "skipped damaged" in err
    assert [case["id"] for case in json.loads(out)["cases"]] == [good]
    assert run("show", good)[0] == 0

    code, out, err = run("doctor")
    assert code == 1 and bad[:8] in out and "damaged" in out
    code, out, err = run("doctor", "--repair")
    assert code == 0, out + err
    assert "set aside" in out and str(run.store_dir / "damaged") in out
    code, out, _ = run("list")
    assert code == 0 and bad[:8] not in out and good[:8] in out
    assert run("doctor")[0] == 0


def test_escape_codes_in_a_title_are_only_shown_as_text(run):
    case_id = new(run, f"Fictional {PWNED}Rut\x9b2J")
    code, out, _ = run("list")
    assert code == 0 and "Fictional 0;PWNEDRut" not in out and "Rut" in out
    assert run("show", case_id)[0] == 0
    assert run("history", case_id)[0] == 0


# --- hostile import files ----------------------------------------------------------------


def good_case(**changes: object) -> dict:
    case = {
        "id": str(uuid.uuid4()),
        "title": "Fictional Sigrid",
        "template_id": "batalden-primary-care",
        "template_version": 1,
        "created": "2026-11-28T14:03:12Z",
        "updated": "2026-11-28T14:03:12Z",
        "tags": [],
        "fields": {},
        "sections": {"situation": "Home visit."},
        "orphans": {},
        "revision": 2,
        "saved_by": "fiktiv@host",
        "conflict_of": None,
        "format": 1,
    }
    case.update(changes)
    return case


def export_of(*cases: object, version: object = 1) -> bytes:
    return json.dumps(
        {"format": "coprod-export", "version": version, "cases": list(cases)}
    ).encode()


def with_raw(literal: bytes) -> bytes:
    """An export whose first case's revision is raw JSON text."""
    return export_of(good_case(revision="@@")).replace(b'"@@"', literal)


TWIN = good_case()

#: Each hostile import file: (name, bytes). Every one is refused whole.
HOSTILE_IMPORTS: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("not JSON", b"{nope"),
    ("not UTF-8", b"\xff\xfe{}"),
    ("a list", b"[1, 2]"),
    ("a string", b'"coprod-export"'),
    ("no format", b'{"version": 1, "cases": []}'),
    ("another format", b'{"format": "other", "version": 1, "cases": []}'),
    ("no version", b'{"format": "coprod-export", "cases": []}'),
    ("version a string", export_of(version="1")),
    ("version true", export_of(version=True)),
    ("version from the future", export_of(version=99)),
    (
        "version with 5000 digits",
        export_of().replace(b'"version": 1', b'"version": ' + b"9" * 5000),
    ),
    ("no cases list", b'{"format": "coprod-export", "version": 1}'),
    ("cases an object", b'{"format": "coprod-export", "version": 1, "cases": {}}'),
    ("a case is a number", export_of(5)),
    ("a case is null", export_of(None)),
    ("duplicate ids", export_of(TWIN, good_case(), TWIN)),
    ("id not a uuid", export_of(good_case(id="case-one"))),
    ("id path-like", export_of(good_case(id="../../x"))),
    ("id upper-case", export_of(good_case(id=str(uuid.uuid4()).upper()))),
    ("id with escape codes", export_of(good_case(id=f"{PWNED}{uuid.uuid4()}"))),
    ("id a number", export_of(good_case(id=12))),
    ("revision 1e999", with_raw(b"1e999")),
    ("revision with 5000 digits", with_raw(b"1" * 5000)),
    ("revision NaN", with_raw(b"NaN")),
    ("revision negative", export_of(good_case(revision=-4))),
    ("revision true", export_of(good_case(revision=True))),
    ("revision huge", export_of(good_case(revision=2**60))),
    ("conflict_of a number", export_of(good_case(conflict_of=7))),
    ("conflict_of escape codes", export_of(good_case(conflict_of=PWNED))),
    ("title a number", export_of(good_case(title=5))),
    ("title with a lone surrogate", with_raw(b"1").replace(b"Sigrid", b"\\ud800")),
    ("title huge", export_of(good_case(title="x" * 20_000))),
    ("created not a date", export_of(good_case(created="last Tuesday"))),
    ("tags a string", export_of(good_case(tags="home"))),
    ("sections a list", export_of(good_case(sections=["a"]))),
    ("a section holds an object", export_of(good_case(sections={"situation": {"t": 1}}))),
    ("deep nesting", b'{"format": "coprod-export", "cases": ' + b"[" * 100_000 + b"]" * 100_000),
    ("deep nesting in a case", export_of(good_case(insights=json.loads("[" * 60 + "]" * 60)))),
    ("trashed not a boolean", export_of(good_case(trashed="yes"), version=2)),
    ("history not a list", export_of(good_case(history={"1": {}}), version=2)),
    ("a kept version of another case", export_of(good_case(history=[good_case()]), version=2)),
    ("one bad case among good ones", export_of(good_case(), good_case(revision=1.5), good_case())),
]


@pytest.mark.parametrize(("kind", "raw"), HOSTILE_IMPORTS, ids=[k for k, _ in HOSTILE_IMPORTS])
def test_a_hostile_import_file_is_refused_whole(run, tmp_path, kind, raw):
    existing = new(run, "Fictional Tove")
    name = f"import-{PWNED}.json"
    target = tmp_path / name
    target.write_bytes(raw)
    code, _out, err = run("import", str(target))
    assert code == 2, kind
    lines = err.strip().splitlines()
    shown = str(tmp_path / "import-.json")  # the file name, without its escape codes
    assert lines and all(shown in line for line in lines), err
    assert [row["id"] for row in json.loads(run("list", "--json")[1])] == [existing]
    assert run("list", "--json")[0] == 0


def test_every_bad_case_is_one_line_naming_its_number_and_id(run, tmp_path):
    twin = good_case()
    raw = export_of(good_case(), twin, good_case(conflict_of=7), twin, 3, good_case(id="../x"))
    (tmp_path / "bad.json").write_bytes(raw)
    code, _out, err = run("import", str(tmp_path / "bad.json"))
    assert code == 2
    lines = err.strip().splitlines()
    source = str(tmp_path / "bad.json")
    bad = json.loads(raw)["cases"]
    assert len(lines) == 4
    assert lines[0].startswith(f"{source}: case 3 ({bad[2]['id']}): 'conflict_of'")
    assert lines[1] == (
        f"{source}: case 4 ({twin['id']}): the same id as case 2; each case must appear once"
    )
    assert lines[2] == f"{source}: case 5: a case must be a JSON object"
    assert lines[3].startswith(f"{source}: case 6 (../x): 'id' is not a case id")
    assert all(line.startswith(f"{source}: case ") for line in lines)
    assert not run.store_dir.exists()  # nothing imported: not even a store was made


def test_unknown_keys_in_an_import_survive_into_the_store(run, tmp_path):
    case = good_case(insights={"themes": ["trust"]})
    raw = json.dumps(
        {"format": "coprod-export", "version": 1, "from": "later", "cases": [case]}
    ).encode()
    (tmp_path / "later.json").write_bytes(raw)
    assert run("import", str(tmp_path / "later.json"))[0] == 0
    shown = json.loads(run("show", case["id"], "--json")[1])
    assert shown["insights"] == {"themes": ["trust"]}
    code, out, _ = run("show", case["id"])
    assert code == 0 and "insights" in out


def test_a_newer_case_format_shows_read_only_and_refuses_writes(run):
    case_id = new(run, "Fictional Ulla")
    path = case_path(run, case_id)
    set_key(path, "format", 2)
    set_key(path, "insights", ["kept"])
    before = path.read_bytes()
    code, out, _ = run("show", case_id)
    assert code == 0 and "newer coprod" in out and "read-only" in out
    code, _out, err = run("write", case_id, "1", stdin=b"words")
    assert code == 1 and "newer coprod" in err and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before
    data = json.loads(run("export", case_id)[1])
    assert data["cases"][0]["insights"] == ["kept"] and data["cases"][0]["format"] == 2


# --- escape codes in the user's own arguments ---------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("show", PWNED),
        ("show", f"ab{PWNED}"),
        ("history", PWNED),
        ("export", PWNED),
        ("restore", PWNED, "2"),
        ("restore", "abc", PWNED),
        ("write", PWNED, "1"),
        ("import", f"/no/such/{PWNED}file.json"),
        ("export", "--all", "--format", PWNED),
        ("new", "x", "--template", PWNED),
        (PWNED,),
        ("list", f"--{PWNED}"),
    ],
)
def test_errors_that_echo_arguments_never_echo_escape_codes(run, args):
    new(run, "Fictional Viggo")
    code, _out, err = run(*args)  # Run asserts no raw control reaches either stream
    assert code == 2 and len(err.strip().splitlines()) == 1, err


# --- complete backups ---------------------------------------------------------------------


def test_export_all_includes_the_trash_and_with_history_the_kept_versions(run, tmp_path):
    active, trashed = new(run, "Fictional Wilma"), new(run, "Fictional Yngve")
    run("write", trashed, "1", stdin=b"first words")
    run("write", trashed, "1", stdin=b"second words")
    from coprod_tui.core.store import CaseStore

    CaseStore.open(run.store_dir).trash(trashed)
    assert trashed[:8] not in run("list")[1]

    code, out, _ = run("export", trashed)  # a trashed case exports by id
    assert code == 0 and json.loads(out)["cases"][0]["trashed"] is True

    backup = tmp_path / "backup.json"
    code, _out, err = run("export", "--all", "--with-history", "-o", str(backup))
    assert code == 0 and "1 from the trash" in err and "kept version" in err
    data = json.loads(backup.read_text())
    assert data["version"] == 2
    entries = {case["id"]: case for case in data["cases"]}
    assert entries[trashed]["trashed"] is True and "trashed" not in entries[active]
    assert [v["revision"] for v in entries[trashed]["history"]] == [1, 2]

    plain = json.loads(run("export", active)[1])
    assert plain["version"] == 1  # nothing only a newer coprod understands

    other = tmp_path / "restored-store"
    code, out, _ = run("import", str(backup), store=other)
    assert code == 0 and "1 into the trash" in out and "2 kept version(s)" in out
    listed = json.loads(run("list", "--json", store=other)[1])
    assert [row["id"] for row in listed] == [active]
    code, out, _ = run("history", trashed, store=other)
    assert code == 0 and "rev    2" in out and "rev    1" in out and "rev    3" in out

    code, out, _ = run("import", str(backup), store=other)  # idempotent
    assert code == 0 and "0 new" in out and "2 already present" in out


def test_an_import_that_would_change_a_newer_format_case_is_refused_for_that_case(run, tmp_path):
    case_id = new(run, "Fictional Åke")
    target = tmp_path / "e.json"
    run("export", case_id, "-o", str(target))
    set_key(case_path(run, case_id), "format", 2)
    before = case_path(run, case_id).read_bytes()
    code, out, err = run("import", str(target))
    assert code == 1 and f"{case_id[:8]} not imported" in out and "newer coprod" in err
    assert case_path(run, case_id).read_bytes() == before
    assert len(json.loads(run("list", "--json")[1])) == 1  # no conflict copy either
