"""Export one case to a file from the workbench: Markdown, HTML, Word (DOCX) or the JSON backup.

``e`` on the case list, F10 in the editor and the palette's "Export case…"
open this dialog: the format, the options as checkboxes (guiding questions,
leave out empty sections, the insights citing the case, redact identifying
details), and the file (in the home folder, named from the case title). The
export runs in a worker through
:func:`coprod_tui.core.export.files.export_to_file`, with the CLI's rules:
atomic, 0600, never through a link, never over an existing file unless the
user says so in a second dialog ("Replace?"). When it is written, one
notification names the file and the dialog closes, answering the path
(``None`` when cancelled). A problem is one line in the dialog, which stays
open with everything chosen.

While the dialog opens, a worker counts the identifying details in the case
(``core.privacy`` through ``identifiers_in_cases``); if there are any, a
warning says how many and redaction is switched on (the user can switch it
off: it is their choice, made knowingly).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from coprod_tui.core.export import EXTENSIONS
from coprod_tui.core.export.files import export_to_file, identifiers_in_cases
from coprod_tui.core.export.model import ExportOptions
from coprod_tui.core.i18n import N_, _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ButtonRow, ModalDialog
from coprod_tui.ui.dialogs.file_write import write_asking
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from collections.abc import Callable

#: The formats in the list, in this order, as they read there.
FORMAT_LABELS = {
    "md": "Markdown",
    "html": N_("HTML (a browser prints it to PDF)"),
    "docx": "Word (DOCX)",
    "json": N_("JSON (the lossless backup)"),
}
#: Checkboxes that only the readable formats take (JSON is the case exactly as stored).
READABLE_OPTIONS = ("#export-questions", "#export-no-empty", "#export-insights", "#export-redact")
#: Longest file name made from a title (before the extension).
MAX_NAME = 60


def file_stem(title: str) -> str:
    """A file name from a case title: letters (å ä ö too) and digits, dashes between words."""
    words = re.findall(r"\w+", printable(title, keep_newlines=False))
    stem = "-".join(words)[:MAX_NAME].strip("-_")
    return stem or "case"


def default_path(title: str, fmt: str) -> str:
    """``~/<title>.<ext>``: the home folder, where a user finds it again."""
    return os.path.join("~", file_stem(title) + EXTENSIONS[fmt])


class ExportDialog(ModalDialog["str | None"]):
    """Format, options, file; then the export, in a worker."""

    DEFAULT_CSS = """
    ExportDialog .dialog { width: 76; }
    ExportDialog Input, ExportDialog Select { width: 1fr; }
    ExportDialog Input { background: $boost; }
    ExportDialog #export-options { height: auto; margin-top: 1; }
    ExportDialog #export-warning { color: $warning; height: auto; }
    ExportDialog #export-progress { color: $text-muted; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", tooltip="Write the file", id="case_export.run"),
    ]

    def __init__(self, case_id: str, title: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.case_title = title
        self._export_busy = False
        #: Identifying details the case holds (``None`` until counted).
        self.identifiers: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = _("Export case")
            box.border_subtitle = _("Ctrl+S export · Esc cancel")
            yield Static(plain(self.case_title or _("(untitled)"), "bold", one_line=True))
            yield Label(_("Format"), classes="field-label")
            yield Select(
                [(_(label), fmt) for fmt, label in FORMAT_LABELS.items()],
                value="md",
                allow_blank=False,
                compact=True,
                id="export-format",
            )
            yield Label(_("File"), classes="field-label")
            yield Input(
                default_path(self.case_title, "md"),
                id="export-path",
                select_on_focus=False,
                compact=True,
            )
            with Vertical(id="export-options"):
                yield Checkbox(_("With the guiding questions"), id="export-questions", compact=True)
                yield Checkbox(_("Leave out empty sections"), id="export-no-empty", compact=True)
                yield Checkbox(
                    _("With the insights that cite this case"), id="export-insights", compact=True
                )
                yield Checkbox(
                    _("Redact identifying details (personnummer, phone, e-mail, address)"),
                    id="export-redact",
                    compact=True,
                )
            yield Static("", id="export-warning")
            yield Static("", id="export-progress")
            yield Static("", id="export-error", classes="error")
            with ButtonRow(classes="buttons"):
                yield Button(_("Export"), variant="primary", id="export", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()
        store, templates, case_id = self.coprod.store, self.coprod.templates, self.case_id
        off_the_loop(
            self,
            lambda: identifiers_in_cases(store, templates, [case_id]),
            done=self._counted,
            failed=lambda _error: None,  # the export itself will say what is wrong
            group="case-export-count",
        )

    @on(StoreReply)
    async def _reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    def _counted(self, found: int) -> None:
        """The case's identifying details are counted: warn, and switch redaction on."""
        self.identifiers = found
        if found:
            self.query_one("#export-redact", Checkbox).value = True
            self.query_one("#export-warning", Static).update(
                ngettext(
                    "This case holds {n} identifying detail(s): they are redacted in the "
                    "file unless you untick “Redact”.",
                    "This case holds {n} identifying detail(s): they are redacted in the "
                    "file unless you untick “Redact”.",
                    found,
                ).format(n=found)
            )

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """The file's extension follows the format; JSON takes no options (it is lossless)."""
        fmt = str(event.value)
        path_box = self.query_one("#export-path", Input)
        root, ext = os.path.splitext(path_box.value)
        if ext in EXTENSIONS.values():
            path_box.value = root + EXTENSIONS[fmt]
        for selector in READABLE_OPTIONS:
            self.query_one(selector, Checkbox).disabled = fmt == "json"

    def _error(self, text: str) -> None:
        self.query_one("#export-error", Static).update(plain(text, one_line=True))

    def _progress(self, text: str) -> None:
        self.query_one("#export-progress", Static).update(text)

    def options(self) -> ExportOptions:
        """The options as the checkboxes say (redaction through ``core.privacy.redact``)."""
        redact = None
        if self.query_one("#export-redact", Checkbox).value:
            from coprod_tui.core.privacy import redact as redact_text

            redact = redact_text
        return ExportOptions(
            questions=self.query_one("#export-questions", Checkbox).value,
            empty_sections=not self.query_one("#export-no-empty", Checkbox).value,
            insights=self.query_one("#export-insights", Checkbox).value,
            redact=redact,
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    async def action_export(self) -> None:
        """Check the file name, then export in a worker (asking before replacing a file)."""
        if self._export_busy:
            return
        fmt = str(self.query_one("#export-format", Select).value)
        path = os.path.expanduser(self.query_one("#export-path", Input).value.strip())
        if not path:
            self._error(_("File: give the name of the file to write."))
            self.query_one("#export-path", Input).focus()
            return
        self._error("")
        options = self.options()
        store, templates, case_id = self.coprod.store, self.coprod.templates, self.case_id

        def run(replace: bool) -> Callable[[], int]:
            return lambda: export_to_file(
                store,
                templates,
                [case_id],
                path,
                fmt,
                options,
                replace=replace,
                hint=_("choose another name, or confirm to replace it"),
            )

        await self._export(run, path, replace=False)

    async def _export(
        self, run: Callable[[bool], Callable[[], int]], path: str, *, replace: bool
    ) -> None:
        """Run the export; an existing file asks "Replace?" and, on yes, runs it again."""

        def busy(on: bool) -> None:
            self._export_busy = on
            self._progress(_("Exporting…") if on else "")

        def written(_count: int) -> None:
            shown = printable(path, keep_newlines=False)
            self.app.notify(
                _("Wrote the case to {path}.").format(path=shown),
                title=_("Case exported"),
                markup=False,
            )
            self.dismiss(path)

        await write_asking(
            self,
            run,
            group="case-export",
            question=_("{path} exists. Replace it with this case?"),
            busy=busy,
            error=self._error,
            written=written,
            replace=replace,
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without writing anything (an export under way finishes first)."""
        if self._export_busy:
            self._error(_("Exporting… the dialog closes when the file is written."))
            return
        self.dismiss(None)
