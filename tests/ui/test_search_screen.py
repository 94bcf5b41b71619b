"""The search screen: results as you type (in a worker, newest text wins), each with case
title, section and highlighted snippet; Enter opens the case at the hit; query errors,
no hits and a slow first index build each say so in one line.

The index here is a tiny real one written for the tests (:class:`TinyIndex`, the same
API as ``core.search.SearchIndex``: it reads the store's cases and finds case-folded
words), so these tests pin down the screen, not the search engine. All people, places
and text are fictional.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from editor_helpers import burst, open_editor, until_typed, wait_until
from notices import notices

from coprod_tui.core.errors import CoprodError
from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.screens.search import (
    HIT_STYLE,
    ResultList,
    SearchScreen,
    section_label,
    snippet_text,
)
from coprod_tui.ui.search_source import SearchSource

SIZE = (80, 24)


@dataclass(frozen=True)
class Hit:
    """``core.search.SearchHit``'s fields."""

    case_id: str
    title: str
    section_id: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    span: tuple[int, int] | None
    score: float


class TinyQueryError(CoprodError):
    exit_code = 2


class TinyIndex:
    """Finds a word (case-folded) in every stored case's sections, a snippet around it.

    ``gate``: when set, each search waits for it (a slow index) and records its query.
    """

    def __init__(self, store) -> None:
        self.store = store
        self.gate: threading.Event | None = None
        self.asked: list[str] = []
        self.observed = False
        self.closed = False

    def observe(self, store) -> None:
        self.observed = True

    def close(self) -> None:
        self.closed = True

    def search(self, query, *, section=None, tag=None, template=None, limit=50):
        self.asked.append(query)
        if self.gate is not None:
            assert self.gate.wait(10)
        if query.count('"') % 2:
            raise TinyQueryError('could not read the search: a quote is not closed (try "ont i")')
        word = query.strip().casefold()
        hits = []
        for summary in self.store.list_cases():
            case = self.store.load(summary.id)
            for section_id, text in case.sections.items():
                at = text.casefold().find(word)
                if at < 0:
                    continue
                start = max(0, at - 10)
                snippet = text[start : at + len(word) + 30].replace("\n", " ")
                hits.append(
                    Hit(
                        case.id,
                        case.title,
                        section_id,
                        snippet,
                        ((at - start, at - start + len(word)),),
                        (at, at + len(word)),
                        1.0,
                    )
                )
        return hits[:limit]


@pytest.fixture
def search_app(app_factory, store):
    """The real app with the tiny index behind its search source."""

    def make():
        app = app_factory()
        index = TinyIndex(store)
        app.search_source = SearchSource(store, open_index=lambda _store: index)
        app.tiny_index = index
        return app

    return make


def result_lines(app) -> list[str]:
    results = app.screen.query_one(ResultList)
    return [results.render_line(y).text for y in range(results.size.height)]


def status(app) -> str:
    return str(app.screen.query_one("#search-status").render())


NIGHT = "Akuten (fictional) at night: Sven waited four hours for the doctor."
KVALL = "På kvällen ringde Karin till vårdcentralen i Tallbacka."


