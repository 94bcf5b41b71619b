"""Insight commands: insight new/show/link/edit/plan/trash/untrash/purge, insights, plans.

From cases to knowledge in a shell: ``coprod insight new TITLE --link
CASE:SECTION --quote TEXT`` records what was learned and where it came from,
``coprod insight show ID`` shows each link with where its quote is now
(found, moved, quote changed, case gone, section gone), ``coprod insights``
lists them and ``coprod plans`` lists the open tests of change, oldest first.
Thin handlers over :mod:`coprod_tui.core.insights`; everything heavy is
imported inside the handlers, and nothing here is on the path of ``coprod
show``/``write``/``list`` (cli.py builds only the command being run). User
text passes :func:`~coprod_tui.core.text_safety.printable`.
"""

from __future__ import annotations

import argparse
import sys

from coprod_tui.commands.answers import confirmed_for_good, purge_each
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.text_safety import printable

#: ``typing`` itself is not imported: building the parser (``--help``) must not pay for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from coprod_tui.core.case import Case
    from coprod_tui.core.insights.model import Insight, Link
    from coprod_tui.core.insights.store import InsightStore, LinkView
    from coprod_tui.core.store import CaseStore

STATUSES = ("open", "running", "adopted", "adapted", "abandoned")
#: The four steps of a plan as ``insight show`` names them (PDSA; PGSA in Swedish).
_PDSA_LABELS = {"plan": N_("Plan"), "do": N_("Do"), "study": N_("Study"), "act": N_("Act")}


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the insight commands to the CLI."""
    insight = commands.add_parser(
        "insight",
        help=N_("record, show and link an insight (what was learned, and where it came from)"),
        description=N_(
            "Insights: short notes linked to the case sections and passages they "
            "came from. Example: coprod insight new 'Patients wait for family' "
            "--link 1a2b:5 --quote 'ville inte bli inlagd'"
        ),
    )
    actions = insight.add_subparsers(dest="action", metavar="ACTION", required=True)

    new = actions.add_parser("new", help=N_("record a new insight linked to a case section"))
    new.add_argument("title", metavar="TITLE", help=N_("a short title"))
    new.add_argument("--text", metavar="TEXT", default="", help=N_("its text, or - for stdin"))
    new.add_argument(
        "--link",
        metavar="CASE:SECTION",
        action="append",
        required=True,
        help=N_("a case (id or prefix) and a section (id or number); repeatable"),
    )
    new.add_argument(
        "--quote",
        metavar="TEXT",
        action="append",
        default=[],
        help=N_("a passage of the linked section (exactly as written); the n-th for the n-th link"),
    )
    new.add_argument(
        "--tag", metavar="T", action="append", default=[], help=N_("a tag; repeatable")
    )
    new.set_defaults(func=cmd_insight_new)

    show = actions.add_parser("show", help=N_("show an insight and where each link points now"))
    show.add_argument("insight", metavar="ID", help=N_("insight id or unique prefix"))
    show.add_argument("--json", action="store_true", help=N_("print JSON"))
    show.set_defaults(func=cmd_insight_show)

    link = actions.add_parser("link", help=N_("link an insight to one more case section"))
    link.add_argument("insight", metavar="ID", help=N_("insight id or unique prefix"))
    link.add_argument("target", metavar="CASE:SECTION", help=N_("case id or prefix : section"))
    link.add_argument("--quote", metavar="TEXT", default="", help=N_("a passage of that section"))
    link.set_defaults(func=cmd_insight_link)

    plan = actions.add_parser("plan", help=N_("give an insight a plan (Plan-Do-Study-Act)"))
    plan.add_argument("insight", metavar="ID", help=N_("insight id or unique prefix"))
    texts = {
        "plan": N_("the plan text"),
        "do": N_("the do text"),
        "study": N_("the study text"),
        "act": N_("the act text"),
    }
    for name, help_text in texts.items():
        plan.add_argument(f"--{name}", metavar="TEXT", default=None, help=help_text)
    plan.add_argument("--start", metavar="DATE", default=None, help=N_("start date, 2026-12-01"))
    plan.add_argument("--due", metavar="DATE", default=None, help=N_("due date, 2026-12-15"))
    plan.add_argument("--status", choices=STATUSES, default=None, help=N_("the plan's status"))
    plan.set_defaults(func=cmd_insight_plan)

    trash = actions.add_parser("trash", help=N_("move an insight to the trash"))
    trash.add_argument("insight", metavar="ID", help=N_("insight id or unique prefix"))
    trash.set_defaults(func=cmd_insight_trash)

    untrash = actions.add_parser("untrash", help=N_("bring an insight back from the trash"))
    untrash.add_argument("insight", metavar="ID", help=N_("insight id or unique prefix"))
    untrash.set_defaults(func=cmd_insight_untrash)

    edit = actions.add_parser(
        "edit",
        help=N_("change an insight's title, text or tags"),
        description=N_(
            "Change an insight's title, text or tags (its links and plan stay). "
            "--tag comes last and takes +TAG (add) and -TAG (remove) words. "
            "Example: coprod insight edit 1a2b --title 'Going home matters' --tag +utskrivning -ny"
        ),
    )
    edit.add_argument("insight", metavar="ID", help=N_("insight id or unique prefix"))
    edit.add_argument("--title", metavar="T", default=None, help=N_("the new title"))
    edit.add_argument(
        "--text", metavar="TEXT", default=None, help=N_("the new text, or - for stdin")
    )
    edit.add_argument(
        "--tag",
        metavar="CHANGE",
        nargs=argparse.REMAINDER,
        default=None,
        help=N_("+TAG adds, -TAG removes (last on the line)"),
    )
    edit.set_defaults(func=cmd_insight_edit)

    purge = actions.add_parser(
        "purge",
        help=N_("delete insights for good, with their history (asks first)"),
        description=N_(
            "Delete insights for good, with their history and conflict copies, and "
            "erase their words from the search index. Asks on a terminal; --yes confirms "
            "without asking (needed in a script)."
        ),
    )
    purge.add_argument(
        "insights", metavar="ID", nargs="+", help=N_("insight ids or unique prefixes")
    )
    purge.add_argument("--yes", action="store_true", help=N_("do not ask; delete"))
    purge.set_defaults(func=cmd_insight_purge)

    listing = commands.add_parser("insights", help=N_("list the insights, newest first"))
    listing.add_argument("--tag", metavar="T", help=N_("only insights with this tag"))
    listing.add_argument("--json", action="store_true", help=N_("print JSON"))
    listing.set_defaults(func=cmd_insights)

    plans = commands.add_parser(
        "plans", help=N_("list the open plans (tests of change), oldest first")
    )
    plans.add_argument(
        "--status", choices=STATUSES, default=None, help=N_("only plans with this status")
    )
    plans.add_argument("--json", action="store_true", help=N_("print JSON"))
    plans.set_defaults(func=cmd_plans)


# --- helpers ---------------------------------------------------------------------------


def _line(text: str) -> str:
    return printable(text, keep_newlines=False)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _print_json(data: Any) -> None:
    from coprod_tui.core.json_text import safe_json

    _out(safe_json(data))


def _stores(args: argparse.Namespace) -> tuple[CaseStore, InsightStore]:
    """The case store (never created here) and its insights."""
    from coprod_tui.core.insights.store import insights_of
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.store import CaseStore

    store = CaseStore.open(store_path(args), create=False)
    return store, insights_of(store)


def _read_text(value: str) -> str:
    if value != "-":
        return value
    raw = sys.stdin.buffer.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserInputError(
            _("standard input is not valid UTF-8 (byte {at}); nothing was saved").format(
                at=error.start
            )
        ) from None


def _section_of(store: CaseStore, case: Case, given: str) -> str:
    """The section id ``given`` names in ``case`` (an id, or a number in its template)."""
    template = store.template_of(case.template_id)
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
    shown = ", ".join(ids[:12])
    raise UserInputError(
        _("no section {section} in case {case}; use one of: {ids} or a number 1 to {count}").format(
            section=repr(_line(given)), case=case.id[:8], ids=_line(shown), count=len(ids)
        )
    )


def _make_link(store: CaseStore, target: str, quote: str) -> Link:
    """A link from ``CASE:SECTION`` and an optional quote (exit 2 if it is not in the section)."""
    from coprod_tui.core.insights.anchoring import QuoteNotFound, make_link

    case_part, colon, section_part = target.partition(":")
    if not colon or not case_part.strip() or not section_part.strip():
        raise UserInputError(
            _("{target} is not CASE:SECTION; write e.g. 1a2b:5 or 1a2b:so-what").format(
                target=repr(_line(target))
            )
        )
    case = store.load(store.resolve_id(case_part))
    section_id = _section_of(store, case, section_part.strip())
    try:
        return make_link(case, section_id, quote)
    except QuoteNotFound:
        raise UserInputError(
            _(
                "the quote does not occur in section {section} of case {case}; "
                "copy it exactly from 'coprod show {case}'"
            ).format(section=_line(section_id), case=case.id[:8])
        ) from None


def _plan_line(insight: Insight) -> str:
    plan = insight.plan
    if plan is None:
        return ""
    dates = " → ".join(d for d in (plan.start, plan.due) if d)
    return _("plan: {status}").format(status=plan.status) + (f" ({dates})" if dates else "")


def _view_json(view: LinkView) -> dict[str, Any]:
    data = view.link.to_dict()
    anchor = view.anchor
    data.update(
        status=anchor.status,
        label=anchor.label,
        section_now=anchor.section_id,
        span=list(anchor.span) if anchor.span else None,
        passage=anchor.text,
        case_title=view.case_title,
        section_title=view.section_title,
        detail=anchor.detail,
        trashed=view.trashed,
    )
    return data


# --- commands --------------------------------------------------------------------------


def cmd_insight_new(args: argparse.Namespace) -> int:
    from coprod_tui.core.case import tag_problem
    from coprod_tui.core.insights.model import new_insight

    if len(args.quote) > len(args.link):
        raise UserInputError(
            _("more --quote than --link: each quote belongs to the link before it")
        )
    for tag in args.tag:
        problem = tag_problem(tag) if tag.strip() else None
        if problem is not None:
            raise UserInputError(_("{problem} (nothing was created)").format(problem=problem))
    text = _read_text(args.text)
    store, insights = _stores(args)
    quotes = [*args.quote, *[""] * (len(args.link) - len(args.quote))]
    links = [
        _make_link(store, target, quote) for target, quote in zip(args.link, quotes, strict=True)
    ]
    try:
        insight = new_insight(args.title, text=text, tags=args.tag, links=links)
    except ValueError as error:
        raise UserInputError(_("{problem} (nothing was created)").format(problem=error)) from None
    made = insights.create(insight)
    _out(_("created insight {insight} with {n} link(s)").format(insight=made.id, n=len(made.links)))
    return 0


def cmd_insight_show(args: argparse.Namespace) -> int:
    store, insights = _stores(args)
    insight = insights.load(insights.resolve_id(args.insight, include_trashed=True))
    views = insights.resolve_links(insight, store)
    if args.json:
        data = insight.to_dict()
        data["links"] = [_view_json(view) for view in views]
        data["trashed"] = insights.is_trashed(insight.id)
        _print_json(data)
        return 0
    _out(_line(insight.title))
    trashed = _(" (in the trash)") if insights.is_trashed(insight.id) else ""
    _out(
        _("id {insight}  revision {revision}{trashed}").format(
            insight=insight.id, revision=insight.revision, trashed=trashed
        )
    )
    if insight.tags:
        _out(_("tags: {tags}").format(tags=_line(", ".join(insight.tags))))
    if insight.text.strip():
        _out()
        for line in printable(insight.text).splitlines():
            _out(line)
    _out()
    _out(_("Links ({n}):").format(n=len(views)))
    for number, view in enumerate(views, start=1):
        anchor = view.anchor
        where = _line(view.case_title) if view.case_title else view.link.case_id[:8]
        section = _line(view.section_title or anchor.section_id)
        detail = f": {_(anchor.detail)}" if anchor.detail else ""
        gone = _(" (case in the trash)") if view.trashed else ""
        _out(
            f"  {number}. {where} [{view.link.case_id[:8]}] · {section}{gone} — {anchor.label}"
            f"{detail}"
        )
        if view.link.quote:
            _out(_("     quoted: “{quote}”").format(quote=_line(view.link.quote)))
            if anchor.text and anchor.text != view.link.quote:
                _out(_("     now:    “{quote}”").format(quote=_line(anchor.text)))
    if insight.plan is not None:
        plan = insight.plan
        _out()
        _out(_plan_line(insight).capitalize())
        for name, label in _PDSA_LABELS.items():
            value = getattr(plan, name)
            if value.strip():
                _out(f"  {_(label)}: {_line(value)}")
    return 0


def cmd_insight_link(args: argparse.Namespace) -> int:
    store, insights = _stores(args)
    insight_id = insights.resolve_id(args.insight)
    link = _make_link(store, args.target, args.quote)
    before = len(insights.load(insight_id).links)
    saved = insights.add_link(insight_id, link)
    if len(saved.links) == before:
        _out(
            _("insight {insight} already has that link; nothing changed").format(
                insight=insight_id[:8]
            )
        )
    else:
        _out(
            _("linked insight {insight} to {target} ({n} link(s), revision {revision})").format(
                insight=insight_id[:8],
                target=f"{link.case_id[:8]}:{_line(link.section_id)}",
                n=len(saved.links),
                revision=saved.revision,
            )
        )
    return 0


def cmd_insight_plan(args: argparse.Namespace) -> int:
    from coprod_tui.core.insights.model import Plan

    _store, insights = _stores(args)
    insight_id = insights.resolve_id(args.insight)
    current = insights.load(insight_id).plan or Plan()
    changes = {
        name: getattr(args, name)
        for name in ("plan", "do", "study", "act", "start", "due", "status")
        if getattr(args, name) is not None
    }
    values = {**current.to_dict(), **changes}
    try:
        plan = Plan.from_dict(values)
    except ValueError as error:
        raise UserInputError(_("{problem} (nothing was changed)").format(problem=error)) from None
    saved = insights.set_plan(insight_id, plan)
    _out(
        _("insight {insight}: {plan} (revision {revision})").format(
            insight=insight_id[:8], plan=_plan_line(saved), revision=saved.revision
        )
    )
    return 0


def cmd_insight_trash(args: argparse.Namespace) -> int:
    _store, insights = _stores(args)
    insight_id = insights.resolve_id(args.insight)
    insights.trash(insight_id)
    _out(_("moved insight {insight} to the trash").format(insight=insight_id[:8]))
    return 0


def cmd_insight_untrash(args: argparse.Namespace) -> int:
    _store, insights = _stores(args)
    insight_id = insights.resolve_id(args.insight, include_trashed=True)
    insights.untrash(insight_id)
    _out(_("took insight {insight} out of the trash").format(insight=insight_id[:8]))
    return 0


def cmd_insight_edit(args: argparse.Namespace) -> int:
    """Change title, text and tags under the insight's lock (a concurrent edit is kept)."""
    from coprod_tui.core.case import change_tags, tag_problem
    from coprod_tui.core.insights.model import new_insight

    add: list[str] = []
    remove: list[str] = []
    if args.tag is not None:
        from coprod_tui.commands.knowledge import parse_changes

        add, remove = parse_changes(list(args.tag))
        for tag in add:
            problem = tag_problem(tag)
            if problem is not None:
                raise UserInputError(_("{problem} (nothing was changed)").format(problem=problem))
    title = None if args.title is None else args.title.strip()
    if title is not None:
        try:
            new_insight(title)  # the rules a new insight's title follows
        except ValueError as error:
            raise UserInputError(
                _("{problem} (nothing was changed)").format(problem=error)
            ) from None
    if title is None and args.text is None and args.tag is None:
        raise UserInputError(_("give --title, --text or --tag to change (nothing was changed)"))
    text = None if args.text is None else _read_text(args.text)
    _store, insights = _stores(args)
    insight_id = insights.resolve_id(args.insight)
    before = insights.load(insight_id)

    def change(current: Insight) -> Insight:
        if title is not None:
            current.title = title
        if text is not None:
            current.text = text
        if add or remove:
            try:
                current.tags = change_tags(current.tags, add, remove)
            except ValueError as error:
                raise UserInputError(
                    _("{problem} (nothing was changed)").format(problem=error)
                ) from None
        return current

    saved = insights.update(insight_id, change)
    if saved.revision == before.revision:
        _out(
            _("insight {insight} already reads so; nothing changed").format(insight=insight_id[:8])
        )
    else:
        _out(
            _("saved insight {insight} (revision {revision})").format(
                insight=insight_id[:8], revision=saved.revision
            )
        )
    return 0


