"""One section across cases: read it for every case, edit it in place, jump to the case.

All people and places are fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import type_keys, wait_until
from notices import notices
from textual.command import CommandPalette

from coprod_tui.core.editing import SaveState
from coprod_tui.core.store import CaseStore
from coprod_tui.ui.dialogs.conflict import ConflictScreen
from coprod_tui.ui.dialogs.prompt import TextPromptDialog
from coprod_tui.ui.screens import section_review
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.section_review import EntryList, SectionPicker, SectionReviewScreen
from coprod_tui.ui.widgets.save_status import SaveStatus
from coprod_tui.ui.widgets.section_editor import SectionEditor


@pytest.fixture(autouse=True)
def swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Swedish order (Å after Z); the short autosave delays come from conftest's fast_editor."""
    monkeypatch.setenv("COPROD_LANG", "sv")


@pytest.fixture
def three_cases(make_case, store: CaseStore):
    """Three fictional cases; Åsa's and Bertil's carry the tag 'akuten'."""
    asa = make_case(
        "Åsa, 67: the night at the emergency ward",
        sections={"lived-reality": "Åsa väntade sex timmar på akuten."},
    )
    bertil = make_case(
        "Bertil, 74: the missed referral",
        sections={"lived-reality": "Bertil lives with his daughter in Ekby (fictional)."},
    )
    zara = make_case("Zara, 30: the first visit", sections={"situation": "Only a situation."})
    store.change_tags(asa.id, ["akuten"])
    store.change_tags(bertil.id, ["akuten"])
    return asa, bertil, zara


def other_window_writes(store: CaseStore, case_id: str, **texts: str) -> None:
    other = CaseStore.open(store.path)
    theirs = other.load(case_id)
    theirs.sections.update({key.replace("_", "-"): text for key, text in texts.items()})
    assert not other.save(theirs, base_revision=theirs.revision).conflicted


def entry_titles(screen: SectionReviewScreen) -> list[str]:
    return [entry.title for entry in screen.entries or []]


def shown_prompts(screen: SectionReviewScreen) -> list[str]:
    """The entries' text as the list shows it (heading, then the section)."""
    listing = screen.query_one(EntryList)
    shown = []
    for index in range(listing.option_count):
        group = listing.get_option_at_index(index).prompt
        shown.append("\n".join(str(part) for part in group.renderables))
    return shown


async def open_review(pilot, number: int = 2) -> SectionReviewScreen:
    """From the case list: s, then pick section ``number``."""
    await pilot.pause()
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SectionReviewScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.query_one(SectionPicker).has_focus)
    await pilot.press(*["down"] * (number - 1), "enter")
    await wait_until(pilot, lambda: screen.entries is not None)
    await pilot.pause()
    return screen


async def start_editing(pilot, screen: SectionReviewScreen, index: int) -> SectionEditor:
    listing = screen.query_one(EntryList)
    listing.highlighted = index
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.inline is not None)
    editor = screen.query_one(SectionEditor)
    await wait_until(pilot, lambda: editor.has_focus)
    return editor


async def wait_entry_saved(pilot, screen: SectionReviewScreen) -> None:
    def saved() -> bool:
        inline = screen.inline
        busy = any(w.is_running for w in screen.workers)
        return inline is not None and not busy and not inline.session.dirty

    await wait_until(pilot, saved)


async def test_the_palette_opens_it_at_80x24_and_every_case_is_listed_by_title(
    app_factory, three_cases
):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Read one section")
        palette = app.screen
        await wait_until(pilot, lambda: palette.query_one("CommandList").option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionReviewScreen))
        screen = app.screen
        picker = screen.query_one(SectionPicker)
        await wait_until(pilot, lambda: picker.has_focus)
        first = str(picker.get_option_at_index(0).prompt)
        assert first.startswith("1. ")
        assert picker.option_count == 9
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: screen.entries is not None)
        # Swedish order: Å after Z.
        assert entry_titles(screen) == [
            "Bertil, 74: the missed referral",
            "Zara, 30: the first visit",
            "Åsa, 67: the night at the emergency ward",
        ]
        shown = shown_prompts(screen)
        assert "Bertil, 74" in shown[0] and "Ekby" in shown[0]
        assert "(empty)" in shown[1]
        assert "sex timmar" in shown[2]
        assert "Section 2" in str(screen.query_one("#review-title").render())


