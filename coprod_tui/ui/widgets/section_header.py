"""The title of the section being written, and the perspective it belongs to."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from coprod_tui.core.template import Section, Template
from coprod_tui.ui.widgets.perspectives import perspective_style, perspective_title
from coprod_tui.ui.widgets.safe_text import plain


class SectionHeader(Static):
    """``3. Emotions expressed`` over ``As is system`` (in its colour)."""

    DEFAULT_CSS = """
    SectionHeader {
        height: auto;
        max-height: 3;
        padding: 0 1;
    }
    """

    def show_section(self, template: Template, index: int, section: Section) -> None:
        title = Text.assemble(
            (f"{index + 1}. ", "bold"),
            plain(section.title, "bold", one_line=True),
        )
        perspective = perspective_title(template, section.perspective)
        if perspective:
            colour = perspective_style(template, section.perspective)
            title.append("\n")
            title.append_text(plain(perspective, f"italic {colour}".strip(), one_line=True))
        self.update(title)
