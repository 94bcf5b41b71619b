"""No English left in the Swedish workbench: every screen and dialog at 80×24, checked twice.

With ``language: sv`` and a store whose every user text is Swedish (fictional
cases, an insight with a plan), the walk below visits each screen and dialog
and reads the lines the screen shows (the compositor's render, as a
screenshot would be). Each screen is checked two ways:

(a) no message of the catalogue whose Swedish differs from its English
    appears verbatim (a part of two words or more, placeholders left out);
(b) no English word appears: the words of every msgid, minus the words of
    every msgstr, of the Swedish template and of the test data, minus a small
    allow-list of key names and proper names. A finding reads
    ``screen: word in line``.

The walk is data-driven: one :class:`Stop` per screen (a name and how to get
there from the case list), so adding a screen is one line in :data:`STOPS`.

Everyone and everything here is invented (Tallbacka and Ekbacka vårdcentral
do not exist).
"""

from __future__ import annotations

import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from editor_helpers import open_editor, wait_until
from rich.console import Console

from coprod_tui.core.config import Config
from coprod_tui.core.i18n import LOCALE_DIR
from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import Plan, new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.core.template.ids import DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID

SWEDISH = Config(language="sv")
SIZE = (80, 24)

#: Words that are the same in a Swedish workbench: key names, names of formats and tools.
ALLOWED = frozenset(
    {
        # key names as the footer and help show them
        *("enter", "esc", "escape", "ctrl", "tab", "shift", "alt", "backspace", "pgup", "pgdn"),
        *("home", "end", "space", "insert", "up", "down", "left", "right"),
        # names of the tool, the method and the formats
        *("coprod", "batalden", "markdown", "html", "word", "pdf", "csv", "excel", "xlsx"),
        *("json", "yaml", "odt", "docx", "txt", "utf", "pgsa", "id", "ok"),
    }
)

# --- the fictional Swedish store -------------------------------------------------------

SVEN_SECTIONS = {
    "situation": (
        "Tallbacka vårdcentral (påhittad), en måndag förmiddag. Jag är distriktssköterska "
        "i telefonen när Svens son ringer om sin pappa."
    ),
    "lived-reality": (
        "Sven, 81 år, bor ensam på gården sedan hustrun dog. Sonen kommer på söndagarna "
        "och fyller på dosetten."
    ),
    "emotions": "Oro hos sonen, trötthet hos Sven.",
}
SVEN_FIELDS = {
    "setting": "Tallbacka vårdcentral (påhittad)",
    "role": "Distriktssköterska",
    "date": "2024-03-11",
}
BRITT_SECTIONS = {
    "situation": "Ekbacka vårdcentral (påhittad). Britt ringer om trappan och bussen.",
    "lived-reality": "Britt, 74 år, bor på tredje våningen utan hiss. Dosetten står i köket.",
}
KARIN_SITUATION = "Anhöriga kommer på söndagsbesöken och ser inte luckorna i veckan."
#: Text the template no longer has a section for (the editor's F5 shows it).
SVEN_ORPHANS = {"gammalt-avsnitt": "Anteckning från ett borttaget avsnitt om dosetten."}


@dataclass
class World:
    """What the walk may open: the cases' ids, the insight's id."""

    sven: str = ""
    britt: str = ""
    insight: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def swedish_store(store: Any, templates: Any) -> World:
    """Two Swedish cases (one with details, tags and orphaned text), one in the trash,
    an insight linking both with an open plan."""
    from coprod_tui.core.case import new_case

    template = templates.get(SWEDISH_TEMPLATE_ID)
    sven = new_case(
        "Sven, 81: dosetten och söndagsbesöken",
        template,
        tags=["anhörig", "läkemedel"],
        fields=dict(SVEN_FIELDS),
    )
    sven.sections = dict(SVEN_SECTIONS)
    sven.orphans = dict(SVEN_ORPHANS)
    sven = store.create(sven)
    # A second revision, so the history (F4) has an earlier version to show.
    earlier = sven.revision
    sven.sections["emotions"] = SVEN_SECTIONS["emotions"] + " Lättnad när hemtjänsten kom."
    sven = store.save(sven, base_revision=earlier).case
    britt = new_case("Britt, 74: trappan och bussen", template, fields=dict(SVEN_FIELDS))
    britt.sections = dict(BRITT_SECTIONS)
    britt = store.create(britt)
    # Shares the insight's words, so the insight's detail suggests it.
    karin = new_case("Karin, 88: söndagar och luckorna i veckan", template)
    karin.sections = {"situation": KARIN_SITUATION}
    store.create(karin)
    gone = new_case("Greta, 90: hörapparaten", template, fields=dict(SVEN_FIELDS))
    gone.sections = {"situation": "Greta tappar hörapparaten i snön."}
    gone = store.create(gone)
    store.trash(gone.id)
    insight = new_insight(
        "Söndagsbesöken döljer luckorna i veckan",
        text="Anhöriga som kommer på söndagar ser inte hur veckan går. Fråga om vardagarna.",
        tags=["anhörig"],
        links=[
            make_link(sven, "lived-reality", "Sonen kommer på söndagarna"),
            make_link(britt, "situation"),
        ],
        plan=Plan(plan="Ring på onsdagar under en månad.", start="2024-03-01"),
    )
    made = insights_of(store).create(insight)
    return World(sven=sven.id, britt=britt.id, insight=made.id)


