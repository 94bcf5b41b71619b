"""The identifying details of a case: list them, go to one, redact one or all.

Opened from the editor (F11, or the palette's "Check for identifying details") with
what each section's editor found (``core/privacy`` through
:class:`~coprod_tui.ui.widgets.section_editor.SectionEditor`). Each row names the
section, the kind and the text masked: the list is often looked at with someone
else at the screen. Enter goes to the detail (selected in its section); ``r``
replaces the highlighted one with its label (``[personnummer]``), ``a`` all of them
after asking. The replacing is the editor's, as typed text: saved by the autosave,
undone with Ctrl+Z. The dialog only answers what the user chose
(:class:`IdentifierChoice`).
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.i18n import N_, _, ngettext
from coprod_tui.core.privacy import describe
from coprod_tui.ui.dialogs.base import ModalDialog
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.widgets.section_editor import LineHit


class IdentifierItem(NamedTuple):
    """One row: the section (index and title) and the hit in that section's editor."""

    section_index: int
    section_title: str
    found: LineHit


class IdentifierChoice(NamedTuple):
    """The choice: ``"jump"``/``"redact"`` (``row``: into the items) or ``"redact_all"``."""

    action: str
    row: int | None = None


def count_label(count: int) -> str:
    """``1 identifying detail``, ``2 identifying details``."""
    return ngettext("{n} identifying detail", "{n} identifying details", count).format(n=count)


class IdentifiersDialog(ModalDialog[IdentifierChoice | None]):
    """The case's identifying details; Enter goes to one, ``r`` redacts it, ``a`` all."""

    DEFAULT_CSS = """
    IdentifiersDialog #identifiers-explain {
        height: auto;
        margin-bottom: 1;
    }
    IdentifiersDialog #identifier-list {
        height: auto;
        max-height: 16;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "jump",
            "Go to",
            tooltip="Go to the highlighted detail in its section (selected)",
            priority=True,  # before the list's own Enter, so the footer shows it
            id="identifiers.jump",
        ),
        Binding(
            "r",
            "redact",
            "Redact",
            tooltip="Replace the highlighted detail with a label such as [personnummer]",
            id="identifiers.redact",
        ),
        Binding(
            "a",
            "redact_all",
            "Redact all",
            tooltip="Replace every detail listed with its label (asks first)",
            id="identifiers.redact_all",
        ),
        Binding("escape", "cancel", "Close", tooltip="Close the list", id="identifiers.close"),
    ]

    def __init__(
        self, items: list[IdentifierItem], *, editable: bool = True, highlight: int = 0
    ) -> None:
        super().__init__()
        self.items = list(items)
        self.editable = editable
        self._highlight = highlight

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel -form -warning") as frame:
            frame.border_title = _("Identifying details")
            yield Static(self._explanation(), id="identifiers-explain")
            options = [
                Option(
                    Text.assemble(
                        plain(
                            f"{item.section_index + 1}. {item.section_title}", "bold", one_line=True
                        ),
                        "\n",
                        plain(describe(item.found.hit), one_line=True),
                    ),
                    id=f"identifier-{index}",
                )
                for index, item in enumerate(self.items)
            ]
            identifier_list = OptionList(*options, id="identifier-list")
            identifier_list.display = bool(options)
            yield identifier_list
        yield KeyFooter()

    def _explanation(self) -> Content:
        if not self.items:
            return Content(
                _(
                    "No identifying details found in this case's sections: no personnummer, "
                    "samordningsnummer or reservnummer, phone number, e-mail address, postcode "
                    "or street address."
                )
            )
        how = (
            _(
                "Enter goes to one; r replaces it with a label such as [personnummer], "
                "a replaces them all (Ctrl+Z in the editor brings the text back)."
            )
            if self.editable
            else _("Enter goes to one. This case cannot be changed here.")
        )
        found = _("{details} in this case's sections.").format(details=count_label(len(self.items)))
        return Content(f"{found} {how}")

    def on_mount(self) -> None:
        identifier_list = self.query_one("#identifier-list", OptionList)
        if self.items:
            identifier_list.highlighted = max(0, min(self._highlight, len(self.items) - 1))
            identifier_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Going to or redacting needs a detail; redacting needs a case that can change."""
        if action == "jump":
            return bool(self.items)
        if action in ("redact", "redact_all"):
            return bool(self.items) and self.editable
        return super().check_action(action, parameters)

    @property
    def highlighted(self) -> int | None:
        """The index of the highlighted row, if any."""
        if not self.items:
            return None
        return self.query_one("#identifier-list", OptionList).highlighted

    @on(OptionList.OptionSelected, "#identifier-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_jump(self) -> None:
        """Go to the highlighted detail."""
        index = self.highlighted
        if index is not None:
            self.dismiss(IdentifierChoice("jump", index))

    def action_redact(self) -> None:
        """Replace the highlighted detail with its label."""
        index = self.highlighted
        if index is not None and self.editable:
            self.dismiss(IdentifierChoice("redact", index))

    def action_redact_all(self) -> None:
        """Replace every detail with its label, after asking."""
        if not self.items or not self.editable:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(IdentifierChoice("redact_all"))

        self.app.push_screen(
            ConfirmDialog(
                N_("Redact all?"),
                _(
                    "Replace all {details} with labels such as "
                    "[personnummer]?\nThe old text stays in the case's history (F4), and "
                    "Ctrl+Z in each section brings it back."
                ).format(details=count_label(len(self.items))),
                confirm_label=N_("Redact all"),
            ),
            answered,
        )
