"""Tags in the workbench: the tags dialog (completion, add, remove) from the list and the
editor, and the list's ``tag:`` filter.

All people, places and tags are fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import burst, open_editor, until_stored, until_typed, wait_saved, wait_until
from textual.widgets import Input

from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.dialogs.tags import CurrentTags, TagEdit, TagsDialog, tag_counts_of
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen, CaseTable, matches, parse_filter

SIZE = (80, 24)


def tag(store, case_id: str, tags: list[str]) -> None:
    current = store.load(case_id)
    store.save(current.replace(tags=tags), base_revision=current.revision)


async def select_case(pilot, case_id: str) -> None:
    """Put the list's cursor on this case."""
    screen = pilot.app.screen
    assert isinstance(screen, CaseListScreen)
    await wait_until(pilot, lambda: case_id in screen._shown)
    table = screen.query_one(CaseTable)
    table.move_cursor(row=table.get_row_index(case_id), animate=False)
    await pilot.pause()


def listed_ids(app) -> list[str]:
    return list(app.screen._shown)


# -- the edit itself ------------------------------------------------------------------


def test_an_edit_removes_then_adds_case_insensitively_keeping_the_first_spelling():
    edit = TagEdit(add=("Demens", "hemtjänst", "fall"), remove=("ÅTERBESÖK",))
    assert edit.apply(["demens", "återbesök", "akut"]) == ["demens", "akut", "hemtjänst", "fall"]
    assert TagEdit().empty


def test_tag_counts_are_case_insensitive_and_skip_trashed_cases():
    class S:
        def __init__(self, tags, trashed=False):
            self.tags, self.trashed, self.damaged = tags, trashed, False

    counts = tag_counts_of([S(("demens", "akut")), S(("Demens",)), S(("akut",), trashed=True)])
    assert dict(counts) == {"demens": 2, "akut": 1}


def test_known_tags_are_in_swedish_order_when_the_user_writes_swedish(monkeypatch):
    monkeypatch.setenv("COPROD_LANG", "sv")

    class S:
        trashed = damaged = False

        def __init__(self, tags):
            self.tags = tags

    counts = tag_counts_of([S(("öron", "ärr", "åter", "zon", "Akut"))])
    assert [name for name, _n in counts] == ["Akut", "zon", "åter", "ärr", "öron"]


# -- the dialog from the case list ------------------------------------------------------


async def test_t_completes_from_the_stores_tags_and_right_takes_it(app_factory, make_case, store):
    tag(store, make_case("Margit, 90").id, ["hjärtsvikt", "anhörig"])
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await select_case(pilot, case.id)
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, TagsDialog)
        field = dialog.query_one("#add", Input)
        await pilot.press(*"hjä")
        await wait_until(pilot, lambda: field._suggestion == "hjärtsvikt")
        await pilot.press("right", "enter")
        await wait_until(pilot, lambda: store.load(case.id).tags == ["hjärtsvikt"])
        assert isinstance(app.screen, CaseListScreen)


async def test_delete_on_the_current_tags_removes_one(app_factory, make_case, store):
    case = make_case("Sven, 81")
    tag(store, case.id, ["demens", "hemtjänst", "fall"])
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await select_case(pilot, case.id)
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, TagsDialog)
        await pilot.press("down")
        assert dialog.focused is dialog.query_one(CurrentTags)
        await pilot.press("down", "delete")  # the second: hemtjänst
        assert dialog.current == ["demens", "fall"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.load(case.id).tags == ["demens", "fall"])


async def test_escape_changes_nothing(app_factory, make_case, store):
    case = make_case("Sven, 81")
    tag(store, case.id, ["demens"])
    revision = store.load(case.id).revision
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await select_case(pilot, case.id)
        await pilot.press("t", *"akut", "down", "delete", "escape")
        await until_stored(pilot)
        assert isinstance(app.screen, CaseListScreen)
        stored = store.load(case.id)
        assert stored.tags == ["demens"] and stored.revision == revision


async def test_a_tag_added_in_another_spelling_is_the_same_tag(app_factory, make_case, store):
    case = make_case("Sven, 81")
    tag(store, case.id, ["demens"])
    revision = store.load(case.id).revision
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await select_case(pilot, case.id)
        await pilot.press("t", *"DEMENS", "enter")
        await until_stored(pilot)
        assert store.load(case.id).tags == ["demens"]
        assert store.load(case.id).revision == revision  # nothing to save


async def test_burst_add_and_remove_in_one_go(app_factory, make_case, store):
    case = make_case("Sven, 81")
    tag(store, case.id, ["demens", "fall"])
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await select_case(pilot, case.id)
        await burst(pilot, "t", *"akut, anhörig", "down", "delete", "enter", "slash", *"tag:akut")
        await until_typed(pilot)
        await wait_until(pilot, lambda: store.load(case.id).tags == ["fall", "akut", "anhörig"])
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        assert screen.filter_text == "tag:akut"


async def test_a_tag_another_window_added_meanwhile_is_kept(app_factory, make_case, store):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await select_case(pilot, case.id)
        await pilot.press("t", *"akut")
        tag(store, case.id, ["från annat fönster"])  # saved elsewhere while the dialog is open
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.load(case.id).tags == ["från annat fönster", "akut"])


# -- the filter -----------------------------------------------------------------------


def test_the_filter_reads_tag_words():
    assert parse_filter('tag:demens akut TAG:"home care"') == (["akut"], ["demens", "home care"])