# --- reading the screen ----------------------------------------------------------------


def screen_lines(app: Any) -> list[str]:
    """The lines the terminal shows now (the screen and the screens under a dialog)."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    render = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    console.print(render)
    return [line.rstrip() for line in console.export_text(styles=False).splitlines()]


# --- the catalogue and the vocabularies ------------------------------------------------

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sdr]|%[sdr]")


def _words(text: str) -> set[str]:
    return {w.casefold() for w in WORD.findall(PLACEHOLDER.sub(" ", text))}


@cache
def catalogue() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(msgids, msgstrs) of every entry of the Swedish catalogue (plural forms together)."""
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / "sv" / "LC_MESSAGES" / "coprod.po"
    with path.open("rb") as handle:
        entries = read_po(handle)
    found = []
    for message in entries:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.append((tuple(ids), tuple(s or "" for s in strings)))
    return found


def _template_words(templates: Any, template_id: str = SWEDISH_TEMPLATE_ID) -> set[str]:
    """Every word a template shows (titles, questions, labels; not its ids)."""
    words: set[str] = set()

    def walk(value: Any, name: str = "") -> None:
        if name in {"id", "renamed_from", "kind", "type"}:
            return
        if isinstance(value, str):
            words.update(_words(value))
        elif hasattr(value, "_asdict"):
            for key, item in value._asdict().items():
                walk(item, key)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, name)

    walk(templates.get(template_id))
    return words


def _data_words() -> set[str]:
    texts = [
        *SVEN_SECTIONS.values(),
        *SVEN_FIELDS.values(),
        *BRITT_SECTIONS.values(),
        KARIN_SITUATION,
        "Lättnad när hemtjänsten kom.",
        *SVEN_ORPHANS.values(),
        *SVEN_ORPHANS.keys(),
    ]
    words: set[str] = set()
    for text in texts:
        words |= _words(text)
    return words


#: What in a Swedish message is code, not Swedish: 'coprod doctor --repair', tag:T, --title.
CODE = re.compile(
    r"'[^']*'|`[^`]*`|\bcoprod(?: [a-z][a-z-]*)+|--?[A-Za-z][\w-]*|\b\w+:[\w*]+|<[^<>]*>"
)


@cache
def _catalogue_words() -> tuple[frozenset[str], frozenset[str]]:
    """(the msgids' words, the msgstrs' words: Swedish prose only, without commands, flags
    or search syntax, which stay English in both languages)."""
    english: set[str] = set()
    swedish: set[str] = set()
    for ids, strings in catalogue():
        for text in ids:
            english |= _words(text)
        for text in strings:
            swedish |= _words(CODE.sub(" ", text))
    return frozenset(english), frozenset(swedish)


def english_vocabulary(templates: Any) -> frozenset[str]:
    """Words only English has: the catalogue's msgids and the English template's text,
    minus every Swedish text the workbench shows (catalogue, Swedish template, test data)."""
    english, swedish = _catalogue_words()
    english = english | _template_words(templates, DEFAULT_TEMPLATE_ID)
    swedish = swedish | _template_words(templates) | _data_words()
    return frozenset(w for w in english - swedish - ALLOWED if len(w) > 1)


def textual_vocabulary(app: Any) -> frozenset[str]:
    """Words of Textual's own palette commands ("Maximize the focused widget"), which are
    in no catalogue: English unless the workbench says them its own way."""
    from textual.app import App

    words: set[str] = set()
    for command in App.get_system_commands(app, app.screen):
        words |= _words(f"{command.title} {command.help}")
    _english, swedish = _catalogue_words()
    swedish = swedish | _template_words(app.templates)  # its source names English titles
    return frozenset(w for w in words - swedish - _data_words() - ALLOWED if len(w) > 1)


