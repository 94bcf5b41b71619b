"""Case commands: new, list, show, write, export, import, history, restore, doctor.

Thin handlers over :class:`~coprod_tui.core.store.CaseStore`. Every command
takes a case id or any unique prefix of one. Output meant for people passes
through :func:`~coprod_tui.core.text_safety.printable`; JSON output escapes
every terminal control character. Failures are :class:`CoprodError` lines
(exit 2 for bad input, 1 for operational failures); the front door prints
them. Heavy imports happen inside handlers so ``coprod --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys

from coprod_tui.commands.answers import confirmed_for_good, purge_each
from coprod_tui.commands.sharing import add_encrypt_option, encryption_of
from coprod_tui.core.errors import OperationalError, UserInputError
from coprod_tui.core.i18n import N_, _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import local_minutes

#: ``typing`` itself is not imported: building the parser (``--help``) must not pay for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from coprod_tui.core.case import Case
    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template import Template


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the case commands to the CLI."""
    new = commands.add_parser("new", help=N_("create a case; prints its id"))
    new.add_argument("title", metavar="TITLE")
    new.add_argument(
        "--template", metavar="ID", help=N_("template id (default: the default template)")
    )
    new.add_argument("--tag", action="append", default=[], metavar="T", help=N_("tag (repeatable)"))
    new.set_defaults(func=cmd_new)

    listing = commands.add_parser("list", help=N_("list the cases"))
    listing.add_argument("--json", action="store_true", help=N_("print JSON"))
    listing.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help=N_("only cases with this tag (repeatable: all of them; case does not matter)"),
    )
    listing.add_argument(
        "--sort",
        choices=["updated", "title"],
        default="updated",
        help=N_("newest first (default), or by title in your language's order"),
    )
    listing.set_defaults(func=cmd_list)

    show = commands.add_parser("show", help=N_("show one case"))
    show.add_argument("case", metavar="CASE", help=N_("case id or unique prefix"))
    show.add_argument("--json", action="store_true", help=N_("print the case as JSON"))
    show.set_defaults(func=cmd_show)

    write = commands.add_parser("write", help=N_("set a section's text from standard input"))
    write.add_argument("case", metavar="CASE", help=N_("case id or unique prefix"))
    write.add_argument("section", metavar="SECTION", help=N_("section id or number (1, 2, ...)"))
    write.add_argument(
        "--append", action="store_true", help=N_("add to the end instead of replacing")
    )
    write.set_defaults(func=cmd_write)

    export = commands.add_parser(
        "export",
        help=N_("export cases: Markdown, HTML, DOCX to share, or the lossless JSON"),
        description=N_(
            "Write cases to a file (or standard output with -o -). md, html and docx are for "
            "people (html prints to a good PDF from a browser); json is the lossless backup "
            "'coprod import' reads. Files are private (0600) and never replace an existing "
            "file without --force."
        ),
    )
    export.add_argument("cases", metavar="CASE", nargs="*", help=N_("case ids or prefixes"))
    export.add_argument(
        "--all",
        action="store_true",
        help=N_("every case (json: the trash too, marked, and every insight)"),
    )
    export.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help=N_("the cases with this tag (repeatable: all of them)"),
    )
    export.add_argument(
        "--search", metavar="QUERY", help=N_("the cases a search finds (as 'coprod search')")
    )
    export.add_argument(
        "--with-history",
        action="store_true",
        help=N_("json: include each case's kept earlier versions"),
    )
    export.add_argument(
        "--format", choices=["md", "html", "docx", "json"], default="json", help=N_("output format")
    )
    export.add_argument(
        "--questions", action="store_true", help=N_("include each section's guiding questions")
    )
    export.add_argument("--no-empty", action="store_true", help=N_("leave out empty sections"))
    export.add_argument(
        "--redact",
        action="store_true",
        help=N_("replace identifying details (personnummer, phone, e-mail, address) with labels"),
    )
    export.add_argument(
        "--insights", action="store_true", help=N_("add the insights that cite each case")
    )
    export.add_argument(
        "--author",
        metavar="NAME",
        default="",
        help=N_("docx: the author in the file's properties (default: nobody)"),
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", default="-", help=N_("file, or - for stdout")
    )
    export.add_argument("--force", action="store_true", help=N_("replace FILE if it exists"))
    add_encrypt_option(export)
    export.set_defaults(func=cmd_export)

    imp = commands.add_parser(
        "import", help=N_("import an export file (idempotent by id; trash goes back to the trash)")
    )
    imp.add_argument("file", metavar="FILE", help=N_("export file, or - for standard input"))
    imp.set_defaults(func=cmd_import)

    history = commands.add_parser("history", help=N_("list a case's kept versions"))
    history.add_argument("case", metavar="CASE", help=N_("case id or unique prefix"))
    history.set_defaults(func=cmd_history)

    restore = commands.add_parser("restore", help=N_("make a kept version current again"))
    restore.add_argument("case", metavar="CASE", help=N_("case id or unique prefix"))
    restore.add_argument("revision", metavar="REV", type=_revision, help=N_("revision number"))
    restore.set_defaults(func=cmd_restore)

    purge = commands.add_parser(
        "purge", help=N_("delete cases for good, with their history and conflict copies")
    )
    purge.add_argument(
        "cases", metavar="CASE", nargs="+", help=N_("case ids or prefixes (or trashed)")
    )
    purge.add_argument("--yes", action="store_true", help=N_("do not ask (for scripts)"))
    purge.set_defaults(func=cmd_purge)

    doctor = commands.add_parser("doctor", help=N_("check the store (and repair it)"))
    doctor.add_argument("--repair", action="store_true", help=N_("fix what can be fixed safely"))
    doctor.add_argument(
        "--share-with-group",
        nargs="?",
        const="",
        default=None,
        metavar="GROUP",
        help=N_("deliberately share this store with a Unix group (folders 2770, files 0660)"),
    )
    doctor.add_argument(
        "--reindex", action="store_true", help=N_("rebuild the search index from the case files")
    )
    doctor.set_defaults(func=cmd_doctor)


