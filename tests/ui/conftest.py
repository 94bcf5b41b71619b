"""Shared fixtures for the UI tests: a private store with fictional cases,
the shipped templates, a fixed clock and an app factory.

Everything here is invented: the people, places and clinics do not exist.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from editor_helpers import open_editor
from notices import record_notifications

from coprod_tui.core.case import Case, new_case
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template.registry import TemplateRegistry, discover_templates
from coprod_tui.ui.screens.case_editor import CaseEditorScreen

#: The tests' "now": 12 March 2024, 14:03:12 UTC.
FIXED_NOW = datetime(2024, 3, 12, 14, 3, 12, tzinfo=UTC)

#: A short, fictional case used across the editor tests.
SAMPLE_SECTIONS = {
    "situation": (
        "Tallbacka health centre (fictional), a Monday morning. I am the district "
        "nurse on the phone line when Sven's son calls about his father."
    ),
    "lived-reality": (
        "Sven, 81 (fictional), lives alone on a farm since his wife died. His son "
        "visits on Sundays and keeps the pill box filled."
    ),
}
SAMPLE_FIELDS = {"setting": "Tallbacka health centre (fictional)", "role": "District nurse"}


def fixed_clock() -> datetime:
    return FIXED_NOW


@pytest.fixture
def templates(tmp_path: Path) -> TemplateRegistry:
    """The shipped templates only (no user or team folders)."""
    return discover_templates(user_dir=tmp_path / "no-user-templates", env={})


@pytest.fixture
def store(tmp_path: Path, templates: TemplateRegistry) -> Iterator[CaseStore]:
    """A fresh private store in a temporary folder."""
    folder = tmp_path / "store"
    store = CaseStore.open(folder, templates=templates)
    yield store
    store.close()


@pytest.fixture
def make_case(store: CaseStore, templates: TemplateRegistry) -> Callable[..., Case]:
    """Store a fictional case and return it (at revision 1)."""

    def make(
        title: str = "Sven, 81: the pill box and the Sunday visits",
        *,
        sections: dict[str, str] | None = None,
        fields: dict[str, str] | None = None,
        orphans: dict[str, str] | None = None,
        template_id: str | None = None,
    ) -> Case:
        template = templates.default()
        case = new_case(title, template, fields=SAMPLE_FIELDS if fields is None else fields)
        case.sections = dict(SAMPLE_SECTIONS if sections is None else sections)
        case.orphans = dict(orphans or {})
        if template_id is not None:
            case.template_id = template_id
        return store.create(case)

    return make


#: The tests' autosave pause and deadline. Longer than the time Pilot takes
#: between two pressed keys (40-150 ms), so text typed key by key is saved once
#: after it, not once per key (each save costs ~0.1 s), and still short enough
#: that a test waiting for the autosave waits little.
TEST_DEBOUNCE, TEST_MAX_DELAY = 0.25, 1.0


@pytest.fixture(autouse=True)
def shorter_idle_waits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot's idle wait looks at the process in 10 ms steps instead of Textual's 20 ms.

    ``pilot.press`` waits for the app to go idle twice per key and
    ``pilot.pause()`` once: each wait sleeps at least one step, and is over when
    a step used under 5 % of it in CPU time. Textual's 20 ms step made every
    pressed key cost 40 ms or more of sleep; the same 5 % rule over 10 ms steps
    still waits for all the work a key sets off (its CPU keeps the wait going),
    at half the floor. What a test checks after a wait is unchanged; anything
    done off the loop is waited for by the helpers' polls, as before.

    Snapshot tests keep Textual's own pace: a picture is taken after the last
    pause, and a render still scheduled then (a table's cursor) would differ.
    """
    if "snap_compare" in request.fixturenames:
        return
    try:
        from textual import _wait
    except ImportError:  # Textual moved its private helper: keep its own pace
        return
    if hasattr(_wait, "SLEEP_GRANULARITY") and hasattr(_wait, "SLEEP_IDLE"):
        step = 0.01
        monkeypatch.setattr(_wait, "SLEEP_GRANULARITY", step)
        monkeypatch.setattr(_wait, "SLEEP_IDLE", step / 20.0)


@pytest.fixture(autouse=True)
def fast_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short autosave delays and no cursor blink, so tests are quick and stable."""
    from coprod_tui.ui.screens.section_review import SectionReviewScreen

    for screen in (CaseEditorScreen, SectionReviewScreen):
        monkeypatch.setattr(screen, "AUTOSAVE_DEBOUNCE", TEST_DEBOUNCE)
        monkeypatch.setattr(screen, "AUTOSAVE_MAX_DELAY", TEST_MAX_DELAY)
        monkeypatch.setattr(screen, "RETRY_DELAY", 0.1)
        monkeypatch.setattr(screen, "CURSOR_BLINK", False)


@pytest.fixture
def app_factory(store: CaseStore, templates: TemplateRegistry) -> Callable[..., object]:
    """Build the real app (the same factory ``coprod`` uses) on the test store."""
    from coprod_tui.ui.launch import create_app

    def make(*, search_at_start: bool = False, **kwargs: object) -> object:
        """``search_at_start``: open the index a moment after start-up, as ``coprod`` does.

        Off by default: most tests never search, and opening (building) the
        index in a thread, then indexing every save, costs CPU that keeps
        Pilot's idle waits waiting. Search still works without it (the first
        search opens the index); tests of the index following saves turn it on.
        """
        kwargs.setdefault("clock", fixed_clock)
        kwargs.setdefault("handle_signals", False)
        app = create_app(store, templates, **kwargs)  # type: ignore[arg-type]
        if not search_at_start and app.search_source is not None:
            app.search_source.start_delay = None
        record_notifications(app)  # read with notices(app)
        return app

    return make


@pytest.fixture
def editing(app_factory: Callable[..., object], make_case: Callable[..., Case]):
    """Store a fictional case and open it in the editor of a running app.

    ``async with editing(sections={}) as (app, pilot, screen, case):`` takes
    :func:`make_case`'s arguments, and ``size`` for the terminal (120×40).
    """

    @contextlib.asynccontextmanager
    async def run(
        *args: object, size: tuple[int, int] = (120, 40), **kwargs: object
    ) -> AsyncIterator:
        case = make_case(*args, **kwargs)
        app = app_factory()
        async with app.run_test(size=size) as pilot:  # type: ignore[attr-defined]
            yield app, pilot, await open_editor(pilot, case.id), case

    return run


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the editor remembers positions: a temporary folder, never the user's cache.

    Each test gets its own (positions must not leak from one test to the next),
    seeded with the suite's parsed-template cache so templates are not parsed again.
    """
    import os
    import shutil

    from coprod_tui.core.template.cache import CACHE_FILE

    cache = tmp_path / "cache"
    folder = cache / "coprod"
    folder.mkdir(parents=True, mode=0o700)
    shared = os.environ.get("COPROD_CACHE")
    if shared and (Path(shared) / CACHE_FILE).is_file():
        shutil.copy2(Path(shared) / CACHE_FILE, folder / CACHE_FILE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("COPROD_CACHE", str(folder))
    return cache
