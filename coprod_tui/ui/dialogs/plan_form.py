"""The PDSA form: a test of change for one insight (plan, do, study, act, dates, status).

``PlanForm(insight)`` edits the insight's plan (a new, empty one when it has
none) and saves it itself, through ``InsightStore.set_plan`` in a worker, so
whoever opens it (the "Now what?" view, the insight's detail screen) only
learns the outcome: the saved :class:`~coprod_tui.core.insights.model.Plan`,
or ``None`` when the user cancelled.

Nothing typed is ever lost: a date that is not a date is named under its field
and the form stays open; a save that fails (a full disk, a lock, a newer
coprod's insight) is one line under the buttons, with the form still open.
The insight's title is user text: plain ``Text``, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.insights.model import PLAN_STATUSES, Plan, date_problem
from coprod_tui.core.insights.store import insights_of
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ButtonRow, ModalDialog
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.workers import answer_of

if TYPE_CHECKING:
    from coprod_tui.core.insights.model import Insight

#: The four texts of a PDSA cycle: (field, label, what to write).
PDSA_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("plan", N_("Plan"), N_("The change to test, and what you predict will happen")),
    ("do", N_("Do"), N_("Who does what, when; what you noticed while doing it")),
    ("study", N_("Study"), N_("What happened, against the prediction")),
    ("act", N_("Act"), N_("Adopt, adapt or abandon, and why")),
)
#: The two dates: (field, label).
PLAN_DATES: tuple[tuple[str, str], ...] = (("start", N_("Start")), ("due", N_("Due")))


#: The statuses as the form shows them (the stored values stay English: core's PLAN_STATUSES).
STATUS_WORDS = (N_("open"), N_("running"), N_("adopted"), N_("adapted"), N_("abandoned"))


def date_errors(start: str, due: str) -> dict[str, str]:
    """Field -> why its date is wrong (empty dates are fine; due may not precede start)."""
    errors: dict[str, str] = {}
    for name, value in (("start", start), ("due", due)):
        if value:
            problem = date_problem(value)
            if problem is not None:
                label = _("Start") if name == "start" else _("Due")
                errors[name] = _("{field} {problem}, or empty.").format(
                    field=label, problem=problem
                )
    if not errors and start and due and due < start:
        errors["due"] = _("Due is before the start.")
    return errors


def _label(label: str, hint: str) -> Text:
    """A field's label in bold, its hint dimmed after it."""
    # A no-break space: a plain one at the style boundary is dropped when rendered.
    hint = "\u00a0" + hint.lstrip(" ")
    text = Text(label + hint)
    text.stylize("bold", 0, len(label))
    text.stylize("dim", len(label))
    return text


