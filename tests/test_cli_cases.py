"""The case commands: output, exit codes (0 ok, 1 operational, 2 bad input), one line on failure."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from coprod_tui.cli import main
from coprod_tui.core.store import storage

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("COPROD_TEMPLATES", raising=False)
    monkeypatch.delenv("COPROD_STORE", raising=False)


@pytest.fixture
def store_dir(tmp_path) -> Path:
    return tmp_path / "store"


class Run:
    """Run ``coprod`` in-process with some standard input; keeps the output."""

    def __init__(self, store_dir: Path, capsys, monkeypatch) -> None:
        self.store_dir = store_dir
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        fake = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        self.monkeypatch.setattr(sys, "stdin", fake)
        try:
            code = main(["--store", str(self.store_dir), *args])
        except SystemExit as exit_info:  # argparse usage errors
            code = int(exit_info.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(store_dir, capsys, monkeypatch) -> Run:
    return Run(store_dir, capsys, monkeypatch)


def new(run: Run, title: str = "Fictional visit", *extra: str) -> str:
    code, out, err = run("new", title, *extra)
    assert code == 0, err
    return out.strip()


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_new_prints_the_id(run):
    case_id = new(run, "Visit", "--tag", "home", "--tag", "copd")
    assert str(uuid.UUID(case_id)) == case_id
    code, out, _ = run("show", case_id, "--json")
    data = json.loads(out)
    assert data["title"] == "Visit" and data["tags"] == ["home", "copd"]
    assert data["template_id"] == "batalden-primary-care" and data["revision"] == 1


def test_new_rejects_bad_input(run):
    code, _out, err = run("new", "   ")
    assert code == 2 and "title" in one_line_error(err)
    code, _out, err = run("new", "x", "--template", "no-such-template")
    assert code == 2 and "no-such-template" in one_line_error(err)


def test_list_table_json_and_tags(run):
    from coprod_tui.core.store import CaseStore

    CaseStore.open(run.store_dir)  # an empty store ('list' itself never creates one)
    code, out, _ = run("list")
    assert code == 0 and "no cases" in out
    first = new(run, "First", "--tag", "home")
    second = new(run, "Second\x1b]0;pwned\x07 title")
    code, out, _ = run("list")
    assert code == 0
    assert first[:8] in out and second[:8] in out and "0/9" in out
    assert "\x1b" not in out and "\x07" not in out
    code, out, _ = run("list", "--json")
    rows = json.loads(out)
    assert {row["id"] for row in rows} == {first, second}
    assert "\x1b" not in out
    code, out, _ = run("list", "--json", "--tag", "home")
    assert [row["id"] for row in json.loads(out)] == [first]


def test_show_by_prefix_and_errors(run):
    case_id = new(run, "Åsa’s visit")
    code, out, _ = run("show", case_id[:6])
    assert code == 0 and "Åsa’s visit" in out and "1. Situation" in out and "(empty)" in out
    code, _out, err = run("show", "zzzz")
    assert code == 2 and "no case" in one_line_error(err)


def test_ambiguous_prefix_is_exit_2(run, store_dir):
    from coprod_tui.core.case import new_case
    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import discover_templates

    store = CaseStore.open(store_dir)
    template = discover_templates().default()
    first = store.create(new_case("a", template))
    twin = new_case("b", template)
    twin.id = first.id[:5] + twin.id[5:]
    store.create(twin)
    code, _out, err = run("show", first.id[:5])
    assert code == 2 and "give more of the id" in one_line_error(err)


def test_write_by_id_and_number_and_append(run):
    case_id = new(run)
    assert run("write", case_id[:8], "situation", stdin="Första raden.\n".encode())[0] == 0
    assert run("write", case_id[:8], "1", "--append", stdin=b"Second line.")[0] == 0
    assert run("write", case_id[:8], "1", "--append", stdin=b"Third.")[0] == 0
    assert run("write", case_id[:8], "9", stdin=b"So what, now what.")[0] == 0
    data = json.loads(run("show", case_id, "--json")[1])
    assert data["sections"]["situation"] == "Första raden.\nSecond line.\nThird."
    assert data["sections"]["reflections"] == "So what, now what."
    assert data["revision"] == 5


def test_write_rejects_bad_sections_and_bad_utf8(run):
    case_id = new(run)
    for section in ["0", "10", "no-such-section"]:
        code, _out, err = run("write", case_id, section, stdin=b"x")
        assert code == 2, section
        one_line_error(err)
    code, _out, err = run("write", case_id, "1", stdin=b"caf\xe9")
    assert code == 2 and "UTF-8" in one_line_error(err)
    assert json.loads(run("show", case_id, "--json")[1])["revision"] == 1


def test_write_when_the_disk_is_full_is_exit_1(run, monkeypatch):
    case_id = new(run)

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full)
    code, _out, err = run("write", case_id, "1", stdin=b"words")
    assert code == 1 and "disk is full" in one_line_error(err)
    monkeypatch.undo()


def test_export_import_round_trip(run, tmp_path, store_dir):
    first = new(run, "One")
    run("write", first, "2", stdin=b"Lived reality.")
    second = new(run, "Two")
    target = tmp_path / "backup.json"
    code, _out, err = run("export", "--all", "--format", "json", "-o", str(target))
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = json.loads(target.read_text())
    assert {case["id"] for case in data["cases"]} == {first, second}

    code, out, _ = run("export", first[:6])
    assert [case["id"] for case in json.loads(out)["cases"]] == [first]

    other = tmp_path / "other-store"
    code = main(["--store", str(other), "import", str(target)])
    assert code == 0
    code = main(["--store", str(other), "export", "--all", "-o", str(tmp_path / "again.json")])
    again = json.loads((tmp_path / "again.json").read_text())
    assert sorted(again["cases"], key=lambda c: c["id"]) == sorted(
        data["cases"], key=lambda c: c["id"]
    )
    code, out, _ = run("import", str(target))  # into the original store: nothing new
    assert code == 0 and "0 new" in out and "2 already present" in out


def test_import_clash_becomes_a_conflict_copy(run, tmp_path):
    case_id = new(run, "Shared")
    target = tmp_path / "e.json"
    run("export", case_id, "-o", str(target))
    data = json.loads(target.read_text())
    data["cases"][0]["sections"]["situation"] = "Written on the other computer."
    target.write_text(json.dumps(data))
    code, out, _ = run("import", str(target))
    assert code == 0 and "1 conflict copy" in out
    code, out, _ = run("import", str(target))
    assert code == 0 and "0 conflict copies" in out
    rows = json.loads(run("list", "--json")[1])
    assert len(rows) == 2
    assert [row["conflict_of"] for row in rows if row["id"] != case_id] == [case_id]


def test_import_and_export_input_errors(run, tmp_path):
    code, _o, err = run("import", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in one_line_error(err)
    (tmp_path / "bad.json").write_text("{}")
    code, _o, err = run("import", str(tmp_path / "bad.json"))
    assert code == 2 and "not a coprod export" in one_line_error(err)
    code, _o, err = run("export")
    assert code == 2
    code, _o, err = run("export", "--all", "--format", "csv")
    assert code == 2


def test_history_and_restore(run):
    case_id = new(run)
    run("write", case_id, "1", stdin=b"first draft words")
    run("write", case_id, "1", stdin=b"second")
    code, out, _ = run("history", case_id[:8])
    assert code == 0
    assert "rev    3" in out and "(current)" in out and "rev    2" in out and "3 words" in out
    code, out, _ = run("restore", case_id[:8], "2")
    assert code == 0 and "as revision 4" in out
    data = json.loads(run("show", case_id, "--json")[1])
    assert data["sections"]["situation"] == "first draft words"
    code, _o, err = run("restore", case_id, "77")
    assert code == 2 and "no kept revision" in one_line_error(err)
    code, _o, err = run("restore", case_id, "zero")
    assert code == 2


def test_doctor_reports_and_repairs(run, store_dir):
    case_id = new(run)
    run("write", case_id, "1", stdin=b"good text")
    code, out, _ = run("doctor")
    assert code == 0 and "store OK" in out
    path = next(store_dir.rglob(f"cases/{case_id}.json"))
    path.write_bytes(b"\x00\x00 torn")
    code, out, _ = run("list", "--json")
    assert code == 0 and json.loads(out)[0]["damaged"] is True
    code, out, err = run("show", case_id)
    assert code == 1 and "doctor" in one_line_error(err)
    code, out, err = run("doctor")
    assert code == 1 and "damaged" in out
    code, out, err = run("doctor", "--repair")
    assert code == 0 and "fixed" in out
    assert json.loads(run("show", case_id, "--json")[1])["revision"] >= 2


def test_an_unsafe_store_is_refused_with_advice(run, store_dir):
    new(run)
    os.chmod(store_dir, 0o777)
    code, _out, err = run("list")
    assert code == 1 and f"chmod 700 {store_dir}" in one_line_error(err)
    os.chmod(store_dir, 0o700)


def test_share_with_group_opt_in(run, store_dir):
    case_id = new(run)
    code, out, _ = run("doctor", "--share-with-group")
    assert code == 0 and "shared with the group" in out
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o2770
    assert (store_dir / "shared-with-group").exists()
    run("write", case_id, "1", stdin=b"team text")
    path = next(store_dir.rglob(f"cases/{case_id}.json"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o660
    assert run("list")[0] == 0  # group-writable is fine now
    os.chmod(store_dir, 0o2777)
    assert run("list")[0] == 1  # but never writable by others


def test_concurrent_cli_appenders_lose_nothing(run, store_dir):
    case_id = new(run)
    env = {**os.environ, "COPROD_STORE": str(store_dir), "PYTHONPATH": str(ROOT)}
    script = (
        "import subprocess, sys\n"
        "for n in range(5):\n"
        "    subprocess.run([sys.executable, '-m', 'coprod_tui', 'write', sys.argv[1], '1',"
        " '--append'], input=f'{sys.argv[2]}-{n}\\n'.encode(), check=True, capture_output=True)\n"
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", script, case_id[:8], f"p{w}"], env=env)
        for w in range(4)
    ]
    for worker in workers:
        assert worker.wait(120) == 0
    text = json.loads(run("show", case_id, "--json")[1])["sections"]["situation"]
    assert sorted(text.splitlines()) == sorted(f"p{w}-{n}" for w in range(4) for n in range(5))


def test_no_traceback_from_a_subprocess_error(tmp_path):
    env = {**os.environ, "COPROD_STORE": str(tmp_path / "s"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "coprod_tui", "show", "nope"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