def test_a_tag_word_matches_the_whole_tag_only():
    from coprod_tui.core.store import CaseSummary

    summary = CaseSummary(
        id="00000000-0000-4000-8000-000000000001",
        title="Sven, 81: akuten på natten",
        template_id="batalden-primary-care",
        tags=("Demens", "home care"),
        updated="2024-03-12T10:00:00Z",
        filled=(),
        revision=1,
    )
    assert matches(summary, "tag:demens")
    assert matches(summary, 'tag:"home care" akuten')
    assert not matches(summary, "tag:dem")
    assert not matches(summary, "tag:demens kväll")


async def test_tag_filter_narrows_the_list_and_the_header_names_it(app_factory, make_case, store):
    both = make_case("Margit, 90")
    tag(store, both.id, ["Demens", "akut"])
    one = make_case("Sven, 81")
    tag(store, one.id, ["akut"])
    none = make_case("Ingrid, 84")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: len(listed_ids(app)) == 3)
        await pilot.press("slash", *"tag:akut")
        await wait_until(pilot, lambda: set(listed_ids(app)) == {both.id, one.id})
        assert "2 of 3 cases · tag: akut" in screen.sub_title
        await pilot.press("space", *"tag:demens")
        await wait_until(pilot, lambda: listed_ids(app) == [both.id])
        assert "tag: akut · tag: demens" in screen.sub_title
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(listed_ids(app)) == 3)
        assert none.id in listed_ids(app)
        assert "tag:" not in screen.sub_title


# -- the editor -----------------------------------------------------------------------


async def test_ctrl_t_in_the_editor_tags_the_case_and_keeps_the_text(app_factory, make_case, store):
    case = make_case("Sven, 81", sections={})
    tag(store, make_case("Margit, 90").id, ["akut"])
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, case.id)
        await burst(pilot, *"Natten.", "ctrl+t", *"ak", "right", "enter", *" Morgonen.")
        await until_typed(pilot)
        assert app.screen is screen
        await wait_until(pilot, lambda: store.load(case.id).tags == ["akut"])
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Natten. Morgonen."
        assert screen.session is not None and screen.session.case.tags == ["akut"]


async def test_edit_tags_is_in_the_editors_palette(app_factory, make_case):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, case.id)
        assert isinstance(screen, CaseEditorScreen)
        titles = {command.name for command in palette_commands(screen)}
        assert "Edit tags" in titles


# -- Swedish order ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "order"),
    [
        ("sv_SE.UTF-8", ["Anna", "Zorro", "Åke", "Ärla", "Örjan"]),
        ("en_GB.UTF-8", ["Åke", "Anna", "Ärla", "Örjan", "Zorro"]),  # å as a
    ],
)
async def test_o_sorts_the_list_by_title_in_the_users_alphabet(
    app_factory, make_case, monkeypatch, language, order
):
    monkeypatch.delenv("COPROD_LANG", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", language)
    ids = {make_case(title).id: title for title in ["Örjan", "Åke", "Zorro", "Ärla", "Anna"]}
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(listed_ids(app)) == 5)
        newest_first = listed_ids(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: [ids[i] for i in listed_ids(app)] == order)
        assert "by title" in app.screen.sub_title
        await pilot.press("slash", *"r")  # the filter keeps the order
        await wait_until(
            pilot,
            lambda: [ids[i] for i in listed_ids(app)] == [t for t in order if "r" in t.casefold()],
        )
        await pilot.press("escape", "o")
        await wait_until(pilot, lambda: listed_ids(app) == newest_first)


async def test_hash_picks_a_tag_with_counts_and_filters_the_list(
    app_factory, make_case, store, monkeypatch
):
    from coprod_tui.ui.dialogs.tags import TagPickerDialog

    monkeypatch.setenv("COPROD_LANG", "sv")
    margit = make_case("Margit, 90")
    tag(store, margit.id, ["öron", "akut"])
    sven = make_case("Sven, 81")
    tag(store, sven.id, ["Akut", "home care"])
    make_case("Ingrid, 84")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(listed_ids(app)) == 3)
        await pilot.press("number_sign")
        dialog = app.screen
        assert isinstance(dialog, TagPickerDialog)
        await wait_until(pilot, lambda: dialog.tags != [])
        assert [name.casefold() for name, _n in dialog.tags] == ["akut", "home care", "öron"]
        assert [n for _name, n in dialog.tags] == [2, 1, 1]
        await burst(pilot, "down", "enter")  # home care
        await until_typed(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await wait_until(pilot, lambda: listed_ids(app) == [sven.id])
        assert screen.filter_text == 'tag:"home care"'
        assert "tag: home care" in screen.sub_title
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(listed_ids(app)) == 3)


async def test_what_was_typed_before_the_stores_tags_came_in_is_completed_once_they_do(
    app_factory, make_case
):
    """A slow store: "ak" typed before the tags are read gets "akut" offered when they
    are, so → takes it without another key first."""
    make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        dialog = TagsDialog("Sven, 81", [], known=[])  # nothing known yet
        app.push_screen(dialog)
        await wait_until(pilot, lambda: app.screen is dialog and bool(dialog.query("#add")))
        box = dialog.query_one("#add", Input)
        await pilot.press(*"ak")
        assert box.value == "ak"
        dialog._known_read([("akut", 3)])  # the store's tags come in
        await wait_until(pilot, lambda: box._suggestion == "akut")
        await pilot.press("right")
        assert box.value == "akut"
