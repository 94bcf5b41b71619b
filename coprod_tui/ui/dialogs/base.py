"""The one modal base every coprod dialog is built on.

A dialog is a bordered box in the middle of the screen over the screen it
was opened from. :class:`ModalDialog` gives every dialog the same things, so
each dialog module only says what is particular to it:

- the frame's look, in this one place (``DEFAULT_CSS`` below): ``.dialog``,
  a small box (field labels, the error line, the button row), or ``.panel``,
  a large one for side-by-side views (``-large``, ``-form``; ``-warning`` and
  ``-error`` colour its border); the dialog sets the frame's
  ``border_title``;
- Escape cancels (``dismiss(None)``, or what :meth:`ModalDialog.action_cancel`
  of the dialog says);
- PageUp/PageDown/Home/End scroll the dialog's long view (``SCROLLS``, a
  selector) without Tab first, unless the focused widget uses those keys;
- ``coprod``: the app, typed, for dialogs that read the store or the clock.

Dialogs answer through ``dismiss`` (Textual's screen result) and leave the
deciding to whoever opened them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList

from coprod_tui.ui.commands import DialogCommands
from coprod_tui.ui.styled_once import StyledOnce

if TYPE_CHECKING:
    from coprod_tui.ui.app import CoprodApp

ResultType = TypeVar("ResultType")


class ButtonRow(Horizontal):
    """Buttons side by side, right-aligned, one cell apart (conflict, history, details)."""

    DEFAULT_CSS = """
    ButtonRow {
        height: auto;
        align-horizontal: right;
    }
    ButtonRow Button {
        margin-left: 1;
    }
    """


#: The scroll keys every dialog offers for its long view (ids ``dialog.*``).
SCROLL_BINDINGS: list[BindingType] = [
    Binding("pageup", "scroll_view('page_up')", "Page up", show=False, id="dialog.page_up"),
    Binding("pagedown", "scroll_view('page_down')", "Page down", show=False, id="dialog.page_down"),
    Binding("home", "scroll_view('home')", "To the top", show=False, id="dialog.home"),
    Binding("end", "scroll_view('end')", "To the end", show=False, id="dialog.end"),
]


class PreviewList(OptionList):
    """A list beside a preview: Up/Down pick, PageUp/PageDown/Home/End scroll the preview.

    The list (versions, orphaned pieces) is short; the preview is what is
    long, and it must scroll without Tab first.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # The dialog's ids: one keymap line rebinds both.
        Binding(
            "pageup", "screen.scroll_view('page_up')", "Page up", show=False, id="dialog.page_up"
        ),
        Binding(
            "pagedown",
            "screen.scroll_view('page_down')",
            "Page down",
            show=False,
            id="dialog.page_down",
        ),
        Binding("home", "screen.scroll_view('home')", "To the top", show=False, id="dialog.home"),
        Binding("end", "screen.scroll_view('end')", "To the end", show=False, id="dialog.end"),
    ]


class ModalDialog(StyledOnce, ModalScreen[ResultType]):
    """The frame, Escape to cancel, scroll keys, and the typed app."""

    DEFAULT_CSS = """
    ModalDialog {
        align: center middle;
        background: $background 60%;
    }
    ModalDialog .dialog {
        width: 70;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: heavy $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    ModalDialog .dialog .field-label {
        margin-top: 1;
        text-style: bold;
    }
    ModalDialog .dialog .error {
        color: $error;
        height: auto;
    }
    ModalDialog .dialog .buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    ModalDialog .dialog .buttons Button {
        margin-left: 2;
    }
    ModalDialog .dialog Button:focus {
        text-style: bold reverse;
    }
    ModalDialog > .panel {
        width: 90%;
        height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    ModalDialog > .panel.-large {
        width: 95%;
        height: 95%;
    }
    ModalDialog > .panel.-form {
        width: 70;
        max-width: 95%;
        height: auto;
        max-height: 90%;
    }
    ModalDialog > .panel.-warning {
        border: thick $warning;
    }
    ModalDialog > .panel.-error {
        border: thick $error;
    }
    """

    BINDING_GROUP_TITLE = "This dialog"

    #: A dialog's keys are its palette commands (``ui/commands.py``).
    COMMANDS: ClassVar[set[Any]] = {DialogCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close without changing anything",
            id="dialog.cancel",
        ),
        *SCROLL_BINDINGS,
    ]

    #: Selector of the view that the scroll keys move (``None``: the dialog has none).
    SCROLLS: ClassVar[str | None] = None

    @property
    def coprod(self) -> CoprodApp:
        """The app, typed (dialogs that read the store or the clock use it)."""
        return cast("CoprodApp", self.app)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)

    def scroll_target(self) -> Widget | None:
        """The long view the scroll keys move, when this dialog has one."""
        if self.SCROLLS is None:
            return None
        try:
            return self.query_one(self.SCROLLS)
        except NoMatches:
            return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The scroll keys only exist where there is something to scroll."""
        if action == "scroll_view":
            return self.scroll_target() is not None
        return True

    def action_scroll_view(self, where: str) -> None:
        """PageUp/PageDown/Home/End on the dialog's long view, wherever the focus is."""
        target = self.scroll_target()
        if target is None:
            return
        if where == "page_up":
            target.scroll_page_up(animate=False)
        elif where == "page_down":
            target.scroll_page_down(animate=False)
        elif where == "home":
            target.scroll_home(animate=False)
        elif where == "end":
            target.scroll_end(animate=False)
