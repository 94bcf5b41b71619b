"""The matrix's second table: insights with their links, one row per link.

Framework analysis keeps the summary and the references back to the source
side by side; here each row is one link of one insight (an insight without
links is one row with the link columns empty): the insight (id, title, text,
tags, plan status), then where the link points *now* — case id and title, the
section as the cases table heads it ("2. Experience", after renames), the
quoted passage, and what became of it ("found", "quote changed", "case gone:
purged", …, from :mod:`coprod_tui.core.insights.anchoring`).

Which insights: every active one; with a tag, those carrying the tag or
linking a case the cases table shows (a team reviewing "akut" cases wants the
insights drawn from them). Rows are ordered as the insights are listed
(newest first), links in their own order. The cases' text is read once per
case however many links point at it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coprod_tui.core.case import tag_key
from coprod_tui.core.coverage import Column
from coprod_tui.core.matrix.model import Table

__all__ = ["INSIGHT_HEADERS", "build_insights_table"]

INSIGHT_HEADERS = (
    "insight id",
    "insight",
    "text",
    "insight tags",
    "plan",
    "case id",
    "case",
    "section",
    "quote",
    "link",
)


def _section_heading(section_id: str, title: str, columns: Iterable[Column]) -> str:
    """The cases table's heading for a section ("2. Experience"), else its title or id."""
    for column in columns:
        if column.id == section_id or section_id in column.renamed_from:
            return f"{column.number}. {column.title}"
    return title or section_id


def build_insights_table(
    store: Any,
    *,
    columns: Iterable[Column] = (),
    tag: str | None = None,
    case_ids: Iterable[str] = (),
    insights: Any = None,
) -> Table:
    """The insights of ``store`` with their links as a :class:`~.model.Table` named "Insights".

    ``columns`` are the cases table's section columns (for the section
    headings); with ``tag``, only insights carrying it or linking one of
    ``case_ids``. ``insights`` is the insight store (default: the store's).
    """
    from coprod_tui.core.insights.store import insights_of

    source = insights if insights is not None else insights_of(store)
    shown = list(columns)
    chosen = source.list_insights()
    if tag and tag.strip():
        wanted, linked = tag_key(tag), set(case_ids)
        chosen = [
            insight
            for insight in chosen
            if wanted in {tag_key(t) for t in insight.tags}
            or any(link.case_id in linked for link in insight.links)
        ]
    cache: Any = _CaseCache(store)  # the case store, duck-typed: resolve_links only loads
    rows: list[list[str]] = []
    for insight in chosen:
        head = [
            insight.id,
            insight.title,
            insight.text,
            ", ".join(insight.tags),
            insight.plan.status if insight.plan is not None else "",
        ]
        if not insight.links:
            rows.append([*head, "", "", "", "", ""])
            continue
        for view in source.resolve_links(insight, cache):
            anchor = view.anchor
            state = anchor.label + (f": {anchor.detail}" if anchor.detail else "")
            if view.trashed:
                state += " (case in the trash)"
            rows.append(
                [
                    *head,
                    view.link.case_id,
                    view.case_title,
                    _section_heading(anchor.section_id, view.section_title, shown),
                    view.link.quote,
                    state,
                ]
            )
    return Table(name="Insights", headers=INSIGHT_HEADERS, rows=rows)


class _CaseCache:
    """The case store, with each case loaded once (many links point at one case)."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._loaded: dict[str, Any] = {}
        self.path = store.path

    def load(self, case_id: str, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self._store.load(case_id, *args, **kwargs)
        if case_id not in self._loaded:
            try:
                self._loaded[case_id] = self._store.load(case_id)
            except Exception as error:  # noqa: BLE001 - raised again, each time it is asked
                self._loaded[case_id] = error
        found = self._loaded[case_id]
        if isinstance(found, Exception):
            raise found
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)