def _revision(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a revision number: {text}").format(text=repr(text))
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("revision numbers start at 1"))
    return value


# --- helpers ---------------------------------------------------------------------------


def _open_store(
    args: argparse.Namespace, templates: Any = None, *, create: bool = False
) -> CaseStore:
    """The store; only commands that add cases (``new``, ``import``) may create one.

    Every other command on a missing or mistyped path says ``no store at PATH``
    (exit 2) and creates nothing.
    """
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.privacy.guard import guard_store
    from coprod_tui.core.store import CaseStore

    store = CaseStore.open(store_path(args), create=create, templates=templates)
    guard_store(store)  # the identifier guard: warns, or refuses where the store says so
    return store


def _templates(args: argparse.Namespace | None = None) -> Any:
    """The templates in force, including the store's own (read only if it is a store)."""
    from coprod_tui.core.template.registry import discover_templates

    if args is None:
        return discover_templates()
    from coprod_tui.core.locations import store_path

    return discover_templates(store_dir=store_path(args))


def _template_or_none(templates: Any, template_id: str) -> Template | None:
    try:
        template: Template = templates.get(template_id)
        return template
    except Exception:  # noqa: BLE001 - an unknown template only costs section names
        return None


def _line(text: str) -> str:
    return printable(text, keep_newlines=False)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _local(stamp: str) -> str:
    """An ISO UTC time as local ``YYYY-MM-DD HH:MM`` (as stored if unreadable)."""
    return local_minutes(stamp) or _line(stamp)


def _warn_identifiers(case: Case, places: list[str] | None = None) -> None:
    """One warning line on standard error per identifier in what was just saved."""
    from coprod_tui.commands.privacy import warn_saved
    from coprod_tui.core.privacy.cases import case_identifiers

    warn_saved(case_identifiers(case, places))


def _print_json(data: Any) -> None:
    from coprod_tui.core.json_text import safe_json

    _out(safe_json(data))