@cache
def english_phrases() -> tuple[str, ...]:
    """Parts (two words or more) of the msgids whose Swedish differs, longest first.

    A part all of whose words Swedish uses too ("coprod doctor") is no sign of English.
    """
    _english, swedish = _catalogue_words()
    phrases: set[str] = set()
    for ids, strings in catalogue():
        if set(ids) <= set(strings):
            continue  # the same in both languages
        for text in ids:
            for part in PLACEHOLDER.split(text):
                part = part.strip(" .,:;·()“”\"'…")
                words = {w.casefold() for w in WORD.findall(part)}
                if len(WORD.findall(part)) < 2 or part in strings:
                    continue
                if words - swedish - ALLOWED:
                    phrases.add(part)
    return tuple(sorted(phrases, key=len, reverse=True))


def _drawn(character: str) -> bool:
    """A box-drawing or block character: the edge of a frame or a dialog."""
    return "\u2500" <= character <= "\u259f"


#: A case's or insight's id as shown: random hex, whose letters may spell "dd" or "face".
_HEX_ID = re.compile(r"[0-9a-f]*[0-9][0-9a-f]*")


def shown_words(line: str, width: int) -> list[str]:
    """The whole words of ``line``: not a word cut by an ellipsis or by the screen's right
    edge (``Alla`` cut to ``All`` is not English), nor a word of a file path."""
    words: list[str] = []
    for match in WORD.finditer(line):
        rest = line[match.end() :]
        if rest.startswith("…") or (match.end() >= width and not rest):
            continue
        before = line[match.start() - 1] if match.start() else " "
        if _drawn(before) or (rest and _drawn(rest[0])):
            continue  # cut by a dialog drawn over it: "Ändrat" showing as "at"
        start = line.rfind(" ", 0, match.start()) + 1
        end = line.find(" ", match.end())
        chunk = line[start : len(line) if end < 0 else end]
        if len(chunk) > 1 and ("/" in chunk or "\\" in chunk):
            continue  # ~/coprod-matrix-2024-03-12.csv: a file's name, not a sentence
        if _HEX_ID.fullmatch(chunk.strip(".,:;()")):
            continue  # 1e41dd7a: an id (random hex), not a word
        words.append(match.group())
    return words


def english_found(
    name: str, lines: list[str], vocabulary: frozenset[str], width: int = SIZE[0]
) -> list[str]:
    """What reads as English on the screen ``name``: ``screen: word in line``."""
    found: list[str] = []
    for line in lines:
        for phrase in english_phrases():
            if phrase in line:
                found.append(f"{name}: “{phrase}” in {line.strip()!r}")
        for word in shown_words(line, width):
            if word.casefold() in vocabulary:
                found.append(f"{name}: {word} in {line.strip()!r}")
    return found


# --- the walk --------------------------------------------------------------------------

Go = Callable[[Any, Any, World], Awaitable[None]]


@dataclass(frozen=True)
class Stop:
    """One screen of the walk: its name, and how to get there from the case list."""

    name: str
    go: Go


def _is(name: str) -> Callable[[Any], bool]:
    return lambda app: type(app.screen).__name__ == name


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _keys(pilot: Any, *keys: str, until: Callable[[Any], bool]) -> None:
    await pilot.press(*keys)
    await wait_until(pilot, lambda: until(pilot.app), timeout=10)


def keys(*pressed: str, screen: str, ready: Callable[[Any], bool] = lambda app: True) -> Go:
    """From the case list, press ``pressed``; arrive when ``screen`` is shown and ``ready``."""

    async def go(app: Any, pilot: Any, world: World) -> None:
        await _keys(pilot, *pressed, until=lambda a: _is(screen)(a) and ready(a))

    return go


def in_editor(
    *pressed: str, screen: str = "CaseEditorScreen", ready: Callable[[Any], bool] = lambda a: True
) -> Go:
    """Open Sven's case in the editor, then press ``pressed``."""

    async def go(app: Any, pilot: Any, world: World) -> None:
        await open_editor(pilot, world.sven)
        if pressed:
            await _keys(pilot, *pressed, until=lambda a: _is(screen)(a) and ready(a))

    return go


async def _case_list(app: Any, pilot: Any, world: World) -> None:
    await wait_until(pilot, lambda: bool(app.screen.query("CaseTable")), timeout=10)


