"""The command palette's commands (Ctrl+P): the app's, and each screen's own.

The palette is where keyboard users go when they forget a key, so every
action bound to a key is there too, on the screen where it applies:

- :class:`CoprodCommands` (``App.COMMANDS``): what works everywhere — new
  case, open any case by title, help, the trash. Theme, Keys and Quit come
  from Textual's system provider (Quit routes through
  ``CoprodApp.action_quit``, which saves first).
- :class:`BindingCommands` and its subclasses (``Screen.COMMANDS`` of each
  screen): one command per binding of that screen, titled by the screen's
  provider (``TITLES``, by binding id), run exactly as the key would run it,
  and offered only while the screen would accept the key (``check_action``).
  The editor's provider adds "Go to section N".

So the palette never guesses a screen by its attributes or class name: a
screen lists its providers, and its bindings are its commands.

Case titles are user text: they are shown as ``Content`` built from the plain
string (never markup), and help lines escape anything that looks like markup,
because the palette renders ``help`` as markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from coprod_tui.core.i18n import _
from coprod_tui.core.text_safety import printable

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

    from coprod_tui.core.store import CaseSummary
    from coprod_tui.core.template import Template
    from coprod_tui.ui.app import CoprodApp


@dataclass(frozen=True)
class PaletteCommand:
    """One command: what the user reads, what it does, and a line of help."""

    name: str
    action: Callable[[], Any]
    help: str
    discoverable: bool = True
    #: The binding this command stands for (``None``: a palette-only command).
    binding_id: str | None = None


class _Commands(Provider):
    """Discovery and fuzzy search over :meth:`commands` (shared by every provider)."""

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def commands(self) -> Iterator[PaletteCommand]:
        """The commands this provider offers now."""
        return iter(())

    def extra_hits(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        """(plain text, action, help) searched but not listed up front (case titles)."""
        return iter(())

    async def discover(self) -> Hits:
        """What the palette lists before the user types anything."""
        for command in self.commands():
            if command.discoverable:
                yield DiscoveryHit(
                    Content(command.name), command.action, command.name, command.help
                )

    async def search(self, query: str) -> Hits:
        """Fuzzy-match the commands (and the extra hits) against ``query``."""
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, command.name),
                    command.action,
                    command.name,
                    command.help,
                )
        for plain, action, help_text in self.extra_hits():
            score = matcher.match(plain)
            if score > 0:
                yield Hit(score, _highlight(matcher, plain), action, plain, help_text)


class CoprodCommands(_Commands):
    """What works on every screen: new case, open a case, help, the trash."""

    #: Bindings these commands stand for, wherever they are bound (not repeated per screen).
    EVERYWHERE_IDS: ClassVar[frozenset[str]] = frozenset(
        {
            "app.help",
            "app.quit",
            "editor.help",
            "case_list.new",
            "case_list.trash",
            "case_list.search",
            "editor.search",
            "case_list.section_review",
            "case_list.coverage",
            "case_list.now_what",
            "editor.now_what",
            "case_list.insights",
        }
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cases: list[CaseSummary] = []

    async def startup(self) -> None:
        """Read the case titles once per palette opening (off the UI thread)."""
        cached = self.coprod.cached_summaries()
        if cached is not None:
            self._cases = list(cached)
            return
        try:
            self._cases = list(await asyncio.to_thread(self.coprod.store.list_cases))
        except Exception:  # the palette still offers the other commands
            self._cases = []

    def commands(self) -> Iterator[PaletteCommand]:
        app = self.coprod
        yield PaletteCommand(
            _("New case"),
            app.action_new_case,
            _("Start a case (n on the case list)"),
            True,
            "case_list.new",
        )
        yield PaletteCommand(
            _("Help"),
            app.action_help,
            _("Keys of this screen and the template (F1)"),
            True,
            "app.help",
        )
        yield PaletteCommand(
            _("Trash"),
            app.action_trash,
            _("Deleted cases; restore one (b)"),
            True,
            "case_list.trash",
        )
        # Bound on the list and in the editor: this command stands for the screen's own.
        own = {binding.id for binding in screen_bindings(type(self.screen))}
        yield PaletteCommand(
            _("Search all cases"),
            app.action_search,
            _("Words in every case, results as you type (Ctrl+F)"),
            True,
            "editor.search" if "editor.search" in own else "case_list.search",
        )
        yield PaletteCommand(
            _("Read one section across cases"),
            app.action_section_review,
            _("Pick a section, read and edit it for every case (s on the case list)"),
            True,
            "case_list.section_review",
        )
        yield PaletteCommand(
            _("Coverage of sections"),
            app.action_coverage,
            _("Cases by sections: empty, short, written (m on the case list)"),
            True,
            "case_list.coverage",
        )
        yield PaletteCommand(
            _("Now what? Open plans"),
            app.action_now_what,
            _(
                "Tests of change still open, oldest first "
                "(w on the case list, Ctrl+R in the editor)"
            ),
            True,
            "editor.now_what" if "editor.now_what" in own else "case_list.now_what",
        )
        yield PaletteCommand(
            _("Export the framework matrix"),
            app.action_export_matrix,
            _("Cases by sections (and insights) as CSV, Markdown or XLSX"),
        )
        yield PaletteCommand(
            _("Insights"),
            app.action_insights,
            _("What was learned, linked to the case sections it came from (i on the case list)"),
            True,
            "case_list.insights",
        )

    def extra_hits(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        """Every openable case, by title."""
        for summary in self._cases:
            if summary.damaged:
                continue
            title = printable(summary.title, keep_newlines=False) or _("(untitled)")
            tags = ", ".join(printable(tag, keep_newlines=False) for tag in summary.tags)
            yield (
                _("Open case: {title}").format(title=title),
                partial(self.coprod.open_case, summary.id),
                escape(tags) if tags else _("Open in the editor"),
            )


class BindingCommands(_Commands):
    """The bindings of the screen the palette was opened over, one command each.

    A subclass per screen names the commands (``TITLES``: binding id →
    title); a binding without a title is offered under its description.
    """

    #: Palette titles by binding id.
    TITLES: ClassVar[dict[str, str]] = {}
    #: Binding ids not offered here (another command stands for them).
    SKIP: ClassVar[frozenset[str]] = CoprodCommands.EVERYWHERE_IDS

    def commands(self) -> Iterator[PaletteCommand]:
        screen = self.screen
        keys = _live_keys(screen)
        seen: set[str] = set()
        for binding in screen_bindings(type(screen)):
            assert binding.id is not None
            if binding.id in self.SKIP or binding.action in seen:
                continue
            seen.add(binding.action)
            target, action = _target(screen, binding.action)
            if target is None:
                continue
            state = target.check_action(*action)
            if state is False:
                continue  # hidden from the footer too: not on this screen now
            title = self.TITLES.get(binding.id) or _BINDING_TITLES.get(binding.id, "")
            title = _(title) if title else binding.description  # the description: translated
            key = keys.get(binding.id) or self.app.get_key_display(binding)
            does = (binding.tooltip or binding.description).rstrip(".")
            yield PaletteCommand(
                title,
                partial(_run_binding, target, binding.action, title),
                escape(f"{does} ({key})"),
                # Dimmed (nothing selected, an empty trash): found by search, not listed.
                discoverable=state is True,
                binding_id=binding.id,
            )


#: Titles of bindings every dialog shares.
_BINDING_TITLES: dict[str, str] = {
    "dialog.cancel": "Cancel",
    "dialog.page_up": "Scroll up a page",
    "dialog.page_down": "Scroll down a page",
    "dialog.home": "Scroll to the top",
    "dialog.end": "Scroll to the end",
}


async def _run_binding(target: DOMNode, action: str, title: str) -> None:
    """Run a binding's action as its key would, or say why it cannot run now."""
    _namespace, name, parameters = parse_action(action)
    if target.check_action(name, parameters) is not True:
        target.app.notify(
            _("{title}: nothing to act on here yet.").format(title=title),
            severity="warning",
            markup=False,
            timeout=3,
        )
        return
    await target.app.run_action(action, target)