# --- commands --------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from coprod_tui.core.case import new_case

    title = args.title.strip()
    if not title:
        raise UserInputError(_("a case needs a title"))
    from coprod_tui.core.case import tag_problem

    for tag in args.tag:
        problem = tag_problem(tag) if tag.strip() else None  # blank ones are dropped
        if problem is not None:
            raise UserInputError(_("{problem} (nothing was created)").format(problem=problem))
    from coprod_tui.core.config import load_config
    from coprod_tui.core.template.registry import default_template_id

    templates = _templates(args)
    if args.template:
        template = templates.get(args.template)
    else:
        config = load_config()  # the same default as the workbench's new-case dialog
        if config.problem:
            print(
                _("coprod: note: {problem}").format(problem=printable(config.problem)),
                file=sys.stderr,
            )
        template = templates.get(default_template_id(templates, config))
    store = _open_store(args, templates, create=True)
    case = store.create(new_case(title, template, tags=args.tag))
    _out(case.id)
    _warn_identifiers(case, ["title"])
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = _open_store(args)
    from coprod_tui.core.case import has_tags

    wanted = [tag for tag in args.tag if tag.strip()]
    summaries = [s for s in store.list_cases() if has_tags(s.tags, wanted)]
    if args.sort == "title":
        from coprod_tui.core.collation import sort_key
        from coprod_tui.core.language import user_language

        language = user_language()
        summaries.sort(key=lambda s: (sort_key(s.title, language), s.id))
    if args.json:
        from coprod_tui.core.json_text import json_array_lines
        from coprod_tui.core.store import CaseSummary

        names = CaseSummary._fields
        _out(json_array_lines({name: getattr(s, name) for name in names} for s in summaries))
        return 0
    if not summaries:
        if wanted:
            _out(_("no cases with that tag (create one with 'coprod new')"))
        else:
            _out(_("no cases (create one with 'coprod new')"))
        return 0
    templates = _templates(args)
    known: dict[str, Template | None] = {}
    rows = [(_("ID"), _("UPDATED"), _("FILLED"), _("TITLE"), _("TAGS"))]
    for s in summaries:
        if s.template_id not in known:
            known[s.template_id] = _template_or_none(templates, s.template_id)
        template = known[s.template_id]
        title = _line(s.title) or _("(untitled)")
        if s.damaged:
            title = _("DAMAGED: {title} (run 'coprod doctor')").format(title=title)
        elif s.conflict_of:
            title = _("{title} [conflict of {case}]").format(title=title, case=s.conflict_of[:8])
        if s.damaged:
            filled = "?"
        elif template is not None:  # renamed_from counts, as in the editor
            filled = f"{template.filled_count(s.filled)}/{len(template.sections)}"
        else:
            filled = str(len(s.filled))
        rows.append((s.id[:8], _local(s.updated), filled, title, _line(", ".join(s.tags))))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        _out(
            "  ".join([*cells, row[3]] + ([f"({row[4]})"] if row[4] and row is not rows[0] else []))
        )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    templates = _templates(args)
    store = _open_store(args, templates)
    case = store.load(store.resolve_id(args.case))
    if args.json:
        _print_json(case.to_dict())
        return 0
    from coprod_tui.core.render import build_document, render_plain

    template = _template_or_none(templates, case.template_id)
    for line in render_plain(build_document(case, template, templates)):
        _out(line)
    return 0


def _section_id(case: Case, template: Template | None, given: str) -> str:
    ids = [s.id for s in template.sections] if template else list(case.sections)
    if given in ids:
        return given
    if given.isdigit() and ids:
        number = int(given)
        if 1 <= number <= len(ids):
            return ids[number - 1]
        raise UserInputError(
            _("no section {number}: this case's template has 1 to {count}").format(
                number=number, count=len(ids)
            )
        )
    if template is None:
        raise UserInputError(
            _("unknown section {section}; the case's template {template} is not installed").format(
                section=repr(given), template=repr(case.template_id)
            )
        )
    raise UserInputError(
        _(
            "no section {section} in template {template}; use one of: {ids} "
            "or a number 1 to {count}"
        ).format(
            section=repr(given), template=repr(template.id), ids=", ".join(ids), count=len(ids)
        )
    )


