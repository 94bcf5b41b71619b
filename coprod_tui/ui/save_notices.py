"""What a screen that autosaves tells the user about its saves: once per trouble, and when it ends.

The editor and the section review save through an ``EditSession`` and say the
same things: a failed save once (with the retry it will make), a case purged
elsewhere once, and "Saved again" when a save works after a failure. Kept
here so the two never drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coprod_tui.core.i18n import _
from coprod_tui.core.store.types import CasePurgedError

if TYPE_CHECKING:
    from textual.screen import Screen

    from coprod_tui.core.editing import SaveOutcome


class SaveNotices:
    """Notifications about one screen's saves; remembers whether a failure is being shown."""

    def __init__(self, screen: Screen[Any], *, purged: str, retry_delay: float) -> None:
        self._screen = screen
        self._purged = purged
        self._retry_delay = retry_delay
        #: A failure was shown and no save has worked since.
        self.reported = False

    def reset(self) -> None:
        """A new piece of text is being edited: its first failure is shown again."""
        self.reported = False

    def report(self, outcome: SaveOutcome) -> bool:
        """Notify as needed; ``True`` when the save failed and should be tried again."""
        notify = self._screen.notify
        if isinstance(outcome.error, CasePurgedError):
            if not self.reported:
                self.reported = True
                notify(self._purged, title=_("Deleted for good"), severity="error", timeout=20)
            return False
        if outcome.error is not None:
            if not self.reported:
                self.reported = True
                notify(
                    _(
                        "Could not save: {error}. Your text is kept here and saving "
                        "will be retried in {seconds} s (Ctrl+S to retry now)."
                    ).format(error=outcome.error, seconds=f"{self._retry_delay:g}"),
                    title=_("Unsaved"),
                    severity="error",
                    timeout=10,
                    markup=False,
                )
            return True
        if outcome.saved and self.reported:
            self.reported = False
            notify(_("Saved again: your text is safe."), title=_("Saved"))
        return False
