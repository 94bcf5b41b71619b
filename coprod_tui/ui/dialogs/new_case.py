"""The new-case dialog: a title and the template to follow.

It hands its answer to a ``create`` coroutine that stores the case and opens
it, replacing the dialog (not ``dismiss``: the caller needs it to stay when
the case cannot be stored). Keys typed right after Enter wait until the
editor has focus (the app keeps every key in typing order, see
``ui/typeahead.py``) and go into the new case. Escape cancels.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from coprod_tui.core.i18n import _
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ModalDialog

if TYPE_CHECKING:
    from coprod_tui.core.template import Template


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


@dataclass(frozen=True)
class NewCaseRequest:
    """What the new-case dialog answers: a title and the template to follow."""

    title: str
    template_id: str


class TitleInput(Input):
    """The new case's title: Enter creates the case."""

    async def action_submit(self) -> None:
        dialog = self.screen
        if isinstance(dialog, NewCaseDialog):
            await dialog.create()
        else:
            await super().action_submit()


class NewCaseDialog(ModalDialog[None]):
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
            box.border_title = _("New case")
            yield Label(_("Title"), classes="field-label")
            yield TitleInput(placeholder=_("What happened, in a few words"), id="title")
            yield Label(_("Template"), classes="field-label")
            yield Select(options, value=self.default_id, allow_blank=False, id="template")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Create"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

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
            self.query_one("#error", Static).update(_("A case needs a title."))
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
