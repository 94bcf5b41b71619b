"""Insights in the workbench: opening the Insights screen, and following a link.

    python bench/insights.py [--cases 10000] [--insights 1000] [--rounds 7]

Target (issue 10, point 8): at 10,000 cases and 1,000 insights, opening the
Insights screen and following a link each take <= 100 ms. Both are measured on
the real workbench headless (``App.run_test``, 120x40), from the key to the
screen painted with its answer:

- *open*: ``i`` on the case list until the first frame written that shows
  the Insights screen with its first rows and its keys;
- *follow*: Enter on an insight's link until the first frame written that
  shows the editor at that case and section with the quote selected and
  painted in its rows (read back from the screen), and its keys.

Beside them, the floor in the same run: a bare Textual app pushing a screen
of one Static on a key, until painted (what any screen change costs on this
machine), and the ratios to it. The store (cases with ``bench/search.py``'s
generator, insights through the store's own writer, each linking three cases
with a quote) is made in a temporary folder (``BENCH_DIR`` says where) and
removed after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_MS = 100.0
PATIENCE = 120.0
SIZE = (120, 40)


async def _until(predicate: Any, timeout: float = PATIENCE) -> None:
    """Poll every millisecond (a coarser poll would add to the time measured)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the workbench did not answer in time")
        await asyncio.sleep(0.001)


class Frames:
    """The first frame the app writes to its terminal (headless: to nowhere) that shows a state.

    A callback after the next refresh is not a frame: Textual runs it as soon
    as the screen is idle, which can be before the frame that shows a widget
    mounted a moment earlier. Polling for the state and taking the next frame
    is late instead: the poll may see the state only after the frame showing
    it. So the state is checked as each frame is written (``App._display``,
    Textual's private hook for writing one, wrapped on the instance only to
    look): the first frame after which it holds is the one that showed it.
    """

    def __init__(self, app: Any) -> None:
        self._predicate: Any = None
        self._shown_at: float | None = None
        write = app._display

        def counted(screen: Any, renderable: Any) -> None:
            write(screen, renderable)
            written = time.perf_counter()  # before the check, which reads the screen back
            # None: nothing changed, nothing written.
            if renderable is not None and self._predicate is not None and self._predicate():
                self._shown_at = written
                self._predicate = None

        app._display = counted

    async def shown(self, predicate: Any) -> float:
        """The time of the first frame written (from now) after which ``predicate()`` holds."""
        self._shown_at = None
        self._predicate = predicate
        await _until(lambda: self._shown_at is not None)
        assert self._shown_at is not None
        return self._shown_at


def _footer_keys(screen: Any) -> bool:
    """The screen's footer shows its keys (drawn once the screen's keys are known)."""
    from coprod_tui.ui.widgets.key_footer import KeyFooter

    return any(footer.keys for footer in screen.query(KeyFooter))


def _followed(editor: Any) -> bool:
    """The editor is built at the linked section, the quote in view, its keys shown."""
    return bool(editor._built) and _quote_in_view(editor) and _footer_keys(editor)


def _quote_in_view(editor: Any) -> bool:
    """The selected quote is painted in the editor's rows, as the user sees them.

    Read back from the screen, not from the editor's model: before its first
    layout the editor has not wrapped its text, and every quote would seem
    to be on the first row.
    """
    section = editor.editor
    quote = " ".join(section.selected_text.split())
    if not quote:
        return False
    region = section.content_region
    strips = editor._compositor.render_strips()
    rows = [
        "".join(segment.text for segment in strips[y].crop(region.x, region.right))
        for y in range(region.y, min(region.bottom, len(strips)))
    ]
    return quote in " ".join(" ".join(rows).split())


def make_store(base: Path, cases: int, insights: int) -> Path:
    """``cases`` generated cases and ``insights`` insights linking three of them each."""
    from search import make_cases  # bench/search.py's generator

    from coprod_tui.core.insights.anchoring import make_link
    from coprod_tui.core.insights.model import new_insight
    from coprod_tui.core.insights.store import insights_of
    from coprod_tui.core.store import CaseStore

    path = base / "store"
    store = CaseStore.open(path, create=True)
    made = make_cases(cases)
    store.import_cases(made)
    rng = random.Random(7)
    writer = insights_of(store)
    for number in range(insights):
        links = []
        for case in rng.sample(made, 3):
            section = rng.choice(sorted(case.sections))
            text = case.sections[section]
            start = rng.randrange(0, max(1, len(text) - 40))
            links.append(make_link(case, section, text[start : start + 30], start=start))
        writer.create(
            new_insight(
                f"Fictional insight {number}",
                text="What the cases show together (fictional).",
                tags=[f"tema-{number % 11}"],
                links=links,
            )
        )
    store.close()
    return path


