"""Turn user text into something a widget can show without interpreting it.

User text (titles, questions from a team's template, orphaned text) must never
be parsed as Textual markup (``[@click=app.quit]``) nor reach the terminal with
escape sequences in it. Every widget that shows such text builds it here:
a :class:`rich.text.Text` made from the plain string, with control characters
stripped, which Textual renders literally.
"""

from __future__ import annotations

from rich.text import Text

from coprod_tui.core.text_safety import printable


def plain(text: str, style: str = "", *, one_line: bool = False) -> Text:
    """``text`` as literal, terminal-safe rich Text in ``style``."""
    return Text(printable(text, keep_newlines=not one_line), style=style)