async def _help_end(app: Any, pilot: Any, world: World) -> None:
    from textual.widgets import DataTable

    await _keys(pilot, "f1", until=_is("HelpScreen"))
    table = app.screen.query_one("#key-table", DataTable)
    table.move_cursor(row=table.row_count - 1, animate=False)
    await wait_until(pilot, lambda: table.scroll_y > 0, timeout=10)


async def _help_about(app: Any, pilot: Any, world: World) -> None:
    from textual.widgets import TabbedContent

    await _keys(pilot, "f1", until=_is("HelpScreen"))
    await pilot.press("a")
    await wait_until(
        pilot, lambda: app.screen.query_one(TabbedContent).active == "about", timeout=10
    )


async def _conflict(app: Any, pilot: Any, world: World) -> None:
    from coprod_tui.core.editing import Conflict
    from coprod_tui.core.merge import SECTION, Clash
    from coprod_tui.ui.dialogs.conflict import ConflictScreen

    editor = await open_editor(pilot, world.sven)
    case = app.store.load(world.sven)
    clash = Clash(
        f"{SECTION}situation",
        SVEN_SECTIONS["situation"],
        "Jag skrev det här i mitt fönster.",
        "Någon annan skrev det här i sitt fönster.",
    )
    app.push_screen(ConflictScreen(Conflict({clash.key: clash}, case), editor.template))
    await wait_until(pilot, lambda: _is("ConflictScreen")(app))


async def _search(app: Any, pilot: Any, world: World) -> None:
    await _keys(pilot, "ctrl+f", until=_is("SearchScreen"))
    await pilot.press(*"dosetten")
    await wait_until(
        pilot,
        lambda: app.screen.shown_query == "dosetten" and bool(app.screen.rows),
        timeout=30,
    )


async def _section_review(app: Any, pilot: Any, world: World) -> None:
    await _keys(pilot, "s", until=_is("SectionReviewScreen"))
    from coprod_tui.ui.screens.section_review import SectionPicker

    await wait_until(pilot, lambda: app.screen.query_one(SectionPicker).has_focus, timeout=10)
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.screen.entries is not None, timeout=10)


async def _section_review_editing(app: Any, pilot: Any, world: World) -> None:
    await _section_review(app, pilot, world)
    await pilot.press("e")
    await wait_until(pilot, lambda: app.screen.inline is not None, timeout=10)


async def _insight_detail(app: Any, pilot: Any, world: World) -> None:
    await _keys(pilot, "i", until=lambda a: _is("InsightsScreen")(a) and a.screen.filled)
    await wait_until(pilot, lambda: bool(app.screen.shown), timeout=10)
    await _keys(
        pilot,
        "enter",
        until=lambda a: _is("InsightDetailScreen")(a) and a.screen.suggested,
    )
    await wait_until(pilot, lambda: bool(app.screen.suggestions), timeout=30)


async def _insight_form(app: Any, pilot: Any, world: World) -> None:
    await _keys(pilot, "i", until=lambda a: _is("InsightsScreen")(a) and a.screen.filled)
    await _keys(pilot, "n", until=_is("InsightForm"))


async def _plan_form(app: Any, pilot: Any, world: World) -> None:
    await _keys(pilot, "w", until=lambda a: _is("NowWhatScreen")(a) and a.screen.loaded)
    await wait_until(pilot, lambda: bool(app.screen.rows), timeout=10)
    await _keys(pilot, "enter", until=_is("PlanForm"))


async def _matrix_export(app: Any, pilot: Any, world: World) -> None:
    from coprod_tui.ui.dialogs.matrix_export import MatrixExportDialog

    app.push_screen(MatrixExportDialog())
    await wait_until(pilot, lambda: _is("MatrixExportDialog")(app))


async def _palette(app: Any, pilot: Any, world: World) -> None:
    await _keys(pilot, "ctrl+p", until=_is("CoprodPalette"))
    listing = app.screen.query_one("CommandList")
    await wait_until(pilot, lambda: listing.option_count > 0, timeout=10)
    # The commands arrive from several providers: shown once the count holds for a while.
    seen = -1
    while seen != listing.option_count:
        seen = listing.option_count
        await pilot.pause(0.2)


def _loaded(attribute: str) -> Callable[[Any], bool]:
    return lambda app: getattr(app.screen, attribute, None) is not None