async def test_a_tag_selects_the_cases(app_factory, three_cases):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        assert len(screen.entries or []) == 3
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPromptDialog))
        await pilot.press(*"AKUTEN", "enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: len(screen.entries or []) == 2)
        assert entry_titles(screen) == [
            "Bertil, 74: the missed referral",
            "Åsa, 67: the night at the emergency ward",
        ]


async def test_an_entry_is_edited_in_place_and_saved_like_in_the_editor(
    app_factory, three_cases, store
):
    asa, _bertil, _zara = three_cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await start_editing(pilot, screen, 2)
        await type_keys(pilot, *" Sedan fick hon åka hem.")
        await wait_entry_saved(pilot, screen)
        stored = store.load(asa.id)
        assert stored.text("lived-reality") == (
            "Åsa väntade sex timmar på akuten. Sedan fick hon åka hem."
        )
        assert stored.tags == ["akuten"]  # the rest of the case is untouched
        assert screen.query_one(SaveStatus).state is SaveState.SAVED
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.inline is None)
        assert "åka hem" in shown_prompts(screen)[2]
        assert screen.query_one(EntryList).has_focus


async def test_escape_saves_at_once_and_quit_saves_an_open_entry(app_factory, three_cases, store):
    _asa, bertil, _zara = three_cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen._autosave.debounce = 60  # no autosave: leaving must save
        screen._autosave.max_delay = 60
        await start_editing(pilot, screen, 0)
        await type_keys(pilot, *" Hon hälsar på.")
        assert app.flush_editors() == []
        assert "Hon hälsar på." in store.load(bertil.id).text("lived-reality")
        await type_keys(pilot, *" Igen.")
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.inline is None)
        assert store.load(bertil.id).text("lived-reality").endswith("Hon hälsar på. Igen.")


async def test_another_windows_other_section_is_merged_not_lost(app_factory, three_cases, store):
    asa, _bertil, _zara = three_cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await start_editing(pilot, screen, 2)
        other_window_writes(store, asa.id, situation="Written in the other window.")
        await type_keys(pilot, *" Mitt.")
        await wait_entry_saved(pilot, screen)
        stored = store.load(asa.id)
        assert stored.text("situation") == "Written in the other window."
        assert stored.text("lived-reality").endswith("akuten. Mitt.")
        assert not [s for s in store.list_cases() if s.conflict_of == asa.id]


async def test_a_clash_on_the_section_is_a_conflict_decided_with_f8(
    app_factory, three_cases, store
):
    asa, _bertil, _zara = three_cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await start_editing(pilot, screen, 2)
        other_window_writes(store, asa.id, lived_reality="Their text.")
        await type_keys(pilot, *" Min text.")
        await wait_entry_saved(pilot, screen)
        assert screen.query_one(SaveStatus).state is SaveState.CONFLICT
        assert any(n.title == "Conflict" for n in notices(app))
        assert store.load(asa.id).text("lived-reality") == "Their text."
        copies = [s for s in store.list_cases() if s.conflict_of == asa.id]
        assert len(copies) == 1
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("m")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(
            pilot, lambda: store.load(asa.id).text("lived-reality").endswith("Min text.")
        )
        await wait_until(pilot, lambda: screen.query_one(SaveStatus).state is SaveState.SAVED)


async def test_o_opens_the_whole_case_at_the_section_and_back_shows_its_new_text(
    app_factory, three_cases
):
    _asa, bertil, _zara = three_cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        screen.query_one(EntryList).highlighted = 0
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        assert editor.case_id == bertil.id
        assert editor.editor.section_id == "lived-reality"
        await type_keys(pilot, *" From the editor.")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: "From the editor." in shown_prompts(screen)[0])


async def test_many_cases_are_paged_and_moving_never_mounts_editors(
    app_factory, make_case, monkeypatch
):
    monkeypatch.setattr(section_review, "PAGE_SIZE", 5)
    for number in range(12):
        make_case(f"Fall {number:02d}", sections={"lived-reality": f"Text {number}."})
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        listing = screen.query_one(EntryList)
        assert listing.option_count == 5
        assert len(screen.query(SectionEditor)) == 1  # the one inline editor, hidden
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: screen.page == 1)
        assert "Fall 05" in shown_prompts(screen)[0]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.page == 2 and listing.option_count == 2
        await pilot.press("left_square_bracket")
        assert screen.page == 1
        assert "cases 6–10 of 12" in str(screen.query_one("#review-note").render())