def _read_stdin() -> str:
    raw = sys.stdin.buffer.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserInputError(
            _("standard input is not valid UTF-8 (byte {at}); nothing was saved").format(
                at=error.start
            )
        ) from None


def cmd_write(args: argparse.Namespace) -> int:
    templates = _templates(args)
    store = _open_store(args, templates)
    case_id = store.resolve_id(args.case)
    current = store.load(case_id)
    template = _template_or_none(templates, current.template_id)
    section_id = _section_id(current, template, args.section)
    text = _read_stdin()
    result = store.write_section(
        case_id, section_id, text, append=args.append, expected=current.text(section_id)
    )
    if result.conflict is not None:
        raise OperationalError(
            _(
                "section {section} of {case} was changed by someone else meanwhile; "
                "nothing was overwritten: your text is in the conflict copy {copy}"
            ).format(section=section_id, case=case_id[:8], copy=result.conflict.id)
        )
    _out(
        _("saved {section} of {case} (revision {revision})").format(
            section=section_id, case=case_id[:8], revision=result.case.revision
        )
    )
    _warn_identifiers(result.case, [section_id])
    return 0


#: Options that only the readable formats (md, html, docx) take, by their flag.
_READABLE_ONLY = {
    "questions": "--questions",
    "no_empty": "--no-empty",
    "redact": "--redact",
    "insights": "--insights",
}


def _check_export_args(args: argparse.Namespace) -> None:
    """One line (exit 2) for a selection or an option that does not fit the format."""
    chosen = sum((bool(args.cases), args.all, bool(args.tag), args.search is not None))
    if chosen == 0:
        raise UserInputError(_("name the cases to export, or use --all, --tag T or --search QUERY"))
    if chosen > 1:
        raise UserInputError(_("choose the cases one way: case ids, --all, --tag or --search"))
    if args.format == "json":
        for name, flag in _READABLE_ONLY.items():
            if getattr(args, name):
                raise UserInputError(
                    _(
                        "{flag} is for --format md, html or docx; the JSON export is lossless"
                    ).format(flag=flag)
                )
    elif args.with_history:
        raise UserInputError(_("--with-history is for --format json (the lossless backup)"))
    if args.author and args.format != "docx":
        raise UserInputError(_("--author is for --format docx (the file's properties)"))
    if args.output == "-" and args.format == "docx" and sys.stdout.isatty():
        raise UserInputError(
            _("a DOCX file is not for the terminal: give -o FILE, or redirect the output")
        )


def _export_ids(args: argparse.Namespace, store: CaseStore) -> list[tuple[str, bool]]:
    """(case id, trashed) of the cases asked for, in export order."""
    if args.all:
        readable = args.format != "json"  # the JSON backup takes the trash too
        summaries = store.list_cases(include_trashed=not readable)
        return [(s.id, s.trashed) for s in reversed(summaries)]
    if args.tag:
        from coprod_tui.core.case import has_tags

        wanted = [tag for tag in args.tag if tag.strip()]
        if not wanted:
            raise UserInputError(_("--tag needs a tag, e.g. --tag hemsjukvård"))
        found = [(s.id, False) for s in reversed(store.list_cases()) if has_tags(s.tags, wanted)]
        if not found:
            shown = printable(", ".join(wanted), keep_newlines=False)
            raise UserInputError(
                _("no case has the tag(s) {tags}; nothing exported").format(tags=shown)
            )
        return found
    if args.search is not None:
        from coprod_tui.core.search import SearchIndex

        with SearchIndex.for_store(store) as index:
            hits = index.search(args.search, limit=10_000)
        found = [(case_id, False) for case_id in dict.fromkeys(hit.case_id for hit in hits)]
        if not found:
            raise UserInputError(_("the search finds no case; nothing exported"))
        return found
    ids = dict.fromkeys(store.resolve_id(given, include_trashed=True) for given in args.cases)
    return [(case_id, store.is_trashed(case_id)) for case_id in ids]


