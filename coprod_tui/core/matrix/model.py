"""The framework matrix: one row per case, one column per template section.

The framework method of qualitative analysis (Gale et al. 2013) charts every
case against the same themes in one table; coprod's themes are the template's
sections, so the matrix is cases × sections, with what a team sorts and
filters by in front (id, title, tags, the template's fields). A team reads it
in Excel or a Markdown viewer, so the table itself is plain strings: a
:class:`Table` of headers and rows that every format module
(:mod:`.csv_format`, :mod:`.markdown_format`, :mod:`.xlsx_format`) writes
without knowing what the rows are. A second table (insights with their links)
is just another :class:`Table`.

Columns follow :func:`coprod_tui.core.coverage.section_columns` (the default
template's sections in order, then those only other templates have; ids
shared across templates and ``renamed_from`` share a column), so the matrix,
the coverage view and the editor always agree about which text is which
section. Text under an id no template knows (an orphan) is in no column.

Cases are read straight from their files one after another, not through
``CaseStore.load``: the export needs the raw text per id, which the column
index maps itself, so the template mapping (a copy of every case) is skipped.
No thread pool: decoding holds the interpreter, and two readers fighting for it
made a 2,000-case export slower, not faster. That keeps an export of 10,000
cases within 2× of writing the same CSV from memory (``bench/matrix.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from coprod_tui.core.case import Case, has_tags
from coprod_tui.core.collation import sort_key
from coprod_tui.core.coverage import Column, section_columns, templates_of
from coprod_tui.core.errors import CoprodError, UserInputError
from coprod_tui.core.language import user_language
from coprod_tui.core.template import Template

__all__ = [
    "Matrix",
    "Table",
    "build_matrix",
    "choose_columns",
    "first_words",
]

#: A progress callback: ``progress(done, total)`` (cases).
Progress = Callable[[int, int], None]

#: What ends a cell cut to its first N words.
ELLIPSIS = "…"

_WORD_RUN = re.compile(r"\S+")


class Table(NamedTuple):
    """A table of plain strings: what every format writes (one sheet, one pipe table).

    ``name`` is the sheet's name in XLSX and the heading in Markdown.
    """

    name: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Matrix:
    """The cases × sections table and what it was built from."""

    table: Table
    #: The section columns, in the order the table shows them.
    columns: tuple[Column, ...]
    #: Damaged cases left out (``coprod doctor`` reports them).
    damaged: int = 0
    #: The tag the rows were filtered by, if any.
    tag: str | None = None


def first_words(text: str, count: int | None) -> str:
    """``text`` cut to its first ``count`` words plus "…"; all of it when shorter or ``None``.

    Words are runs of non-space characters (as the coverage counts them); the
    cut keeps the text's own spacing up to the last word kept, so a summary
    reads like the start of the section.
    """
    if count is None:
        return text
    position = 0
    for seen, match in enumerate(_WORD_RUN.finditer(text), start=1):
        if seen == count:
            position = match.end()
            break
    else:
        return text.strip()
    rest = text[position:]
    if not rest.strip():
        return text[:position].strip()
    return text[:position].strip() + ELLIPSIS


def choose_columns(columns: Sequence[Column], wanted: Sequence[str]) -> list[Column]:
    """The columns ``wanted`` names, in that order (all of them when ``wanted`` is empty).

    A section is named by its id, an id it was renamed from, or its number
    (1, 2, ...). ``UserInputError`` for any other name; a column named twice
    is shown once.
    """
    if not wanted:
        return list(columns)
    chosen: list[Column] = []
    for name in wanted:
        key = name.strip()
        found = next((c for c in columns if c.id == key or key in c.renamed_from), None)
        if found is None and key.isdigit() and 1 <= int(key) <= len(columns):
            found = columns[int(key) - 1]
        if found is None:
            names = ", ".join(c.id for c in columns)
            raise UserInputError(
                f"there is no section {key!r}: give a section id or number ({names})"
            )
        if found not in chosen:
            chosen.append(found)
    return chosen


def _field_columns(
    default: Template | None, templates: Iterable[Template]
) -> list[tuple[str, str]]:
    """(field id, label) of every template field: the default template's first."""
    seen: dict[str, str] = {}
    for template in [*([default] if default else []), *sorted(templates, key=lambda t: t.id)]:
        for spec in template.fields:
            seen.setdefault(spec.id, spec.label or spec.id)
    return list(seen.items())


