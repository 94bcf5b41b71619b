"""The word count of the section being written (writers like to see it grow)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class WordCount(Static):
    """``123 words`` for the current section."""

    DEFAULT_CSS = """
    WordCount {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    words: reactive[int] = reactive(0, layout=True)

    def render(self) -> Text:
        return Text("1 word" if self.words == 1 else f"{self.words} words")
