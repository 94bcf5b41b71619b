"""How many identifying details the case's sections hold, beside the word count.

Hidden while there are none; otherwise it says how many and which key lists them, so
a personnummer typed into a note is noticed before the note is shared.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class IdentifierCount(Static):
    """``2 identifying details (F11)`` in the editor's title bar; hidden at 0."""

    DEFAULT_CSS = """
    IdentifierCount {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text-warning;
        text-style: bold;
    }
    """

    count: reactive[int] = reactive(0)

    def __init__(self, key: str = "F11", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key = key
        self.display = False

    def watch_count(self, count: int) -> None:
        self.display = count > 0

    def render(self) -> Text:
        noun = "identifying detail" if self.count == 1 else "identifying details"
        return Text(f"{self.count} {noun} ({self.key})")