def build_matrix(
    store: Any,
    registry_or_templates: Any,
    *,
    tag: str | None = None,
    sections: Sequence[str] = (),
    words: int | None = None,
    language: str | None = None,
    progress: Progress | None = None,
) -> Matrix:
    """The framework matrix of every untrashed, undamaged case in ``store``.

    ``registry_or_templates`` is the template registry (its default template
    leads) or a sequence of templates (the first leads), as for
    :func:`~coprod_tui.core.coverage.build_coverage`. ``tag`` keeps the cases
    carrying it (case does not matter); ``sections`` selects and orders the
    section columns (see :func:`choose_columns`); ``words`` cuts every
    section cell to its first that many words. Rows are sorted by title in
    ``language`` (default: the user's), then id. A case that is damaged, or
    gone or trashed while it is read, is left out (damaged ones counted).
    """
    if words is not None and words < 1:
        raise UserInputError("--words takes a number of words of 1 or more")
    lang = user_language() if language is None else language
    default, templates = templates_of(registry_or_templates)
    columns = choose_columns(section_columns(default, templates), sections)
    fields = _field_columns(default, templates)
    # Which column a stored section id's text belongs to: the column's own id
    # and the ids it was renamed from, then each template's own renames.
    slot: dict[str, int] = {}
    for position, column in enumerate(columns):
        slot.setdefault(column.id, position)
    for position, column in enumerate(columns):
        for old in column.renamed_from:
            slot.setdefault(old, position)
    own_renames = {
        t.id: {old: s.id for s in t.sections for old in s.renamed_from} for t in templates
    }

    summaries = store.list_cases()
    wanted = [tag] if tag and tag.strip() else []
    damaged = sum(1 for s in summaries if s.damaged)
    chosen = [s for s in summaries if not s.damaged and has_tags(s.tags, wanted)]
    chosen.sort(key=lambda s: (sort_key(s.title, lang), s.id))
    total = len(chosen)
    if progress is not None:
        progress(0, total)
    rows: list[list[str]] = []
    field_ids = [field_id for field_id, _label in fields]
    width = len(columns)
    for done, case in enumerate(_read_cases(store, [s.id for s in chosen]), start=1):
        if case is not None and has_tags(case.tags, wanted):
            cells = [""] * width
            renames = own_renames.get(case.template_id, {})
            for section_id, text in case.sections.items():
                at = slot.get(section_id)
                if at is None:
                    at = slot.get(renames.get(section_id, ""))
                if at is None or not text.strip():
                    continue
                held = cells[at]
                cells[at] = text if not held else held.rstrip("\n") + "\n\n" + text
            if words is not None:
                cells = [first_words(cell, words) for cell in cells]
            values = case.fields
            rows.append(
                [
                    case.id,
                    case.title,
                    ", ".join(case.tags),
                    *(values.get(field_id, "") for field_id in field_ids),
                    *cells,
                ]
            )
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    headers = (
        "id",
        "title",
        "tags",
        *(label for _id, label in fields),
        *(f"{column.number}. {column.title}" for column in columns),
    )
    return Matrix(
        table=Table(name="Cases", headers=headers, rows=rows),
        columns=tuple(columns),
        damaged=damaged,
        tag=tag if wanted else None,
    )


def _read_cases(store: Any, case_ids: list[str]) -> Iterator[Case | None]:
    """Each case as stored (not mapped onto its template), or ``None`` when it cannot be read.

    Only active cases: one trashed, purged or damaged since the listing is
    ``None`` (left out), never an error that stops the export.
    """
    from coprod_tui.core.store.case_file import read_case
    from coprod_tui.core.store.layout import case_file

    root: Path | None = getattr(store, "path", None)

    def read(case_id: str) -> Case | None:
        try:
            if root is not None:
                return read_case(case_file(root, case_id), case_id)
            found: Case = store.load(case_id, mapped=False)
            return found
        except (CoprodError, OSError, ValueError, RecursionError):
            return None

    for case_id in case_ids:
        yield read(case_id)