def cmd_export(args: argparse.Namespace) -> int:
    from coprod_tui.core.store import CaseNotFound, DamagedCaseError

    # --encrypt-to first: it swallows every name after it, so a case named after it is a
    # missing key file (the hint says so) rather than "name the cases".
    encryption = encryption_of(args, output=args.output)
    _check_export_args(args)
    if encryption is not None:
        args.output = encryption.target(args.output)  # FILE -> FILE.age
    if args.output != "-":
        from coprod_tui.core.export.files import check_target

        check_target(args.output, replace=args.force)  # before any work
    readable = args.format != "json"
    templates = _templates(args) if readable else None
    store = _open_store(args, templates)
    wanted = _export_ids(args, store)
    loaded: list[tuple[Case, bool]] = []
    damaged: list[str] = []
    for case_id, trashed in wanted:
        try:
            loaded.append((store.load(case_id, mapped=readable), trashed))
        except DamagedCaseError:
            if args.cases:
                raise
            damaged.append(case_id[:8])
        except CaseNotFound:
            if args.cases:
                raise
            # purged or moved away while exporting
    if readable and not loaded and not damaged:
        raise UserInputError(_("there are no cases to export; nothing written"))
    if readable:
        data, detail, found = _readable_export(args, store, templates, [c for c, _ in loaded])
    else:
        data, detail, found = _json_export(args, store, loaded)
    if encryption is not None:
        data = encryption.seal(data)  # the plain export is never written anywhere
    if args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        from coprod_tui.core.export.files import write_file

        write_file(args.output, data, replace=args.force)
    if found:
        advice = (
            _("use --redact") if readable else _("share a readable format with --redact instead")
        )
        print(
            _(
                "the export holds {n} identifying detail(s) (personnummer, phone, e-mail, "
                "address); {advice}"
            ).format(n=found, advice=advice),
            file=sys.stderr,
        )
    if damaged:
        raise OperationalError(
            _(
                "exported {n} case(s) but skipped damaged case(s) {ids}; "
                "run 'coprod doctor --repair'"
            ).format(n=len(loaded), ids=", ".join(damaged))
        )
    if args.output != "-":
        sealed = (
            _(", encrypted to {readers}").format(readers=encryption.readers())
            if encryption is not None
            else ""
        )
        print(
            _("exported {n} case(s){detail} to {file}{sealed}").format(
                n=len(loaded), detail=detail, file=printable(args.output), sealed=sealed
            ),
            file=sys.stderr,
        )
    return 0


def _readable_export(
    args: argparse.Namespace, store: CaseStore, templates: Any, cases: list[Case]
) -> tuple[bytes, str, int]:
    """(bytes, detail for the message, identifying details left in) of md, html or docx."""
    from coprod_tui.core.export import render_readable
    from coprod_tui.core.export.files import readable_entries
    from coprod_tui.core.export.model import ExportOptions, count_identifiers

    redact: Any = None
    if args.redact:
        from coprod_tui.core.privacy import redact as redact_text

        redact = redact_text

    options = ExportOptions(
        questions=args.questions,
        empty_sections=not args.no_empty,
        redact=redact,
        insights=args.insights,
        author=args.author,
    )
    entries = readable_entries(store, cases, templates, options)
    found = 0 if args.redact else count_identifiers(entries)
    cited = sum(len(entry.insights) for entry in entries)
    detail = _(" with {n} citing insight(s)").format(n=cited) if args.insights else ""
    if args.redact:
        detail += _(", redacted")
    return render_readable(args.format, entries, options), detail, found


