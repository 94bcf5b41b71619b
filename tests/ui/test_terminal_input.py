"""Escape followed by keys in one read from the terminal is Escape, then those keys.

Textual's parser, given "ESC t f r a i l" in one read, finds no escape sequence
and types "^tfrail". These tests feed the parser coprod uses the bytes a
terminal sends and check the keys that come out, against the installed Textual.
"""

from __future__ import annotations

import sys

import pytest

from coprod_tui.ui.terminal_input import (
    ESCAPE_KEY,
    CoprodLinuxDriver,
    EscapeThenKeysParser,
    split_escapes,
)


def keys_from(*reads: str) -> list[str]:
    parser = EscapeThenKeysParser()
    keys: list[str] = []
    for data in reads:
        keys += [event.key for event in parser.feed(data) if hasattr(event, "key")]
    return keys


def test_escape_then_letters_in_one_read_is_escape_then_the_letters():
    assert keys_from("ab\x1btfrail\r") == [
        "a",
        "b",
        "escape",
        "t",
        "f",
        "r",
        "a",
        "i",
        "l",
        "enter",
    ]


def test_escape_then_a_function_key_and_tab_stay_what_they_are():
    assert keys_from("\x1bOR\tEk\x1b[6;5~x") == ["f3", "tab", "E", "k", "ctrl+pagedown", "x"]


def test_escape_then_escape_sequence_keeps_both():
    assert keys_from("ab\x1b\x1b[A") == ["a", "b", "escape", "up"]


def test_a_single_alt_key_press_is_left_to_textual():
    assert split_escapes("\x1bt") == ("\x1bt", False)
    assert keys_from("\x1bt", "") == ["alt+t"]


def test_escape_pairs_textual_reads_as_one_key_stay_that_key():
    # macOS Option+Left / Option+Right send ESC b / ESC f: a word left and right.
    assert keys_from("ab\x1bbc\x1bfd") == ["a", "b", "ctrl+left", "c", "ctrl+right", "d"]


def test_escape_at_the_end_of_a_read_is_left_to_textual():
    assert split_escapes("ab\x1b") == ("ab\x1b", False)


def test_bracketed_paste_is_never_rewritten_even_across_reads():
    pasted = "\x1b[200~Sven\x1bt"
    assert split_escapes(pasted) == (pasted, True)
    assert split_escapes("ail\x1b[201~\x1bn", in_paste=True) == (
        "ail\x1b[201~" + ESCAPE_KEY + "n",
        False,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="the Linux driver")
def test_the_app_runs_on_the_driver_that_reads_escape_bursts(app_factory):
    app = app_factory()
    assert app.driver_class is CoprodLinuxDriver
