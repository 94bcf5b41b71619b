"""A burst of keys written to a real coprod in a real pseudo-terminal lands in order.

This is the path a laggy SSH link takes: the whole burst arrives in one read,
Textual's driver parses it into keys and posts them all before the app has
handled the first. The store, read back through the CLI, says where they went.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_signals_process import Terminal, coprod

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

CTRL_PAGE_DOWN = "\x1b[6;5~"
F3 = "\x1bOR"
TAB = "\t"
CTRL_S = "\x13"
CTRL_Q = "\x11"


def quit_and_wait(terminal: Terminal) -> int:
    terminal.type(CTRL_Q)
    return terminal.process.wait(timeout=30)


def only_case(store: Path) -> dict:
    """The store's one case, as ``coprod show --json`` prints it."""
    [listed] = json.loads(coprod(store, "list", "--json"))
    return json.loads(coprod(store, "show", listed["id"], "--json"))


def test_one_write_of_new_case_title_text_next_section_text(tmp_path: Path) -> None:
    store = tmp_path / "store"  # none yet: the workbench makes it
    terminal = Terminal(store, tmp_path)
    try:
        terminal.wait_for("Welcome to coprod")
        terminal.type("n" + "Ingrid, 84" + "\r" + "Alpha." + CTRL_PAGE_DOWN + "Beta.")
        terminal.wait_for("Beta.")
        # Second burst: the details form, Tab between its fields, Ctrl+S, then quit.
        terminal.type(F3 + TAB + "Ekudden" + TAB + "District nurse" + CTRL_S)
        terminal.wait_for("Saved")
        code = quit_and_wait(terminal)
    finally:
        terminal.close()
    assert code == 0
    case = only_case(store)
    assert case["title"] == "Ingrid, 84"
    assert case["sections"]["situation"] == "Alpha."
    assert case["sections"]["lived-reality"] == "Beta."
    assert case["fields"]["setting"] == "Ekudden"
    assert case["fields"]["role"] == "District nurse"


def test_one_write_ending_in_ctrl_q_saves_every_key_before_quitting(tmp_path: Path) -> None:
    store = tmp_path / "store"
    terminal = Terminal(store, tmp_path)
    try:
        terminal.wait_for("Welcome to coprod")
        terminal.type("n" + "Karin" + "\r" + "One." + CTRL_PAGE_DOWN + "Two." + CTRL_Q)
        code = terminal.process.wait(timeout=30)
    finally:
        terminal.close()
    assert code == 0
    case = only_case(store)
    assert case["title"] == "Karin"
    assert case["sections"]["situation"] == "One."
    assert case["sections"]["lived-reality"] == "Two."


def test_one_write_that_leaves_a_case_acts_on_the_list_after_escape(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = coprod(store, "new", "Sven, 81").strip()
    terminal = Terminal(store, tmp_path)
    try:
        terminal.wait_for("Sven, 81")
        # Open, type, leave, then "t" (tags on the list; text in the editor), a tag, Enter.
        terminal.type("\r" + "ab" + "\x1b" + "t" + "frail" + "\r")
        terminal.wait_for("frail")
        code = quit_and_wait(terminal)
    finally:
        terminal.close()
    assert code == 0
    case = json.loads(coprod(store, "show", first, "--json"))
    assert case["sections"]["situation"] == "ab"
    assert case["tags"] == ["frail"]
