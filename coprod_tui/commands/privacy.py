"""Privacy commands: ``lint`` (find and redact identifying details) and ``guard`` (the setting).

``coprod lint`` lists every identifier the guard finds (``core/privacy``) in the named
cases, one line each: case, place, kind, the text masked (a list that printed the
numbers would be the leak it warns of; ``--json`` gives full rows for scripts). Exit 1
when anything is found, 0 when clean, 2 for bad input, so a script or a pre-share check
can stop on it. ``--redact`` replaces each hit with its label through the store (a
normal save: a new revision, the old one kept in history), after asking on a terminal.

``coprod guard refuse|warn`` sets whether this store refuses to save a case holding a
sure identifier (the ``refuse-identifiers`` marker, see ``core/privacy/guard.py``).

:func:`warn_saved` is the one line per hit that ``write``, ``new`` and ``import`` print
on standard error about what they just saved.
"""

from __future__ import annotations

import argparse
import sys

from coprod_tui.commands.answers import said_yes
from coprod_tui.core.errors import OperationalError, UserInputError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.text_safety import printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from coprod_tui.core.privacy.cases import CaseHit


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the privacy commands to the CLI."""
    lint = commands.add_parser(
        "lint",
        help=N_("list identifying details (personnummer, phone, e-mail, address) in cases"),
        description=N_(
            "List each identifying detail found in the cases: case, place, kind and the "
            "text masked. Exit 1 when anything is found, 0 when the cases are clean."
        ),
    )
    lint.add_argument("cases", metavar="CASE", nargs="*", help=N_("case ids or unique prefixes"))
    lint.add_argument("--all", action="store_true", help=N_("every case (not the trash)"))
    lint.add_argument(
        "--json", action="store_true", help=N_("print full rows (with offsets, certainty, text)")
    )
    lint.add_argument(
        "--redact",
        action="store_true",
        help=N_("replace each detail with a label such as [personnummer] (a new revision)"),
    )
    lint.add_argument("--yes", action="store_true", help=N_("redact without asking (for scripts)"))
    lint.set_defaults(func=cmd_lint)

    guard = commands.add_parser(
        "guard", help=N_("show or set whether this store refuses to save identifying details")
    )
    guard.add_argument(
        "mode",
        nargs="?",
        choices=["refuse", "warn"],
        help=N_("refuse: saving a case with a sure identifier fails; warn: saved, with a warning"),
    )
    guard.set_defaults(func=cmd_guard)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _line(found: CaseHit) -> str:
    """``case 1a2b3c4d, section situation: possible personnummer '2017…'`` (masked)."""
    from coprod_tui.core.privacy import describe
    from coprod_tui.core.privacy.cases import place_label

    line = _("case {case}, {place}: {what}").format(
        case=found.case_id[:8], place=place_label(found.place), what=describe(found.hit)
    )
    return printable(line, keep_newlines=False)


def warn_saved(found: Sequence[CaseHit]) -> None:
    """One warning line on standard error per identifier in what was just saved."""
    for item in found:
        print(_("coprod: warning: {what}").format(what=_line(item)), file=sys.stderr)


def _open_store(args: argparse.Namespace) -> Any:
    """The store (never created here), with the identifier guard on it."""
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.privacy.guard import guard_store
    from coprod_tui.core.store import CaseStore

    store = CaseStore.open(store_path(args), create=False)
    guard_store(store)
    return store


def _case_ids(args: argparse.Namespace, store: Any) -> list[str]:
    """The cases named (each once, in the order given), or every active case with ``--all``."""
    if args.all and args.cases:
        raise UserInputError(_("name cases or use --all, not both"))
    if args.all:
        return [summary.id for summary in store.list_cases()]
    if not args.cases:
        raise UserInputError(_("name the cases to check, or use --all"))
    return list(dict.fromkeys(store.resolve_id(given) for given in args.cases))


def _row(found: CaseHit) -> dict[str, Any]:
    """The full JSON row of a hit."""
    hit = found.hit
    return {
        "case": found.case_id,
        "place": found.place,
        "kind": hit.kind,
        "certainty": hit.certainty,
        "start": hit.start,
        "end": hit.end,
        "text": hit.text,
        "label": hit.label,
    }


def cmd_lint(args: argparse.Namespace) -> int:
    from coprod_tui.core.privacy.cases import case_identifiers
    from coprod_tui.core.store import DamagedCaseError

    if args.yes and not args.redact:
        raise UserInputError(_("--yes only goes with --redact"))
    if args.redact and not args.yes and not sys.stdin.isatty():
        raise UserInputError(
            _(
                "--redact rewrites the cases and standard input is not a terminal to ask on; "
                "add --yes to confirm"
            )
        )
    store = _open_store(args)
    ids = _case_ids(args, store)
    found: list[CaseHit] = []
    unreadable: list[str] = []
    for case_id in ids:
        try:
            case = store.load(case_id)
        except DamagedCaseError:
            unreadable.append(case_id)
            continue
        found.extend(case_identifiers(case))
    if args.json:
        from coprod_tui.core.json_text import safe_json

        _out(safe_json([_row(item) for item in found]))
    else:
        for item in found:
            _out(_line(item))
    for case_id in unreadable:
        print(
            _("coprod: warning: case {case} could not be read (see 'coprod doctor')").format(
                case=case_id[:8]
            ),
            file=sys.stderr,
        )
    if not found:
        if not args.json:
            checked = len(ids) - len(unreadable)
            _out(_("no identifying details found in {n} case(s)").format(n=checked))
        return 1 if unreadable else 0
    cases = len({item.case_id for item in found})
    summary = _("{n} identifying detail(s) in {cases} case(s)").format(n=len(found), cases=cases)
    if not args.redact:
        print(
            _("coprod: {summary} (redact them with 'coprod lint --redact')").format(
                summary=summary
            ),
            file=sys.stderr,
        )
        return 1
    if not _confirmed(args, summary):
        _out(_("nothing was changed"))
        return 1
    remaining = _redact(store, [item.case_id for item in found])
    return 1 if remaining or unreadable else 0


def _confirmed(args: argparse.Namespace, summary: str) -> bool:
    """Whether to redact: ``--yes``, or a "y" typed on the terminal (checked to be one)."""
    if args.yes:
        return True
    print(
        _(
            "{summary}. Replace each with a label such as [personnummer]? "
            "(a new revision; the old text stays in the case's history) [y/N] "
        ).format(summary=summary),
        end="",
        file=sys.stderr,
    )
    sys.stderr.flush()
    return said_yes(sys.stdin.readline())


def _redact(store: Any, case_ids: list[str]) -> int:
    """Redact each case under its lock (a normal save); how many identifiers are left."""
    from coprod_tui.core.privacy.cases import case_identifiers, redact_case

    counts: dict[str, int] = {}

    def change(current: Any) -> Any:
        redacted, count = redact_case(current)
        counts[current.id] = count
        return redacted

    remaining = 0
    for case_id in dict.fromkeys(case_ids):
        saved = store.update(case_id, change)
        left = case_identifiers(saved)
        remaining += len(left)
        _out(
            _("redacted {n} identifying detail(s) in case {case} (revision {revision})").format(
                n=counts.get(case_id, 0), case=case_id[:8], revision=saved.revision
            )
        )
        for item in left:  # a label next to digits can make a new shape: say so
            print(
                _("coprod: warning: still there: {what}").format(what=_line(item)),
                file=sys.stderr,
            )
    return remaining


def cmd_guard(args: argparse.Namespace) -> int:
    from coprod_tui.core.privacy.guard import set_store_refuses, store_refuses

    store = _open_store(args)
    if args.mode is not None:
        try:
            set_store_refuses(store, args.mode == "refuse")
        except OSError as error:
            raise OperationalError(
                _("could not change the setting in {store}: {reason}").format(
                    store=store.path, reason=error.strerror
                )
            ) from None
    if store_refuses(store.path):
        _out(
            _(
                "this store refuses to save a case holding a sure identifier "
                "('coprod guard warn' to save them with a warning)"
            )
        )
    else:
        _out(
            _(
                "this store saves identifying details with a warning "
                "('coprod guard refuse' to refuse them)"
            )
        )
    return 0
