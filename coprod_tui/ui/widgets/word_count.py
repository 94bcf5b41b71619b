"""The word count of the section being written (writers like to see it grow)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from coprod_tui.core.i18n import ngettext


class WordCount(Static):
    """``123 words`` for the current section."""

    DEFAULT_CSS = """
    /* Fixed width: the count changes with every word, and a size change would
       re-lay-out the whole screen while the user types. */
    WordCount {
        width: 13;
        content-align: right middle;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    words: reactive[int] = reactive(0)

    def render(self) -> Text:
        return Text(ngettext("{n} word", "{n} words", self.words).format(n=self.words))