def _json_export(
    args: argparse.Namespace, store: CaseStore, loaded: list[tuple[Case, bool]]
) -> tuple[bytes, str, int]:
    """(bytes, detail for the message, identifying details) of the lossless JSON."""
    from coprod_tui.core.export import ExportItem, dump_export
    from coprod_tui.core.export.model import ExportOptions, build_entries, count_identifiers

    items = [
        ExportItem(
            case,
            trashed=trashed,
            history=store.kept_versions(case.id) if args.with_history else [],
        )
        for case, trashed in loaded
    ]
    insight_entries: list[Any] = []
    if args.all:  # every insight goes with the whole store (see core/insights/exchange.py)
        from coprod_tui.core.insights.exchange import insight_entries as entries_of
        from coprod_tui.core.insights.store import insights_of

        insight_entries = entries_of(insights_of(store).export_items())
    data = dump_export(items, insights=insight_entries)
    found = count_identifiers(build_entries([case for case, _ in loaded], None, ExportOptions()))
    trashed_count = sum(item.trashed for item in items)
    versions = sum(len(item.history) for item in items)
    extras = []
    if trashed_count:
        extras.append(_("{n} from the trash").format(n=trashed_count))
    if versions:
        extras.append(_("{n} kept version(s)").format(n=versions))
    detail = f" ({', '.join(extras)})" if extras else ""
    if insight_entries:
        detail += _(" and {n} insight(s)").format(n=len(insight_entries))
    return data, detail, found


def _read_import(path: str) -> tuple[bytes, str]:
    """The import file's bytes (at most the size coprod parses, plus one) and its shown name."""
    from coprod_tui.core.store.storage import MAX_JSON_BYTES

    if path == "-":
        return sys.stdin.buffer.read(MAX_JSON_BYTES + 1), _("standard input")
    shown = printable(path, keep_newlines=False)
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_JSON_BYTES + 1), shown
    except FileNotFoundError:
        raise UserInputError(_("no such file: {file}").format(file=shown)) from None
    except IsADirectoryError:
        raise UserInputError(
            _("{file} is a folder, not an export file").format(file=shown)
        ) from None
    except OSError as error:
        raise OperationalError(
            _("cannot read {file}: {reason}").format(file=shown, reason=error.strerror)
        ) from None


