"""Coverage: which sections of which cases are written, short or still empty.

A cases × sections matrix (rows: untrashed cases; columns: template
sections) with a word count and a status per cell, totals per section, and
sorting. It shows a team where its notes are thin: the sections everyone
skips, the cases begun and left.

Columns are the default template's sections in its order, then the sections
only other templates have (in template-id order). A column is one section
*id*: templates that share an id (the English and Swedish Batalden
templates do) share the column, and text a case holds under an id a section
lists in ``renamed_from`` counts in that section's column — the same mapping
the editor makes, so the matrix and the editor always agree. Text under an
id no template knows (an orphan) is in no column.

Nothing here opens a case file: the word counts come from the catalog's
summary rows (``CaseSummary.words``, kept up to date by the store on every
write; rows written before it existed are re-read once by the catalog's
scan). At 2,000 cases a build costs one catalog listing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from coprod_tui.core.case import has_tags
from coprod_tui.core.collation import sort_key
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.language import user_language
from coprod_tui.core.template import Template

__all__ = [
    "SHORT_WORDS",
    "Cell",
    "Column",
    "Coverage",
    "CoverageRow",
    "SectionTotals",
    "build_coverage",
    "cell_status",
    "section_columns",
]

#: A section with fewer words than this (but some) is *short*: a heading, a
#: note to self, a first line. Twenty words is about two sentences.
SHORT_WORDS = 20

Status = Literal["empty", "short", "written"]
#: A progress callback: ``progress(done, total)`` (cases).
Progress = Callable[[int, int], None]


def cell_status(words: int) -> Status:
    """``"empty"`` for no words, ``"short"`` below :data:`SHORT_WORDS`, else ``"written"``."""
    if words <= 0:
        return "empty"
    return "short" if words < SHORT_WORDS else "written"


@dataclass(frozen=True)
class Cell:
    """One case's one section: its word count and what that means."""

    words: int
    status: Status


_EMPTY = Cell(0, "empty")


def _cell(words: int) -> Cell:
    return Cell(words, cell_status(words))


@dataclass(frozen=True)
class Column:
    """One section column: the section id, its 1-based number and title."""

    id: str
    number: int
    title: str
    #: The template the title was taken from.
    template_id: str
    #: Older ids whose text counts here (from every template's ``renamed_from``).
    renamed_from: tuple[str, ...] = ()

    def section_id_in(self, template: Template | None) -> str | None:
        """The id this column's section has in ``template`` (where to open a case at it).

        A case whose template still uses an old id (``renamed_from``) is
        opened at that id; ``None`` when the template has none of them.
        """
        if template is None:
            return None
        ids = template.section_ids()
        for section_id in (self.id, *self.renamed_from):
            if section_id in ids:
                return section_id
        for section in template.sections:
            if self.id in section.renamed_from:
                return section.id
        return None


@dataclass(frozen=True)
class CoverageRow:
    """One case: what the list shows of it, and a cell per column."""

    case_id: str
    title: str
    updated: str
    template_id: str
    tags: tuple[str, ...]
    cells: tuple[Cell, ...]

    @property
    def words(self) -> int:
        """All words of the case in the columns."""
        return sum(cell.words for cell in self.cells)


@dataclass(frozen=True)
class SectionTotals:
    """How many cases have the section written, short and empty, and its words."""

    written: int = 0
    short: int = 0
    empty: int = 0
    words: int = 0