def screen_bindings(screen_class: type[DOMNode]) -> list[Binding]:
    """The bindings with an id a screen class declares or inherits (its own first)."""
    found: list[Binding] = []
    ids: set[str] = set()
    for klass in screen_class.__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id and binding.id not in ids:
                ids.add(binding.id)
                found.append(binding)
    return found


def _live_keys(screen: Screen[Any]) -> dict[str, str]:
    """Key displays by binding id as they are bound now (after the user's keymap)."""
    keys: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        if active.binding.id:
            shown = screen.app.get_key_display(active.binding)
            keys.setdefault(active.binding.id, [])
            if shown not in keys[active.binding.id]:
                keys[active.binding.id].append(shown)
    return {binding_id: " / ".join(shown) for binding_id, shown in keys.items()}


def _target(screen: Screen[Any], action: str) -> tuple[Any, tuple[str, tuple[object, ...]]]:
    """Who runs ``action`` (the screen, or the app for ``app.``) and (name, parameters)."""
    namespace, name, parameters = parse_action(action)
    if namespace == "app":
        return screen.app, (name, parameters)
    if namespace in ("", "screen"):
        return screen, (name, parameters)
    return None, (name, parameters)


class CaseListCommands(BindingCommands):
    """The case list's keys (new case and the trash are :class:`CoprodCommands`)."""

    TITLES: ClassVar[dict[str, str]] = {
        "case_list.open": "Open the selected case",
        "case_list.filter": "Filter cases",
        "case_list.rename": "Rename case",
        "case_list.tags": "Edit tags",
        "case_list.duplicate": "Duplicate case",
        "case_list.delete": "Delete case (to the trash)",
        "case_list.copy_id": "Copy case id",
        "case_list.clear_filter": "Clear filter",
        "case_list.sort": "Sort by title or newest first",
        "case_list.by_tag": "Show the cases with a tag",
        "case_list.perspectives": "Perspectives of the selected case",
        "case_list.export": "Export case…",
    }