async def test_another_windows_save_of_the_open_entry_is_shown_before_typing(
    app_factory, three_cases, store, monkeypatch
):
    monkeypatch.setattr(SectionReviewScreen, "FOLLOW_EVERY", 0.05)
    asa, _bertil, _zara = three_cases
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        editor = await start_editing(pilot, screen, 2)
        other_window_writes(store, asa.id, lived_reality="Written in the other window.")
        await wait_until(pilot, lambda: editor.text == "Written in the other window.")
        await type_keys(pilot, *" Och här.")
        await wait_entry_saved(pilot, screen)
        assert store.load(asa.id).text("lived-reality") == "Written in the other window. Och här."


async def test_a_number_picks_the_section(app_factory, three_cases):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "2")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionReviewScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.entries is not None)
        assert screen.section_id == "lived-reality"


async def test_a_search_selects_the_cases_best_first(app_factory, three_cases):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPromptDialog))
        await pilot.press(*"ekby", "enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: screen.search == "ekby" and screen.entries is not None)
        await wait_until(pilot, lambda: entry_titles(screen) == ["Bertil, 74: the missed referral"])
        assert "search ekby" in str(screen.query_one("#review-title").render())


async def test_a_search_it_cannot_read_is_one_line_not_a_crash(app_factory, three_cases):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPromptDialog))
        await pilot.press(*'"ont i', "enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: screen.entries == [])
        note = str(screen.query_one("#review-note").render())
        assert "quote is not closed" in note and "\n" not in note


async def test_every_key_is_in_the_palette_and_in_help(app_factory, three_cases):
    from test_help import expected_rows, help_rows, shown_pairs
    from test_keys import _assert_every_binding_is_a_command

    from coprod_tui.ui.screens.help import HelpScreen

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        titles = _assert_every_binding_is_a_command(screen)
        assert "Edit this entry here" in titles and "Only the cases a search finds" in titles
        expected = expected_rows(app, screen)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = help_rows(app.screen)
        assert shown_pairs(rows) == expected
        assert any(where == "Section review" for _k, _d, where in rows)


class TestARenamedSection:
    """A team template that renamed 'lived-reality' to 'lived-experience' (renamed_from)."""

    @pytest.fixture
    def templates(self, tmp_path):
        from pathlib import Path

        from coprod_tui.core.template.registry import discover_templates

        shipped = Path(__file__).parents[2] / "schema" / "batalden-primary-care.yaml"
        text = shipped.read_text(encoding="utf-8")
        text = text.replace("id: batalden-primary-care\n", "id: ekby-team\n", 1)
        text = text.replace(
            "  - id: lived-reality\n",
            "  - id: lived-experience\n    renamed_from: [lived-reality]\n",
            1,
        )
        folder = tmp_path / "team-templates"
        folder.mkdir()
        (folder / "ekby-team.yaml").write_text(text, encoding="utf-8")
        return discover_templates(user_dir=folder, env={})

    async def test_its_cases_are_read_and_edited_under_their_own_id(
        self, app_factory, store, templates
    ):
        from coprod_tui.core.case import new_case

        team = templates.get("ekby-team")
        case = new_case("Gunnel, 52: the night calls", team)
        case.sections = {"lived-experience": "Gunnel ringer varje natt."}
        stored = store.create(case)
        app = app_factory()
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_review(pilot)  # section 2 of the default template
            assert entry_titles(screen) == ["Gunnel, 52: the night calls"]
            assert "ringer varje natt" in shown_prompts(screen)[0]
            await start_editing(pilot, screen, 0)
            await type_keys(pilot, *" Nu mer sällan.")
            await wait_entry_saved(pilot, screen)
            saved = store.load(stored.id)
            assert saved.text("lived-experience") == "Gunnel ringer varje natt. Nu mer sällan."
            assert "lived-reality" not in saved.sections


async def test_while_reading_it_says_how_many_cases(app_factory, three_cases, monkeypatch):
    import threading

    from coprod_tui.core import cross_case

    release = threading.Event()
    real = cross_case.section_across_cases

    def slow(*args, **kwargs):
        release.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(cross_case, "section_across_cases", slow)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "2")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionReviewScreen))
        screen = app.screen
        await wait_until(
            pilot, lambda: "Reading 3 cases…" in str(screen.query_one("#review-note").render())
        )
        await pilot.press("down")  # keys work meanwhile
        release.set()
        await wait_until(pilot, lambda: screen.entries is not None)
