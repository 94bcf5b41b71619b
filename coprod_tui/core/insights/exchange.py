"""Insights in the JSON export: a top-level ``"insights"`` list beside ``"cases"``.

::

    {"format": "coprod-export", "version": 1, "exported": "...",
     "cases": [...], "insights": [ {...one insight exactly as stored...}, ... ]}

Each entry is :meth:`Insight.to_dict` as stored (id, revision, times, links
with their quote context, plan, keys from a newer coprod), plus
``"trashed": true`` for one in the trash (a reserved, export-level key, as for
cases). Import is idempotent by id (:meth:`InsightStore.import_insights`).

**Why the export version is not bumped.** Every coprod that reads exports
ignores unknown top-level keys, and ``"insights"`` changes nothing about how
``"cases"`` reads: an older coprod imports every case exactly as before and
leaves the insights out. Bumping the version would make it refuse the whole
file, cases too, for the sake of data it could not store anyway. So the
version stays what the cases make it (1, or 2 for a backup with the trash or
history); this coprod reads ``"insights"`` in either.

Import checks every insight before anything is stored, like the cases, and
reports each bad one as ``FILE: insight N (id): message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coprod_tui.core.errors import UserInputError
from coprod_tui.core.i18n import _
from coprod_tui.core.insights.model import Insight
from coprod_tui.core.insights.store import InsightItem

#: The top-level key of the export holding the insights.
INSIGHTS_KEY = "insights"
#: Export-level key of an insight entry: it was in the trash.
TRASHED_KEY = "trashed"
#: An import with more bad insights than this lists this many.
MAX_PROBLEMS = 1000


def insight_entries(items: Iterable[InsightItem]) -> list[dict[str, Any]]:
    """The ``"insights"`` list of an export (each insight exactly as stored)."""
    entries = []
    for item in items:
        data = item.insight.to_dict()
        data.pop(TRASHED_KEY, None)  # reserved for the export: an insight never holds it
        if item.trashed:
            data[TRASHED_KEY] = True
        entries.append(data)
    return entries


def may_hold_insights(raw: bytes) -> bool:
    """Whether an export's bytes can hold insights at all (a cheap test before parsing)."""
    return b'"insights"' in raw


def parse_insight_entries(data: Any, *, source: str = "the import file") -> list[InsightItem]:
    """The insights of a parsed export (none without the key); every one checked first.

    :class:`UserInputError` listing each bad insight, one per line (then
    nothing is imported).
    """
    if not isinstance(data, dict) or INSIGHTS_KEY not in data:
        return []
    entries = data[INSIGHTS_KEY]
    if not isinstance(entries, list):
        raise UserInputError(_('{source}: "insights" must be a list').format(source=source))
    items: list[InsightItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        shown = entry.get("id") if isinstance(entry, dict) else None
        shown_id = shown[:36] if isinstance(shown, str) and shown.isprintable() else ""
        where = _("{source}: insight {number}").format(source=source, number=number) + (
            f" ({shown_id})" if shown_id else ""
        )
        try:
            if not isinstance(entry, dict):
                raise ValueError(_("an insight must be a JSON object"))
            document = dict(entry)
            trashed = document.pop(TRASHED_KEY, False)
            if not isinstance(trashed, bool):
                raise ValueError(
                    _("{TRASHED_KEY!r} must be true or false").format(TRASHED_KEY=TRASHED_KEY)
                )
            insight = Insight.from_dict(document)
            if not insight.title.strip():
                raise ValueError(_("an insight needs a title"))
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        earlier = seen.setdefault(insight.id, number)
        if earlier != number:
            problems.append(
                _("{where}: the same id as insight {earlier}; each must appear once").format(
                    where=where, earlier=earlier
                )
            )
            continue
        items.append(InsightItem(insight, trashed))
    if problems:
        shown_problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown_problems.append(
                _("{source}: ... and {n} more problems").format(
                    source=source, n=len(problems) - MAX_PROBLEMS
                )
            )
        raise UserInputError("\n".join(shown_problems))
    return items
