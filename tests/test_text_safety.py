"""Untrusted text must never reach the terminal as control sequences."""

import pytest

from coprod_tui.core.text_safety import printable


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain [red]markup[/red] stays", "plain [red]markup[/red] stays"),
        ("colour \x1b[31mred\x1b[0m", "colour red"),
        ("title \x1b]0;owned\x07 here", "title  here"),
        ("osc with st \x1b]52;c;Zm9v\x1b\\ end", "osc with st  end"),
        ("c1 csi \x9b2J clear", "c1 csi  clear"),
        ("bell\x07 nul\x00 del\x7f", "bell nul del"),
        ("tabs\tand\nnewlines", "tabs\tand\nnewlines"),
        ("å ä ö “quotes” — fine", "å ä ö “quotes” — fine"),
    ],
)
def test_printable_strips_controls_and_keeps_text(raw, shown):
    assert printable(raw) == shown


def test_one_line_mode_flattens_newlines():
    assert printable("a\nb\r\nc", keep_newlines=False) == "a b c"
