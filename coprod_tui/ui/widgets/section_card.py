"""One section of one case, read-only: its number and title, then its text.

The perspectives screen shows a case's sections as these cards. A card can take
the focus (so Tab and the arrow keys move between them and Enter opens the
section in the editor); the text is user text, so it is built with
:func:`~coprod_tui.ui.widgets.safe_text.plain` and never read as markup.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from coprod_tui.core.i18n import _
from coprod_tui.ui.widgets.safe_text import plain


class SectionCard(Static):
    """A section's heading and text; focusable, so Enter can open it."""

    can_focus = True

    DEFAULT_CSS = """
    SectionCard {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        border-left: blank;
    }
    SectionCard:focus {
        border-left: thick $accent;
        background-tint: $foreground 5%;
    }
    """

    def __init__(
        self,
        case_id: str,
        section_id: str,
        number: int,
        title: str,
        text: str,
        *,
        style: str = "",
    ) -> None:
        self.case_id = case_id
        self.section_id = section_id
        self.number = number
        heading = plain(f"{number}. {title}", f"bold {style}".strip(), one_line=True)
        body = plain(text.strip()) if text.strip() else Text(_("(empty)"), style="dim italic")
        #: What the card shows, as plain text (its heading, then its text).
        self.shown_text = f"{heading.plain}\n{body.plain}"
        super().__init__(Group(heading, body))
