"""Knowledge commands: tag, tags, coverage.

Learning across cases from a shell: ``coprod tag CASE +add -remove`` changes
one case's tags, ``coprod tags`` lists every tag with how many cases carry
it (in the user's language's order), ``coprod coverage`` prints which
sections of which cases are written, short or empty. Thin handlers over
:mod:`coprod_tui.core.store`, :mod:`coprod_tui.core.coverage` and
:mod:`coprod_tui.core.collation`; heavy imports happen inside the handlers so
``coprod --help`` stays fast. User text passes
:func:`~coprod_tui.core.text_safety.printable`.
"""

from __future__ import annotations

import argparse
import sys

from coprod_tui.core.errors import UserInputError
from coprod_tui.core.i18n import N_, _, ngettext
from coprod_tui.core.text_safety import printable

#: ``typing`` itself is not imported: building the parser (``--help``) must not pay for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from coprod_tui.core.coverage import Coverage

#: Cell markers, and the plain ASCII ones for a terminal that cannot show them.
MARKS = {"empty": "·", "short": "○", "written": "●"}
ASCII_MARKS = {"empty": ".", "short": "o", "written": "#"}


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the knowledge commands to the CLI."""
    tag = commands.add_parser(
        "tag",
        help=N_("add and remove a case's tags: +TAG adds, -TAG removes, a bare TAG adds"),
        description=N_(
            "Add and remove tags of one case, then print its tags. +TAG (or a bare TAG) adds, "
            "-TAG removes; case does not matter when removing or for duplicates "
            "(so -H removes a tag named h; -h alone shows this help). "
            "Example: coprod tag 1a2b +akut -remiss"
        ),
    )
    tag.add_argument("case", metavar="CASE", help=N_("case id or unique prefix"))
    tag.add_argument(
        "changes", metavar="CHANGE", nargs=argparse.REMAINDER, help=N_("+TAG, -TAG or TAG")
    )
    tag.set_defaults(func=cmd_tag, parser=tag)

    tags = commands.add_parser("tags", help=N_("list every tag with how many cases carry it"))
    tags.add_argument("--json", action="store_true", help=N_("print JSON"))
    tags.set_defaults(func=cmd_tags)

    coverage = commands.add_parser(
        "coverage", help=N_("which sections of which cases are written, short or empty")
    )
    coverage.add_argument("--tag", metavar="T", help=N_("only cases with this tag"))
    coverage.add_argument("--json", action="store_true", help=N_("print JSON"))
    coverage.add_argument(
        "--sort",
        metavar="BY",
        default="title",
        help=N_("title (default), updated, or a section id or number (fewest words first)"),
    )
    coverage.add_argument("--reverse", action="store_true", help=N_("reverse the order"))
    coverage.set_defaults(func=cmd_coverage)


# --- helpers ---------------------------------------------------------------------------


def _line(text: str) -> str:
    return printable(text, keep_newlines=False)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _open_store(args: argparse.Namespace, templates: Any = None) -> Any:
    """The store (never created here: a mistyped path is one line, exit 2)."""
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.store import CaseStore

    return CaseStore.open(store_path(args), create=False, templates=templates)


def _templates(args: argparse.Namespace) -> Any:
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.template.registry import discover_templates

    return discover_templates(store_dir=store_path(args))


def parse_changes(changes: list[str]) -> tuple[list[str], list[str]]:
    """(tags to add, tags to remove) from ``+TAG`` / ``-TAG`` / ``TAG`` words.

    ``UserInputError`` for no change at all, an empty ``+`` or ``-``, and a
    word starting with ``--`` (a mistyped option, not a tag).
    """
    add: list[str] = []
    remove: list[str] = []
    for change in changes:
        if change.startswith("--"):
            raise UserInputError(
                _(
                    "unknown option {option}; write +TAG to add a tag and "
                    "-TAG to remove one (see 'coprod tag --help')"
                ).format(option=repr(_line(change)))
            )
        sign, name = (change[0], change[1:]) if change[:1] in "+-" and change else ("+", change)
        if not name.strip():
            raise UserInputError(
                _("{word} names no tag; write +TAG to add a tag and -TAG to remove one").format(
                    word=repr(_line(change))
                )
            )
        (add if sign == "+" else remove).append(name)
    if not add and not remove:
        raise UserInputError(
            _(
                "give at least one change: +TAG adds a tag, -TAG removes one "
                "(see 'coprod tag --help')"
            )
        )
    return add, remove


def _marks() -> dict[str, str]:
    """The cell markers the terminal can show (ASCII when its encoding lacks them)."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "".join(MARKS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return MARKS


def _width() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((80, 24)).columns)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


# --- commands --------------------------------------------------------------------------


