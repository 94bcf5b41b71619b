"""``coprod lint`` and ``coprod guard``, and the warnings ``write``/``new``/``import`` print.

Identity numbers are Skatteverket's published test numbers (20170101-2393, a wrong
check digit computed from it); mobile numbers are from PTS's range for fiction
(070-174 06 05 ...); other phones, e-mail addresses and streets are invented.
"""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.privacy.guard import (
    REFUSE_MARKER,
    IdentifierGuard,
    IdentifiersRefused,
    guard_of,
    guard_store,
    store_refuses,
)
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template.registry import discover_templates
from tests.cli_helpers import coprod, isolate

ROOT = Path(__file__).resolve().parents[1]
SURE = "20170101-2393"
POSSIBLE = "20170101-2394"
FULL_TEXT = (
    f"Karin (pnr {SURE}) ringde från 070-174 06 05 och mejlade karin@example.se. "
    "Hon bor på Lingonstigen 4, 123 45 Ort. Samtalet tog 12 minuter, Alvedon 500 mg."
)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """Run ``coprod --store STORE ...`` in-process; standard input is not a terminal."""

    def call(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        return coprod(capsys, monkeypatch, "--store", str(tmp_path / "store"), *args, stdin=stdin)

    return call


def new(run, title: str = "Hembesök (fiktivt)") -> str:
    code, out, err = run("new", title)
    assert code == 0, err
    return out.strip()


def write(run, case_id: str, text: str, section: str = "1") -> tuple[int, str, str]:
    return run("write", case_id, section, stdin=text.encode())


def section_text(run, case_id: str, section: str = "situation") -> str:
    code, out, err = run("show", case_id, "--json")
    assert code == 0, err
    return json.loads(out)["sections"].get(section, "")


# --- lint ------------------------------------------------------------------------------


def test_lint_of_a_clean_case_exits_0(run):
    case_id = new(run)
    assert write(run, case_id, "Hon väntade 45 minuter, 2x10 mg, kl 08:30, år 2019.")[0] == 0
    code, out, err = run("lint", case_id[:8])
    assert (code, err) == (0, "")
    assert out.strip() == "no identifying details found in 1 case(s)"


def test_lint_lists_each_hit_masked_and_exits_1(run):
    case_id = new(run)
    write(run, case_id, FULL_TEXT)
    code, out, err = run("lint", case_id)
    assert code == 1
    lines = out.strip().splitlines()
    where = f"case {case_id[:8]}, section situation: "
    assert lines == [
        where + "personnummer '2017…'",
        where + "phone number '070-…'",
        where + "e-mail address 'kari…'",
        where + "street address 'Ling…'",
        where + "postcode and place '123…'",
    ]
    assert SURE not in out + err and "karin@example.se" not in out + err
    assert "5 identifying detail(s) in 1 case(s)" in err


def test_lint_json_gives_full_rows_with_offsets(run):
    case_id = new(run)
    write(run, case_id, f"Felskrivet {POSSIBLE}.")
    code, out, _err = run("lint", "--json", case_id)
    assert code == 1
    (row,) = json.loads(out)
    assert row == {
        "case": case_id,
        "place": "situation",
        "kind": "personnummer",
        "certainty": "possible",
        "start": 11,
        "end": 24,
        "text": POSSIBLE,
        "label": "[personnummer]",
    }
    assert section_text(run, case_id)[row["start"] : row["end"]] == POSSIBLE


def test_lint_all_covers_every_case_and_names_title_and_fields(run):
    first = new(run, "Samtal med 070-174 06 05")
    second = new(run)
    write(run, second, f"pnr {SURE}")
    new(run, "Ren fil")
    code, out, _err = run("lint", "--all", "--json")
    assert code == 1
    places = {(row["case"], row["place"], row["kind"]) for row in json.loads(out)}
    assert places == {(first, "title", "phone"), (second, "situation", "personnummer")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name the cases to check, or use --all"),
        (("--all", "abc"), "name cases or use --all, not both"),
        (("--yes", "--all"), "--yes only goes with --redact"),
        (("ffffffff",), None),
    ],
)
def test_lint_bad_input_is_one_line_and_exit_2(run, args, message):
    new(run)
    code, out, err = run("lint", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    if message:
        assert message in lines[0]


def test_lint_redact_rewrites_the_case_as_a_new_revision(run):
    case_id = new(run)
    write(run, case_id, FULL_TEXT)
    code, out, err = run("lint", "--redact", "--yes", case_id)
    assert code == 0, err
    assert f"redacted 5 identifying detail(s) in case {case_id[:8]} (revision 3)" in out
    assert section_text(run, case_id) == (
        "Karin (pnr [personnummer]) ringde från [phone] och mejlade [e-mail]. "
        "Hon bor på [address], [postcode]. Samtalet tog 12 minuter, Alvedon 500 mg."
    )
    assert run("lint", case_id)[0] == 0
    history = run("history", case_id)[1]
    assert "rev    2" in history  # the text before the redaction is kept in history


def test_lint_redact_without_a_terminal_needs_yes_and_changes_nothing(run):
    case_id = new(run)
    write(run, case_id, f"pnr {SURE}")
    code, out, err = run("lint", "--redact", case_id)
    assert code == 2 and out == ""
    assert "add --yes" in err
    assert section_text(run, case_id) == f"pnr {SURE}"


def run_on_a_terminal(store: Path, args: list[str], answer: bytes) -> tuple[int, str]:
    """Run coprod with a pseudo-terminal as standard input and ``answer`` typed on it."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "coprod_tui", "--store", str(store), *args],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(terminal)
    os.write(controller, answer)
    try:
        out, err = process.communicate(timeout=60)
    finally:
        while select.select([controller], [], [], 0)[0]:
            try:
                os.read(controller, 4096)
            except OSError:
                break
        os.close(controller)
    return process.returncode, out.decode() + err.decode()


def test_lint_redact_on_a_terminal_asks_first(run, tmp_path):
    case_id = new(run)
    write(run, case_id, f"pnr {SURE}")
    code, output = run_on_a_terminal(tmp_path / "store", ["lint", "--redact", case_id], b"n\n")
    assert code == 1 and "[y/N]" in output and "nothing was changed" in output
    assert section_text(run, case_id) == f"pnr {SURE}"
    code, output = run_on_a_terminal(tmp_path / "store", ["lint", "--redact", case_id], b"y\n")
    assert code == 0, output
    assert section_text(run, case_id) == "pnr [personnummer]"


# --- warnings after a save --------------------------------------------------------------


def test_write_warns_one_line_per_hit_in_what_it_saved_and_exits_0(run):
    case_id = new(run)
    write(run, case_id, "Ring 08-123 456 78.", section="2")
    code, out, err = write(run, case_id, f"Felskrivet {POSSIBLE}, kim@example.se.")
    assert code == 0
    assert out.startswith("saved situation")
    assert err.splitlines() == [
        f"coprod: warning: case {case_id[:8]}, section situation: possible personnummer '2017…'",
        f"coprod: warning: case {case_id[:8]}, section situation: e-mail address 'kim@…'",
    ]  # nothing about section 2: it was not what this command saved


def test_write_of_clean_text_warns_nothing(run):
    case_id = new(run)
    assert write(run, case_id, "Hon väntade i 12 minuter.")[2] == ""


def test_new_warns_about_its_title(run):
    code, out, err = run("new", "Samtal med Storgatan 12")
    assert code == 0
    case_id = out.strip()
    assert err.strip() == f"coprod: warning: case {case_id[:8]}, the title: street address 'Stor…'"


def test_import_warns_about_the_cases_it_added(run, tmp_path):
    case_id = new(run)
    write(run, case_id, f"pnr {SURE}")
    exported = run("export", case_id)[1]
    other = tmp_path / "other"
    code, _out, err = run_other(run, other, "import", "-", stdin=exported.encode())
    assert code == 0
    assert err.strip() == (
        f"coprod: warning: case {case_id[:8]}, section situation: personnummer '2017…'"
    )
    code, _out, err = run_other(run, other, "import", "-", stdin=exported.encode())
    assert (code, err) == (0, "")  # already present: nothing saved, nothing to warn about


def run_other(run, store: Path, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """``run`` against another store (``--store`` given twice: the last one counts)."""
    return run("--store", str(store), *args, stdin=stdin)


# --- the guard's setting ----------------------------------------------------------------


def test_by_default_the_guard_refuses_nothing(run):
    case_id = new(run)
    code, _out, _err = write(run, case_id, f"pnr {SURE}")
    assert code == 0
    assert section_text(run, case_id) == f"pnr {SURE}"


def test_a_store_that_refuses_keeps_sure_hits_out_and_says_so(run, tmp_path):
    case_id = new(run)
    code, out, _err = run("guard", "refuse")
    assert code == 0 and "refuses" in out
    marker = tmp_path / "store" / REFUSE_MARKER
    assert stat.S_IMODE(os.lstat(marker).st_mode) == 0o600
    code, out, err = write(run, case_id, f"pnr {SURE}")
    assert (code, out) == (2, "")
    line = err.strip()
    assert len(err.strip().splitlines()) == 1
    assert "section situation" in line and "personnummer '2017…'" in line
    assert SURE not in line
    assert section_text(run, case_id) == ""  # nothing was saved
    # a possible hit (a wrong check digit) is saved, with a warning
    code, _out, err = write(run, case_id, f"pnr {POSSIBLE}")
    assert code == 0 and "possible personnummer" in err
    assert run("guard")[1].startswith("this store refuses")
    code, out, _err = run("guard", "warn")
    assert code == 0 and "with a warning" in out and not marker.exists()
    assert write(run, case_id, f"pnr {SURE}")[0] == 0


def test_a_refusing_store_still_lets_lint_redact(run):
    case_id = new(run)
    write(run, case_id, f"pnr {SURE}")
    run("guard", "refuse")
    code, _out, err = run("lint", "--redact", "--yes", case_id)
    assert code == 0, err
    assert section_text(run, case_id) == "pnr [personnummer]"


def test_guard_unit_never_refuses_a_conflict_copy_or_orphans(tmp_path):
    template = discover_templates().default()
    case = new_case("Fiktivt", template)
    case = case.replace(sections={**case.sections, "situation": f"pnr {SURE}"})
    guard = IdentifierGuard(refuse=True)
    with pytest.raises(IdentifiersRefused):
        guard(case)
    guard(case.replace(conflict_of=case.id))  # another writer's words: never refused
    orphaned = case.replace(
        sections={**case.sections, "situation": ""}, orphans={"old": f"pnr {SURE}"}
    )
    guard(orphaned)
    IdentifierGuard(refuse=False)(case)


def test_guard_store_registers_once_and_reads_the_marker(tmp_path):
    store = CaseStore.open(tmp_path / "store", create=True)
    assert not store_refuses(store.path)
    first = guard_store(store)
    assert guard_store(store) is first and guard_of(store) is first
    assert first.refusing is False
    (tmp_path / "store" / REFUSE_MARKER).symlink_to(tmp_path / "nowhere")
    assert store_refuses(store.path)  # a link counts (lstat), and is never followed
    assert first.refusing is True  # read on every write: no restart needed
    again = CaseStore.open(tmp_path / "store")
    assert guard_store(again).refusing is True


def test_show_and_list_never_load_the_finder(run, tmp_path):
    """Opening a guarded store costs one lstat: the patterns are compiled on the first write."""
    case_id = new(run)
    probe = (
        "import contextlib, io, json, sys\n"
        "from coprod_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(sys.argv[1:])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    for command in (["show", case_id], ["list"]):
        result = subprocess.run(
            [sys.executable, "-c", probe, "--store", str(tmp_path / "store"), *command],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        loaded = json.loads(result.stdout.strip().splitlines()[-1])
        assert "coprod_tui.core.privacy.guard" in loaded  # the guard is on the store ...
        assert "coprod_tui.core.privacy.finder" not in loaded  # ... and costs nothing yet


def test_lint_output_is_terminal_safe(run, tmp_path):
    """A place named by hostile text (an orphan id from an imported file) prints no escape."""
    template = discover_templates().default()
    store = CaseStore.open(tmp_path / "store", create=True)
    case = new_case("\x1b]0;owned\x07Titel", template)
    case.orphans = {"old\x1b[2J\x1b[31mnotes": f"pnr {SURE}"}
    case = store.create(case)
    code, out, err = run("lint", case.id)
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert out.strip() == f"case {case.id[:8]}, orphaned section oldnotes: personnummer '2017…'"
    code, out, _err = run("lint", "--json", case.id)
    assert "\x1b" not in out
    assert json.loads(out)[0]["place"] == "orphan:old\x1b[2J\x1b[31mnotes"