class PlanForm(ModalDialog["Plan | None"]):
    """Edit an insight's plan; saves it and answers with the saved plan, or ``None``."""

    DEFAULT_CSS = """
    PlanForm > .panel.-form { height: 90%; }
    PlanForm #plan-scroll { height: 1fr; }
    PlanForm .plan-label { margin-top: 1; }
    PlanForm TextArea { height: 4; }
    PlanForm .plan-row { height: auto; }
    PlanForm .plan-cell { width: 1fr; height: auto; padding-right: 1; }
    PlanForm .plan-cell Input, PlanForm .plan-cell Select { width: 1fr; }
    PlanForm .error { color: $error; height: auto; }
    PlanForm #plan-for { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save plan", tooltip="Save the plan", id="plan_form.save"),
    ]

    SCROLLS = "#plan-scroll"

    def __init__(self, insight: Insight, *, save: bool = True) -> None:
        super().__init__()
        self.insight = insight
        self.plan = insight.plan or Plan()
        #: Off for a caller that saves the plan itself (the answer is then unsaved).
        self.saves = save
        self._plan_busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel -form") as frame:
            frame.border_title = _("Plan a test of change (PDSA)")
            frame.border_subtitle = _("Ctrl+S save · Esc cancel")
            with VerticalScroll(id="plan-scroll"):
                yield Static(
                    plain(
                        _("For: {title}").format(
                            title=printable(self.insight.title, keep_newlines=False)
                        )
                    ),
                    id="plan-for",
                )
                for name, label, hint in PDSA_TEXTS:
                    yield Label(_label(_(label), "· " + _(hint)), classes="plan-label")
                    yield TextArea(
                        printable(getattr(self.plan, name)),
                        id=f"plan-{name}",
                        soft_wrap=True,
                        show_line_numbers=False,
                        tab_behavior="focus",
                        compact=True,
                    )
                with Horizontal(classes="plan-row"):
                    for name, label in PLAN_DATES:
                        with Vertical(classes="plan-cell"):
                            yield Label(
                                _label(_(label), _("YYYY-MM-DD")),
                                classes="plan-label",
                            )
                            yield Input(
                                printable(getattr(self.plan, name), keep_newlines=False),
                                placeholder="2026-12-01",
                                id=f"plan-{name}",
                                select_on_focus=False,
                                compact=True,
                            )
                            yield Static("", id=f"plan-{name}-error", classes="error")
                    with Vertical(classes="plan-cell"):
                        yield Label(Text(_("Status"), style="bold"), classes="plan-label")
                        yield Select(
                            [(_(status), status) for status in PLAN_STATUSES],
                            value=self.plan.status,
                            allow_blank=False,
                            compact=True,
                            id="plan-status",
                        )
                yield Static("", id="plan-error", classes="error")
            with ButtonRow(id="plan-buttons"):
                yield Button(_("Save"), variant="primary", id="save", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#plan-plan", TextArea).focus()

    def collected(self) -> Plan | None:
        """The plan as typed, or ``None`` with each wrong date named under its field."""
        texts = {
            name: self.query_one(f"#plan-{name}", TextArea).text for name, *_texts in PDSA_TEXTS
        }
        start = self.query_one("#plan-start", Input).value.strip()
        due = self.query_one("#plan-due", Input).value.strip()
        errors = date_errors(start, due)
        for name, _label in PLAN_DATES:
            self.query_one(f"#plan-{name}-error", Static).update(errors.get(name, ""))
        if errors:
            first = next(name for name, _label in PLAN_DATES if name in errors)
            self.query_one(f"#plan-{first}", Input).focus()
            return None
        status = self.query_one("#plan-status", Select).value
        plan = Plan(
            **texts,
            start=start,
            due=due,
            status=str(status) if status in PLAN_STATUSES else "open",
        )
        try:
            plan.check()
        except ValueError as error:
            self.query_one("#plan-error", Static).update(
                plain(_("Not saved: {error}.").format(error=error))
            )
            return None
        return plan

    @on(Button.Pressed, "#save")
    async def action_save(self) -> None:
        """Check the dates, save the plan off the loop, and close with it."""
        if self._plan_busy:
            return
        plan = self.collected()
        if plan is None:
            return
        if not self.saves:
            self.dismiss(plan)
            return
        self._plan_busy = True
        self.query_one("#plan-error", Static).update(_("Saving…"))
        insights = insights_of(self.coprod.store)
        insight_id = self.insight.id
        try:
            saved = await answer_of(
                self, lambda: insights.set_plan(insight_id, plan), group="plan-save"
            )
        except CoprodError as error:
            self.query_one("#plan-error", Static).update(
                plain(
                    _("Not saved: {error} Your text is still here; try again.").format(error=error)
                )
            )
            return
        except Exception as error:  # noqa: BLE001 - one line, the form stays open
            self.query_one("#plan-error", Static).update(
                plain(
                    _("Not saved ({name}). Your text is still here; try again.").format(
                        name=type(error).__name__
                    )
                )
            )
            return
        finally:
            self._plan_busy = False
        self.dismiss(saved.plan)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
