""" "Loading…" in place of a screen whose content is still being read off the loop.

It takes the focus meanwhile and keeps what is typed at it, so the screen can
type those keys into the real widgets once they are there: a writer who opens
a case and starts typing at once loses nothing, however slow the disk. Keys
that are not text (Escape, F-keys, Ctrl+…) are not kept: they go on to the
screen's bindings as usual (Escape leaves).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from coprod_tui.core.i18n import N_, _


class LoadingNotice(Static, can_focus=True):
    """A focusable "Loading…" that keeps the text keys typed at it, in order."""

    DEFAULT_CSS = """
    LoadingNotice { width: 1fr; height: 1fr; content-align: center middle; color: $text-muted; }
    """

    def __init__(
        self,
        text: str = N_("Loading…"),
        *,
        held: list[events.Key | events.Paste] | None = None,
        id: str | None = None,
    ) -> None:
        # Translated here: callers pass the English (``N_``), the language is known by now.
        super().__init__(_(text), id=id)
        #: The keys typed while loading, to be typed again where they belong. The
        #: screen may pass its own list, so it outlives this notice.
        self.held: list[events.Key | events.Paste] = [] if held is None else held

    def on_key(self, event: events.Key) -> None:
        if event.is_printable or event.key in ("enter", "tab", "backspace", "delete"):
            event.stop()
            event.prevent_default()
            self.held.append(events.Key(event.key, event.character))

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.held.append(events.Paste(event.text))
