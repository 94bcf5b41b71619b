"""One search hit (its own module, so the index and the package share it without a cycle)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SearchHit"]


@dataclass(frozen=True)
class SearchHit:
    """One (case, section) that matches a search.

    ``section_id`` is the id as stored in the case (an orphan's id too), or
    ``""`` for a hit in the case's title or tags. ``snippet`` is plain
    one-line text around the first hit (no markup, no newlines; show it as
    text, never as markup), ``highlights`` the (start, end) spans of hits in
    it; ``span`` is the first hit in the section's stored text (in NFC), or
    in the title for a title hit (``None`` when the hit is in the tags).
    ``score``: higher is a better match.

    ``kind`` is ``"case"``, or ``"insight"`` for a hit of
    :meth:`SearchIndex.search_insights` (then ``case_id`` holds the insight's
    id, ``title`` its title and ``section_id`` is ``""``).
    """

    case_id: str
    title: str
    section_id: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    span: tuple[int, int] | None
    score: float
    kind: str = "case"

    @property
    def doc_id(self) -> str:
        """The id of the case or insight hit (``case_id`` is kept for the cases' callers)."""
        return self.case_id
