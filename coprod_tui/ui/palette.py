"""Textual's command palette in the user's language, without touching Textual globally.

The palette's own words are Textual's: the placeholder ("Search for
commands…", "Search for themes…"), "No matches found", and the system
commands (Theme, Quit, Keys, Maximize, ...). Textual takes the placeholder
as an argument and yields the system commands from ``App.get_system_commands``,
so :class:`~coprod_tui.ui.app.CoprodApp` pushes a :class:`CoprodPalette` and
passes its system commands through :func:`translated_system_commands`; no
Textual class or module is changed, so another app in the same process (or a
test in English) sees Textual as it is.

"No matches found" is built inside a private method of ``CommandPalette``;
:class:`CoprodPalette` writes that method again with the word translated, and
falls back to Textual's own (English) one if a Textual release renames what
it leans on (``tests/ui/test_app_swedish.py`` fails then, so it is noticed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from coprod_tui.core.i18n import N_, _

#: Textual's words for its system commands, marked so the catalogue tools
#: find them (Textual is not scanned); translated where they are shown.
TEXTUAL_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
)

#: The palette's placeholders and its empty answer (Textual's English).
SEARCH_COMMANDS = N_("Search for commands…")
SEARCH_THEMES = N_("Search for themes…")
NO_MATCHES = N_("No matches found")

#: What :meth:`CoprodPalette._start_no_matches_countdown` needs of Textual.
_TEXTUAL_NAMES = ("_stop_no_matches_countdown", "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN")


def translated_system_commands(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """Textual's system commands with their title and help in the user's language."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))


def textual_supports_no_matches() -> bool:
    """Does this Textual still keep "No matches found" where :class:`CoprodPalette` expects?"""
    return all(hasattr(CommandPalette, name) for name in _TEXTUAL_NAMES)


class CoprodPalette(CommandPalette):
    """Textual's command palette with its placeholder and "No matches found" translated."""

    def __init__(self, providers: Any = None, *, placeholder: str | None = None, **kw: Any) -> None:
        """``placeholder``: already in the user's language (``None``: "Search for commands…")."""
        shown = _(SEARCH_COMMANDS) if placeholder is None else placeholder
        super().__init__(providers, placeholder=shown, **kw)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's countdown to "No matches found", saying it in the user's language."""
        if not textual_supports_no_matches():
            super()._start_no_matches_countdown(search_value)
            return
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            # As Textual does: only a real search says it found nothing; the
            # empty search (discovery) shows no list instead.
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_(NO_MATCHES), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
