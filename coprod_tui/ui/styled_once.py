"""Screens styled once when they are shown first, not twice.

Showing a screen, Textual styles each widget as it is mounted, and then the
``ScreenResume`` that comes with it (``push_screen``, a mode's first screen)
restyles every widget of the screen once more (``refresh_styles``), though
nothing has changed since a moment before: measured as function calls, 8 %
of starting the workbench. :class:`StyledOnce` sends a screen's first resume
without the restyle; later resumes (coming back to the screen, when the theme
may have changed meanwhile) restyle as Textual does.

A screen with breakpoint classes (``HORIZONTAL_BREAKPOINTS``) is restyled
once more by its first ``Resize``, which sets them. :meth:`StyledOnce.set_breakpoints`,
called at the top of ``compose``, sets them before any widget exists, so that
``Resize`` changes nothing.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message

__all__ = ["StyledOnce"]


class StyledOnce:
    """Mix into a ``Screen`` (before it among the bases): see the module's docstring."""

    _resumed_before = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume):
            if not self._resumed_before and message.refresh_styles:
                message = events.ScreenResume(refresh_styles=False)
            self._resumed_before = True
        return super().post_message(message)  # type: ignore[misc, no-any-return]

    def set_breakpoints(self) -> None:
        """Take the breakpoint classes for the app's size now, before any widget is mounted."""
        screen: Any = self
        app = screen.app
        width, height = app.size
        for own, default, size in (
            (screen.HORIZONTAL_BREAKPOINTS, app.HORIZONTAL_BREAKPOINTS, width),
            (screen.VERTICAL_BREAKPOINTS, app.VERTICAL_BREAKPOINTS, height),
        ):
            breakpoints = (default if own is None else own) or []
            if breakpoints:
                chosen = screen._get_breakpoint_classes(size, breakpoints)
                wanted = {name: name in chosen for _, name in breakpoints}
                screen.update_classes(wanted, update=False)
