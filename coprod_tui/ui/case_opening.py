"""What opening a case in the editor reads from disk, read off the loop.

The editor reads it itself when it opens (a worker, behind a "Loading…"
notice). A screen that knows which case is likely opened next (an insight's
highlighted link) reads it ahead, so the editor is built at once, with no
notice and no second build; the editor then follows later saves of the case
as it follows another window's (the fingerprint is of the file as read).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar

from coprod_tui.core.case import Case
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import _
from coprod_tui.core.template import Template
from coprod_tui.ui.positions import Position, positions_of

__all__ = ["CaseOpening", "fingerprint_of", "read_opening"]


@dataclass(frozen=True)
class CaseOpening:
    """What opening a case reads from disk: by the editor, or ahead of it (see the module)."""

    case_id: str
    stored: Case
    template: Template
    template_note: str
    fingerprint: tuple[int, int, int] | None
    reopen_at: Position | None
    read_at: float
    """``time.monotonic()`` when read: a reading too old is not used."""

    #: Seconds a reading ahead stays good for opening the case.
    FRESH: ClassVar[float] = 3.0

    def fresh(self) -> bool:
        return time.monotonic() - self.read_at <= self.FRESH


def read_opening(app: Any, case_id: str) -> CaseOpening:
    """Read a case for the editor: the case, its template, where it was left. In a worker."""
    stored: Case = app.store.load(case_id)
    templates = app.templates
    note = ""
    try:
        template = templates.get(stored.template_id)
    except (CoprodError, KeyError, LookupError):
        template = templates.default()
        note = _(
            "The template '{missing}' is not installed here, so this case is "
            "shown with '{shown}'. Text of sections it does not know is kept under "
            "Orphans (F5); the case keeps its own template."
        ).format(missing=stored.template_id, shown=template.id)
    return CaseOpening(
        case_id=case_id,
        stored=stored,
        template=template,
        template_note=note,
        fingerprint=fingerprint_of(app.store, case_id),
        reopen_at=positions_of(app).get(case_id),
        read_at=time.monotonic(),
    )


def fingerprint_of(store: Any, case_id: str) -> tuple[int, int, int] | None:
    """The case file as it is on disk now (``None`` if it cannot be looked at)."""
    try:
        seen: tuple[int, int, int] | None = store.fingerprint(case_id)
    except CoprodError:
        return None
    return seen
