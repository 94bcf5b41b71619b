"""``coprod templates`` and ``coprod template show|validate|init``.

These commands are how a team adapting the template finds out what is in force
and what is wrong: ``templates`` lists every template and the file it came
from (a later folder overrides an earlier one, so "which file wins" must be
visible); ``validate`` reports every problem in every file at once, in the
``FILE:LINE:COL: message`` form editors can jump to; ``init`` gives them a
copy of a working template to start from. Template text is shown through
``rich.text.Text`` and :func:`printable`, never as markup, because a template
is untrusted input. Templates (and so YAML) are loaded inside the handlers, so
registering these commands costs ``coprod --help`` nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from coprod_tui.core.errors import OperationalError, UserInputError
from coprod_tui.core.i18n import N_, _, ngettext
from coprod_tui.core.text_safety import printable

#: Spelled here (tests check it equals ``core.template.ids.DEFAULT_TEMPLATE_ID``): importing
#: the template package to build the parser would load YAML for ``coprod --help``.
_DEFAULT_TEMPLATE_ID = "batalden-primary-care"

#: ``typing`` itself is not imported: building the parser (``--help``) must not pay for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from rich.text import Text

    from coprod_tui.core.template import Problem, Section, Template
    from coprod_tui.core.template.registry import TemplateRegistry

SCHEMA_FILE = "template.schema.json"
_MODELINE = "# yaml-language-server: $schema="


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the template commands to the CLI."""
    listing = commands.add_parser(
        "templates",
        help=N_("list the templates and the file each comes from"),
        description=N_("List every template in force: id, version, language, title and its file."),
    )
    listing.set_defaults(func=list_templates)

    template = commands.add_parser(
        "template",
        help=N_("show, validate or start a template"),
        description=N_("Show, validate or start a template (YAML; see schema/README.md)."),
    )
    template.set_defaults(func=lambda args: _usage(template))
    actions = template.add_subparsers(  # prog given: no help formatter built for every run
        dest="template_command", metavar="ACTION", parser_class=type(template), prog=template.prog
    )

    show = actions.add_parser(
        "show",
        help=N_("show a template's sections, perspectives and questions"),
        description=N_("Show a template readably. ID is a template id or a path to a YAML file."),
    )
    show.add_argument("template", metavar="ID", help=N_("template id (or a .yaml file)"))
    show.set_defaults(func=show_template)

    validate = actions.add_parser(
        "validate",
        help=N_("check template files and report every problem"),
        description=N_(
            "Check template files (or every .yaml in a folder) and report every problem as "
            "FILE:LINE:COL: message. Exit 2 if any file has a problem."
        ),
    )
    validate.add_argument("files", metavar="FILE", nargs="+", type=Path)
    validate.set_defaults(func=validate_templates)

    init = actions.add_parser(
        "init",
        help=N_("write a copy of a template to customise"),
        description=N_(
            "Write a copy of a template's YAML to FILE to customise. Never overwrites. Put the "
            "result in your templates folder or a $COPROD_TEMPLATES folder, or write it with "
            "--into-store into the store's own templates/ folder, so everyone using the store "
            "sees the same sections."
        ),
    )
    init.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        nargs="?",
        help=N_("file to write; with --into-store a file name in the store (default: ID.yaml)"),
    )
    init.add_argument(
        "--into-store",
        action="store_true",
        help=N_("write the copy into the store's templates/ folder (the store must exist)"),
    )
    init.add_argument(
        "--from",
        dest="source",
        metavar="ID",
        default=_DEFAULT_TEMPLATE_ID,
        help=N_("template to copy (default: %(default)s)"),
    )
    init.set_defaults(func=init_template)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


# --------------------------------------------------------------------------- templates


def _registry(args: argparse.Namespace) -> TemplateRegistry:
    """The templates in force, with the store's own (never creating a store)."""
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.template.registry import discover_templates

    return discover_templates(store_dir=store_path(args))


