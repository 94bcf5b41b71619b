"""One colour per perspective of the coproduction model.

Plain ANSI colour names, so the colours survive 16-colour terminals; with
``NO_COLOR`` they vanish, which is why the navigator also groups sections under
their perspective's name rather than relying on colour alone.
"""

from __future__ import annotations

from coprod_tui.core.template import Template

_PALETTE = ("magenta", "cyan", "green", "yellow", "blue", "red")


def perspective_style(template: Template, perspective_id: str | None) -> str:
    """The colour for a perspective (``""`` when the section has none)."""
    for index, perspective in enumerate(template.perspectives):
        if perspective.id == perspective_id:
            return _PALETTE[index % len(_PALETTE)]
    return ""


def perspective_title(template: Template, perspective_id: str | None) -> str:
    """The perspective's title, or ``""``."""
    perspective = template.perspective(perspective_id)
    return perspective.title if perspective is not None else ""
