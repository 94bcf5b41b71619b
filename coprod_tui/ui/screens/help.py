"""F1 help: the keys that are live right now, and what the template is about.

The keys page is built from ``Screen.active_bindings`` of the screen the user
was on when they pressed F1 — the same source the footer uses, after the
user's keymap — so help can never drift from the real bindings. Keys are
grouped by their binding group: the part of the binding id before the dot
(``editor.save`` is in "Editor"), titled by :data:`GROUP_TITLES`; Textual's
own widget keys, which have no id, are "Moving around" (or the widget's
``BINDING_GROUP_TITLE``). The "About the template" page shows the
coproduction model (the template's perspectives and description, which carry
Batalden's definitions of coproduction and the microsystem) and the sections.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Markdown, Static, TabbedContent, TabPane

from coprod_tui.core.config import Config
from coprod_tui.core.i18n import N_, _, translator
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ModalDialog

if TYPE_CHECKING:
    from coprod_tui.core.template import Template


@dataclass(frozen=True)
class KeyHelp:
    """One row of the keys page: keys, what they do, and where they apply."""

    keys: str
    description: str
    where: str
    enabled: bool = True
    tooltip: str = ""


def key_rows(app: App[Any], bindings: dict[str, ActiveBinding]) -> list[KeyHelp]:
    """Rows for every described binding; keys for the same action share a row.

    Order: the screen's own keys first (what this screen is for), then the
    focused widget's (moving around), then the keys that work everywhere.
    """
    grouped: dict[tuple[int, str], list[ActiveBinding]] = {}
    for active in bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        grouped.setdefault((id(active.node), binding.action), []).append(active)
    rows: list[tuple[tuple[int, int], KeyHelp]] = []
    for actives in grouped.values():
        first = actives[0]
        keys = " / ".join(dict.fromkeys(app.get_key_display(a.binding) for a in actives))
        rows.append(
            (
                _rank(first.node, first.binding),
                KeyHelp(
                    keys=keys,
                    description=first.binding.description,
                    where=_where(first.node, first.binding),
                    enabled=all(a.enabled for a in actives),
                    tooltip=first.tooltip or first.binding.tooltip,
                ),
            )
        )
    return [row for _rank_, row in sorted(rows, key=lambda item: item[0])]


#: The title of each binding group (the part of a binding id before the dot).
GROUP_TITLES: dict[str, str] = {
    "case_list": N_("Case list"),
    "case_table": N_("Case table"),
    "filter": N_("Filter"),
    "editor": N_("Editor"),
    "sections": N_("Sections"),
    "trash": N_("Trash"),
    "dialog": N_("This dialog"),
    "confirm": N_("This dialog"),
    "conflict": N_("Conflict"),
    "history": N_("History"),
    "orphans": N_("Orphaned text"),
    "details": N_("Case details"),
    "help": N_("Help"),
    "search": N_("Search"),
    "tags": N_("Tags"),
    "perspectives": N_("Perspectives"),
    "review": N_("Section review"),
    "coverage": N_("Coverage"),
    "insights": N_("Insights"),
    "insight": N_("Insight"),
    "insight_form": N_("This dialog"),
    "app": N_("Everywhere"),
}

#: Where a binding without a group (Textual's own widget keys) is listed.
GENERIC_GROUP = N_("Moving around")


def binding_group(binding: Binding) -> str:
    """The group a binding belongs to: its id's prefix (``"editor"``), else ``""``."""
    return (binding.id or "").partition(".")[0]


def _rank(node: Any, binding: Binding) -> tuple[int, int]:
    """Screen keys first (what this screen is for), then its widgets', then the app's."""
    generic = int(binding.id is None)
    if isinstance(node, App):
        return (2, generic)
    if isinstance(node, Screen):
        return (0, generic)
    return (1, generic)


def _where(node: Any, binding: Binding) -> str:
    group = binding_group(binding)
    if group in GROUP_TITLES:
        return _(GROUP_TITLES[group])
    if isinstance(node, App):
        return _(GROUP_TITLES["app"])
    return _(str(getattr(node, "BINDING_GROUP_TITLE", None) or GENERIC_GROUP))


