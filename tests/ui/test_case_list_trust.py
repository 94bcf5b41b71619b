"""A case list you can trust with many patients (issue 7, point 10) and the trash's purge.

The highlight stays on the same case whatever refreshes the list; a delete
moves it to the neighbour, never to row 1; Home/End/PageUp/PageDown move it;
titles get the free width; conflict copies are marked at every width; the
list follows other writers by itself and its times age. All people are fictional.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from editor_helpers import wait_until

import coprod_tui.ui.screens.case_list as case_list
from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.store import CaseStore
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CONFLICT_MARKER, CaseListScreen, CaseTable
from coprod_tui.ui.screens.trash import TrashScreen

TITLE_40 = "Margit, 78: breathless at home at night"  # 39 ...
TITLE_40 += "."  # ... 40 characters
assert len(TITLE_40) == 40


def table_lines(app) -> list[str]:
    table = app.screen.query_one(CaseTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def highlighted(app) -> str | None:
    home = app.screen_stack[0]
    assert isinstance(home, CaseListScreen)
    return home.selected_case_id()


def make_many(make_case, count: int) -> list[str]:
    """``count`` cases; returns their ids in the list's order (newest first)."""
    cases = [make_case(f"Patient {n:02d}, fictional") for n in range(count)]
    summaries = [
        case_list.CaseSummary(c.id, c.title, c.template_id, (), c.updated, (), 1) for c in cases
    ]
    return [s.id for s in sorted(summaries, key=case_list._sort_key, reverse=True)]


def listed_ids(app) -> list[str]:
    return [summary.id for summary in app.screen_stack[0].visible_summaries()]


# -- the highlight ----------------------------------------------------------------------


async def test_delete_moves_the_highlight_to_the_next_case_never_to_row_1(
    app_factory, make_case, store
):
    make_many(make_case, 4)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        order = listed_ids(app)
        await pilot.press("down", "down")  # the third case
        assert highlighted(app) == order[2]
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: order[2] not in listed_ids(app))
        assert highlighted(app) == order[3]  # the next row, not row 1
        # The last row: the highlight goes to the previous one.
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: order[3] not in listed_ids(app))
        assert highlighted(app) == order[1]
        assert {s.id for s in store.list_trash()} == {order[2], order[3]}
        assert [s.id for s in store.list_cases()] == order[:2]


async def test_after_creating_a_case_and_escape_the_new_case_is_highlighted(
    app_factory, make_case, store
):
    make_many(make_case, 3)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("end")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Rune, 88", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        new_id = app.screen.case_id
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await pilot.pause()
        assert highlighted(app) == new_id
        assert store.load(new_id).title == "Rune, 88"


async def test_coming_back_from_the_editor_keeps_the_case_just_open(app_factory, make_case):
    make_many(make_case, 5)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        order = listed_ids(app)
        await pilot.press("down", "down", "down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        await pilot.press(*"Edited.")  # the case moves to the top of the list
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await pilot.pause()
        assert highlighted(app) == order[3]


async def test_home_end_page_up_and_page_down_move_the_highlight(app_factory, make_case):
    order = make_many(make_case, 40)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert listed_ids(app) == order
        await pilot.press("end")
        assert highlighted(app) == order[-1]
        await pilot.press("home")
        assert highlighted(app) == order[0]
        await pilot.press("pagedown")
        paged = order.index(highlighted(app))
        assert paged >= 10  # a screenful (about 18 rows at 24 lines) down
        await pilot.press("pagedown")
        assert order.index(highlighted(app)) > paged
        await pilot.press("pageup")
        assert order.index(highlighted(app)) == paged or order.index(highlighted(app)) < paged + 2
        await pilot.press("pageup", "pageup")
        assert highlighted(app) == order[0]


async def test_end_reaches_the_last_case_while_rows_are_still_filling_in(
    app_factory, make_case, monkeypatch
):
    monkeypatch.setattr(case_list, "FIRST_ROWS", 2)
    monkeypatch.setattr(case_list, "MORE_ROWS", 2)
    order = make_many(make_case, 12)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        assert highlighted(app) == order[-1]


# -- widths -----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_a_40_character_title_shows_whole(app_factory, make_case, width):
    make_case(TITLE_40)
    app = app_factory()
    async with app.run_test(size=(width, 24)) as pilot:
        # The rows come from a worker: on a busy machine after more than one pause.
        await wait_until(pilot, lambda: any(TITLE_40 in line for line in table_lines(app)))
        table = app.screen.query_one(CaseTable)
        # The table's sizes settle on the next idle after its rows come (on a busy
        # machine a frame later than the text): wait for that, then they must fit.
        await wait_until(
            pilot, lambda: table.virtual_size.width <= table.scrollable_content_region.width
        )
        text = "\n".join(table_lines(app))
        assert "0/9" in text or "2/9" in text  # progress stays readable
        assert "just now" in text or "ago" in text or "Mar" in text


async def test_the_template_column_shows_a_short_name_or_folds_away(app_factory, make_case):
    make_case("Leyla, 34")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = table_lines(app)[0]
        assert "Template" not in header and "Title" in header and "Updated" in header
        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: "Template" in table_lines(app)[0])
        assert "English" in "\n".join(table_lines(app))
        assert "batalden-primary-care" not in "\n".join(table_lines(app))


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_a_conflict_copy_is_marked_at_every_width(app_factory, make_case, store, width):
    case = make_case("Sven, 81: the pill box and the Sunday visits, again and again")
    store.save(set_section_text(case, "emotions", "First window."), base_revision=case.revision)
    result = store.save(
        set_section_text(case, "emotions", "Second window."), base_revision=case.revision
    )
    assert result.conflicted
    app = app_factory()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        lines = [line for line in table_lines(app) if "Sven" in line]
        assert len(lines) == 2
        assert sum(CONFLICT_MARKER.strip() in line for line in lines) == 1


