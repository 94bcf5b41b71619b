"""A yes/no question: ``y`` or the button confirm, ``n`` or Escape cancel.

Dismisses with ``True`` or ``False``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from coprod_tui.core.i18n import N_, _
from coprod_tui.ui.dialogs.base import ModalDialog


class ConfirmDialog(ModalDialog[bool]):
    """A yes/no question; ``y``/Enter on the button confirm, ``n``/Escape cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes", tooltip="Yes, go ahead", id="confirm.yes"),
        Binding("n,escape", "cancel", "No", tooltip="No, leave it as it is", id="confirm.no"),
    ]

    def __init__(
        self, heading: str, question: Content | str, *, confirm_label: str = N_("Yes")
    ) -> None:
        super().__init__()
        # Callers may hand English marked N_(): translated here (a translated text passes).
        self.heading = _(heading)
        self.question = question if isinstance(question, Content) else Content(_(question))
        self.confirm_label = _(confirm_label)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.heading
            yield Static(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button(self.confirm_label, variant="error", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(False)
