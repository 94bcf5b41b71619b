"""Export section to file: the fallback when F9's copy cannot reach the clipboard.

Over SSH, inside a tmux without ``set-clipboard on`` or inside GNU screen,
OSC 52 never arrives (``ui/clipboard.py``). This dialog writes the section's
text, exactly what F9 would copy, to a plain UTF-8 text file the user can
open, ``scp`` or attach: by default ``~/<case title>-<section id>.txt``, the
title made safe as a file name (:func:`default_path`).

The file is written like every coprod export (``core/matrix/export.write_file``):
atomically through ``core/store/storage.atomic_write_bytes``, 0600 (only the
user can read it: it holds text about a real person), never through a
symbolic link, never into a folder, and never over an existing file unless
the user says so in a second dialog ("Replace?"). The write runs in a worker;
a problem is one line in the dialog, which stays open with the path typed;
success is one notice with the path, and the dialog answers the path written
(``None`` when cancelled).
"""

from __future__ import annotations

import os
import unicodedata
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ButtonRow, ModalDialog
from coprod_tui.ui.dialogs.file_write import write_asking
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain

#: Longest file-name stem the default path makes from a title (file systems allow 255 bytes).
MAX_STEM = 60


def safe_name(text: str, fallback: str = "case") -> str:
    """``text`` as one file name: letters and digits kept (å ä ö too), the rest ``-``.

    No slash, no leading dot (no hidden file), no control character, at most
    :data:`MAX_STEM` characters; ``fallback`` when nothing is left.
    """
    kept = []
    for char in unicodedata.normalize("NFC", text):
        kept.append(char if char.isalnum() else "-")
    name = "-".join(part for part in "".join(kept).split("-") if part)
    return name[:MAX_STEM].rstrip("-") or fallback


def default_path(case_title: str, section_id: str) -> str:
    """``~/<title>-<section id>.txt``, both made safe as a file name."""
    return os.path.join("~", f"{safe_name(case_title)}-{safe_name(section_id, 'section')}.txt")


def section_bytes(text: str) -> bytes:
    """The file's bytes: the section's text as UTF-8, ending with a newline."""
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_section(path: str, text: str, *, replace: bool) -> str:
    """Write the section file (see the module's rules); the path written. Runs in a worker."""
    from coprod_tui.core.matrix.export import write_file

    write_file(path, section_bytes(text), replace=replace, hint=_("confirm to replace it"))
    return path


class ExportSectionDialog(ModalDialog["str | None"]):
    """The file to write a section to; then the write, in a worker."""

    DEFAULT_CSS = """
    ExportSectionDialog .dialog { width: 76; }
    ExportSectionDialog Input { width: 1fr; background: $boost; }
    ExportSectionDialog #section-name { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "export",
            "Export",
            tooltip="Write the section's text to the file",
            id="export_section.run",
        ),
    ]

    def __init__(self, text: str, *, case_title: str, section_title: str, section_id: str) -> None:
        super().__init__()
        self.text = text
        self.case_title = case_title
        self.section_title = section_title
        self.section_id = section_id
        self._busy = False

    def compose(self) -> ComposeResult:
        words = len(self.text.split())
        with Vertical(classes="dialog") as box:
            box.border_title = _("Export section to file")
            box.border_subtitle = _("Ctrl+S export · Esc cancel")
            yield Label(_("Section"), classes="field-label")
            named = ngettext("{section} ({n} word)", "{section} ({n} words)", words).format(
                section=self.section_title, n=words
            )
            yield Static(plain(named, one_line=True), id="section-name")
            yield Label(_("File (a text file only you can read)"), classes="field-label")
            yield Input(
                default_path(self.case_title, self.section_id),
                id="section-path",
                select_on_focus=False,
                compact=True,
            )
            yield Static("", id="section-error", classes="error")
            with ButtonRow(classes="buttons"):
                yield Button(_("Export"), variant="primary", id="export", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        path_box = self.query_one("#section-path", Input)
        self.set_focus(path_box)
        path_box.cursor_position = len(path_box.value)

    def _error(self, text: str) -> None:
        self.query_one("#section-error", Static).update(plain(text, one_line=True))

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    async def action_export(self) -> None:
        """Check the path, then write in a worker (asking before replacing a file)."""
        if self._busy:
            return
        path = os.path.expanduser(self.query_one("#section-path", Input).value.strip())
        if not path or path.endswith(os.sep):
            self._error(_("File: give the name of the file to write."))
            return
        self._error("")
        await self._write(path, replace=False)

    async def _write(self, path: str, *, replace: bool) -> None:
        text = self.text

        def busy(on: bool) -> None:
            self._busy = on

        def written(where: str) -> None:
            shown = printable(where, keep_newlines=False)
            section = printable(self.section_title, keep_newlines=False)
            self.app.notify(
                _("Wrote {section} to {path} (only you can read it).").format(
                    section=section, path=shown
                ),
                title=_("Section exported"),
                markup=False,
            )
            self.dismiss(where)

        await write_asking(
            self,
            lambda again: lambda: write_section(path, text, replace=again),
            group="section-export",
            question=_("{path} exists. Replace it with this section's text?"),
            busy=busy,
            error=self._error,
            written=written,
            replace=replace,
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without writing (a write under way finishes first)."""
        if self._busy:
            self._error(_("Exporting… the dialog closes when the file is written."))
            return
        self.dismiss(None)
