"""The workbench keeps full garbage collections out of the time a key takes (ui/heap.py).

What a user would notice: a key or a screen change that now and then takes
two or three times as long, because CPython walked every object of a large
store in the middle of it; and, over a working day, an editor left behind in
memory for every case opened. The timings are in ``bench/insights.py``; here
the mechanisms: what is frozen and when, when a full collection runs, and
that closed editors really go.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from editor_helpers import open_editor, wait_until

from coprod_tui.ui import heap
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.widgets.section_editor import SectionEditor


@pytest.fixture
def frozen_as_before() -> Iterator[None]:
    """Whatever a test freezes or unfreezes, the suite's own freeze is back after it."""
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.collect()
    gc.freeze()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def full_collections() -> tuple[list[int], object]:
    """A list that grows by one for every full collection, and the callback to remove."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(note)
    return seen, note


def test_settle_freezes_once_per_process(
    frozen_as_before: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(heap, "_settled", False)
    gc.unfreeze()
    keep = [[n] for n in range(10)]  # alive, so frozen
    assert heap.settle() is True
    assert gc.get_freeze_count() >= len(keep)
    gc.unfreeze()
    assert heap.settle() is False  # once per process: a second app freezes nothing
    assert gc.get_freeze_count() == 0


def test_full_collections_wait_for_a_pause_in_the_typing(frozen_as_before: None) -> None:
    clock = Clock()
    collector = heap.QuietCollector(clock)
    collector.due = lambda: True  # type: ignore[method-assign]
    before = gc.get_threshold()
    seen, note = full_collections()
    try:
        assert collector.tick() is False  # not started: CPython decides as usual
        collector.start()
        assert gc.get_threshold()[:2] == before[:2]  # young collections as before
        assert gc.get_threshold()[2] == collector.HOLD
        collector.key_seen()
        clock.now += collector.QUIET / 2
        assert collector.tick() is False and not seen  # keys are coming: not now
        clock.now += collector.QUIET
        assert collector.tick() is True and len(seen) == 1  # a second of quiet: now
        collector.stop()
        assert gc.get_threshold() == before
    finally:
        gc.callbacks.remove(note)
        collector.stop()


def test_a_long_burst_of_typing_cannot_put_a_due_collection_off_for_ever(
    frozen_as_before: None,
) -> None:
    clock = Clock()
    collector = heap.QuietCollector(clock)
    collector.due = lambda: True  # type: ignore[method-assign]
    collector.start()
    try:
        ran = []
        for _second in range(int(collector.LONGEST) + 2):
            collector.key_seen()  # a key every second, never a pause
            ran.append(collector.tick())
            clock.now += 1.0
        assert ran.count(True) == 1
        assert ran.index(True) >= int(collector.LONGEST) - 1
    finally:
        collector.stop()


def test_nothing_runs_when_no_collection_is_due(frozen_as_before: None) -> None:
    clock = Clock()
    collector = heap.QuietCollector(clock)
    collector.due = lambda: False  # type: ignore[method-assign]
    collector.start()
    try:
        clock.now += 1000
        assert collector.tick() is False
    finally:
        collector.stop()


async def test_closed_editors_are_not_kept_by_the_app(app_factory, make_case) -> None:
    """Each case opened used to leave its nine section editors, and their text, behind.

    Textual's ``TextArea`` watches the app's theme and its watcher stayed on the
    app until the theme changed, holding the editor for as long as the app ran.
    (A cancelled timer may still hold a closed screen until its time comes: that
    ends by itself, so it is not counted here.)
    """
    ids = [make_case(f"Fictional case {n}").id for n in range(3)]
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        for case_id in ids:
            editor = await open_editor(pilot, case_id)
            for _ in range(8):  # each section's editor is mounted on its first visit
                await pilot.press("ctrl+pagedown")
            await pilot.pause()
            assert len(editor.query(SectionEditor)) == 9
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await pilot.pause()
        watchers = getattr(app, "__watchers", {})
        kept = [
            w for listed in watchers.values() for w in listed if isinstance(w[0], SectionEditor)
        ]
        assert kept == []


async def test_the_case_list_freezes_its_reading_once_shown(
    app_factory, make_case, frozen_as_before: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case()
    monkeypatch.setattr(heap, "_settled", False)
    app = app_factory()
    gc.unfreeze()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.summaries is not None and screen._fill_complete())
        assert heap._settled
        assert gc.get_freeze_count() > 0
        assert app.collector.started
        assert gc.get_threshold()[2] == app.collector.HOLD
    assert not app.collector.started  # the app ended: CPython's thresholds are back
    assert gc.get_threshold()[2] != app.collector.HOLD