def list_templates(args: argparse.Namespace) -> int:
    """Print the templates in force; broken files are reported on stderr, not fatal."""
    registry = _registry(args)
    rows = [(_("ID"), _("VERSION"), _("LANGUAGE"), _("TITLE"), _("FILE"))]
    notes: dict[int, list[str]] = {}
    for template in registry.all():
        entry = registry.entries[template.id]
        rows.append(
            (
                _cell(template.id),
                str(template.version),
                _cell(template.language),
                _cell(template.title, 48),
                _cell(str(entry.path)),
            )
        )
        notes[len(rows) - 1] = [
            _("overrides {file}").format(file=_cell(str(path))) for path in entry.overrides
        ]
        if registry.from_store(template.id):
            notes[len(rows) - 1].insert(0, _("from the store: everyone using this store sees it"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip())
        for note in notes.get(index, []):
            print(" " * (sum(widths[:4]) + 8) + note)
    _report_skipped(registry)
    return 0


def _cell(text: str, limit: int = 0) -> str:
    """One safe line for a table cell, clipped to ``limit`` characters if given."""
    line = printable(text, keep_newlines=False)
    if limit and len(line) > limit:
        return line[: limit - 1] + "…"
    return line


def _report_skipped(registry: TemplateRegistry) -> None:
    if not registry.problems:
        return
    files = {problem.path for problem in registry.problems}
    print(
        _(
            "coprod: skipped {n} broken template file(s); fix them and run "
            "'coprod template validate FILE':"
        ).format(n=len(files)),
        file=sys.stderr,
    )
    for problem in registry.problems:
        print(printable(str(problem), keep_newlines=False), file=sys.stderr)


# --------------------------------------------------------------------------- show


def show_template(args: argparse.Namespace) -> int:
    """Print one template readably (via Rich, never interpreting its text as markup)."""
    from rich.console import Console  # imported here: only 'show' needs Rich

    template = _resolve(args.template, _registry(args))
    # Wrap to the terminal; when piped, keep each question on one line for grep.
    console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    console.print(render_template(template))
    return 0


def _resolve(name: str, registry: TemplateRegistry) -> Template:
    """A template by id, or straight from a file when ``name`` looks like a path."""
    from coprod_tui.core.template import load_template

    path = Path(name)
    if name.endswith((".yaml", ".yml")) or os.sep in name:
        return load_template(path)
    try:
        return registry.get(name)
    except UserInputError as error:
        if registry.problems:
            skipped = len({problem.path for problem in registry.problems})
            raise UserInputError(
                _("{error}; {n} broken template file(s) were skipped").format(
                    error=error, n=skipped
                )
            ) from None
        raise


def render_template(template: Template) -> Text:
    """A readable, markup-free rendering of a whole template."""
    from rich.text import Text

    out = Text()

    def line(text: str = "", style: str = "", indent: int = 0) -> None:
        out.append(" " * indent)
        out.append(printable(text), style=style)
        out.append("\n")

    line(template.title, "bold")
    line(
        _("{id}  ·  version {version}  ·  language {language}").format(
            id=template.id, version=template.version, language=template.language
        ),
        "dim",
    )
    if template.path is not None:
        line(_("file: {path}").format(path=template.path), "dim")
    line(_("source: {source}").format(source=template.source), "dim")
    if template.description:
        line()
        for paragraph in template.description.splitlines():
            line(paragraph)
    if template.perspectives:
        line()
        line(_("Perspectives"), "bold underline")
        for perspective in template.perspectives:
            line(f"{perspective.title} [{perspective.id}]", "bold", 2)
            if perspective.description:
                line(perspective.description, "", 4)
    if template.fields:
        line()
        line(_("Case fields"), "bold underline")
        for spec in template.fields:
            extra = f": {', '.join(spec.choices)}" if spec.choices else ""
            required = _(", required") if spec.required else ""
            line(f"{spec.label} [{spec.id}] ({spec.type}{required}){extra}", "", 2)
    line()
    line(_("Sections"), "bold underline")
    for number, section in enumerate(template.sections, start=1):
        _render_section(line, template, number, section)
    out.rstrip()
    return out


def _render_section(
    line: Callable[..., None], template: Template, number: int, section: Section
) -> None:
    line()
    line(f"{number}. {section.title} [{section.id}]", "bold", 2)
    if section.description and section.description != section.title:
        line(section.description, "italic", 5)
    perspective = template.perspective(section.perspective)
    if perspective is not None:
        line(_("perspective: {title}").format(title=perspective.title), "dim", 5)
    if section.renamed_from:
        line(_("renamed from: {ids}").format(ids=", ".join(section.renamed_from)), "dim", 5)
    for question in section.questions:
        line(f"• {question}", "", 5)


# --------------------------------------------------------------------------- validate


def validate_templates(args: argparse.Namespace) -> int:
    """Report every problem in every file; exit 2 if there are any."""
    from coprod_tui.core.template import validate_template_file

    problems: list[Problem] = []
    checked = 0
    for path in _expand(args.files, problems):
        checked += 1
        found = validate_template_file(path)
        if found:
            problems.extend(found)
        else:
            print(_("{file}: ok").format(file=printable(str(path), keep_newlines=False)))
    for problem in problems:
        print(printable(str(problem), keep_newlines=False), file=sys.stderr)
    if problems:
        files = len({problem.path for problem in problems})
        print(
            ngettext(
                "coprod: {n} problem in {files} of {checked} file(s)",
                "coprod: {n} problems in {files} of {checked} file(s)",
                len(problems),
            ).format(n=len(problems), files=files, checked=max(checked, files)),
            file=sys.stderr,
        )
        return 2
    return 0


def _expand(paths: list[Path], problems: list[Problem]) -> list[Path]:
    """Files as given; a folder stands for the template files directly inside it."""
    from coprod_tui.core.template import Problem
    from coprod_tui.core.template.registry import template_files

    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = template_files(path)
            if not inside:
                problems.append(Problem(str(path), 1, 1, _("no template files (.yaml) here")))
            expanded.extend(inside)
        else:
            expanded.append(path)
    return expanded


# --------------------------------------------------------------------------- init


def init_template(args: argparse.Namespace) -> int:
    """Write a copy of a template's YAML to a new file (never overwriting)."""
    registry = _registry(args)
    if args.into_store:
        target, policy_mode = _store_target(args)
    else:
        if args.file is None:
            raise UserInputError(_("give the FILE to write, or --into-store"))
        target, policy_mode = args.file, 0o644  # meant to be shared with the team
    if target.exists() or target.is_symlink():
        raise UserInputError(
            _("{file} already exists; choose another file name").format(file=printable(str(target)))
        )
    template = registry.get(args.source)
    source = registry.entries[template.id].path
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise OperationalError(f"cannot read {source}: {error.strerror or error}") from None
    _write_new_file(target, _editable_copy(_point_modeline_at_schema(text)), policy_mode)
    shown = printable(str(target))
    print(
        _("wrote {file} (a copy of '{id}' from {source})").format(
            file=shown, id=template.id, source=printable(str(source))
        )
    )
    if args.into_store:
        print(
            _(
                "Edit it (keep the section ids of sections you keep) and check it with "
                "'coprod template validate {file}'. Everyone using this store now gets it; "
                "same id: it replaces that template for them, a new id: it is added."
            ).format(file=shown)
        )
        return 0
    print(
        _(
            "Edit it (keep the section ids of sections you keep), check it with "
            "'coprod template validate {file}', and put it in your templates folder, a "
            "$COPROD_TEMPLATES folder, or the store's (template init --into-store). Same id: it "
            "replaces that template; a new id: it is added."
        ).format(file=shown)
    )
    return 0


def _store_target(args: argparse.Namespace) -> tuple[Path, int]:
    """Where ``init --into-store`` writes (``STORE/templates/NAME``), and the file mode.

    The store must exist (nothing creates one here); its ``templates/`` folder
    is made with the store's folder mode, and a link in its place is refused.
    """
    import stat

    from coprod_tui.core.locations import store_path
    from coprod_tui.core.store.folder import prepare_store_folder
    from coprod_tui.core.store.storage import make_private_folders
    from coprod_tui.core.template.registry import TEMPLATE_SUFFIXES, store_templates_dir

    name = args.file.name if args.file is not None else f"{args.source}.yaml"
    if args.file is not None and (str(args.file) != name or name in (".", "..")):
        raise UserInputError(
            "with --into-store, FILE is a file name (no folder): it is written to the "
            "store's templates/ folder"
        )
    if not name.lower().endswith(TEMPLATE_SUFFIXES):
        raise UserInputError(f"{printable(name)}: a template file name ends in .yaml")
    root, policy = prepare_store_folder(store_path(args), create=False)
    folder = store_templates_dir(root)
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        try:
            make_private_folders(folder, policy.dir_mode)
        except OSError as error:
            raise OperationalError(f"cannot create {folder}: {error.strerror}") from None
    else:
        if not stat.S_ISDIR(info.st_mode):
            raise OperationalError(
                f"{folder} is not a plain folder (a symbolic link?); nothing was written — "
                "run 'coprod doctor'"
            )
    return folder / name, policy.file_mode


#: The shipped templates' advice "do not edit this file: run template init" ends
#: at the first comment line that is only "#" (or at the first line of YAML).
_DONT_EDIT = ("do not edit this file", "anpassa inte den här filen")
_COPY_NOTE = (
    "# Your own copy, made by 'coprod template init': edit it freely. Keep the section\n"
    "# ids of the sections you keep (cases store their text under the section id);\n"
    "# keep the id to replace that template, or give it a new id to add one.\n"
)


def _editable_copy(text: str) -> str:
    """The copy without the shipped file's "do not edit this file" advice (it is yours)."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            return text  # past the header: nothing to change
        if any(phrase in line.lower() for phrase in _DONT_EDIT):
            end = index
            while end < len(lines) and lines[end].startswith("#") and lines[end].strip() != "#":
                end += 1
            return "".join([*lines[:index], _COPY_NOTE, *lines[end:]])
    return text


def _point_modeline_at_schema(text: str) -> str:
    """Make the editor's ``$schema`` line work from wherever the copy is written."""
    from coprod_tui.core.template.registry import shipped_templates_dir

    schema = shipped_templates_dir() / SCHEMA_FILE
    first, newline, rest = text.partition("\n")
    if first.startswith(_MODELINE) and schema.is_file():
        return f"{_MODELINE}{schema.resolve().as_uri()}{newline}{rest}"
    return text


def _write_new_file(target: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` to a new file atomically; refuse (exit 2) if it exists or appears meanwhile.

    Goes through the store's one atomic writer (temp file, fsync, hard link into
    place, fsync of the folder), so a crash never leaves a half-written copy and
    no existing file is ever overwritten.
    """
    from coprod_tui.core.store.storage import atomic_write_bytes, make_private_folders

    try:
        make_private_folders(target.parent)  # any folder coprod creates is private
        atomic_write_bytes(target, text.encode("utf-8"), mode=mode, overwrite=False)
    except FileExistsError:
        raise UserInputError(
            _("{file} already exists; choose another file name").format(file=printable(str(target)))
        ) from None
    except OSError as error:
        raise OperationalError(f"cannot write {target}: {error.strerror or error}") from None