def cmd_insight_purge(args: argparse.Namespace) -> int:
    """Erase insights on request: asks first on a terminal, refuses to guess without one."""
    _store, insights = _stores(args)
    ids = list(
        dict.fromkeys(insights.resolve_id(given, include_trashed=True) for given in args.insights)
    )
    found, _damaged = insights.scan(include_trashed=True)
    titles = {insight.id: insight.title for insight, _trashed in found}

    def named(insight_id: str) -> str:
        return f"{insight_id[:8]} “{_line(titles.get(insight_id, '')) or _('(unreadable)')}”"

    if not args.yes and not confirmed_for_good(
        _("{n} insight(s) will be deleted for good, with their history:").format(n=len(ids)),
        [f"  {named(insight_id)}" for insight_id in ids],
    ):
        _out(_("nothing was deleted"))
        return 0
    for removed, copy in purge_each(ids, insights.purge):
        also = _(" (conflict copy)") if copy else ""
        _out(_("purged insight {insight}{copy}").format(insight=named(removed), copy=also))
    from coprod_tui.core.search import SearchIndex

    SearchIndex.erase_purged(_store)
    return 0


def cmd_insights(args: argparse.Namespace) -> int:
    _store, insights = _stores(args)
    listed, damaged = insights.listing(tag=args.tag)
    if damaged:
        print(
            _(
                "coprod: {n} insight(s) could not be read and are not listed (see 'coprod doctor')"
            ).format(n=len(damaged)),
            file=sys.stderr,
        )
    if args.json:
        _print_json([insight.to_dict() for insight in listed])
        return 0
    if not listed and not damaged:
        _out(_("no insights yet (record one with 'coprod insight new')"))
        return 0
    for insight in listed:
        tags = f"  [{_line(', '.join(insight.tags))}]" if insight.tags else ""
        plan = f"  {_plan_line(insight)}" if insight.plan else ""
        links = _("{n} link(s)").format(n=len(insight.links))
        _out(f"{insight.id[:8]}  {_line(insight.title)}{tags}  {links}{plan}")
    return 0


