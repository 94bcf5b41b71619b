"""Orphaned text: text under a section id the template no longer has.

It is kept, never dropped, and this dialog shows it and moves it into a
section of the user's choosing (appended after that section's text).
Dismisses with ``(orphan_id, section_id)`` or ``None``.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from coprod_tui.core.case import word_count
from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.template import Template
from coprod_tui.ui.dialogs.base import ModalDialog, PreviewList
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain


class OrphansScreen(ModalDialog[tuple[str, str] | None]):
    """Show orphaned text and move a piece of it into a section."""

    DEFAULT_CSS = """
    OrphansScreen #orphans-explain {
        height: auto;
        margin-bottom: 1;
    }
    OrphansScreen #orphans-body {
        height: 1fr;
    }
    OrphansScreen #orphan-list {
        width: 30;
        height: 1fr;
    }
    OrphansScreen #orphan-preview {
        width: 1fr;
        height: 1fr;
        border: round $foreground 30%;
        padding: 0 1;
    }
    OrphansScreen #orphans-target {
        height: auto;
        margin-top: 1;
    }
    OrphansScreen #orphans-target Label {
        padding: 1 1 0 0;
    }
    OrphansScreen #target-section {
        width: 1fr;
    }
    OrphansScreen Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding(
            "escape", "cancel", "Close", tooltip="Close without moving anything", id="orphans.close"
        ),
        Binding(
            "ctrl+s",
            "adopt",
            "Move into section",
            tooltip="Move the highlighted text into the chosen section",
            id="orphans.adopt",
        ),
    ]

    SCROLLS = "#orphan-preview"

    def __init__(
        self,
        orphans: dict[str, str],
        template: Template,
        current: int,
        titles: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._orphans = dict(orphans)
        self._template = template
        self._current = current
        #: The old section titles of the orphans' ids, where a template still knows them.
        self._titles = dict(titles or {})

    def _orphan_label(self, orphan_id: str) -> str:
        title = self._titles.get(orphan_id)
        return f"{title} ({orphan_id})" if title else orphan_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel -warning") as frame:
            frame.border_title = _("Orphaned text")
            yield Static(
                Text(
                    _(
                        "This text belongs to sections the template no longer has. It is kept "
                        "until you move it into a section (it is added after that section's "
                        "text)."
                    )
                ),
                id="orphans-explain",
            )
            with Horizontal(id="orphans-body"):
                yield PreviewList(
                    *(
                        Option(
                            Text.assemble(
                                plain(self._orphan_label(orphan_id), "bold", one_line=True),
                                ("\n" + _words(word_count(text)), "dim"),
                            ),
                            id=f"orphan-{index}",
                        )
                        for index, (orphan_id, text) in enumerate(self._orphans.items())
                    ),
                    id="orphan-list",
                )
                with VerticalScroll(id="orphan-preview"):
                    yield Static(id="orphan-text")
            with Horizontal(id="orphans-target"):
                yield Label(_("Move into"))
                yield Select(
                    [
                        (plain(f"{index + 1}. {section.title}", one_line=True), section.id)
                        for index, section in enumerate(self._template.sections)
                    ],
                    value=self._template.sections[self._current].id,
                    allow_blank=False,
                    id="target-section",
                )
                yield Button(_("Move"), variant="primary", id="adopt")
                yield Button(_("Close"), id="close")
        yield KeyFooter()

    def on_mount(self) -> None:
        orphan_list = self.query_one("#orphan-list", OptionList)
        if self._orphans:
            orphan_list.highlighted = 0
        orphan_list.focus()

    @property
    def selected_orphan(self) -> str | None:
        option = self.query_one("#orphan-list", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return list(self._orphans)[int(option.id.removeprefix("orphan-"))]

    @on(OptionList.OptionHighlighted, "#orphan-list")
    def _preview(self) -> None:
        orphan_id = self.selected_orphan
        if orphan_id is not None:
            self.query_one("#orphan-text", Static).update(plain(self._orphans[orphan_id]))

    @on(OptionList.OptionSelected, "#orphan-list")
    def _choose_target(self) -> None:
        self.query_one("#target-section", Select).focus()

    @on(Button.Pressed, "#adopt")
    def action_adopt(self) -> None:
        """Move the highlighted orphaned text into the chosen section."""
        orphan_id = self.selected_orphan
        target = self.query_one("#target-section", Select).value
        if orphan_id is not None and isinstance(target, str):
            self.dismiss((orphan_id, target))

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        """Close without moving anything."""
        self.dismiss(None)


def _words(count: int) -> str:
    """``12 words`` in the user's language."""
    return ngettext("{n} word", "{n} words", count).format(n=count)