STOPS: list[Stop] = [
    Stop("case list", _case_list),
    Stop("help: keys", keys("f1", screen="HelpScreen")),
    Stop("help: keys, the last rows", _help_end),
    Stop("help: about the template", _help_about),
    Stop("new case", keys("n", screen="NewCaseDialog")),
    Stop("editor: sections", in_editor()),
    Stop("editor: questions", in_editor("f2")),
    Stop("editor: details (F3)", in_editor("f3", screen="FieldsFormScreen")),
    Stop("editor: history (F4)", in_editor("f4", screen="HistoryScreen")),
    Stop("editor: orphans (F5)", in_editor("f5", screen="OrphansScreen")),
    Stop("editor: conflict", _conflict),
    Stop(
        "editor: identifiers (F11)",
        in_editor("f11", screen="IdentifiersDialog"),
    ),
    Stop(
        "editor: export (F10)",
        in_editor("f10", screen="ExportDialog"),
    ),
    Stop(
        "editor: export section (Ctrl+L)",
        in_editor("ctrl+l", screen="ExportSectionDialog"),
    ),
    Stop("editor: tags (Ctrl+T)", in_editor("ctrl+t", screen="TagsDialog")),
    Stop(
        "editor: new insight from here (Ctrl+N)",
        # From section 2, whose id (lived-reality) is English: the form shows its title.
        in_editor("ctrl+pagedown", "ctrl+n", screen="InsightForm"),
    ),
    Stop(
        "editor: insights citing the section (F12)",
        in_editor("f12", screen="InsightsScreen", ready=_loaded("insights")),
    ),
    Stop("trash", keys("b", screen="TrashScreen")),
    Stop("search with results", _search),
    Stop("section review", _section_review),
    Stop("section review: editing an entry", _section_review_editing),
    Stop("perspectives", keys("p", screen="PerspectivesScreen", ready=_loaded("view"))),
    Stop("coverage", keys("m", screen="CoverageScreen", ready=_loaded("coverage"))),
    Stop(
        "insights",
        keys("i", screen="InsightsScreen", ready=lambda a: bool(a.screen.shown)),
    ),
    Stop("insight detail", _insight_detail),
    Stop("insight form", _insight_form),
    Stop("Now what?", keys("w", screen="NowWhatScreen", ready=lambda a: a.screen.loaded)),
    Stop("plan form", _plan_form),
    Stop("matrix export", _matrix_export),
    Stop(
        "command palette",
        _palette,
    ),
]


def _params() -> list[Any]:
    return [pytest.param(stop, id=stop.name) for stop in STOPS]


@pytest.mark.parametrize("stop", _params())
async def test_no_english_on_the_swedish_screen(
    stop: Stop, app_factory: Any, store: Any, templates: Any
) -> None:
    world = swedish_store(store, templates)
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CaseListScreen")
        await wait_until(pilot, lambda: bool(app.screen.query("CaseTable")))
        await pilot.pause()
        await stop.go(app, pilot, world)
        await _settle(pilot)
        lines = screen_lines(app)
        textual_words = textual_vocabulary(app)
    assert any(line.strip() for line in lines), f"{stop.name}: nothing on the screen"
    found = english_found(stop.name, lines, english_vocabulary(templates) | textual_words)

    assert not found, (
        "English on a Swedish screen:\n" + "\n".join(found) + "\n\n" + "\n".join(lines)
    )


# --- the check itself ------------------------------------------------------------------


def test_the_check_finds_english_words_and_phrases(templates: Any) -> None:
    """The two checks are not empty: an English line is found, a Swedish one is not."""
    vocabulary = english_vocabulary(templates)
    assert {"insight", "saved", "search"} <= vocabulary
    assert not {"fall", "avsnitt", "enter", "coprod", "dosetten"} & vocabulary
    english = english_found("test", ["│ Type to search every case and insight. │"], vocabulary)
    assert any("“Type to search every case and insight”" in f for f in english), english
    assert any(f.startswith("test: search in") for f in english), english
    swedish = english_found("test", ["Skriv för att söka i alla fall och insikter."], vocabulary)
    assert swedish == []
    # A Swedish word cut short by the screen's edge or an ellipsis, a file name: not English.
    assert english_found("test", ["f1 Alla tangenter  ^s Spara  f2 All"], vocabulary, 35) == []
    assert english_found("test", ["4 Hinder och det so…", "~/coprod-export/a.md"], vocabulary) == []
    assert english_found("test", ["  Saved  "], vocabulary) == ["test: Saved in 'Saved'"]


def test_every_stop_has_its_own_name() -> None:
    names = [stop.name for stop in STOPS]
    assert len(names) == len(set(names))
    assert Path(__file__).name == "test_no_english.py"
