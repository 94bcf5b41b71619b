"""The matrix command: ``coprod matrix``, the framework matrix as CSV, Markdown or XLSX.

One row per case, one column per template section (see
:mod:`coprod_tui.core.matrix`), for a team to read and chart in a
spreadsheet; ``--insights`` adds the insights with their links as a second
table (a second sheet, a second Markdown table, or ``FILE-insights.csv``:
a CSV file holds one table). The file is written like every coprod export: atomically, 0600,
never over an existing file without ``--force`` and never through a symbolic
link. XLSX is binary, so it is refused on a terminal ("use -o FILE");
CSV and Markdown printed on a terminal pass
:func:`~coprod_tui.core.text_safety.printable` (piped or written to a file
they are exactly the export). Heavy imports (the store, openpyxl) happen inside
the handler so ``coprod --help`` and the other commands never pay for them.
"""

from __future__ import annotations

import argparse
import sys

from coprod_tui.core.errors import OperationalError, UserInputError
from coprod_tui.core.text_safety import printable

#: ``typing`` itself is not imported: building the parser (``--help``) must not pay for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("csv", "md", "xlsx")


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the matrix command to the CLI."""
    matrix = commands.add_parser(
        "matrix",
        help="export the framework matrix (cases × sections) as CSV, Markdown or XLSX",
        description=(
            "One row per case (id, title, tags, fields), one column per section. "
            "CSV cells that a spreadsheet would run as a formula (starting with = + - @) "
            "get a leading ' so they stay text."
        ),
    )
    matrix.add_argument("--tag", metavar="T", help="only cases with this tag")
    matrix.add_argument(
        "--section",
        action="append",
        default=[],
        metavar="ID",
        help="a section to show, by id or number (repeatable: in that order; default: all)",
    )
    matrix.add_argument(
        "--words", type=_words, metavar="N", help="each section cut to its first N words + …"
    )
    matrix.add_argument(
        "--insights",
        action="store_true",
        help="add the insights with their links as a second table "
        "(CSV: a second file, FILE-insights.csv)",
    )
    matrix.add_argument("--format", choices=FORMATS, required=True, help="output format")
    matrix.add_argument("-o", "--output", metavar="FILE", default="-", help="file, or - for stdout")
    matrix.add_argument("--force", action="store_true", help="replace FILE if it exists")
    matrix.add_argument(
        "--excel", action="store_true", help="CSV: start with the BOM Excel needs for å ä ö"
    )
    matrix.set_defaults(func=cmd_matrix)


def _words(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of words: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("give 1 word or more")
    return value


def cmd_matrix(args: argparse.Namespace) -> int:
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.matrix import build_matrix
    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import default_template_id, discover_templates

    if args.excel and args.format != "csv":
        raise UserInputError("--excel is for --format csv (XLSX is Excel's own format)")
    to_stdout = args.output == "-"
    if to_stdout and args.format == "xlsx" and sys.stdout.isatty():
        raise UserInputError("XLSX is a binary file and stdout is a terminal: use -o FILE")
    if to_stdout and args.insights and args.format == "csv":
        raise UserInputError(
            "a CSV file holds one table: use -o FILE (the insights go to FILE-insights.csv)"
        )
    targets = [] if to_stdout else [args.output]
    if args.insights and args.format == "csv" and not to_stdout:
        targets.append(insights_file_name(args.output))
    for target in targets:
        _check_target(target, force=args.force)
    templates = discover_templates(store_dir=store_path(args))
    store = CaseStore.open(store_path(args), create=False, templates=templates)
    # Columns follow the template a new case starts with, as in 'coprod coverage'.
    leading = [templates.get(default_template_id(templates))] if templates.entries else []
    matrix = build_matrix(
        store, [*leading, *templates.all()], tag=args.tag, sections=args.section, words=args.words
    )
    tables = [matrix.table]
    if args.insights:
        from coprod_tui.core.matrix.insights_table import build_insights_table

        tables.append(
            build_insights_table(
                store,
                columns=matrix.columns,
                tag=args.tag,
                case_ids=[row[0] for row in matrix.table.rows],
            )
        )
    first_section = len(matrix.table.headers) - len(matrix.columns)
    outputs = _render(tables, args.format, excel=args.excel, first_section=first_section)
    if to_stdout:
        _write_stdout(outputs[0], args.format)
    else:
        for target, data in zip(targets, outputs, strict=True):
            _write_file(target, data, force=args.force)
        shown = " and ".join(printable(t, keep_newlines=False) for t in targets)
        extra = f" and {len(tables[1].rows)} insight link(s)" if args.insights else ""
        print(f"wrote {len(matrix.table.rows)} case(s){extra} to {shown}", file=sys.stderr)
    if matrix.damaged:
        print(
            f"coprod: left out {matrix.damaged} damaged case(s); run 'coprod doctor'",
            file=sys.stderr,
        )
    return 0


def insights_file_name(path: str) -> str:
    """Where the insights table of a CSV export goes: ``matris.csv`` → ``matris-insights.csv``."""
    from pathlib import PurePath

    given = PurePath(path)
    suffix = given.suffix or ".csv"
    return str(given.with_name(f"{given.stem if given.suffix else given.name}-insights{suffix}"))


def _render(tables: list[Any], fmt: str, *, excel: bool, first_section: int) -> list[bytes]:
    """The bytes of each output: one per table for CSV, one file for Markdown and XLSX."""
    if fmt == "csv":
        from coprod_tui.core.matrix.csv_format import render_csv

        return [render_csv(table, excel=excel) for table in tables]
    if fmt == "md":
        from coprod_tui.core.matrix.markdown_format import render_markdown

        return [render_markdown(tables)]
    from coprod_tui.core.matrix.xlsx_format import render_xlsx

    return [render_xlsx(tables, wide_from=[first_section])]


def _write_stdout(data: bytes, fmt: str) -> None:
    if fmt != "xlsx" and sys.stdout.isatty():
        sys.stdout.write(printable(data.decode("utf-8", errors="replace")))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _check_target(path: str, *, force: bool) -> None:
    """Refuse a link, a folder, or (without ``--force``) an existing file, before any work."""
    import os

    shown = printable(path, keep_newlines=False)
    if os.path.islink(path):
        raise UserInputError(
            f"{shown} is a symbolic link; coprod does not write an export through a link: "
            "give the real file name, or remove the link"
        )
    if os.path.isdir(path):
        raise UserInputError(f"{shown} is a folder: give a file name")
    if os.path.lexists(path) and not force:
        raise UserInputError(f"{shown} exists; use --force to replace it")


def _write_file(path: str, data: bytes, *, force: bool) -> None:
    from pathlib import Path

    from coprod_tui.core.store.storage import atomic_write_bytes, describe_os_error

    _check_target(path, force=force)  # again: it may have appeared while the matrix was built
    shown = printable(path, keep_newlines=False)
    try:
        atomic_write_bytes(Path(path), data, overwrite=force)
    except FileExistsError:
        raise UserInputError(f"{shown} exists; use --force to replace it") from None
    except OSError as error:
        raise OperationalError(f"could not write {shown}: {describe_os_error(error)}") from None
