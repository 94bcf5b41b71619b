"""``coprod purge CASE... [--yes]``: erasure on request, asked first, never guessed.

All people are fictional.
"""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("COPROD_TEMPLATES", raising=False)
    monkeypatch.delenv("COPROD_STORE", raising=False)


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """Run ``coprod --store STORE ...`` in-process; standard input is not a terminal."""

    def call(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        try:
            code = main(["--store", str(tmp_path / "store"), *args])
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return call


def new(run, title: str) -> str:
    code, out, err = run("new", title)
    assert code == 0, err
    return out.strip()


def ids_listed(run) -> set[str]:
    import json

    return {row["id"] for row in json.loads(run("list", "--json")[1])}


def test_purge_with_yes_deletes_for_good_one_line_each(run, tmp_path):
    keep = new(run, "Arvid, 70: the stairs")
    gone = new(run, "Gunnel, 52: the night calls")
    trashed = new(run, "Rune, 88: the hearing aid")
    run("write", gone, "1", stdin=b"Gunnel called twice.")
    from coprod_tui.core.store import CaseStore

    CaseStore.open(tmp_path / "store").trash(trashed)
    code, out, err = run("purge", gone[:8], trashed, "--yes")
    assert code == 0, err
    assert out.splitlines() == [
        f"purged {gone[:8]} “Gunnel, 52: the night calls”",
        f"purged {trashed[:8]} “Rune, 88: the hearing aid”",
    ]
    assert ids_listed(run) == {keep}
    assert not (tmp_path / "store" / "history" / gone).exists()
    assert CaseStore.open(tmp_path / "store").list_trash() == []


def test_purge_without_a_terminal_refuses_in_one_line(run):
    case_id = new(run, "Gunnel, 52")
    code, out, err = run("purge", case_id, stdin=b"y\n")
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert "--yes" in line and "Traceback" not in err
    assert ids_listed(run) == {case_id}


def test_purge_of_an_unknown_case_is_exit_2(run):
    new(run, "Gunnel, 52")
    code, _out, err = run("purge", "ffffffff", "--yes")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "no case" in err


def run_on_a_terminal(store: Path, case_id: str, answer: bytes) -> tuple[int, str]:
    """Run ``coprod purge`` in a subprocess whose standard input is a real terminal."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "coprod_tui", "--store", str(store), "purge", case_id[:8]],
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
        # Drain what the terminal echoed, then let it go.
        while select.select([controller], [], [], 0)[0]:
            try:
                os.read(controller, 4096)
            except OSError:
                break
        os.close(controller)
    return process.returncode, out.decode() + err.decode()


def test_purge_on_a_terminal_asks_showing_titles(run, tmp_path):
    case_id = new(run, "Gunnel, 52: the night calls")
    code, output = run_on_a_terminal(tmp_path / "store", case_id, b"n\n")
    assert code == 0
    assert "Gunnel, 52: the night calls" in output and "for good" in output
    assert "nothing was deleted" in output
    assert ids_listed(run) == {case_id}
    code, output = run_on_a_terminal(tmp_path / "store", case_id, b"y\n")
    assert code == 0 and f"purged {case_id[:8]}" in output
    assert ids_listed(run) == set()
