"""The row of buttons at the bottom right of the editor's panels."""

from __future__ import annotations

from textual.containers import Horizontal


class ButtonRow(Horizontal):
    """Buttons side by side, right-aligned, one cell apart (conflict, history, details)."""

    DEFAULT_CSS = """
    ButtonRow {
        height: auto;
        align-horizontal: right;
    }
    ButtonRow Button {
        margin-left: 1;
    }
    """