def cmd_plans(args: argparse.Namespace) -> int:
    from coprod_tui.core.errors import CoprodError

    store, insights = _stores(args)
    chosen = insights.plans(args.status)
    titles: dict[str, str] = {}

    def title_of(case_id: str) -> str:
        if case_id not in titles:
            try:
                titles[case_id] = store.load(case_id).title
            except CoprodError:
                titles[case_id] = ""
        return titles[case_id]

    rows = []
    for insight in chosen:
        cases = [{"id": case_id, "title": title_of(case_id)} for case_id in insight.case_ids()]
        rows.append((insight, cases))
    if args.json:
        _print_json(
            [
                {
                    "insight_id": insight.id,
                    "title": insight.title,
                    "plan": insight.plan.to_dict() if insight.plan else None,
                    "created": insight.created,
                    "cases": cases,
                }
                for insight, cases in rows
            ]
        )
        return 0
    if not rows:
        if args.status:
            _out(
                _(
                    "no plans with status {status} (give an insight one with 'coprod insight plan')"
                ).format(status=args.status)
            )
        else:
            _out(_("no plans open (give an insight one with 'coprod insight plan')"))
        return 0
    for insight, cases in rows:
        plan = insight.plan
        assert plan is not None
        since = plan.start or insight.created[:10]
        due = _(" due {date}").format(date=plan.due) if plan.due else ""
        _out(f"{since}  {plan.status:<9} {_line(insight.title)} [{insight.id[:8]}]{due}")
        if plan.plan.strip():
            _out(_("    plan: {text}").format(text=_line(plan.plan)))
        if cases:
            shown = ", ".join(_line(c["title"] or c["id"][:8]) for c in cases)
            _out(_("    cases: {cases}").format(cases=shown))
    return 0
