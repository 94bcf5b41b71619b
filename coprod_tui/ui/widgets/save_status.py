"""The save status: the one place that says whether the text is safe.

It only ever shows what is true at that moment: ``Saved 14:03:12`` once the
store has the text, ``Saving…`` while a save is running, ``Unsaved`` while
edits wait (or a save failed), ``Conflict`` with the key that resolves it,
and ``In trash`` when another window moved the case to the trash (saves
still reach it there).
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from coprod_tui.core.editing import SaveState
from coprod_tui.core.i18n import _


class SaveStatus(Static):
    """Shows the editing session's :class:`SaveState`."""

    DEFAULT_CSS = """
    SaveStatus {
        width: auto;
        height: 1;
        padding: 0 1;
    }
    SaveStatus.-saved { color: $success; }
    SaveStatus.-saving { color: $text-muted; }
    SaveStatus.-unsaved { color: $warning; text-style: bold; }
    SaveStatus.-conflict { background: $error; color: $text; text-style: bold; }
    SaveStatus.-trashed { background: $warning; color: $text; text-style: bold; }
    """

    state: reactive[SaveState] = reactive(SaveState.SAVED, layout=True)
    #: When the text last reached the store, already formatted (``14:03:12``).
    saved_label: reactive[str] = reactive("", layout=True)
    #: The key that opens the conflict screen, shown with the Conflict state.
    conflict_key: reactive[str] = reactive("F8")

    def render(self) -> Text:
        if self.state is SaveState.SAVED:
            return Text(_("Saved {time}").format(time=self.saved_label).rstrip())
        if self.state is SaveState.SAVING:
            return Text(_("Saving…"))
        if self.state is SaveState.UNSAVED:
            return Text(_("Unsaved"))
        if self.state is SaveState.TRASHED:
            return Text(_("In trash: {key} restore").format(key=self.conflict_key))
        return Text(_("Conflict: {key} compare").format(key=self.conflict_key))

    def watch_state(self, state: SaveState) -> None:
        for other in SaveState:
            self.set_class(other is state, f"-{other.value}")

    def show(self, state: SaveState, saved_label: str = "") -> None:
        """Update both parts at once."""
        self.saved_label = saved_label
        self.state = state