def about_markdown(template: Template | None, fallback: Template | None = None) -> str:
    """The "About the template" page as Markdown (user text made printable).

    The template's own description holds the coproduction definition and the
    microsystem definition from Batalden's talk; a team template without one
    borrows the shipped template's, so the page is never empty. The page's
    own words are in the template's language (a Swedish template reads as
    Swedish throughout, an English one as English), whatever the workbench's.
    """
    if template is None:
        return _("# About the template\n\nNo template is installed.")
    tr = translator(template.language)
    lines = [f"# {_md(template.title)}", ""]
    if template.source:
        lines += [tr("*Source:* {source}").format(source=_md(template.source)), ""]
    perspectives = template.perspectives or (fallback.perspectives if fallback else ())
    if perspectives:
        lines += [tr("## The coproduction model"), ""]
        lines += [
            f"- **{_md(p.title)}**: {_md(p.description)}" if p.description else f"- {_md(p.title)}"
            for p in perspectives
        ]
        lines.append("")
    description = template.description or (fallback.description if fallback else "")
    if description:
        lines += [_md(description, block=True), ""]
    lines += [tr("## Sections"), ""]
    titles = {p.id: p.title for p in perspectives}
    for number, section in enumerate(template.sections, start=1):
        perspective = titles.get(section.perspective or "")
        suffix = f" — *{_md(perspective)}*" if perspective else ""
        lines.append(f"{number}. {_md(section.title)}{suffix}")
    return "\n".join(lines) + "\n"


def _md(text: str, *, block: bool = False) -> str:
    """Printable text; one-line unless ``block``. (Markdown is never Textual markup.)"""
    return printable(text, keep_newlines=block).strip()


class HelpScreen(ModalDialog[None]):
    """Keys of the screen underneath, plus the template's background."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "close", N_("Close help"), id="help.close"),
        Binding("k", "show_tab('keys')", N_("Keys"), show=False, id="help.keys"),
        Binding("a", "show_tab('about')", N_("About the template"), show=False, id="help.about"),
    ]

    #: On the About page the scroll keys move the text, whatever has the focus.
    SCROLLS = "#about-scroll"

    def __init__(self, rows: Iterable[KeyHelp], about: str, screen_title: str = "") -> None:
        super().__init__()
        self.rows = list(rows)
        self.about = about
        self.screen_title = screen_title

    @classmethod
    def for_screen(cls, screen: Screen[Any]) -> HelpScreen:
        """Help for ``screen``: its live bindings and its case's template."""
        app = screen.app
        rows = key_rows(app, screen.active_bindings)
        templates = getattr(app, "templates", None)
        fallback = _default_template(templates, getattr(app, "config", None))
        template = getattr(screen, "template", None)
        if template is None or not hasattr(template, "sections"):
            template = fallback
        title = type(screen).__name__.removesuffix("Screen")
        return cls(rows, about_markdown(template, fallback), screen_title=title)

    def compose(self) -> ComposeResult:
        with Vertical(id="help") as box:
            box.border_title = _("Help")
            box.border_subtitle = _("Esc closes · k keys · a about the template")
            with TabbedContent(initial="keys"):
                with TabPane(_("Keys"), id="keys"):
                    yield DataTable(id="key-table", cursor_type="row", zebra_stripes=True)
                    yield Static(
                        _("A dimmed key does nothing here right now. Ctrl+P lists every command."),
                        classes="hint",
                    )
                with (
                    TabPane(_("About the template"), id="about"),
                    VerticalScroll(id="about-scroll"),
                ):
                    yield Markdown(self.about, id="about-text")

    def on_mount(self) -> None:
        table = self.query_one("#key-table", DataTable)
        table.add_column(_("Key"), key="key")
        table.add_column(_("Does"), key="does")
        table.add_column(_("Where"), key="where")
        for row in self.rows:
            style = "" if row.enabled else "dim"
            table.add_row(
                Text(row.keys, style=f"bold {style}".strip()),
                # The tooltip says it in full ("Previous section"); the footer's
                # short label ("Prev") is the fallback.
                Text(row.tooltip.rstrip(".") or row.description, style=style),
                Text(row.where, style="italic"),
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def scroll_target(self) -> Any:
        """The About text, while it is the page showing (the key table scrolls itself)."""
        if self.query_one(TabbedContent).active != "about":
            return None
        return super().scroll_target()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """The page shown takes the keys: arrows and PageUp/PageDown work at once."""
        if event.pane.id == "about":
            self.query_one("#about-scroll", VerticalScroll).focus()
        else:
            self.query_one("#key-table", DataTable).focus()


def _default_template(templates: Any, config: Any = None) -> Template | None:
    """The template a new case would start with (Swedish for a Swedish user), else ``None``."""
    if templates is None:
        return None
    from coprod_tui.core.template.registry import default_template_id

    try:
        chosen: Template = templates.get(default_template_id(templates, config or Config()))
        return chosen
    except Exception:  # no default installed: About says so
        try:
            default: Template = templates.default()
            return default
        except Exception:
            return None
