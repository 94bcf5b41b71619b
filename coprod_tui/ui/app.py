"""CoprodApp: builds screens and owns the store handle.

Screens reach shared state through these attributes and never touch files
themselves:

- ``app.store``: the open :class:`~coprod_tui.core.store.CaseStore`
- ``app.templates``: the :class:`~coprod_tui.core.template.registry.TemplateRegistry`
- ``app.config``: the user's :class:`~coprod_tui.core.config.Config`
- ``app.clock()``: the current time (tests pass a fixed clock)

The app's one hard duty is that no typed word is lost on the way out. Every
exit path — Ctrl+Q, the palette's Quit, SIGHUP (a dropped SSH connection),
SIGTERM, a crash in the input thread when the terminal disappears, and a last
look when the app unmounts — first calls ``flush()`` on every editor screen it
knows of. ``flush()`` saves synchronously, so by the time the process can exit
the text is on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from rich.console import RenderableType
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen

from coprod_tui.core.config import Config, ConfigWriteError, save_config
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.timefmt import local_now
from coprod_tui.ui import heap
from coprod_tui.ui.commands import CoprodCommands
from coprod_tui.ui.stylesheet import SharedStylesheet
from coprod_tui.ui.typeahead import TYPED_EVENTS, KeyOrder

if TYPE_CHECKING:
    from textual.driver import Driver

    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template import Template
    from coprod_tui.core.template.registry import TemplateRegistry
    from coprod_tui.ui.case_opening import CaseOpening
    from coprod_tui.ui.screens.case_editor import OpenAt
    from coprod_tui.ui.search_source import SearchSource

#: Signals that mean "the session is ending": flush, then exit cleanly.
EXIT_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)

#: Seconds a signalled exit may take (the text is already saved) before the
#: process is ended regardless, e.g. when output to a vanished terminal blocks.
EXIT_GRACE_SECONDS = 3.0

#: Seconds within which a second Ctrl+Q quits even though saving failed.
FORCE_QUIT_WINDOW = 5.0


@runtime_checkable
class Flushable(Protocol):
    """A screen holding text that must reach the store before the app exits."""

    def flush(self) -> None:
        """Save unsaved text synchronously."""


class CoprodApp(App[int]):
    """The coprod workbench: the case list, the editor, help and the palette."""

    TITLE = "coprod"
    # The editor's sheet is read here with the others, not as the editor screen's
    # CSS_PATH: a screen's own sheet makes Textual parse every sheet again and restyle
    # every widget of every screen the first time one is pushed (20-30 ms on a case's
    # first opening).
    CSS_PATH = ["app.tcss", "case_list.tcss", "help.tcss", "editor.tcss"]
    COMMANDS = App.COMMANDS | {CoprodCommands}
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            N_("Quit"),
            tooltip=N_("Save everything and quit."),
            priority=True,
            id="app.quit",
        ),
        Binding(
            "f1",
            "help",
            N_("All keys"),
            tooltip=N_("Keys of this screen and the template."),
            id="app.help",
        ),
        # Textual's own palette key, declared here so its words are translated too.
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            N_("palette"),
            show=False,
            key_display=App.COMMAND_PALETTE_DISPLAY,
            priority=True,
            tooltip=N_("Open the command palette"),
            id="app.palette",
        ),
    ]

    def __init__(
        self,
        store: CaseStore,
        templates: TemplateRegistry,
        config: Config | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        notices: Sequence[str] = (),
        handle_signals: bool = True,
    ) -> None:
        super().__init__()
        # Parsed sheets shared across re-parses (and apps) of this process: ui/stylesheet.py.
        self.stylesheet = SharedStylesheet(variables=self.get_css_variables())
        self.store = store
        self.templates = templates
        self.config: Config = config if config is not None else Config()
        self.clock: Callable[[], datetime] = clock or local_now
        self._notices = list(notices)
        self._handle_signals = handle_signals
        self._installed_signals: list[signal.Signals] = []
        self._previous_handlers: dict[signal.Signals, Any] = {}
        self._signal_loop: asyncio.AbstractEventLoop | None = None
        self._exit_signal: int | None = None
        self._editors: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()
        self._quit_failed_at: float | None = None
        self._persist_theme = False
        #: Keys and pastes in typing order, each after the one before has landed.
        self.key_order = KeyOrder(self)
        #: Full garbage collections in the pauses between keys (``ui/heap.py``).
        self.collector = heap.QuietCollector()
        #: The search index, opened after the first paint (``ui/search_source.py``;
        #: set by ``create_app``; ``None``: no search in this app).
        self.search_source: SearchSource | None = None
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self._notices.append(
                    _("The theme {theme} is not installed; the default theme is used.").format(
                        theme=repr(self.config.theme)
                    )
                )

    # -- start-up ---------------------------------------------------------------------

    def apply_keymap(self, entries: Iterable[tuple[str, str]], known: Iterable[str]) -> None:
        """Rebind keys by binding id (``keymap:`` in the settings file).

        ``known`` is every binding id (``ui/bindings.py``; ``create_app``
        passes it). Entries with an unknown id or a key name Textual does not know are
        left out (those bindings keep their default keys) and reported in
        one line when the app starts.
        """
        from coprod_tui.ui.keymap import check_keymap

        usable, problem = check_keymap(entries, known)
        self.set_keymap(usable)
        if problem:
            self._notices.append(problem)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, on Linux one that reads Escape-then-keys bursts as typed.

        See ``ui/terminal_input.py``: without it, Escape followed at once by
        other keys (a laggy link) reaches the app as "^" and text.
        """
        driver_class = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver_class is LinuxDriver:
            try:
                from coprod_tui.ui.terminal_input import CoprodLinuxDriver
            except (ImportError, AttributeError):
                # It leans on Textual's parser module, which has no public API: a
                # Textual that moved it still runs, with its own Escape handling.
                return driver_class
            return CoprodLinuxDriver
        return driver_class

    #: The app's modes: each is a screen stack of its own, reached by name
    #: (``switch_mode``). The case list is the first and home; search, section
    #: review, coverage and insights are added here as modes of their own.
    MODES: ClassVar[dict[str, Any]] = {"cases": lambda: _case_list()}
    DEFAULT_MODE: ClassVar[str] = "cases"

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._remember_editor)
        self.screen_change_signal.subscribe(self, lambda _screen: heap.forget_the_departed(self))
        self.collector.start()
        self.set_interval(self.collector.QUIET, self.collector.tick, name="collect in a pause")
        self._signal_loop = asyncio.get_running_loop()
        if self._handle_signals and not self.is_headless:
            self.install_signal_handlers()
        self._persist_theme = True
        for notice in self._notices:
            self.notify(notice, title=_("Note"), severity="warning", markup=False, timeout=10)
        source = self.search_source
        if source is not None and source.start_delay is not None:
            # After the first paint, and a moment later: start-up never waits for the index.
            self.set_timer(source.start_delay, source.start, name="open the search index")

    def on_unmount(self) -> None:
        """Last look: anything still unsaved goes to disk before the loop stops."""
        self.flush_editors()
        self.remove_signal_handlers()
        self.key_order.close()
        if self.search_source is not None:
            self.search_source.close()
        self.collector.stop()

    # -- keys in typing order ----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Every key and paste read from the terminal waits for the one before it to land.

        See ``ui/typeahead.py``: this is the one place where type-ahead is kept
        in order, for every screen, dialog and widget. Keys coming back up from
        a widget (``is_forwarded``) are the same keys on their way to the
        bindings and pass straight on.
        """
        if not isinstance(event, TYPED_EVENTS) or event.is_forwarded:
            await super().on_event(event)
            return
        self.collector.key_seen()
        if not self.key_order.admit(event):
            return
        try:
            await super().on_event(event)
        finally:
            self.key_order.dispatched(event)

    # -- templates --------------------------------------------------------------------

    def template_for(self, template_id: str) -> Template | None:
        """The template with this id, or ``None`` when it is not installed."""
        try:
            return self.templates.get(template_id)
        except CoprodError:
            return None

    # -- opening cases ----------------------------------------------------------------

    def open_case(self, case_id: str, *, at: OpenAt | None = None) -> None:
        """Show a case in the editor, leaving any other editor first (after saving it).

        ``at``: a section (and characters of it) to open at, e.g. a search hit.
        """
        from coprod_tui.ui.screens.case_editor import CaseEditorScreen

        self.flush_editors()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        editor = CaseEditorScreen(case_id, at=at)
        self._editors.add(editor)
        self.push_screen(editor)

    async def open_case_at(
        self,
        case_id: str,
        section_id: str | None,
        *,
        span: tuple[int, int] | None = None,
        opening: CaseOpening | None = None,
    ) -> None:
        """Show a case in the editor at a section, over the current screen (Escape comes back).

        For the screens that read across cases (section review, perspectives,
        coverage, an insight's links): returns once the editor can take keys.
        ``span``: characters of the section to select (an insight's quote).
        ``opening``: the case read ahead; the editor uses it if it is this case's
        and fresh, else reads the case itself.
        """
        from coprod_tui.ui.screens.case_editor import CaseEditorScreen, OpenAt

        at = OpenAt(section_id, span) if section_id else None
        editor = CaseEditorScreen(case_id, at=at, opening=opening)
        self._editors.add(editor)
        await self.push_screen(editor)
        await editor.until_ready()

    def open_insight(self, insight_id: str) -> None:
        """Show an insight's detail over the current screen (Escape comes back): for the
        screens that find insights (search), so none imports the detail view."""
        from coprod_tui.ui.screens.insight_detail import InsightDetailScreen

        self.push_screen(InsightDetailScreen(insight_id))

    def action_new_case(self) -> None:
        """Ask for a title and template, store the case, and open it on section 1."""
        from coprod_tui.ui.screens.case_list import CaseListScreen

        home = self.screen_stack[0] if self.screen_stack else None
        if isinstance(home, CaseListScreen):
            home.action_new_case()

    def cached_summaries(self) -> list[Any] | None:
        """The case list's last reading of the catalog (``None`` before the first)."""
        from coprod_tui.ui.screens.case_list import CaseListScreen

        home = self.screen_stack[0] if self.screen_stack else None
        if isinstance(home, CaseListScreen) and home.summaries is not None:
            return list(home.summaries)
        return None

    def action_help(self) -> None:
        """Help built from the bindings that are live on the current screen."""
        from coprod_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def action_search(self) -> None:
        """Search all cases (Ctrl+F on the list and in the editor, and the palette)."""
        from coprod_tui.ui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.action_to_box()
            return
        # What was just typed in an editor is saved first, so the search finds it.
        self.flush_editors()
        self.push_screen(SearchScreen())

    def action_trash(self) -> None:
        """Show the trash (from the palette, wherever the user is)."""
        from coprod_tui.ui.screens.case_list import CaseListScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, CaseListScreen):
            self.flush_editors()
            self.pop_screen()
        if isinstance(self.screen, CaseListScreen):
            self.screen.action_trash()

    def action_section_review(self) -> None:
        """Read one section across cases (the palette's entry, over any screen)."""
        from coprod_tui.ui.screens.section_review import SectionReviewScreen

        self.push_screen(SectionReviewScreen())

    def action_coverage(self) -> None:
        """The coverage matrix, cases by sections (the palette's entry, over any screen)."""
        from coprod_tui.ui.screens.coverage import CoverageScreen

        self.push_screen(CoverageScreen())

    def action_now_what(self) -> None:
        """The open plans, oldest first (the palette's "Now what?", over any screen)."""
        from coprod_tui.ui.screens.now_what import NowWhatScreen

        self.push_screen(NowWhatScreen())

    def action_export_matrix(self) -> None:
        """The framework matrix export dialog (the palette's entry, over any screen)."""
        from coprod_tui.ui.dialogs.matrix_export import MatrixExportDialog

        self.push_screen(MatrixExportDialog())

    def action_insights(self) -> None:
        """The Insights screen (i on the case list, and the palette, over any screen)."""
        from coprod_tui.ui.screens.insights import InsightsScreen

        self.flush_editors()  # "New insight from here" and the links read the stored text
        self.push_screen(InsightsScreen())

    # -- never lose a word ------------------------------------------------------------

    def _remember_editor(self, screen: Screen[Any]) -> None:
        """Track every screen with unsaved-text duties, even after it leaves the stack."""
        if isinstance(screen, Flushable):
            self._editors.add(screen)

    def editor_screens(self) -> list[Flushable]:
        """Every screen that may hold unsaved text: the stack first, then remembered ones."""
        seen: list[Flushable] = []
        for screen in [*self.screen_stack, *list(self._editors)]:
            if isinstance(screen, Flushable) and screen not in seen:
                seen.append(screen)
        return seen

    def flush_editors(self) -> list[str]:
        """Save every editor's unsaved text now; returns one line per failure.

        Never raises: a failure is reported, and the caller decides whether
        it is safe to go on (Ctrl+Q refuses once; a signal cannot wait).
        """
        failures: list[str] = []
        for editor in self.editor_screens():
            try:
                editor.flush()
                unsaved = bool(getattr(editor, "has_unsaved_text", False))
            except Exception as error:  # reported, never swallowed silently
                failures.append(str(error) or type(error).__name__)
                self.log.error("flush failed", error)
                continue
            if unsaved:
                failures.append(_("the latest text could not be written to the store"))
        return failures

    async def action_quit(self) -> None:
        """Save every open case, then quit. If saving fails, say so and stay."""
        failures = self.flush_editors()
        now = asyncio.get_running_loop().time()
        recently_failed = (
            self._quit_failed_at is not None and now - self._quit_failed_at < FORCE_QUIT_WINDOW
        )
        if failures and not recently_failed:
            self._quit_failed_at = now
            self.notify(
                _("Could not save: {reason}. Press Ctrl+Q again to quit anyway.").format(
                    reason=failures[0]
                ),
                title=_("Not saved"),
                severity="error",
                markup=False,
                timeout=FORCE_QUIT_WINDOW,
            )
            return
        self.exit(0)

    def exit(
        self,
        result: int | None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Every way out of the app passes here: save first."""
        self.flush_editors()
        super().exit(result, return_code, message)

    def panic(self, *renderables: RenderableType) -> None:
        """The terminal vanished or something broke: save what we can first."""
        self.flush_editors()
        super().panic(*renderables)

    def install_signal_handlers(self) -> None:
        """Make SIGHUP and SIGTERM save, then exit cleanly (restoring the terminal).

        These are plain ``signal.signal`` handlers rather than asyncio ones on
        purpose: when the terminal vanishes, Textual's output queue can fill and
        block the event loop, and an asyncio handler would then never run. A
        Python-level handler still runs in the main thread, saves, and a
        watchdog makes sure the process ends even if the loop never recovers.
        """
        for signum in EXIT_SIGNALS:
            try:
                previous = signal.signal(signum, self._on_exit_signal)
            except (ValueError, OSError):
                continue  # not the main thread, or a platform without them
            self._previous_handlers[signum] = previous
            self._installed_signals.append(signum)

    @property
    def installed_signals(self) -> tuple[signal.Signals, ...]:
        """The exit signals this app currently handles."""
        return tuple(self._installed_signals)

    def remove_signal_handlers(self) -> None:
        """Give the signals back (tests run many apps in one process)."""
        for signum in self._installed_signals:
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, self._previous_handlers.pop(signum, signal.SIG_DFL))
        self._installed_signals.clear()

    def _on_exit_signal(self, signum: int, _frame: object) -> None:
        """The installed handler: save now, then leave, whatever the loop is doing."""
        if self._exit_signal is not None:
            # A second signal while leaving: the text is saved; go now.
            os._exit(128 + self._exit_signal)
        self.handle_exit_signal(signum)
        _start_exit_watchdog(128 + int(signum), EXIT_GRACE_SECONDS)

    def handle_exit_signal(self, signum: int) -> None:
        """SIGHUP/SIGTERM: save synchronously, then ask the loop to exit with 128 + signum."""
        self._exit_signal = int(signum)
        self.flush_editors()
        with contextlib.suppress(RuntimeError):
            # Thread-safe and signal-safe: only queues the call and wakes the loop.
            self._loop_for_signals().call_soon_threadsafe(
                lambda: self.exit(None, return_code=128 + int(signum))
            )

    def _loop_for_signals(self) -> asyncio.AbstractEventLoop:
        """The loop the app runs on (``RuntimeError`` once it is gone)."""
        loop = self._signal_loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the app's event loop is not running")
        return loop

    # -- no case text outside the store ----------------------------------------------

    #: Textual's palette commands that write the screen (case text) to a file.
    WRITES_THE_SCREEN: frozenset[str] = frozenset({"Screenshot"})

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands, without the screenshot.

        Textual's "Screenshot" writes an SVG of the screen, case text and all,
        to ~/Downloads with the umask's permissions, where others may read it.
        Nothing in coprod writes case text outside the store unasked.
        """
        from coprod_tui.ui.palette import translated_system_commands

        yield from translated_system_commands(
            command
            for command in super().get_system_commands(screen)
            if command.title not in self.WRITES_THE_SCREEN
        )

    # -- Textual's palette, in the user's language --------------------------------------

    def action_command_palette(self) -> None:
        """Textual's command palette, with its own words translated (``ui/palette.py``)."""
        from coprod_tui.ui.palette import CoprodPalette

        # CommandPalette.is_open's test (typed for App[object], which this app is not).
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            self.push_screen(CoprodPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's theme picker (palette → Theme), its placeholder translated."""
        from textual.theme import ThemeProvider

        from coprod_tui.ui.palette import SEARCH_THEMES, CoprodPalette

        self.push_screen(CoprodPalette(providers=[ThemeProvider], placeholder=_(SEARCH_THEMES)))

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's "coprod — 7 cases": Textual's, with plain spaces around the dash.

        Textual styles the spaces around its dash dim too, and some terminals
        (and screen readers reading them) drop a dim space: the header then read
        "coprod— 1 case". Here the spaces are unstyled, only the dash is dim.
        """
        if not sub_title:
            return Content(title)
        return Content.assemble(
            Content(title), " ", ("—", "dim"), " ", Content(sub_title).stylize("dim")
        )

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Refused (the ``app.screenshot`` action): it would write case text outside the store."""
        self.notify(
            _(
                "Screenshots are off: they would write case text outside the store. "
                "Use 'coprod export' to write a case to a file."
            ),
            title=_("Not saved"),
            severity="warning",
            markup=False,
        )

    # -- theme ------------------------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        """Remember the theme the user picks (Ctrl+P → Theme) in their config."""
        if not self._persist_theme or theme == self.config.theme:
            return
        self.config = self.config.with_theme(theme)
        if self.config.path is None:
            return  # settings not backed by a file (tests, tools)
        if self.config.problem:
            # Never write over a settings file we could not fully read.
            self.notify(
                _("Theme not remembered: {problem}").format(problem=self.config.problem),
                severity="warning",
                markup=False,
            )
            return
        try:
            save_config(self.config)
        except ConfigWriteError as error:
            self.notify(str(error), title=_("Theme not saved"), severity="warning", markup=False)

    # -- helpers for screens ----------------------------------------------------------

    def notify_error(self, error: BaseException, *, title: str | None = None) -> None:
        """Show a failure from the store in one line (user text is never markup).

        ``title``: already in the user's language (``None``: "Error" in it).
        """
        shown = _("Error") if title is None else title
        self.notify(str(error), title=shown, severity="error", markup=False, timeout=8)

    def copy_case_id(self, case_id: str) -> None:
        """Put a case id on the clipboard (OSC 52, so it works over SSH)."""
        self.copy_to_clipboard(case_id)
        self.notify(_("Copied case id {id}").format(id=case_id), markup=False, timeout=3)


def _case_list() -> Screen[Any]:
    """The case list (imported when the app starts, not when this module loads)."""
    from coprod_tui.ui.screens.case_list import CaseListScreen

    return CaseListScreen()


def _start_exit_watchdog(exit_code: int, seconds: float) -> None:
    """End the process after ``seconds`` if the clean exit has not happened by then.

    Only armed after the text was flushed. A daemon thread, so a clean exit
    that finishes in time simply ends the process before it fires.
    """

    def end_process() -> None:
        threading.Event().wait(seconds)
        os._exit(exit_code)

    threading.Thread(target=end_process, name="coprod-exit-watchdog", daemon=True).start()
