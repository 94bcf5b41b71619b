"""Full-text search over a store's cases (Swedish- and English-aware).

Importing this package is cheap (no ``sqlite3``): :class:`SearchHit` and
:class:`QueryError` live here; :class:`SearchIndex` is loaded from
:mod:`.index` on first use. The parts: :mod:`.analysis` (folding,
diacritics, words), :mod:`.query` (the search syntax), :mod:`.schema` (the
index file's tables), :mod:`.index` (building, catching up, searching),
:mod:`.observer` (the store observer's queue), :mod:`.snippets` (where the
hits are, and the line shown around them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coprod_tui.core.search.query import QueryError

if TYPE_CHECKING:
    from coprod_tui.core.search.index import SearchIndex

__all__ = ["QueryError", "SearchHit", "SearchIndex"]


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
    """

    case_id: str
    title: str
    section_id: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    span: tuple[int, int] | None
    score: float


def __getattr__(name: str) -> Any:
    if name == "SearchIndex":
        from coprod_tui.core.search.index import SearchIndex

        return SearchIndex
    raise AttributeError(name)
