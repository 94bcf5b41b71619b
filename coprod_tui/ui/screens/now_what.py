"""Now what? The open plans: the tests of change still being worked on, oldest first.

Opened with ``w`` on the case list, the palette's "Now what? Open plans", or
from the editor's section 9 line ("Plans from this case"). Each row is one
plan (open or running, oldest first: ``InsightStore.plans``): its status and
dates, the insight it belongs to, the first line of what is planned, and the
titles of the cases behind it. Enter edits the plan in the PDSA form
(:class:`~coprod_tui.ui.dialogs.plan_form.PlanForm`); ``o`` opens the first
linked case at its section (the section's current id, after any rename),
over this view, so Escape comes back here.

Everything is read off the loop (plans and their links, one worker); titles
are user text: plain ``Text``, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.i18n import N_, _, ngettext
from coprod_tui.core.insights.store import insights_of
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.commands import NowWhatCommands
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.insights.model import Insight, Plan
    from coprod_tui.core.store import CaseStore
    from coprod_tui.ui.app import CoprodApp

#: Shown when there is nothing to act on.
NO_PLANS = N_(
    "No open plans. A plan is a test of change in the PDSA form, made from an insight "
    "(what was learned across cases)."
)


def _line(text: str) -> str:
    return printable(text, keep_newlines=False)


def first_line(text: str) -> str:
    """The first non-empty line of ``text`` (a plan's gist in the list)."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


@dataclass(frozen=True)
class PlanRow:
    """One open plan as the view shows it."""

    insight: Insight
    plan: Plan
    #: Titles of the cases behind the insight, each once, in link order.
    cases: tuple[str, ...]
    #: Where ``o`` goes: the first link's case and its section's current id.
    first_case_id: str | None = None
    first_section_id: str | None = None

    def prompt(self) -> Group:
        """Three lines: status and dates with the insight; the plan; the cases."""
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"[{_(self.plan.status)}]", style="bold")
        dates = " → ".join(d for d in (self.plan.start, self.plan.due) if d)
        if dates:
            head.append(f" {dates}", style="dim")
        head.append("  ")
        head.append(_line(self.insight.title) or _("(untitled)"), style="bold")
        gist = Text(no_wrap=True, overflow="ellipsis")
        gist.append(_("  Plan: "), style="dim")
        gist.append(_line(first_line(self.plan.plan)) or _("(not written yet)"))
        behind = Text(no_wrap=True, overflow="ellipsis")
        behind.append(_("  From: "), style="dim")
        behind.append(
            "; ".join(_line(title) or _("(untitled)") for title in self.cases) or _("no case")
        )
        return Group(head, gist, behind)


def load_rows(store: CaseStore) -> list[PlanRow]:
    """The open plans with their cases (in a worker: reads every insight and linked case)."""
    insights = insights_of(store)
    rows = []
    for insight in insights.plans():
        assert insight.plan is not None
        views = insights.resolve_links(insight, store)
        titles: dict[str, str] = {}
        first: tuple[str | None, str | None] = (None, None)
        for view in views:
            if view.anchor.status == "case gone":
                continue
            titles.setdefault(view.link.case_id, view.case_title)
            if first[0] is None and view.anchor.status != "section gone":
                first = (view.link.case_id, view.anchor.section_id or view.link.section_id)
        rows.append(PlanRow(insight, insight.plan, tuple(titles.values()), *first))
    return rows


#: The id of section 9, "So what? Now what?", in the shipped templates.
NOW_WHAT_SECTION_ID = "reflections"


def now_what_section(section_ids: list[str]) -> int:
    """The index of a template's "So what? Now what?" section.

    The rule: the section with id ``reflections`` (section 9 of the shipped
    templates, under any title or translation), else the template's last
    section (a team's own template ends with its reflection, as Batalden's
    does). ``-1`` for a template without sections.
    """
    if NOW_WHAT_SECTION_ID in section_ids:
        return section_ids.index(NOW_WHAT_SECTION_ID)
    return len(section_ids) - 1


def case_plans(store: CaseStore, case_id: str) -> list[Insight]:
    """The plans a case gave rise to: insights citing it that carry a plan (any status).

    Open ones first, each group oldest first (by start date, else creation).
    In a worker: it reads every insight (``citations``).
    """
    found: dict[str, Insight] = {}
    for insights in insights_of(store).citations(case_id).values():
        for insight in insights:
            if insight.plan is not None:
                found.setdefault(insight.id, insight)

    def order(insight: Insight) -> tuple[bool, str, str]:
        plan = insight.plan
        assert plan is not None
        return (not plan.is_open, plan.start or insight.created[:10], insight.created)

    return sorted(found.values(), key=order)