async def _floor(rounds: int) -> list[float]:
    """A bare Textual app: a key pushes a screen of one Static; until painted."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Static

    class Bare(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("bare")

    class FloorApp(App[None]):
        BINDINGS = [("i", "bare", "Bare")]

        def action_bare(self) -> None:
            self.push_screen(Bare())

    from textual import events

    samples = []
    app = FloorApp()
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        for _ in range(rounds + 1):
            await pilot.pause(0.05)
            start = time.perf_counter()
            app.post_message(events.Key("i", "i"))
            painted = await frames.shown(lambda: isinstance(app.screen, Bare))
            samples.append((painted - start) * 1000)
            app.pop_screen()
    return samples[1:]


async def _workbench(path: Path, rounds: int) -> tuple[list[float], list[float]]:
    from textual import events

    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import discover_templates
    from coprod_tui.ui.launch import create_app
    from coprod_tui.ui.positions import Positions
    from coprod_tui.ui.screens.case_editor import CaseEditorScreen
    from coprod_tui.ui.screens.case_list import CaseListScreen
    from coprod_tui.ui.screens.insight_detail import InsightDetailScreen
    from coprod_tui.ui.screens.insights import InsightsScreen

    templates = discover_templates(store_dir=path)
    store = CaseStore.open(path, templates=templates)
    opens: list[float] = []
    follows: list[float] = []
    pushes: list[float] = []
    editor_pushes: list[float] = []
    try:
        app = create_app(store, templates, handle_signals=False)
        # Where each followed case was left goes with the throwaway store, not the user's cache.
        app.positions = Positions(path.parent / "positions.json")  # type: ignore[attr-defined]
        # No search index: its first build (bench/search.py measures it) would compete here.
        app.search_source = None
        async with app.run_test(size=SIZE) as pilot:
            frames = Frames(app)
            home = app.screen
            assert isinstance(home, CaseListScreen)
            await _until(lambda: home.summaries is not None)
            await pilot.pause()
            for _ in range(rounds + 1):
                # As a user finds it: the list read and its table filled (it fills in
                # batches after each refresh), nothing running.
                await _until(lambda: not any(w.is_running for w in app.workers))
                await _until(home._fill_complete)
                await pilot.pause(0.3)
                start = time.perf_counter()
                app.post_message(events.Key("i", "i"))
                await _until(lambda: isinstance(app.screen, InsightsScreen))
                pushes.append((time.perf_counter() - start) * 1000)
                painted = await frames.shown(
                    lambda: (
                        app.screen.insights is not None
                        and bool(app.screen.shown)
                        and app.screen.query_one("#insights-table").row_count > 0
                        and _footer_keys(app.screen)
                    )
                )
                opens.append((painted - start) * 1000)
                screen = app.screen
                assert len(screen.shown) > 0
                # Open the highlighted insight's detail (not timed), then follow its first link.
                screen.action_open()
                await _until(lambda: isinstance(app.screen, InsightDetailScreen))
                detail: Any = app.screen
                await _until(lambda: bool(detail.views))  # noqa: B023 - awaited here
                await pilot.pause(0.05)
                start = time.perf_counter()
                app.post_message(events.Key("enter", "\r"))
                await _until(lambda: isinstance(app.screen, CaseEditorScreen))
                editor_pushes.append((time.perf_counter() - start) * 1000)
                editor: Any = app.screen
                painted = await frames.shown(partial(_followed, editor))
                follows.append((painted - start) * 1000)
                # Back to the case list for the next round (not timed), and quiet.
                while not isinstance(app.screen, CaseListScreen):
                    app.pop_screen()
                    await pilot.pause()
    finally:
        store.close()
    print(
        f"  of which: the key until the Insights screen is pushed "
        f"{statistics.median(pushes[1:]):.1f} ms (the case list's part); Enter until "
        f"the editor is pushed {statistics.median(editor_pushes[1:]):.1f} ms"
    )
    return opens[1:], follows[1:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--insights", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="coprod-insights-bench-", dir=os.environ.get("BENCH_DIR")))
    try:
        began = time.perf_counter()
        print(f"making {args.cases} cases and {args.insights} insights in {base} …")
        path = make_store(base, args.cases, args.insights)
        print(f"  made in {time.perf_counter() - began:.0f} s")
        floor = statistics.median(asyncio.run(_floor(args.rounds)))
        opens, follows = asyncio.run(_workbench(path, args.rounds))
        opened, followed = statistics.median(opens), statistics.median(follows)
        print(f"bare Textual app, a key to a screen painted: {floor:6.1f} ms (the floor)")
        for name, took in (("open the Insights screen", opened), ("follow a link", followed)):
            verdict = "ok" if took <= TARGET_MS else "over"
            print(
                f"{name:26s} {took:6.1f} ms  ({took / floor:4.1f}× the floor; "
                f"target ≤ {TARGET_MS:.0f} ms: {verdict})"
            )
        return 0 if opened <= TARGET_MS and followed <= TARGET_MS else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
