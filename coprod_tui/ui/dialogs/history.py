"""Browse the kept versions of a case and pick one to restore.

The store keeps earlier revisions of every case. This dialog lists them
(newest first), shows the text of the highlighted one, and returns the
revision the user chose to restore; the editor does the restoring, because it
owns the text being edited and must save that first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.case import Case
from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.render import build_document
from coprod_tui.core.store import RevisionInfo
from coprod_tui.core.template import Template
from coprod_tui.core.timefmt import stamp_clock_label
from coprod_tui.ui.dialogs.base import ButtonRow, ModalDialog, PreviewList
from coprod_tui.ui.widgets.case_document import document_text
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop


class HistoryScreen(ModalDialog[int | None]):
    """Pick an earlier version to restore (dismisses with its revision, or None)."""

    DEFAULT_CSS = """
    HistoryScreen #history-body {
        height: 1fr;
    }
    HistoryScreen #revisions {
        width: 34;
        height: 1fr;
    }
    HistoryScreen #revision-preview {
        width: 1fr;
        height: 1fr;
        border: round $foreground 30%;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close", tooltip="Close without restoring", id="history.close"),
        Binding(
            "r",
            "restore",
            "Restore this version",
            tooltip="Restore the highlighted version (the current text stays in the history)",
            id="history.restore",
        ),
    ]

    SCROLLS = "#revision-preview"

    def __init__(
        self,
        revisions: list[RevisionInfo],
        load_revision: Callable[[int], Case],
        template: Template,
        *,
        now: Callable[[], datetime],
        current_revision: int | None = None,
    ) -> None:
        super().__init__()
        self._revisions = sorted(revisions, key=lambda info: info.revision, reverse=True)
        self._load_revision = load_revision
        self._template = template
        self._now = now
        self._current_revision = current_revision

    def _label(self, info: RevisionInfo) -> Text:
        when = stamp_clock_label(info.saved_at, self._now())
        words = ngettext("{n} word", "{n} words", info.words).format(n=info.words)
        label = Text.assemble(
            (_("Version {number}").format(number=info.revision), "bold"),
            " · ",
            plain(when, one_line=True),
        )
        label.append("\n")
        detail = f"{words}" + (f" · {info.saved_by}" if info.saved_by else "")
        label.append_text(plain(detail, "dim", one_line=True))
        return label

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel") as frame:
            frame.border_title = _("History: earlier versions of this case")
            if self._current_revision is not None:
                frame.border_subtitle = _("Current version: {number}").format(
                    number=self._current_revision
                )
            with Horizontal(id="history-body"):
                yield PreviewList(
                    *(
                        Option(self._label(info), id=f"rev-{info.revision}")
                        for info in self._revisions
                    ),
                    id="revisions",
                )
                with VerticalScroll(id="revision-preview"):
                    yield Static(id="preview-text")
            with ButtonRow(id="history-buttons"):
                yield Button(_("Restore this version"), variant="primary", id="restore")
                yield Button(_("Close"), id="close")
        yield KeyFooter()

    def on_mount(self) -> None:
        revisions = self.query_one("#revisions", OptionList)
        if not self._revisions:
            self.query_one("#preview-text", Static).update(
                Text(_("No earlier versions are kept for this case yet."))
            )
            self.query_one("#restore", Button).disabled = True
        else:
            revisions.highlighted = 0
        revisions.focus()

    @property
    def selected_revision(self) -> int | None:
        option = self.query_one("#revisions", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return int(option.id.removeprefix("rev-"))

    @on(OptionList.OptionHighlighted, "#revisions")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        revision = self.selected_revision
        if revision is None:
            return
        load = self._load_revision
        # Off the loop: moving along the list never waits for the disk; a newer
        # highlight supersedes the read of an older one (exclusive).
        off_the_loop(
            self,
            lambda: load(revision),
            done=lambda case: self._show_preview(revision, case),
            failed=lambda error: self._show_preview(revision, error),
            group="preview",
            exclusive=True,
            description="read a version",
        )

    def _show_preview(self, revision: int, case: Case | Exception) -> None:
        if revision != self.selected_revision:
            return  # the highlight moved on meanwhile
        preview = self.query_one("#preview-text", Static)
        if isinstance(case, Exception):
            preview.update(
                plain(
                    _("Could not read version {number}: {error}").format(
                        number=revision, error=case
                    )
                )
            )
            return
        registry = getattr(self.app, "templates", None)  # for orphans' old titles
        preview.update(document_text(build_document(case, self._template, registry)))
        self.query_one("#revision-preview").scroll_home(animate=False)

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        """A store call made off the loop has answered (see ``ui/workers.py``)."""
        await deliver_reply(reply)

    @on(OptionList.OptionSelected, "#revisions")
    def _selected(self) -> None:
        self.action_restore()

    @on(Button.Pressed, "#restore")
    def action_restore(self) -> None:
        """Restore the highlighted version (the current text stays in the history)."""
        revision = self.selected_revision
        if revision is not None:
            self.dismiss(revision)

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        """Close without restoring."""
        self.dismiss(None)