# -- following the store ----------------------------------------------------------------


@pytest.fixture
def quick_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """The list looks for other writers every 0.1 s instead of 1.5 s (the same poll)."""
    monkeypatch.setattr(case_list, "POLL_SECONDS", 0.1)


async def test_the_list_follows_another_writer_without_moving_the_highlight(
    app_factory, quick_poll, make_case, store, templates
):
    order = make_many(make_case, 3)
    other = CaseStore.open(store.path, templates=templates)  # another window, the CLI
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        assert highlighted(app) == order[1]
        added = other.create(new_case("Rune, 88: written elsewhere", templates.default()))
        renamed = other.load(order[2])
        other.save(renamed.replace(title="Renamed elsewhere"), base_revision=renamed.revision)
        await wait_until(pilot, lambda: added.id in listed_ids(app), timeout=10)
        await wait_until(
            pilot, lambda: any("Renamed elsewhere" in line for line in table_lines(app))
        )
        assert highlighted(app) == order[1]
        # Trashed elsewhere: the highlight moves to its neighbour, not to row 1.
        before = listed_ids(app)
        at = before.index(order[1])
        neighbour = before[at + 1] if at + 1 < len(before) else before[at - 1]
        other.trash(order[1])
        await wait_until(pilot, lambda: order[1] not in listed_ids(app), timeout=10)
        assert highlighted(app) == neighbour


async def test_following_the_store_keeps_the_filter(
    app_factory, quick_poll, make_case, store, templates
):
    make_case("Sven, 81: the pill box")
    make_case("Arvid, 70: the stairs")
    other = CaseStore.open(store.path, templates=templates)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"sven", "enter")
        await pilot.pause()
        assert len(listed_ids(app)) == 1
        other.create(new_case("Sven, 81: the second visit", templates.default()))
        other.create(new_case("Gunnel, 52", templates.default()))
        await wait_until(pilot, lambda: len(listed_ids(app)) == 2, timeout=10)
        screen = app.screen
        assert screen.filter_text == "sven"
        assert screen.sub_title == "2 of 4 cases"
        assert not any("Gunnel" in line for line in table_lines(app))


async def test_the_poll_reads_the_store_off_the_event_loop(
    app_factory, quick_poll, make_case, monkeypatch
):
    import threading

    make_case("Sven, 81")
    app = app_factory()
    threads: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        store = app.store
        real = store.list_cases

        def spying(*args, **kwargs):
            threads.append(threading.current_thread().name)
            return real(*args, **kwargs)

        monkeypatch.setattr(store, "list_cases", spying)
        app.screen._folder_stamp = "changed"  # force a look
        await wait_until(pilot, lambda: threads, timeout=10)
        assert threading.main_thread().name not in threads


