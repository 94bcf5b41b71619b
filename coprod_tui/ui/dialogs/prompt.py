"""A one-line prompt (rename, tags): Enter confirms, Escape cancels.

Dismisses with the text typed, or ``None``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from coprod_tui.core.i18n import _
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ModalDialog


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


class TextPromptDialog(ModalDialog[str | None]):
    """One line of text (rename, tags); Enter confirms."""

    def __init__(
        self,
        heading: str,
        label: str,
        value: str = "",
        *,
        placeholder: str = "",
        required: bool = False,
    ) -> None:
        super().__init__()
        # Callers may hand English marked N_(): translated here (a translated text passes).
        self.heading = _(heading)
        self.label = _(label)
        self.initial = _plain(value)
        self.placeholder = _(placeholder) if placeholder else placeholder
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.heading
            yield Label(self.label, classes="field-label")
            yield Input(
                self.initial, placeholder=self.placeholder, id="value", select_on_focus=False
            )
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("OK"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        # At once (Widget.focus would wait): text typed straight after r or t lands here.
        self.set_focus(self.query_one("#value", Input))

    @on(Input.Submitted, "#value")
    @on(Button.Pressed, "#ok")
    def _confirm(self) -> None:
        value = self.query_one("#value", Input).value
        if self.required and not value.strip():
            self.query_one("#error", Static).update(_("This cannot be empty."))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