class EditorCommands(BindingCommands):
    """The editor's keys, and "Go to section N" for each section of the case's template."""

    TITLES: ClassVar[dict[str, str]] = {
        "editor.back": "Back to the case list",
        "editor.save": "Save now",
        "editor.previous_section": "Previous section",
        "editor.next_section": "Next section",
        "editor.questions": "Toggle questions",
        "editor.details": "Case details: title and fields",
        "editor.history": "History: restore an earlier version",
        "editor.orphans": "Orphaned text: move into a section",
        "editor.decide": "Decide: resolve the conflict, or restore from the trash",
        "editor.copy_section": "Copy this section to the clipboard",
        "editor.export_section": "Export section to file",
        "editor.tags": "Edit tags",
        "editor.perspectives": "Perspectives: patient-person beside professional-person",
        "editor.new_insight": "New insight from here (this section, the selection as quote)",
        "editor.citing": "Insights citing this section",
        "editor.export": "Export case…",
        "editor.identifiers": "Check for identifying details",
    }

    def commands(self) -> Iterator[PaletteCommand]:
        yield from super().commands()
        screen = self.screen
        if screen.check_action("goto_section", (1,)) is not True:
            return
        template = self._template()
        titles = [s.title for s in template.sections] if template else []
        for number, title in enumerate(titles or [""] * 9, start=1):
            label = _("Go to section {number}").format(number=number)
            if title:
                label += f": {printable(title, keep_newlines=False)}"
            yield PaletteCommand(
                label,
                partial(screen.run_action, f"goto_section({number})"),
                _("Jump in the editor"),
            )

    def _template(self) -> Template | None:
        """The template of the case in the editor, else the default one."""
        template = getattr(self.screen, "template", None)
        if template is not None:
            return cast("Template", template)
        try:
            return self.coprod.templates.default()
        except Exception:  # no templates: plain numbers still work
            return None


class TrashCommands(BindingCommands):
    """The trash's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "trash.close": "Close the trash",
        "trash.restore": "Restore case",
        "trash.purge": "Delete for good",
        "trash.empty": "Empty trash",
    }


class SearchCommands(BindingCommands):
    """The search screen's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "search.back": "Close the search",
        "search.box": "To the search box",
        "search.results": "To the results",
    }


class PerspectivesCommands(BindingCommands):
    """The perspectives screen's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "perspectives.back": "Close the perspectives",
        "perspectives.open": "Open this section in the editor",
    }


class SectionReviewCommands(BindingCommands):
    """The section review's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "review.back": "Close the section review",
        "review.edit": "Edit this entry here",
        "review.open_case": "Open the whole case at this section",
        "review.pick_section": "Read another section",
        "review.tag": "Only cases with a tag",
        "review.search": "Only the cases a search finds",
        "review.new_insight": "New insight from here (this entry, the selection as quote)",
    }


class CoverageCommands(BindingCommands):
    """The coverage matrix's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "coverage.back": "Close the coverage matrix",
        "coverage.sort": "Sort by the next column",
        "coverage.reverse": "Reverse the order",
        "coverage.tag": "Only cases with a tag",
    }


class NowWhatCommands(BindingCommands):
    """The "Now what?" view's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "now_what.back": "Close the open plans",
        "now_what.edit": "Edit this plan",
        "now_what.open_case": "Open the case behind this plan",
    }


class InsightsCommands(BindingCommands):
    """The Insights screen's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "insights.back": "Close the insights",
        "insights.open": "Open the insight",
        "insights.new": "New insight",
        "insights.edit": "Edit the insight",
        "insights.trash": "Move the insight to the trash",
        "insights.untrash": "Bring back the insight last moved to the trash",
        "insights.filter": "Filter the insights",
        "insights.to_table": "To the list",
    }


class InsightDetailCommands(BindingCommands):
    """The insight detail's keys."""

    TITLES: ClassVar[dict[str, str]] = {
        "insight.back": "Back to the insights",
        "insight.follow": "Follow the link: open the case at the quote",
        "insight.edit": "Edit the insight's title, text and tags",
        "insight.link_suggestion": "Link the suggested case to the insight",
        "insight.open_suggestion": "Open the suggested case",
    }


class DialogCommands(BindingCommands):
    """A dialog's keys (confirm, cancel, its own, the scroll keys)."""


def palette_commands(screen: Screen[Any]) -> list[PaletteCommand]:
    """Every command the palette offers over ``screen`` (tests and ``coprod`` tools)."""
    commands: list[PaletteCommand] = []
    for provider_class in (*screen.app.COMMANDS, *screen.COMMANDS):
        if isinstance(provider_class, type) and issubclass(provider_class, _Commands):
            commands.extend(provider_class(screen).commands())
    return commands


def _highlight(matcher: Any, plain: str) -> Content:
    """Like ``Matcher.highlight`` but from plain text, so ``[red]`` stays literal."""
    content = Content(plain)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, plain)
    for offset in offsets:
        if not plain[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