async def test_relative_times_age_on_a_timer(app_factory, make_case, monkeypatch):
    monkeypatch.setattr(case_list, "AGE_SECONDS", 0.05)
    # Saved at noon, so "2 h ago" is still the same day (from real time, after 22:00
    # it was "yesterday", and the test failed every evening).
    from coprod_tui.core.store import documents

    monkeypatch.setattr(documents, "utc_now", lambda: "2024-03-12T12:00:00Z")
    make_case("Sven, 81")
    now = [datetime(2024, 3, 12, 12, 0, 20, tzinfo=UTC)]
    app = app_factory(clock=lambda: now[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("just now" in line for line in table_lines(app))
        now[0] += timedelta(minutes=3, seconds=5)
        await wait_until(pilot, lambda: any("3 min ago" in line for line in table_lines(app)))
        now[0] += timedelta(hours=2)
        await wait_until(pilot, lambda: any("2 h ago" in line for line in table_lines(app)))


# -- the trash: last deleted first, delete for good, empty --------------------------------


async def test_trash_lists_the_last_deleted_first_with_when(app_factory, make_case, store):
    first = make_case("Deleted first, edited last")
    second = make_case("Deleted second")
    store.trash(first.id)
    store.trash(second.id)
    app = app_factory(clock=lambda: datetime.now(UTC))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        await pilot.pause()
        trash = app.screen
        assert [s.id for s in trash.trashed] == [second.id, first.id]
        table = trash.query_one("#trashed")
        header = table.render_line(0).text
        assert "Deleted" in header
        assert "just now" in table.render_line(1).text


async def test_delete_for_good_asks_then_erases_and_keeps_the_neighbour(
    app_factory, make_case, store
):
    ids = [make_case(f"Trashed {n}").id for n in range(3)]
    for case_id in ids:
        store.trash(case_id)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        trash = app.screen
        order = [s.id for s in trash.trashed]
        await pilot.press("down", "d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "for good" in str(app.screen.query_one("#question").render())
        await pilot.press("n")  # changed my mind
        await pilot.pause()
        assert len(store.list_trash()) == 3
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: len(trash.trashed) == 2)
        assert order[1] not in {s.id for s in store.list_cases(include_trashed=True)}
        assert not (store.path / "history" / order[1]).exists()
        assert trash.selected_case_id() == order[2]


async def test_empty_trash_names_how_many_go_for_good(app_factory, make_case, store):
    keep = make_case("Arvid, 70: still active")
    for n in range(3):
        store.trash(make_case(f"Trashed {n}").id)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert "3 cases" in str(dialog.query_one("#question").render())
        assert "Delete 3 cases for good" in str(dialog.query_one("#ok").render())
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        await wait_until(pilot, lambda: store.list_trash() == [])
        assert app.screen.query_one("#empty").display
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        assert [s.id for s in store.list_cases(include_trashed=True)] == [keep.id]


async def test_empty_trash_from_the_palette(app_factory, make_case, store):
    store.trash(make_case("Trashed").id)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.action_empty_trash()  # what the palette's "Empty trash" runs
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "1 case" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await wait_until(pilot, lambda: store.list_trash() == [])
        from coprod_tui.ui.commands import palette_commands

        names = [c.name for c in palette_commands(app.screen)]
        assert "Empty trash" in names


async def test_progress_counts_text_under_a_renamed_sections_old_id(tmp_path):
    """A team renamed a section's id; the list counts it as the editor shows it."""
    from coprod_tui.core.case import new_case
    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import discover_templates
    from coprod_tui.ui.launch import create_app

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "renamed.yaml").write_text(
        "id: renamed-team\nversion: 2\ntitle: Renamed (fictional)\nlanguage: en\n"
        "source: invented\nsections:\n"
        "  - id: situation\n    title: Situation\n    questions: [What happened?]\n"
        "  - id: whole-picture\n    title: The whole picture\n    renamed_from: [old-picture]\n"
        "    questions: [What do we see?]\n",
        encoding="utf-8",
    )
    templates = discover_templates(user_dir=folder, env={})
    store = CaseStore.open(tmp_path / "store", templates=templates)
    case = new_case("Fictional: renamed section", templates.get("renamed-team"))
    case.sections = {"situation": "Seen.", "old-picture": "Written under the old id."}
    store.create(case)
    app = create_app(store, templates, handle_signals=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("CaseTable")
        row = [str(cell) for cell in table.get_row_at(0)]
        assert any("2/2" in cell for cell in row)
