"""First results on the search screen: time from the keystroke to the results painted.

    python bench/search_screen.py [STORE] [--cases N] [--query WORD] [--rounds R]

Target (issue 9, point 9): first results on screen within 150 ms of the
keystroke. :func:`first_results_ms` runs the real workbench headless
(``App.run_test``) on a store, waits until its search index is open (the
first build is measured by ``bench/search.py``), opens the search screen and
types the query; each round shows the results of the query without its last
letter, then types that letter and times until the screen shows the answer
for the whole word and has painted it (the next refresh after the rows are
in). Without STORE, a store of ``--cases`` cases is made with
``bench/search.py``'s generator in a temporary folder.

``bench/search.py`` calls :func:`first_results_ms` with its own store.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: A word every generated case holds (``bench/search.py``'s COMMON).
DEFAULT_QUERY = "patienten"
#: Longest wait for the index to open or a search to answer (seconds).
PATIENCE = 600.0


async def _until(predicate, timeout: float = PATIENCE) -> None:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` every millisecond (a coarser poll would add to the time measured)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the workbench did not answer in time")
        await asyncio.sleep(0.001)


async def _painted(screen) -> None:  # type: ignore[no-untyped-def]
    """Return after the screen's next refresh (the rows are on screen)."""
    done = asyncio.Event()
    screen.call_after_refresh(done.set)
    await done.wait()


async def _measure(store_path: Path, query: str, rounds: int, size: tuple[int, int]) -> list[float]:
    from textual import events

    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import discover_templates
    from coprod_tui.ui.launch import create_app
    from coprod_tui.ui.screens.search import SearchBox, SearchScreen

    templates = discover_templates(store_dir=store_path)
    store = CaseStore.open(store_path, templates=templates)
    try:
        app = create_app(store, templates, handle_signals=False)
        samples: list[float] = []
        async with app.run_test(size=size) as pilot:
            source = app.search_source
            assert source is not None
            source.start()
            await _until(lambda: source.ready)
            if source.problem:
                raise RuntimeError(source.problem)
            await pilot.press("ctrl+f")
            await _until(lambda: isinstance(app.screen, SearchScreen))
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            box = screen.query_one(SearchBox)
            head, last = query[:-1], query[-1]
            for _ in range(rounds + 1):  # the first round warms up
                box.value = head
                await _until(lambda: screen.shown_query == head)
                await _painted(screen)
                start = time.perf_counter()
                app.post_message(events.Key(last, last))
                await _until(lambda: screen.shown_query == query)
                await _painted(screen)
                samples.append((time.perf_counter() - start) * 1000)
                if not screen.rows:
                    raise RuntimeError(f"no case contains {query!r}: pick a word the store holds")
        return samples[1:]
    finally:
        store.close()


def first_results_ms(
    store_path: Path | str,
    query: str = DEFAULT_QUERY,
    *,
    rounds: int = 9,
    size: tuple[int, int] = (120, 40),
) -> float:
    """Median milliseconds from typing the last letter of ``query`` to its results painted.

    ``store_path``: an existing store (its index is opened, or built first, before timing).
    """
    if len(query) < 2:
        raise ValueError("the query needs at least two letters (one is typed while timing)")
    samples = asyncio.run(_measure(Path(store_path), query, rounds, size))
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", help="an existing store (default: make one)")
    parser.add_argument("--cases", type=int, default=2000, help="cases in a made store")
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the word typed")
    parser.add_argument("--rounds", type=int, default=9, help="samples")
    args = parser.parse_args(argv)
    base: Path | None = None
    if args.store:
        store_path = Path(args.store)
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from search import make_cases  # bench/search.py's generator

        from coprod_tui.core.store import CaseStore

        base = Path(
            tempfile.mkdtemp(prefix="coprod-screen-bench-", dir=os.environ.get("BENCH_DIR"))
        )
        store_path = base / "store"
        print(f"making {args.cases} cases in {store_path} …")
        made = CaseStore.open(store_path, create=True)
        made.import_cases(make_cases(args.cases))
        made.close()
    try:
        took = first_results_ms(store_path, args.query, rounds=args.rounds)
        verdict = "ok" if took <= 150 else "over"
        print(
            f"first results on screen, {args.query!r}: {took:.0f} ms (target ≤ 150 ms: {verdict})"
        )
    finally:
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
