"""Full-text search over a store's cases (Swedish- and English-aware).

Importing this package is cheap (no ``sqlite3``): :class:`SearchHit` (:mod:`.hits`) and
:class:`QueryError` are light; :class:`SearchIndex` is loaded from
:mod:`.index` on first use. The parts: :mod:`.analysis` (folding,
diacritics, words), :mod:`.query` (the search syntax), :mod:`.schema` (the
index file's tables), :mod:`.index` (building, catching up, searching),
:mod:`.observer` (the store observer's queue), :mod:`.snippets` (where the
hits are, and the line shown around them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coprod_tui.core.search.hits import SearchHit
from coprod_tui.core.search.query import QueryError

if TYPE_CHECKING:
    from coprod_tui.core.search.index import SearchIndex

__all__ = ["QueryError", "SearchHit", "SearchIndex"]


def __getattr__(name: str) -> Any:
    if name == "SearchIndex":
        from coprod_tui.core.search.index import SearchIndex

        return SearchIndex
    raise AttributeError(name)