def plans_line(plans: list[Insight], key: str) -> Text:
    """The editor's line on section 9: "Plans from this case (^r Now what?): …".

    The key comes first, so it still shows when the titles are cut at 80 columns.
    """
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(_("Plans from this case"), style="bold")
    line.append(_(" ({key} Now what?): ").format(key=key), style="dim")
    if not plans:
        line.append(_("none yet"), style="dim")
    for number, insight in enumerate(plans):
        if number:
            line.append(" · ", style="dim")
        status = insight.plan.status if insight.plan else ""
        line.append(_line(insight.title) or _("(untitled)"))
        line.append(f" [{_(status) if status else status}]", style="dim")
    return line


class PlanList(OptionList):
    """The open plans; Enter edits one."""

    BINDING_GROUP_TITLE = "Open plans"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Edit plan", tooltip="Edit this plan", id="now_what.select"),
    ]


class NowWhatScreen(StyledOnce, Screen[None]):
    """Open and running plans, oldest first."""

    AUTO_FOCUS = "PlanList"

    COMMANDS: ClassVar[set[Any]] = {NowWhatCommands}

    BINDING_GROUP_TITLE = "Now what?"

    DEFAULT_CSS = """
    NowWhatScreen #now-what-title { height: 1; margin: 1 1 0 1; text-style: bold; }
    NowWhatScreen #now-what-status { height: auto; margin: 0 2; color: $text-muted; }
    NowWhatScreen PlanList { height: 1fr; border: round $primary 40%; }
    NowWhatScreen PlanList:focus { border: heavy $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Close the open plans", id="now_what.back"),
        Binding(
            "e",
            "edit_plan",
            "Edit plan",
            show=False,
            tooltip="Edit this plan (Enter too)",
            id="now_what.edit",
        ),
        Binding(
            "o",
            "open_case",
            "Open case",
            tooltip="Open the first case behind this plan at its section",
            id="now_what.open_case",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PlanRow] = []
        #: True once the first answer came (tests and the screenshot script poll it).
        self.loaded = False

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Now what? Open plans, oldest first"), id="now-what-title")
        yield Static(_("Reading the plans…"), id="now-what-status")
        yield PlanList(id="plans")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Now what?")
        self.reload()

    @on(StoreReply)
    async def _reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    def reload(self, *, keep: str | None = None) -> None:
        """Read the plans again (after an edit: ``keep`` the cursor on that insight)."""
        store = self.coprod.store
        off_the_loop(
            self,
            lambda: load_rows(store),
            done=lambda rows: self._show(rows, keep),
            failed=self._failed,
            group="now-what",
            exclusive=True,
        )

    def _show(self, rows: list[PlanRow], keep: str | None) -> None:
        self.rows = rows
        self.loaded = True
        plans = self.query_one(PlanList)
        plans.clear_options()
        plans.add_options([Option(row.prompt(), id=row.insight.id) for row in rows])
        status = self.query_one("#now-what-status", Static)
        if not rows:
            status.update(_(NO_PLANS))
        else:
            count = ngettext("{n} open plan", "{n} open plans", len(rows)).format(n=len(rows))
            status.update(_("{count} · Enter edit · o open the case behind it").format(count=count))
        if rows:
            index = next((i for i, row in enumerate(rows) if row.insight.id == keep), 0)
            plans.highlighted = index
        self.refresh_bindings()

    def _failed(self, error: Exception) -> None:
        self.loaded = True
        status = self.query_one("#now-what-status", Static)
        status.update(Text(_("Could not read the plans: {error}").format(error=_line(str(error)))))

    def selected(self) -> PlanRow | None:
        """The highlighted plan, if any."""
        index = self.query_one(PlanList).highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_plan":
            return self.selected() is not None or None
        if action == "open_case":
            row = self.selected()
            return (row is not None and row.first_case_id is not None) or None
        return True

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit_plan()

    @on(OptionList.OptionHighlighted)
    def _moved(self, _event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()

    def action_edit_plan(self) -> None:
        """Edit the highlighted plan in the PDSA form; the list follows what was saved."""
        from coprod_tui.ui.dialogs.plan_form import PlanForm

        row = self.selected()
        if row is None:
            return
        insight_id = row.insight.id

        def saved(plan: Plan | None) -> None:
            if plan is None:
                return
            note = (
                _("Plan saved.")
                if plan.is_open
                else _("Plan saved as {status}: no longer open.").format(status=_(plan.status))
            )
            self.notify(note, markup=False)
            self.reload(keep=insight_id)

        self.app.push_screen(PlanForm(row.insight), saved)

    async def action_open_case(self) -> None:
        """Open the first case behind the highlighted plan at its section."""
        from coprod_tui.ui.open_at import open_case_at

        row = self.selected()
        if row is None or row.first_case_id is None:
            return
        await open_case_at(self, row.first_case_id, row.first_section_id)

    def action_back(self) -> None:
        """Back to where the view was opened from."""
        self.dismiss(None)