def cmd_import(args: argparse.Namespace) -> int:
    from coprod_tui.core.export import parse_export_items

    raw, source = _read_import(args.file)
    items = parse_export_items(raw, source=source)
    insight_items: list[Any] = []
    from coprod_tui.core.insights.exchange import may_hold_insights

    if may_hold_insights(raw):  # checked whole before anything is stored, as the cases
        from coprod_tui.core.export import read_export_json
        from coprod_tui.core.insights.exchange import parse_insight_entries

        insight_items = parse_insight_entries(read_export_json(raw, source), source=source)
    store = _open_store(args, create=True)
    report = store.import_cases(items)
    insight_report = None
    if insight_items:
        from coprod_tui.core.insights.store import insights_of

        insight_report = insights_of(store).import_insights(insight_items)
    trashed = _(" ({n} into the trash)").format(n=len(report.trashed)) if report.trashed else ""
    copies = ngettext("{n} conflict copy", "{n} conflict copies", len(report.conflicts))
    versions = (
        _("; {n} kept version(s) added to history").format(n=report.versions)
        if report.versions
        else ""
    )
    _out(
        _("imported {n} new case(s){trashed}; {present} already present; {copies}").format(
            n=len(report.added),
            trashed=trashed,
            present=len(report.unchanged),
            copies=copies.format(n=len(report.conflicts)),
        )
        + versions
    )
    for original, copy in report.conflicts:
        _out(
            _("  {case} differs from the stored case: kept as {copy}").format(
                case=original[:8], copy=copy[:8]
            )
        )
    for case_id, why in report.skipped:
        _out(_("  {case} not imported: {why}").format(case=case_id[:8], why=why))
    saved_as = {**{case_id: case_id for case_id in report.added}, **dict(report.conflicts)}
    for item in items:
        if item.case.id in saved_as:
            _warn_identifiers(item.case.replace(id=saved_as[item.case.id]))
    if insight_report is not None:
        ins = insight_report
        copies = ngettext("{n} conflict copy", "{n} conflict copies", len(ins.conflicts))
        _out(
            _("imported {n} new insight(s); {present} already present; {copies}").format(
                n=len(ins.added),
                present=len(ins.unchanged),
                copies=copies.format(n=len(ins.conflicts)),
            )
        )
        for original, copy in ins.conflicts:
            _out(
                _("  insight {insight} differs from the stored one: kept as {copy}").format(
                    insight=original[:8], copy=copy[:8]
                )
            )
    if report.skipped:
        raise OperationalError(
            _(
                "{n} case(s) were not imported (see above); "
                "import the file with the newer coprod instead"
            ).format(n=len(report.skipped))
        )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from coprod_tui.core.case import word_count
    from coprod_tui.core.store import DamagedCaseError

    store = _open_store(args)
    case_id = store.resolve_id(args.case, include_trashed=True)
    try:
        current = store.load(case_id, mapped=False)
    except DamagedCaseError:
        _out(
            _("{case}: the current version is DAMAGED; restore a revision below").format(
                case=case_id
            )
        )
    else:
        texts = [*current.sections.values(), *current.orphans.values()]
        words = sum(word_count(text) for text in texts)
        _out(f"{_line(current.title)} ({case_id})")
        _out(
            _("  rev {revision}  {time}  {who}  {words} words  (current)").format(
                revision=f"{current.revision:>4}",
                time=_local(current.updated),
                who=_line(current.saved_by),
                words=words,
            )
        )
    for info in store.history(case_id):
        if info.damaged:
            _out(
                _("  rev {revision}  {time}  (damaged)").format(
                    revision=f"{info.revision:>4}", time=_local(info.saved_at)
                )
            )
            continue
        _out(
            _("  rev {revision}  {time}  {who}  {words} words").format(
                revision=f"{info.revision:>4}",
                time=_local(info.saved_at),
                who=_line(info.saved_by),
                words=info.words,
            )
        )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    store = _open_store(args)
    case_id = store.resolve_id(args.case)
    restored = store.restore(case_id, args.revision)
    _out(
        _(
            "restored revision {old} of {case} as revision {new} "
            "(the previous version is kept in its history)"
        ).format(old=args.revision, case=case_id[:8], new=restored.revision)
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Erase cases on request: asks first on a terminal, refuses to guess without one."""
    store = _open_store(args)
    ids = list(dict.fromkeys(store.resolve_id(given, include_trashed=True) for given in args.cases))
    summaries = store.list_cases(include_trashed=True)
    titles = {s.id: s.title for s in summaries}

    def named(case_id: str) -> str:
        return f"{case_id[:8]} “{_line(titles.get(case_id, '')) or _('(untitled)')}”"

    if not args.yes:
        copies = [s.id for s in summaries if s.conflict_of in ids and s.id not in ids]
        also = (
            ngettext(" and {n} conflict copy", " and {n} conflict copies", len(copies)).format(
                n=len(copies)
            )
            if copies
            else ""
        )
        heading = _("{n} case(s) will be deleted for good, with their history{also}:").format(
            n=len(ids), also=also
        )
        lines = [f"  {named(case_id)}" for case_id in ids]
        lines += [_("  {case} (conflict copy)").format(case=named(c)) for c in copies]
        if not confirmed_for_good(heading, lines):
            _out(_("nothing was deleted"))
            return 0
    for removed, copy in purge_each(ids, store.purge):
        marked = _(" (conflict copy)") if copy else ""
        _out(_("purged {case}{copy}").format(case=named(removed), copy=marked))
    from coprod_tui.core.search import SearchIndex

    SearchIndex.erase_purged(store)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    store = _open_store(args)
    if args.share_with_group is not None:
        for message in store.share_with_group(args.share_with_group or None):
            _out(printable(message))
    if getattr(args, "reindex", False):
        from coprod_tui.commands.search import reindex

        reindex(store)
    report = store.doctor(repair=args.repair)
    for message in report.fixed:
        _out(_("fixed: {message}").format(message=printable(message)))
    for message in report.notes:
        _out(_("note: {message}").format(message=printable(message)))
    for message in report.problems:
        _out(_("problem: {message}").format(message=printable(message)))
    if report.problems:
        print(
            _("coprod: {n} problem(s) in the store {store}").format(
                n=len(report.problems), store=store.path
            ),
            file=sys.stderr,
        )
        return 1
    _out(
        _("store OK: {n} case(s) checked in {store}").format(
            n=report.checked, store=printable(str(store.path))
        )
    )
    return 0