async def test_ctrl_f_searches_as_you_type_and_shows_title_section_and_snippet(
    search_app, make_case
):
    make_case("Sven, 81: the night at akuten", sections={"situation": NIGHT})
    make_case("Karin, 77", sections={"emotions": KVALL})
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+f", *"akuten")
        await until_typed(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_until(pilot, lambda: screen.shown_query == "akuten")
        await pilot.pause()
        [row] = screen.rows
        assert row.section == "1 · Situation"
        text = "\n".join(result_lines(app))
        assert "Sven, 81: the night at akuten" in text and "1 · Situation" in text
        assert "Akuten (fictional)" in text
        assert status(app) == "1 hit"
        # The hit is marked in the snippet; the rest is not.
        spans = [(s.start, s.end) for s in row.snippet.spans if s.style == HIT_STYLE]
        assert [row.snippet.plain[a:b] for a, b in spans] == ["Akuten"]


async def test_enter_opens_the_case_at_the_section_with_the_hit_selected(search_app, make_case):
    make_case("Sven, 81", sections={"situation": "Sven.", "emotions": "Rädd och trött " + KVALL})
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+f", *"tallbacka")
        await until_typed(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: screen.shown_query == "tallbacka" and screen.rows)
        await burst(pilot, "down", "enter")
        await until_typed(pilot)
        editor = app.screen
        assert isinstance(editor, CaseEditorScreen)
        await editor.until_ready()
        await pilot.pause()
        assert editor.current == 2  # "emotions", section 3
        assert editor.editor.selected_text == "Tallbacka"
        # Escape from the editor saves and returns to the list, as always.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))


async def test_keys_typed_while_a_search_runs_win_and_stale_answers_never_show(
    search_app, make_case
):
    make_case("Sven, 81", sections={"situation": NIGHT})
    make_case("Karin, 77", sections={"emotions": KVALL})
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        index = app.tiny_index
        index.gate = threading.Event()  # every search waits: a slow index
        await pilot.press("ctrl+f")
        await burst(pilot, *"night")
        await until_typed(pilot)
        screen = app.screen
        # Typing never waited for the search: the box has every key.
        assert screen.query_text == "night"
        await wait_until(pilot, lambda: len(index.asked) == 1)
        await burst(pilot, *["backspace"] * 5, *"kvällen")
        await until_typed(pilot)
        assert screen.query_text == "kvällen"
        assert index.asked == ["n"]  # one search at a time, the newest text next
        index.gate.set()
        await wait_until(pilot, lambda: screen.shown_query == "kvällen")
        assert index.asked == ["n", "kvällen"]  # the texts in between were never searched
        assert [row.title for row in screen.rows] == ["Karin, 77"]


async def test_a_query_error_is_one_line_under_the_box_and_no_notification(search_app, make_case):
    make_case("Sven, 81", sections={"situation": NIGHT})
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+f", *'"ont i')
        await until_typed(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: screen.shown_query == '"ont i')
        await pilot.pause()
        assert status(app).startswith("could not read the search: a quote is not closed")
        assert screen.query_one("#search-status").has_class("-error")
        assert screen.rows == []
        assert notices(app) == []
        await burst(pilot, '"')  # closed: the error goes
        await until_typed(pilot)
        await wait_until(pilot, lambda: screen.shown_query == '"ont i"')
        assert not screen.query_one("#search-status").has_class("-error")


async def test_no_hits_says_so(search_app, make_case):
    make_case("Sven, 81", sections={"situation": NIGHT})
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+f", *"återbesök")
        await until_typed(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: screen.shown_query == "återbesök")
        await pilot.pause()
        assert status(app) == "No case or insight contains “återbesök”."


async def test_a_slow_first_build_shows_indexing_and_the_box_keeps_taking_keys(
    app_factory, store, make_case
):
    make_case("Sven, 81", sections={"situation": NIGHT})
    built = threading.Event()

    def slow_open(opened_store):
        assert built.wait(10)
        return TinyIndex(opened_store)

    app = app_factory()
    app.search_source = SearchSource(store, open_index=slow_open)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+f", *"akuten")
        await until_typed(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: status(app).startswith("Indexing…"))
        await burst(pilot, *" ")
        await until_typed(pilot)
        assert screen.query_text == "akuten "
        built.set()
        await wait_until(pilot, lambda: screen.shown_query == "akuten " and screen.rows)


async def test_the_app_opens_the_index_after_start_up_and_closes_it(search_app, make_case):
    make_case("Sven, 81", sections={"situation": NIGHT})
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        assert not app.search_source.ready  # start-up does not wait for it
        await wait_until(pilot, lambda: app.search_source.ready)
        assert app.tiny_index.observed  # saves in this window reach it
    assert app.tiny_index.closed


async def test_search_from_the_editor_and_escape_returns_there(search_app, make_case):
    case = make_case("Sven, 81", sections={"situation": NIGHT})
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, case.id)
        await burst(pilot, "ctrl+f", *"night")
        await until_typed(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert editor.session is not None and editor.session.case.text("situation") == NIGHT
        await pilot.press("escape")
        assert app.screen is editor


async def test_search_all_cases_is_in_the_palette_on_the_list_and_in_the_editor(
    search_app, make_case
):
    case = make_case("Sven, 81")
    app = search_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Search all cases" in {c.name for c in palette_commands(app.screen)}
        editor = await open_editor(pilot, case.id)
        assert "Search all cases" in {c.name for c in palette_commands(editor)}
        [command] = [c for c in palette_commands(editor) if c.name == "Search all cases"]
        command.action()
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#query")


async def test_markup_in_titles_and_snippets_stays_literal(search_app, make_case):
    make_case("[b]Sven[/b] [@click=app.quit]x", sections={"situation": "[red]akuten[/red] natt"})
    app = search_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "ctrl+f", *"akuten")
        await until_typed(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: screen.shown_query == "akuten" and screen.rows)
        await pilot.pause()
        text = "\n".join(result_lines(app))
        assert "[b]Sven[/b] [@click=app.quit]x" in text
        assert "[red]akuten[/red]" in text