def cmd_tag(args: argparse.Namespace) -> int:
    if any(change in ("-h", "--help") for change in args.changes):
        args.parser.print_help()
        return 0
    add, remove = parse_changes(list(args.changes))
    store = _open_store(args)
    case = store.change_tags(store.resolve_id(args.case), add, remove)
    if not case.tags:
        print(_("coprod: {title} has no tags now").format(title=_line(case.title)), file=sys.stderr)
    for tag in case.tags:
        _out(_line(tag))
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    store = _open_store(args)
    counts = store.tag_counts()
    if args.json:
        from coprod_tui.core.json_text import safe_json

        _out(safe_json([{"tag": tag, "count": count} for tag, count in counts]))
        return 0
    if not counts:
        _out(_("no tags (add one with 'coprod tag CASE +TAG')"))
        return 0
    width = max(len(str(count)) for _tag, count in counts)
    for tag, count in counts:
        _out(f"{str(count).rjust(width)}  {_line(tag)}")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from coprod_tui.core.coverage import build_coverage
    from coprod_tui.core.template.registry import default_template_id

    templates = _templates(args)
    store = _open_store(args, templates)
    # The columns follow the template a new case starts with (Swedish under a Swedish locale).
    leading = []
    if templates.entries:
        leading = [templates.get(default_template_id(templates))]
    coverage = build_coverage(store, [*leading, *templates.all()], tag=args.tag)
    by = args.sort
    if by.isdigit() and by not in {c.id for c in coverage.columns}:
        number = int(by)
        if not 1 <= number <= len(coverage.columns):
            raise UserInputError(
                _("there is no section {number} (sections are 1 to {last})").format(
                    number=number, last=len(coverage.columns)
                )
            )
        by = coverage.columns[number - 1].id
    coverage = coverage.sorted(by, reverse=args.reverse)
    if args.json:
        from coprod_tui.core.json_text import safe_json

        _out(safe_json(coverage.to_json()))
        return 0
    for line in coverage_table(coverage, width=_width(), marks=_marks()):
        _out(line)
    return 0


def coverage_table(
    coverage: Coverage, *, width: int = 80, marks: dict[str, str] = MARKS
) -> list[str]:
    """The coverage as lines of plain text: a row per case, a column per section number,
    then a legend and the totals per section. Fits ``width`` columns (titles are clipped)."""
    from coprod_tui.core.coverage import SHORT_WORDS
    from coprod_tui.core.timefmt import local_minutes

    columns = coverage.columns
    if not coverage.rows:
        where = (
            _(" with the tag {tag}").format(tag=repr(_line(coverage.tag))) if coverage.tag else ""
        )
        lines = [_("no cases{where} (create one with 'coprod new')").format(where=where)]
        if coverage.damaged:
            lines.append(_damaged(coverage.damaged))
        return lines
    cell = max(len(str(len(columns))), 1)
    grid = " ".join(str(c.number).rjust(cell) for c in columns)
    title_width = max(10, width - 8 - 2 - 2 - len(grid))
    id_head, title_head = _("ID"), _("TITLE")  # outside the f-string: the extractor reads them
    lines = [f"{id_head:<8}  {title_head:<{title_width}}  {grid}"]
    for row in coverage.rows:
        title = _clip(_line(row.title) or _("(untitled)"), title_width)
        cells = " ".join(marks[c.status].rjust(cell) for c in row.cells)
        lines.append(f"{row.case_id[:8]}  {title:<{title_width}}  {cells}")
    lines.append("")
    lines.append(
        _(
            "{written} written ({short_words}+ words)   {short} short (1-{most} words)   "
            "{empty} empty"
        ).format(
            written=marks["written"],
            short=marks["short"],
            empty=marks["empty"],
            short_words=SHORT_WORDS,
            most=SHORT_WORDS - 1,
        )
    )
    lines.append("")
    name_width = max(10, min(40, width - 4 - 4 * 8))
    heads = (_("SECTION"), _("WRITTEN"), _("SHORT"), _("EMPTY"), _("WORDS"))
    lines.append(
        f"{'#':>3}  {heads[0]:<{name_width}}  {heads[1]:>7} {heads[2]:>7} {heads[3]:>7} "
        f"{heads[4]:>7}"
    )
    for column, total in zip(columns, coverage.totals, strict=True):
        name = _clip(_line(column.title) or column.id, name_width)
        lines.append(
            f"{column.number:>3}  {name:<{name_width}}  {total.written:>7} {total.short:>7} "
            f"{total.empty:>7} {total.words:>7}"
        )
    cases = len(coverage.rows)
    summary = ngettext("{n} case", "{n} cases", cases).format(n=cases)
    if coverage.tag:
        summary += _(" with the tag {tag}").format(tag=repr(_line(coverage.tag)))
    newest = max(row.updated for row in coverage.rows)
    summary += _("; last written {when}").format(when=local_minutes(newest) or _line(newest))
    lines.append("")
    lines.append(summary)
    if coverage.damaged:
        lines.append(_damaged(coverage.damaged))
    return lines


def _damaged(count: int) -> str:
    """The line about damaged cases the coverage left out."""
    return _("{n} damaged case(s) left out (run 'coprod doctor')").format(n=count)
