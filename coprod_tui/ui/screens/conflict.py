"""Compare our text with the other window's, and choose which goes on.

A conflict means another window (or person) saved this case after we loaded
it. Nothing was overwritten: the store kept our text as a conflict copy. This
dialog shows, section by section, only what differs, theirs beside ours, and
returns the user's choice: ``"theirs"`` (continue with their version),
``"mine"`` (save ours on top of theirs) or ``None`` (decide later). Either
way the conflict copy stays in the case list, so neither text is ever lost.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from coprod_tui.core.case import Case
from coprod_tui.core.editing import differing_fields, differing_sections
from coprod_tui.core.template import Template
from coprod_tui.ui.widgets.button_row import ButtonRow
from coprod_tui.ui.widgets.safe_text import plain


def _body(text: str) -> Text:
    return plain(text.strip()) if text.strip() else Text("(empty)", style="dim italic")


class ConflictScreen(ModalScreen[str | None]):
    """Theirs vs ours for each differing section; Keep theirs / Take mine."""

    DEFAULT_CSS = """
    ConflictScreen {
        align: center middle;
    }
    ConflictScreen > Vertical {
        width: 95%;
        height: 95%;
        border: thick $error;
        background: $surface;
        padding: 0 1;
    }
    ConflictScreen #conflict-explain {
        height: auto;
        margin-bottom: 1;
    }
    ConflictScreen #conflict-diff {
        height: 1fr;
    }
    ConflictScreen .diff-title {
        text-style: bold;
        margin-top: 1;
    }
    ConflictScreen .diff-row {
        height: auto;
    }
    ConflictScreen .diff-side {
        width: 1fr;
        height: auto;
        border: round $foreground 30%;
        padding: 0 1;
    }
    ConflictScreen .diff-side.-theirs {
        border-title-color: $warning;
    }
    ConflictScreen .diff-side.-mine {
        border-title-color: $success;
    }
    """

    BINDINGS = [
        Binding("t", "keep_theirs", "Keep theirs"),
        Binding("m", "take_mine", "Take mine"),
        Binding("escape", "later", "Decide later"),
    ]

    def __init__(self, theirs: Case, ours: Case, template: Template, copy_title: str) -> None:
        super().__init__()
        self._theirs = theirs
        self._ours = ours
        self._template = template
        self._copy_title = copy_title

    def _section_title(self, section_id: str) -> str:
        try:
            ids = self._template.section_ids()
            index = ids.index(section_id)
            return f"{index + 1}. {self._template.sections[index].title}"
        except ValueError:
            return f"Orphaned text: {section_id}"

    def compose(self) -> ComposeResult:
        sections = differing_sections(self._ours, self._theirs, self._template.section_ids())
        fields = differing_fields(self._ours, self._theirs)
        with Vertical() as frame:
            frame.border_title = "Conflict: this case was saved in another window"
            explain = Text(
                "Another window saved this case after you opened it. Nothing was "
                "overwritten: your text is kept in the case list as the copy "
            )
            explain.append_text(plain(f"“{self._copy_title}”", "bold", one_line=True))
            explain.append(
                ". Choose which text continues here; the copy stays either way.\n"
                "Keep theirs (t): continue with their version.  "
                "Take mine (m): save your text over theirs (theirs stays in the history)."
            )
            yield Static(explain, id="conflict-explain")
            with VerticalScroll(id="conflict-diff"):
                if not sections and not fields:
                    yield Static(Text("The texts are the same; either choice is safe."))
                for key in fields:
                    if key == "title":
                        yield from self._diff_row("Title", self._theirs.title, self._ours.title)
                    else:
                        yield from self._diff_row(
                            f"Field: {key}",
                            self._theirs.fields.get(key, ""),
                            self._ours.fields.get(key, ""),
                        )
                for section_id in sections:
                    yield from self._diff_row(
                        self._section_title(section_id),
                        self._theirs.text(section_id) or self._theirs.orphans.get(section_id, ""),
                        self._ours.text(section_id) or self._ours.orphans.get(section_id, ""),
                    )
            with ButtonRow(id="conflict-buttons"):
                yield Button("Keep theirs (t)", id="theirs", variant="warning")
                yield Button("Take mine (m)", id="mine", variant="success")
                yield Button("Decide later (Esc)", id="later")
        yield Footer()

    def _diff_row(self, title: str, theirs: str, ours: str) -> ComposeResult:
        yield Static(plain(title, one_line=True), classes="diff-title")
        with Horizontal(classes="diff-row"):
            left = Static(_body(theirs), classes="diff-side -theirs")
            left.border_title = "Theirs (saved)"
            right = Static(_body(ours), classes="diff-side -mine")
            right.border_title = "Mine"
            yield left
            yield right

    def on_mount(self) -> None:
        self.query_one("#later", Button).focus()

    @on(Button.Pressed, "#theirs")
    def action_keep_theirs(self) -> None:
        """Continue with the other window's version (yours stays in the copy)."""
        self.dismiss("theirs")

    @on(Button.Pressed, "#mine")
    def action_take_mine(self) -> None:
        """Save your text over theirs (theirs stays in the history)."""
        self.dismiss("mine")

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        """Close and keep editing; the status stays Conflict."""
        self.dismiss(None)
