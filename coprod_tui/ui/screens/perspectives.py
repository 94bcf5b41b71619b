"""Perspectives: one case's patient-person sections beside its professional-person's.

Batalden's model puts the person who lives with the illness and the
professional side by side; this screen does so for one case, read-only. The
sections are those of the case's template whose ``perspective`` is
``patient-person`` or ``professional-person`` (:data:`PERSPECTIVES`), in
template order. From :data:`WIDE_FROM` columns the two are side by side, below
that one above the other. Enter on a section opens the case in the editor at
that section (over this screen, so Escape comes back here).

The case is read off the loop (``ui/workers.py``); a template without those
perspectives gets one clear line instead of two empty columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

from coprod_tui.core.case import apply_template
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import _
from coprod_tui.ui.commands import PerspectivesCommands
from coprod_tui.ui.open_at import open_case_at
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.perspectives import perspective_style
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.widgets.section_card import SectionCard
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.template import Template
    from coprod_tui.ui.app import CoprodApp

#: The two perspectives shown, left (or above) first.
PERSPECTIVES: tuple[str, str] = ("patient-person", "professional-person")

#: From this width the two perspectives stand side by side.
WIDE_FROM = 120


@dataclass(frozen=True)
class PerspectiveColumn:
    """One perspective's sections of one case: (number, section id, title, text)."""

    perspective_id: str
    title: str
    style: str
    sections: tuple[tuple[int, str, str, str], ...]


@dataclass(frozen=True)
class CasePerspectives:
    """What the screen shows: the case's title and the two columns (or why not)."""

    title: str
    columns: tuple[PerspectiveColumn, ...]
    #: One line instead of the columns (a template without these perspectives).
    problem: str = ""


def read_perspectives(
    case_title: str, template: Template, texts: dict[str, str]
) -> CasePerspectives:
    """Group a case's texts (already mapped onto ``template``) by the two perspectives."""
    known = {perspective.id for perspective in template.perspectives}
    if not any(pid in known for pid in PERSPECTIVES):
        return CasePerspectives(
            case_title,
            (),
            _(
                "The template '{title}' has no patient-person or professional-person "
                "perspective, so there is nothing to set side by side."
            ).format(title=template.title),
        )
    columns = []
    for perspective_id in PERSPECTIVES:
        perspective = template.perspective(perspective_id)
        sections = tuple(
            (number, section.id, section.title, texts.get(section.id, ""))
            for number, section in enumerate(template.sections, start=1)
            if section.perspective == perspective_id
        )
        columns.append(
            PerspectiveColumn(
                perspective_id,
                perspective.title if perspective is not None else perspective_id,
                perspective_style(template, perspective_id),
                sections,
            )
        )
    return CasePerspectives(case_title, tuple(columns))


class PerspectivesScreen(StyledOnce, Screen[str | None]):
    """One case's two perspectives, read-only; Enter opens a section in the editor.

    Opened from the editor of that case (``back_to_editor``), Enter returns the
    section's id to it (``dismiss``) instead of opening a second editor of the
    same case over this screen.
    """

    COMMANDS: ClassVar[set[Any]] = {PerspectivesCommands}

    DEFAULT_CSS = """
    PerspectivesScreen #perspectives-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    PerspectivesScreen #columns {
        height: 1fr;
    }
    PerspectivesScreen .perspective {
        height: auto;
        padding: 0 1;
    }
    PerspectivesScreen.-wide #columns {
        layout: horizontal;
    }
    PerspectivesScreen.-wide .perspective {
        width: 1fr;
    }
    PerspectivesScreen .perspective-title {
        text-style: bold underline;
        margin: 1 0;
    }
    PerspectivesScreen #perspectives-note {
        padding: 1 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to where you were", id="perspectives.back"),
        Binding(
            "enter",
            "open_section",
            "Open",
            tooltip="Open the case in the editor at this section",
            id="perspectives.open",
        ),
        Binding(
            "down,j",
            "move(1)",
            "Next",
            show=False,
            tooltip="Next section",
            id="perspectives.next",
        ),
        Binding(
            "up,k",
            "move(-1)",
            "Previous",
            show=False,
            tooltip="Previous section",
            id="perspectives.previous",
        ),
    ]

    def __init__(self, case_id: str, *, back_to_editor: bool = False) -> None:
        super().__init__()
        self.case_id = case_id
        self._back_to_editor = back_to_editor
        #: What was read (``None`` until the case is read).
        self.view: CasePerspectives | None = None

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(_("Perspectives"), id="perspectives-title")
        yield VerticalScroll(Static(_("Reading the case…"), id="perspectives-note"), id="columns")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._apply_layout(self.app.size.width)
        off_the_loop(
            self,
            self._read,
            done=self._show,
            failed=self._not_read,
            group="perspectives",
            description="read the case",
        )

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    def _read(self) -> CasePerspectives:
        """In a worker: the case, mapped onto its template, grouped by perspective."""
        app = self.coprod
        case = app.store.load(self.case_id)
        template = app.template_for(case.template_id) or app.templates.default()
        mapped = apply_template(case, template)
        return read_perspectives(case.title, template, dict(mapped.sections))

    async def _not_read(self, error: Exception) -> None:
        message = str(error) if isinstance(error, CoprodError) else repr(error)
        note = self.query_one("#perspectives-note", Static)
        note.update(
            plain(_("Could not read this case: {error}. Escape goes back.").format(error=message))
        )

    async def _show(self, view: CasePerspectives) -> None:
        self.view = view
        title = self.query_one("#perspectives-title", Static)
        shown = view.title or _("(untitled)")
        title.update(plain(_("Perspectives · {title}").format(title=shown), "bold", one_line=True))
        columns = self.query_one("#columns", VerticalScroll)
        await columns.remove_children()
        if view.problem:
            await columns.mount(Static(plain(view.problem), id="perspectives-note"))
            return
        widgets = []
        for column in view.columns:
            box = Vertical(classes="perspective", id=f"perspective-{column.perspective_id}")
            children: list[Static] = [
                Static(
                    plain(column.title, column.style, one_line=True), classes="perspective-title"
                )
            ]
            if not column.sections:
                children.append(
                    Static(plain(_("The template has no section from this perspective.")))
                )
            for number, section_id, section_title, text in column.sections:
                children.append(SectionCard(self.case_id, section_id, number, section_title, text))
            widgets.append((box, children))
        for box, children in widgets:
            await columns.mount(box)
            await box.mount_all(children)
        cards = list(self.query(SectionCard))
        if cards:
            self.set_focus(cards[0])
        self.refresh_bindings()

    # -- layout -----------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._apply_layout(event.size.width)

    def on_screen_resume(self) -> None:
        self._apply_layout(self.app.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(width >= WIDE_FROM, "-wide")
        for footer in self.query(Footer):
            footer.show_command_palette = width >= 100

    # -- keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_section", "move"):
            return bool(self.is_mounted and self.query(SectionCard))
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        """Focus the next (or previous) section, through both perspectives in turn."""
        cards = list(self.query(SectionCard))
        if not cards:
            return
        focused = self.focused
        index = cards.index(focused) if isinstance(focused, SectionCard) else -step
        target = cards[max(0, min(len(cards) - 1, index + step))]
        self.set_focus(target)
        target.scroll_visible()

    async def action_open_section(self) -> None:
        card = self.focused
        if not isinstance(card, SectionCard):
            cards = list(self.query(SectionCard))
            if not cards:
                return
            card = cards[0]
        if self._back_to_editor:
            self.dismiss(card.section_id)
            return
        await open_case_at(self, card.case_id, card.section_id)
