"""Small modal dialogs: new case, a one-line prompt, a confirmation, the trash.

Each dialog returns its answer through ``dismiss`` (Textual's screen result),
so the caller decides what to do with it and dialogs never touch cases
themselves — except the trash, which is a view of the store in its own right.
Escape always cancels; Enter always confirms.

The new-case dialog is the exception to ``dismiss``: it hands its answer to a
``create`` coroutine that stores the case and opens it, replacing the dialog.
Keys typed right after Enter wait until the editor has focus (the app keeps
every key in typing order, see ``ui/typeahead.py``) and go into the new case.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from coprod_tui.core.text_safety import printable

if TYPE_CHECKING:
    from coprod_tui.core.template import Template


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


@dataclass(frozen=True)
class NewCaseRequest:
    """What the new-case dialog answers: a title and the template to follow."""

    title: str
    template_id: str


class Dialog(ModalScreen[Any]):
    """Shared frame: a bordered box in the middle; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)


class TitleInput(Input):
    """The new case's title: Enter creates the case."""

    async def action_submit(self) -> None:
        dialog = self.screen
        if isinstance(dialog, NewCaseDialog):
            await dialog.create()
        else:
            await super().action_submit()


class NewCaseDialog(Dialog):
    """Title plus template; Enter in the title (or Create) creates the case.

    ``create`` stores the case and opens it in the editor, replacing this
    dialog; if it cannot, it says why and the dialog stays with its title.
    """

    def __init__(
        self,
        templates: Sequence[Template],
        default_id: str,
        *,
        create: Callable[[NewCaseRequest], Awaitable[None]],
    ) -> None:
        super().__init__()
        self.templates = list(templates)
        self.default_id = default_id
        self._create = create
        self._creating = False

    def compose(self) -> ComposeResult:
        options = [
            (Text(f"{_plain(t.title)}  ({_plain(t.id)})", no_wrap=True), t.id)
            for t in self.templates
        ]
        with Vertical(classes="dialog", id="new-case") as box:
            box.border_title = "New case"
            yield Label("Title", classes="field-label")
            yield TitleInput(placeholder="What happened, in a few words", id="title")
            yield Label("Template", classes="field-label")
            yield Select(options, value=self.default_id, allow_blank=False, id="template")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Create", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # At once (Widget.focus would wait): a title typed straight after n lands here.
        self.set_focus(self.query_one("#title", Input))

    @on(Button.Pressed, "#ok")
    async def _create_pressed(self) -> None:
        await self.create()

    async def create(self) -> None:
        """Create the case and open it; if it cannot, say why and keep the title."""
        if self._creating:
            return
        title_input = self.query_one("#title", Input)
        title = title_input.value.strip()
        if not title:
            self.query_one("#error", Static).update("A case needs a title.")
            self.set_focus(title_input)
        else:
            template_id = self.query_one("#template", Select).value
            self._creating = True
            try:
                await self._create(NewCaseRequest(title, str(template_id)))
            finally:
                self._creating = False

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class TextPromptDialog(Dialog):
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
        self.heading = heading
        self.label = label
        self.initial = _plain(value)
        self.placeholder = placeholder
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
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # At once (Widget.focus would wait): text typed straight after r or t lands here.
        self.set_focus(self.query_one("#value", Input))

    @on(Input.Submitted, "#value")
    @on(Button.Pressed, "#ok")
    def _confirm(self) -> None:
        value = self.query_one("#value", Input).value
        if self.required and not value.strip():
            self.query_one("#error", Static).update("This cannot be empty.")
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog):
    """A yes/no question; ``y``/Enter on the button confirm, ``n``/Escape cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes"),
        Binding("n,escape", "cancel", "No"),
    ]

    def __init__(
        self, heading: str, question: Content | str, *, confirm_label: str = "Yes"
    ) -> None:
        super().__init__()
        self.heading = heading
        self.question = question if isinstance(question, Content) else Content(question)
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.heading
            yield Static(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button(self.confirm_label, variant="error", id="ok")
                yield Button("Cancel", id="cancel")

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