def test_a_renamed_section_shows_its_new_title():
    sections = [
        SimpleNamespace(id="situation", title="Situation", renamed_from=()),
        SimpleNamespace(id="feelings", title="Feelings", renamed_from=("emotions",)),
    ]
    template = SimpleNamespace(sections=sections)
    registry = SimpleNamespace(get=lambda _id: template, section_title=lambda *_a: None)
    assert section_label(registry, "team-template", "emotions") == "2 · Feelings"
    assert section_label(registry, "team-template", "") == "Title or tags"


def test_snippet_spans_survive_control_characters():
    text = snippet_text("a\x1b[31mb akut", ((8, 12),))
    assert text.plain == "a [31mb akut"
    assert text.plain[8:12] == "akut"


# -- with the real index ----------------------------------------------------------------


async def test_the_real_index_finds_swedish_without_diacritics_and_opens_at_the_hit(
    app_factory, make_case
):
    make_case("Gunnel, 52", sections={"situation": "Kom till mottagningen på fredagen."})
    case = make_case(
        "Ingrid, 84: återbesöket",
        sections={
            "situation": "Ingrid.",
            "emotions": "Hon var orolig inför återbesöket hos läkaren.",
        },
    )
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+f", *"aterbesoket")
        await until_typed(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_until(pilot, lambda: screen.shown_query == "aterbesoket", timeout=20)
        rows = [row for row in screen.rows if row.section_id == "emotions"]
        assert rows and rows[0].case_id == case.id
        assert rows[0].section == "3 · Emotions expressed"
        screen.open_row(rows[0])
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        await pilot.pause()
        assert editor.current == 2
        assert editor.editor.selected_text == "återbesöket"


async def test_a_word_typed_in_the_editor_is_found_at_once(app_factory, make_case, monkeypatch):
    # No autosave in time: Ctrl+F itself must save what was typed.
    monkeypatch.setattr(CaseEditorScreen, "AUTOSAVE_DEBOUNCE", 60.0)
    monkeypatch.setattr(CaseEditorScreen, "AUTOSAVE_MAX_DELAY", 60.0)
    case = make_case("Sven, 81", sections={})
    app = app_factory(search_at_start=True)  # open before the save: the save must reach it
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, case.id)
        await burst(pilot, *"Läkarremissen kom aldrig.")
        await until_typed(pilot)
        await burst(pilot, "ctrl+f", *"remiss")
        await until_typed(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_until(pilot, lambda: screen.shown_query == "remiss", timeout=20)
        assert [row.case_id for row in screen.rows] == [case.id]
        assert editor.session is not None and not editor.session.dirty


async def test_f1_on_the_search_screen_lists_its_keys(search_app, make_case):
    from coprod_tui.ui.screens.help import HelpScreen

    make_case("Sven, 81", sections={"situation": NIGHT})
    app = search_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "ctrl+f", *"night")
        await until_typed(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: screen.shown_query == "night")
        await pilot.press("down")  # the results have focus: their keys too
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one("#key-table")
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        shown = {(keys, does, where) for keys, does, where in rows}
        assert ("esc", "Close the search", "Search") in shown
        assert any(
            keys in ("⏎", "enter") and does == "Open the case at this hit"
            for keys, does, _w in shown
        )
        assert ("^f", "Back to the search box", "Search") in shown
