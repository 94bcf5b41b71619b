"""Write the framework matrix to a file: one function for ``coprod matrix -o`` and the workbench.

:func:`export_matrix` builds the matrix (and, asked for, the insights table),
renders it, and writes it like every coprod export: atomically, 0600
(``core/store/storage.atomic_write_bytes``), never through a symbolic link,
never into a folder, and never over an existing file unless ``replace``
(the CLI's ``--force``, the workbench's second "Replace?" dialog). A CSV file
holds one table, so the insights go to ``FILE-insights.csv`` beside it.

Every target is checked before any work and again just before it is written
(it may have appeared while the matrix was built); an existing one raises
:class:`TargetExists` (a :class:`UserInputError` naming the file), so the
workbench can ask and the CLI can say "use --force".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from coprod_tui.core.errors import OperationalError, UserInputError
from coprod_tui.core.text_safety import printable

FORMATS = ("csv", "md", "xlsx")


class TargetExists(UserInputError):
    """The file is there already; replace it only when the user says so."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class ExportResult:
    """What was written: the files, how many cases, how many insight links, damaged cases."""

    targets: tuple[str, ...]
    cases: int
    links: int | None
    damaged: int


def insights_file_name(path: str) -> str:
    """Where the insights table of a CSV export goes: ``matris.csv`` → ``matris-insights.csv``."""
    given = PurePath(path)
    suffix = given.suffix or ".csv"
    return str(given.with_name(f"{given.stem if given.suffix else given.name}-insights{suffix}"))


def targets_of(path: str, fmt: str, *, insights: bool) -> list[str]:
    """The files an export to ``path`` writes (two for CSV with insights)."""
    targets = [path]
    if insights and fmt == "csv":
        targets.append(insights_file_name(path))
    return targets


def check_target(path: str, *, replace: bool, hint: str = "use --force to replace it") -> None:
    """Refuse a link, a folder, or (unless ``replace``) an existing file, before any work."""
    shown = printable(path, keep_newlines=False)
    if os.path.islink(path):
        raise UserInputError(
            f"{shown} is a symbolic link; coprod does not write an export through a link: "
            "give the real file name, or remove the link"
        )
    if os.path.isdir(path):
        raise UserInputError(f"{shown} is a folder: give a file name")
    if os.path.lexists(path) and not replace:
        raise TargetExists(f"{shown} exists; {hint}", path)


def render(tables: list[Any], fmt: str, *, excel: bool, first_section: int) -> list[bytes]:
    """The bytes of each output: one per table for CSV, one file for Markdown and XLSX."""
    if fmt == "csv":
        from coprod_tui.core.matrix.csv_format import render_csv

        return [render_csv(table, excel=excel) for table in tables]
    if fmt == "md":
        from coprod_tui.core.matrix.markdown_format import render_markdown

        return [render_markdown(tables)]
    from coprod_tui.core.matrix.xlsx_format import render_xlsx

    return [render_xlsx(tables, wide_from=[first_section])]


def build_tables(
    store: Any,
    templates: Any,
    *,
    tag: str | None = None,
    sections: Sequence[str] = (),
    words: int | None = None,
    insights: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Any], int, int]:
    """(tables, index of the first section column, damaged cases) of the matrix export."""
    from coprod_tui.core.matrix import build_matrix
    from coprod_tui.core.template.registry import default_template_id

    # Columns follow the template a new case starts with, as in 'coprod coverage'.
    leading = [templates.get(default_template_id(templates))] if templates.entries else []
    matrix = build_matrix(
        store,
        [*leading, *templates.all()],
        tag=tag,
        sections=sections,
        words=words,
        progress=progress,
    )
    tables = [matrix.table]
    if insights:
        from coprod_tui.core.matrix.insights_table import build_insights_table

        tables.append(
            build_insights_table(
                store,
                columns=matrix.columns,
                tag=tag,
                case_ids=[row[0] for row in matrix.table.rows],
            )
        )
    first_section = len(matrix.table.headers) - len(matrix.columns)
    return tables, first_section, matrix.damaged


def write_file(path: str, data: bytes, *, replace: bool, hint: str = "") -> None:
    """Write one export file atomically, 0600; checks the target again first."""
    from coprod_tui.core.store.storage import atomic_write_bytes, describe_os_error

    hint = hint or "use --force to replace it"
    check_target(path, replace=replace, hint=hint)
    shown = printable(path, keep_newlines=False)
    try:
        atomic_write_bytes(Path(path), data, overwrite=replace)
    except FileExistsError:
        raise TargetExists(f"{shown} exists; {hint}", path) from None
    except OSError as error:
        raise OperationalError(f"could not write {shown}: {describe_os_error(error)}") from None


def export_matrix(
    store: Any,
    templates: Any,
    path: str,
    fmt: str,
    *,
    tag: str | None = None,
    sections: Sequence[str] = (),
    words: int | None = None,
    insights: bool = False,
    excel: bool = False,
    replace: bool = False,
    hint: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Build, render and write the matrix export to ``path`` (see the module's rules).

    ``hint`` ends the "exists" message (the CLI: "use --force to replace it").
    """
    if fmt not in FORMATS:
        raise UserInputError(f"the format must be one of {', '.join(FORMATS)}")
    if excel and fmt != "csv":
        raise UserInputError("--excel is for --format csv (XLSX is Excel's own format)")
    targets = targets_of(path, fmt, insights=insights)
    for target in targets:
        check_target(target, replace=replace, hint=hint or "use --force to replace it")
    tables, first_section, damaged = build_tables(
        store,
        templates,
        tag=tag,
        sections=sections,
        words=words,
        insights=insights,
        progress=progress,
    )
    outputs = render(tables, fmt, excel=excel, first_section=first_section)
    for target, data in zip(targets, outputs, strict=True):
        write_file(target, data, replace=replace, hint=hint)
    return ExportResult(
        targets=tuple(targets),
        cases=len(tables[0].rows),
        links=len(tables[1].rows) if insights else None,
        damaged=damaged,
    )
