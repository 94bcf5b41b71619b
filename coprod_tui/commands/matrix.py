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

from coprod_tui.commands.sharing import add_encrypt_option
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.i18n import N_, _
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
        help=N_("export the framework matrix (cases × sections) as CSV, Markdown or XLSX"),
        description=N_(
            "One row per case (id, title, tags, fields), one column per section. "
            "CSV cells that a spreadsheet would run as a formula (starting with = + - @) "
            "get a leading ' so they stay text."
        ),
    )
    matrix.add_argument("--tag", metavar="T", help=N_("only cases with this tag"))
    matrix.add_argument(
        "--section",
        action="append",
        default=[],
        metavar="ID",
        help=N_("a section to show, by id or number (repeatable: in that order; default: all)"),
    )
    matrix.add_argument(
        "--words", type=_words, metavar="N", help=N_("each section cut to its first N words + …")
    )
    matrix.add_argument(
        "--insights",
        action="store_true",
        help=N_(
            "add the insights with their links as a second table "
            "(CSV: a second file, FILE-insights.csv)"
        ),
    )
    matrix.add_argument("--format", choices=FORMATS, required=True, help=N_("output format"))
    matrix.add_argument(
        "-o", "--output", metavar="FILE", default="-", help=N_("file, or - for stdout")
    )
    matrix.add_argument("--force", action="store_true", help=N_("replace FILE if it exists"))
    matrix.add_argument(
        "--excel", action="store_true", help=N_("CSV: start with the BOM Excel needs for å ä ö")
    )
    add_encrypt_option(matrix)
    matrix.set_defaults(func=cmd_matrix)


def _words(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a number of words: {text}").format(text=repr(text))
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("give 1 word or more"))
    return value


def cmd_matrix(args: argparse.Namespace) -> int:
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.matrix.export import build_tables
    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import discover_templates

    if args.excel and args.format != "csv":
        raise UserInputError(_("--excel is for --format csv (XLSX is Excel's own format)"))
    to_stdout = args.output == "-"
    if to_stdout and args.format == "xlsx" and sys.stdout.isatty():
        raise UserInputError(_("XLSX is a binary file and stdout is a terminal: use -o FILE"))
    if to_stdout and args.insights and args.format == "csv":
        raise UserInputError(
            _("a CSV file holds one table: use -o FILE (the insights go to FILE-insights.csv)")
        )
    from coprod_tui.commands.sharing import encryption_of

    encryption = encryption_of(args, output=args.output)  # key files read before any work
    targets = [] if to_stdout else [args.output]
    if args.insights and args.format == "csv" and not to_stdout:
        targets.append(insights_file_name(args.output))
    if encryption is not None:
        targets = [encryption.target(target) for target in targets]
    for target in targets:
        _check_target(target, force=args.force)
    templates = discover_templates(store_dir=store_path(args))
    store = CaseStore.open(store_path(args), create=False, templates=templates)
    # The same tables as the workbench's export (core/matrix/export.py).
    tables, first_section, damaged = build_tables(
        store,
        templates,
        tag=args.tag,
        sections=args.section,
        words=args.words,
        insights=args.insights,
    )
    outputs = _render(tables, args.format, excel=args.excel, first_section=first_section)
    if encryption is not None:
        outputs = [encryption.seal(data) for data in outputs]
    if to_stdout:
        _write_stdout(outputs[0], "age" if encryption is not None else args.format)
    else:
        for target, data in zip(targets, outputs, strict=True):
            _write_file(target, data, force=args.force)
        shown = _(" and ").join(printable(t, keep_newlines=False) for t in targets)
        if args.insights:
            note = _("wrote {cases} case(s) and {links} insight link(s) to {files}").format(
                cases=len(tables[0].rows), links=len(tables[1].rows), files=shown
            )
        else:
            note = _("wrote {cases} case(s) to {files}").format(
                cases=len(tables[0].rows), files=shown
            )
        if encryption is not None:
            note += _(", encrypted to {readers}").format(readers=encryption.readers())
        print(note, file=sys.stderr)
    if damaged:
        print(
            _("coprod: left out {n} damaged case(s); run 'coprod doctor'").format(n=damaged),
            file=sys.stderr,
        )
    return 0


def insights_file_name(path: str) -> str:
    """Where the insights table of a CSV export goes (see ``core/matrix/export.py``)."""
    from coprod_tui.core.matrix.export import insights_file_name as core_name

    return core_name(path)


def _render(tables: list[Any], fmt: str, *, excel: bool, first_section: int) -> list[bytes]:
    """The bytes of each output (the workbench's export renders through the same function)."""
    from coprod_tui.core.matrix.export import render

    return render(tables, fmt, excel=excel, first_section=first_section)


def _write_stdout(data: bytes, fmt: str) -> None:
    if fmt not in ("xlsx", "age") and sys.stdout.isatty():
        sys.stdout.write(printable(data.decode("utf-8", errors="replace")))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _check_target(path: str, *, force: bool) -> None:
    """Refuse a link, a folder, or (without ``--force``) an existing file, before any work."""
    from coprod_tui.core.matrix.export import check_target

    check_target(path, replace=force)


def _write_file(path: str, data: bytes, *, force: bool) -> None:
    """Atomic, 0600, checked again first (``core/matrix/export.write_file``, as the workbench)."""
    from coprod_tui.core.matrix.export import write_file

    write_file(path, data, replace=force)
