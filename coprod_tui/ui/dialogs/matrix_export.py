"""Export the framework matrix from the workbench: the same file ``coprod matrix -o`` writes.

The palette's "Export the framework matrix" opens this dialog: the format
(CSV, Markdown, XLSX), the file, an optional tag and number of words per
cell, and whether the insights come along as a second table. The export runs
in a worker through :func:`coprod_tui.core.matrix.export.export_matrix`, the
function the CLI writes with: atomic, 0600, never through a link, and never
over an existing file unless the user says so in a second dialog ("Replace?").
A progress line counts the cases while the matrix is built; at the end one
notification says where the file went (and the dialog closes, answering the
:class:`~coprod_tui.core.matrix.export.ExportResult`; ``None`` when cancelled).
A problem (a bad number, a folder, a full disk) is one line in the dialog,
which stays open with everything typed.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from coprod_tui.core.i18n import N_, _
from coprod_tui.core.matrix.export import FORMATS, ExportResult, export_matrix
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ButtonRow, ModalDialog
from coprod_tui.ui.dialogs.file_write import write_asking
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain

if TYPE_CHECKING:
    from collections.abc import Callable

#: How the formats read in the list.
FORMAT_LABELS = {"csv": N_("CSV (a spreadsheet)"), "md": "Markdown", "xlsx": N_("XLSX (Excel)")}


def default_path(fmt: str, today: _dt.date) -> str:
    """A file in the home folder named for the day: ``~/coprod-matrix-2026-12-01.csv``
    (``coprod-matris-…`` in Swedish: the name is the one word of it the user reads)."""
    # TRANSLATORS: a file name; keep {date}.{suffix} and use no spaces.
    name = _("coprod-matrix-{date}.{suffix}").format(date=today.isoformat(), suffix=fmt)
    return os.path.join("~", name)


def parse_words(text: str) -> int | None:
    """The words-per-cell box: empty (whole texts) or a whole number of 1 or more."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise ValueError(_("Words: give a whole number of 1 or more, or leave it empty."))
    return int(text)


class MatrixExportDialog(ModalDialog["ExportResult | None"]):
    """Format, file, tag, words, insights; then the export, in a worker."""

    DEFAULT_CSS = """
    MatrixExportDialog .dialog { width: 76; }
    MatrixExportDialog Input, MatrixExportDialog Select { width: 1fr; }
    MatrixExportDialog Input { background: $boost; }
    MatrixExportDialog #export-progress { color: $text-muted; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "export", "Export", tooltip="Write the matrix file", id="matrix_export.run"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._export_busy = False

    def compose(self) -> ComposeResult:
        today = self.coprod.clock().date()
        with Vertical(classes="dialog") as box:
            box.border_title = _("Export the framework matrix")
            box.border_subtitle = _("Ctrl+S export · Esc cancel")
            yield Label(_("Format"), classes="field-label")
            yield Select(
                [(_(FORMAT_LABELS[fmt]), fmt) for fmt in FORMATS],
                value="csv",
                allow_blank=False,
                compact=True,
                id="export-format",
            )
            yield Label(_("File"), classes="field-label")
            yield Input(
                default_path("csv", today), id="export-path", select_on_focus=False, compact=True
            )
            yield Label(_("Only cases with the tag (empty: all cases)"), classes="field-label")
            yield Input("", id="export-tag", select_on_focus=False, compact=True)
            yield Label(_("Words per cell (empty: the whole text)"), classes="field-label")
            yield Input(
                "", placeholder=_("e.g. 40"), id="export-words", select_on_focus=False, compact=True
            )
            yield Checkbox(
                _("With the insights and their links"), id="export-insights", compact=True
            )
            yield Checkbox(
                _("CSV for Excel (å ä ö right)"), value=True, id="export-excel", compact=True
            )
            yield Static("", id="export-progress")
            yield Static("", id="export-error", classes="error")
            with ButtonRow(classes="buttons"):
                yield Button(_("Export"), variant="primary", id="export", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """The file name follows the format (its extension) until the user changes it."""
        fmt = str(event.value)
        path_box = self.query_one("#export-path", Input)
        root, ext = os.path.splitext(path_box.value)
        if ext.lstrip(".") in FORMATS:
            path_box.value = f"{root}.{fmt}"
        self.query_one("#export-excel", Checkbox).disabled = fmt != "csv"

    def _error(self, text: str) -> None:
        self.query_one("#export-error", Static).update(plain(text, one_line=True))

    def _progress(self, done: int, total: int) -> None:
        """From the worker: the progress line (through the loop; never fails the export)."""

        def show() -> None:
            for line in self.query("#export-progress").results(Static):
                line.update(
                    _("Building the matrix: {done} of {total} case(s)…").format(
                        done=done, total=total
                    )
                )

        with contextlib.suppress(Exception):
            self.app.call_from_thread(show)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    async def action_export(self) -> None:
        """Check what was typed, then export in a worker (asking before replacing a file)."""
        if self._export_busy:
            return
        fmt = str(self.query_one("#export-format", Select).value)
        path = os.path.expanduser(self.query_one("#export-path", Input).value.strip())
        tag = self.query_one("#export-tag", Input).value.strip() or None
        try:
            words = parse_words(self.query_one("#export-words", Input).value)
        except ValueError as error:
            self._error(str(error))
            self.query_one("#export-words", Input).focus()
            return
        if not path:
            self._error(_("File: give the name of the file to write."))
            self.query_one("#export-path", Input).focus()
            return
        with_insights = self.query_one("#export-insights", Checkbox).value
        excel = fmt == "csv" and self.query_one("#export-excel", Checkbox).value
        self._error("")
        store, templates = self.coprod.store, self.coprod.templates

        def run(replace: bool) -> Callable[[], ExportResult]:
            return lambda: export_matrix(
                store,
                templates,
                path,
                fmt,
                tag=tag,
                words=words,
                insights=with_insights,
                excel=excel,
                replace=replace,
                hint=_("choose another name, or confirm to replace it"),
                progress=self._progress,
            )

        await self._export(run, replace=False)

    async def _export(
        self, run: Callable[[bool], Callable[[], ExportResult]], *, replace: bool
    ) -> None:
        """Run the export; an existing file asks "Replace?" and, on yes, runs it again."""

        def busy(on: bool) -> None:
            self._export_busy = on
            self.query_one("#export-progress", Static).update(_("Exporting…") if on else "")

        def written(result: ExportResult) -> None:
            shown = _(" and ").join(printable(t, keep_newlines=False) for t in result.targets)
            if result.links is not None:
                note = _("Wrote {cases} case(s) and {links} insight link(s) to {files}").format(
                    cases=result.cases, links=result.links, files=shown
                )
            else:
                note = _("Wrote {cases} case(s) to {files}").format(cases=result.cases, files=shown)
            if result.damaged:
                note += _(" (left out {n} damaged case(s): run 'coprod doctor')").format(
                    n=result.damaged
                )
            self.app.notify(note + ".", title=_("Matrix exported"), markup=False)
            self.dismiss(result)

        await write_asking(
            self,
            run,
            group="matrix-export",
            question=_("{path} exists. Replace it with the new matrix?"),
            busy=busy,
            error=self._error,
            written=written,
            replace=replace,
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without writing anything (not halfway: an export under way finishes first)."""
        if self._export_busy:
            self._error(_("Exporting… the dialog closes when the file is written."))
            return
        self.dismiss(None)