@dataclass(frozen=True)
class Coverage:
    """The matrix. ``rows[i].cells[j]`` is case ``i`` in section ``columns[j]``."""

    columns: tuple[Column, ...]
    rows: tuple[CoverageRow, ...]
    totals: tuple[SectionTotals, ...]
    #: Damaged cases left out (``coprod doctor`` reports them).
    damaged: int = 0
    #: The tag the rows were filtered by, if any.
    tag: str | None = None
    #: The language titles are sorted in.
    language: str = field(default="en")

    def column_index(self, section_id: str) -> int:
        """The index of a section's column; ``KeyError`` when there is none."""
        for index, column in enumerate(self.columns):
            if column.id == section_id or section_id in column.renamed_from:
                return index
        raise KeyError(section_id)

    def cell(self, case_id: str, section_id: str) -> Cell:
        """The cell of one case in one section; ``KeyError`` for an unknown case or section."""
        index = self.column_index(section_id)
        for row in self.rows:
            if row.case_id == case_id:
                return row.cells[index]
        raise KeyError(case_id)

    def sorted(self, by: str = "title", reverse: bool = False) -> Coverage:
        """The same matrix with its rows in another order.

        ``by`` is ``"title"`` (the language's order), ``"updated"`` (oldest
        first; ``reverse`` for newest first) or a section id (fewest words
        first, so the thinnest cases come up; ``reverse`` for the most). Ties
        go by title, then id. ``UserInputError`` for anything else.
        """
        lang = self.language

        def by_title(row: CoverageRow) -> tuple[Any, ...]:
            return (sort_key(row.title, lang), row.case_id)

        if by == "title":
            rows = sorted(self.rows, key=by_title, reverse=reverse)
        elif by == "updated":
            rows = sorted(self.rows, key=by_title)
            rows.sort(key=lambda row: row.updated, reverse=reverse)
        else:
            try:
                index = self.column_index(by)
            except KeyError:
                names = ", ".join(column.id for column in self.columns)
                raise UserInputError(
                    f"cannot sort by {by!r}: use title, updated or a section id ({names})"
                ) from None
            rows = sorted(self.rows, key=by_title)
            rows.sort(key=lambda row: row.cells[index].words, reverse=reverse)
        return replace(self, rows=tuple(rows))

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data: sections, cases with a cell per section id, totals per section id."""
        return {
            "short_words": SHORT_WORDS,
            "tag": self.tag,
            "damaged_left_out": self.damaged,
            "sections": [
                {
                    "id": c.id,
                    "number": c.number,
                    "title": c.title,
                    "renamed_from": list(c.renamed_from),
                }
                for c in self.columns
            ],
            "cases": [
                {
                    "id": row.case_id,
                    "title": row.title,
                    "updated": row.updated,
                    "template_id": row.template_id,
                    "tags": list(row.tags),
                    "words": row.words,
                    "cells": {
                        column.id: {"words": cell.words, "status": cell.status}
                        for column, cell in zip(self.columns, row.cells, strict=True)
                    },
                }
                for row in self.rows
            ],
            "totals": {
                column.id: {
                    "written": total.written,
                    "short": total.short,
                    "empty": total.empty,
                    "words": total.words,
                }
                for column, total in zip(self.columns, self.totals, strict=True)
            },
        }


# --------------------------------------------------------------------------- building


def templates_of(registry_or_templates: Any) -> tuple[Template | None, list[Template]]:
    """(the default template, every template) from a registry or a list of templates.

    A list's first template is its default.
    """
    if isinstance(registry_or_templates, Template):
        return registry_or_templates, [registry_or_templates]
    all_of = getattr(registry_or_templates, "all", None)
    if callable(all_of):
        templates = [t for t in all_of() if isinstance(t, Template)]
        default: Template | None = None
        try:
            chosen = registry_or_templates.default()
            default = chosen if isinstance(chosen, Template) else None
        except Exception:  # noqa: BLE001 - no default installed: the first one leads
            default = None
        return default or (templates[0] if templates else None), templates
    templates = [t for t in registry_or_templates if isinstance(t, Template)]
    return (templates[0] if templates else None), templates


def section_columns(default: Template | None, templates: Iterable[Template]) -> list[Column]:
    """The coverage columns: ``default``'s sections in order, then sections only others have.

    A section of another template joins an existing column when it has the
    same id, or when either lists the other's id in ``renamed_from``.
    """
    ordered = [*([default] if default else []), *sorted(templates, key=lambda t: t.id)]
    columns: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for template in ordered:
        for section in template.sections:
            column = by_id.get(section.id)
            if column is None:
                column = next((by_id[old] for old in section.renamed_from if old in by_id), None)
            if column is None:
                column = {"id": section.id, "title": section.title, "template": template.id}
                column["old"] = []
                columns.append(column)
                by_id[section.id] = column
            for old in (section.id, *section.renamed_from):
                if old != column["id"] and old not in column["old"]:
                    column["old"].append(old)
                by_id.setdefault(old, column)
    return [
        Column(
            id=c["id"],
            number=number,
            title=c["title"],
            template_id=c["template"],
            renamed_from=tuple(c["old"]),
        )
        for number, c in enumerate(columns, start=1)
    ]


def build_coverage(
    store: Any,
    registry_or_templates: Any,
    *,
    tag: str | None = None,
    progress: Progress | None = None,
    language: str | None = None,
) -> Coverage:
    """The coverage of every untrashed case in ``store`` (those with ``tag``, if given).

    ``registry_or_templates`` is the template registry (its default template
    leads the columns) or a sequence of templates (the first leads). Rows are
    sorted by title in ``language`` (default: the user's). ``progress(done,
    total)`` is told as rows are built. Damaged cases are left out and
    counted (:attr:`Coverage.damaged`).
    """
    lang = user_language() if language is None else language
    default, templates = templates_of(registry_or_templates)
    columns = section_columns(default, templates)
    own_renames = {
        t.id: {
            old: s.id for s in t.sections for old in s.renamed_from if old not in t.section_ids()
        }
        for t in templates
    }
    index: dict[str, int] = {}
    for position, column in enumerate(columns):
        index.setdefault(column.id, position)
    for position, column in enumerate(columns):
        for old in column.renamed_from:
            index.setdefault(old, position)

    summaries = store.list_cases()
    wanted = [tag] if tag and tag.strip() else []
    damaged = sum(1 for s in summaries if s.damaged)
    chosen = [s for s in summaries if not s.damaged and has_tags(s.tags, wanted)]
    total = len(chosen)
    if progress is not None:
        progress(0, total)
    rows: list[CoverageRow] = []
    known: dict[int, Cell] = {0: _EMPTY}  # cells are frozen: share one per word count
    sums = [[0, 0, 0, 0] for _ in columns]  # written, short, empty, words
    for done, summary in enumerate(chosen, start=1):
        renames = own_renames.get(summary.template_id, {})
        words = [0] * len(columns)
        for section_id, count in zip(summary.filled, summary.words, strict=False):
            slot = index.get(renames.get(section_id, section_id))
            if slot is not None:
                words[slot] += count
        cells = tuple(known.get(count) or known.setdefault(count, _cell(count)) for count in words)
        for position, cell in enumerate(cells):
            slot = {"written": 0, "short": 1, "empty": 2}[cell.status]
            sums[position][slot] += 1
            sums[position][3] += cell.words
        rows.append(
            CoverageRow(
                case_id=summary.id,
                title=summary.title,
                updated=summary.updated,
                template_id=summary.template_id,
                tags=tuple(summary.tags),
                cells=cells,
            )
        )
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    coverage = Coverage(
        columns=tuple(columns),
        rows=tuple(rows),
        totals=tuple(SectionTotals(*sums_of) for sums_of in sums),
        damaged=damaged,
        tag=tag if wanted else None,
        language=lang,
    )
    return coverage.sorted("title")
