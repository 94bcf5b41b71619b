"""Startup and typing benchmarks for the workbench, as ratios against a floor.

    python bench/startup.py [--runs 7] [--keys 2000] [--skip-typing]

1. **First paint.** From process start to the first frame that shows rows of
   the case list, for ``coprod --store S`` on a 1,000-case store, beside a bare
   Textual app with the same widget kinds (Header, DataTable with 1,000 rows,
   Footer) measured in the same run. Both run in a real pseudo-terminal at
   120×40; the clock stops when a case title appears in the terminal output.
   Target: ratio ≤ 1.3.

2. **Typing.** 2,000 keystrokes into one case in the real editor screen, on a
   10,000-case store and on a 10-case store (the same app, headless, autosave
   running as usual). Target: ratio ≤ 1.1 — a store's size must not slow
   typing down. The app is the real one (``create_app``), so its search
   source opens the index 1 s after start-up; the cases hold ~15 KB of text
   (about 150 MB at 10,000) and every run starts with no index, so each big
   run types while the index is built from scratch (the worst case: a first
   start, or a damaged index). ``--keep-index`` types beside an index that is
   already built instead; the line says how many runs the build overlapped.

Medians of alternating runs are reported, so drift on a busy machine hits both
sides alike. Everything happens in a temporary folder with a temporary config
folder; the user's store and settings are never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coprod_tui.core.case import Case, new_case
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template.registry import discover_templates

SIZE = (120, 40)
MARKER = re.compile(rb"Bench-\d{4}")
TITLE = "Bench-{:04d} home visit after discharge"

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App):
        BINDINGS = [("n", "bell", "New"), ("ctrl+q", "quit", "Quit")]

        def compose(self):
            yield Header()
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self):
            table = self.query_one(DataTable)
            for label in ("Title", "Template", "Progress", "Tags", "Updated"):
                table.add_column(label)
            for i in range({count}):
                table.add_row(
                    "{title}".format(i),
                    "batalden-primary-care",
                    "█████░░░░ 5/9",
                    "home visit, falls",
                    "3 days ago",
                    key=str(i),
                )

    Bare().run()
    """
)


# -- building stores --------------------------------------------------------------------


def bench_case(templates, title: str, stamp: str | None = None) -> Case:
    """A fictional case with a few sections written."""
    case = new_case(title, templates.default(), tags=["home visit", "falls"], now=stamp)
    case.sections["situation"] = "Fictional bench case. " * 20
    case.sections["emotions"] = "Worried, then relieved. " * 10
    return case


#: Words for the full-text cases (invented, Swedish and English).
WORDS = [
    "patienten",
    "vårdcentralen",
    "sköterskan",
    "läkarremissen",
    "återbesök",
    "samtal",
    "oro",
    "smärta",
    "sömn",
    "trappan",
    "bussen",
    "apoteket",
    "dottern",
    "hemtjänsten",
    "blodtryck",
    "provsvar",
    "uppföljning",
    "the",
    "nurse",
    "doctor",
    "visit",
    "worry",
    "breathing",
    "stairs",
    "pharmacy",
    "daughter",
    "inhaler",
    "pressure",
    "garden",
    "morning",
    "och",
    "att",
    "det",
    "är",
    "för",
    "som",
    "på",
    "med",
    "till",
    "inte",
    "har",
    "när",
    "också",
    "and",
    "to",
    "of",
    "in",
    "is",
    "for",
    "that",
    "with",
]


def full_text(rng, size: int) -> str:
    """About ``size`` characters of invented sentences."""
    parts: list[str] = []
    length = 0
    while length < size:
        parts.append(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + ". ")
        length += len(parts[-1])
    return "".join(parts)


def make_store(folder: Path, count: int, templates, *, text: bool = False) -> CaseStore:
    """A store with ``count`` fictional cases (``text``: every section ~1.6 KB)."""
    import random

    rng = random.Random(7)
    store = CaseStore.open(folder, templates=templates)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    cases: list[Case] = []
    for i in range(count):
        stamp = (start + timedelta(minutes=i)).isoformat().replace("+00:00", "Z")
        case = bench_case(templates, TITLE.format(i), stamp)
        if text:
            for section in templates.default().sections:
                case.sections[section.id] = full_text(rng, 1650)
        case.revision = 1
        cases.append(case)
    store.import_cases(cases)
    return store


def drop_index(store: CaseStore) -> None:
    """Remove the store's search index, so the next app start builds it afresh."""
    import shutil

    shutil.rmtree(Path(store.path) / "index", ignore_errors=True)


# -- first paint ------------------------------------------------------------------------


def time_to_first_paint(argv: list[str], env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from spawning ``argv`` in a 120×40 pty until a case title is drawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = seen[-64:] + chunk
            if MARKER.search(seen):
                elapsed = time.perf_counter() - started
                break
    finally:
        _stop(process, master)
    if elapsed is None:
        raise RuntimeError(f"no first paint from {' '.join(argv)}: {seen[-300:]!r}")
    return elapsed


def _stop(process: subprocess.Popen[bytes], master: int) -> None:
    """End the child (SIGTERM: coprod saves and restores the terminal), drain the pty."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    deadline = time.perf_counter() + 10
    while process.poll() is None and time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    if process.poll() is None:
        process.kill()
    process.wait()
    os.close(master)


def bench_first_paint(runs: int, root: Path, templates) -> tuple[float, float]:
    """(median coprod seconds, median bare seconds) over alternating runs."""
    store_dir = root / "store-1000"
    make_store(store_dir, 1000, templates)
    bare = root / "bare_app.py"
    bare.write_text(BARE_APP.format(count=1000, title=TITLE), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        XDG_CONFIG_HOME=str(root / "config"),
        COPROD_CACHE=str(root / "cache"),
        COPROD_TEMPLATES="",
    )
    env.pop("NO_COLOR", None)
    coprod = [sys.executable, "-m", "coprod_tui", "--store", str(store_dir)]
    plain = [sys.executable, str(bare)]
    # One untimed run each: warms the OS file cache and Python's bytecode cache.
    time_to_first_paint(coprod, env)
    time_to_first_paint(plain, env)
    ours: list[float] = []
    floor: list[float] = []
    for run in range(runs):
        sides = [(coprod, ours), (plain, floor)]
        for argv, times in sides if run % 2 == 0 else reversed(sides):
            times.append(time_to_first_paint(argv, env))
    return statistics.median(ours), statistics.median(floor)


# -- typing -----------------------------------------------------------------------------


async def time_typing(store: CaseStore, templates, text: str) -> tuple[float, bool]:
    """(Seconds for the real editor to take in ``text`` key by key, autosave on; whether
    the search index was still opening or building when the last key arrived).

    Each run types into a fresh case with the same starting text, so runs on
    both stores do the same work.

    Keys are posted as the terminal driver would post them, one per event-loop
    turn, and the clock stops when the editor holds all of them. (Pilot's
    ``press`` waits for the app to go idle after every key, which measures the
    test harness more than the app.)
    """
    from textual import events
    from textual.widgets import TextArea

    from coprod_tui.core.config import Config
    from coprod_tui.ui.launch import create_app
    from coprod_tui.ui.positions import Positions
    from coprod_tui.ui.screens.case_editor import CaseEditorScreen

    case = bench_case(templates, "Typing run")
    store.create(case)
    app = create_app(store, templates, Config(), handle_signals=False)
    # Where the case was left goes with the throwaway store, not the user's cache.
    app.positions = Positions(store.path.parent / "positions.json")  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case.id)
        # Poll until the editor has focus (on a busy machine it takes longer than a pause).
        deadline = time.monotonic() + 60
        while not (isinstance(app.screen, CaseEditorScreen) and isinstance(app.focused, TextArea)):
            assert time.monotonic() < deadline, (app.screen, app.focused)
            await asyncio.sleep(0.01)
        await pilot.pause(0.3)  # let the editor settle before the clock starts
        editor = app.focused
        assert isinstance(editor, TextArea), editor
        target = len(editor.text) + len(text)
        started = time.perf_counter()
        for char in text:
            app.post_message(events.Key("space" if char == " " else char, char))
            await asyncio.sleep(0)
        while len(editor.text) < target:
            await asyncio.sleep(0.001)
        elapsed = time.perf_counter() - started
        source = app.search_source
        building = source is not None and not source.ready
        if source is not None:
            # Let the index finish opening (or building) before quitting: quitting ends a
            # build, and one left running must not slow the next run either.
            deadline = time.monotonic() + 180
            while not source.ready and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        app.screen.flush()
        await pilot.press("ctrl+q")
    return elapsed, building


def bench_typing(
    runs: int, key_count: int, root: Path, templates, *, keep_index: bool = False
) -> tuple[float, float, int]:
    """(median seconds on 10,000 cases, on 10 cases, big runs the index build overlapped)."""
    big = make_store(root / "store-10000", 10_000, templates, text=True)
    small = make_store(root / "store-10", 10, templates, text=True)
    words = "the district nurse phoned again on monday and the daughter answered "
    text = (words * (key_count // len(words) + 1))[:key_count]
    large: list[float] = []
    tiny: list[float] = []
    if keep_index:
        # "Beside a built index": build both stores' indexes before any run is timed.
        from coprod_tui.core.search import SearchIndex

        for store in (big, small):
            SearchIndex.for_store(store).close()
    asyncio.run(time_typing(small, templates, text[:200]))  # warm up
    overlapped = 0
    for run in range(runs):
        # Alternate which side goes first, so drift cannot favour one side.
        order = [(big, large), (small, tiny)] if run % 2 == 0 else [(small, tiny), (big, large)]
        for store, times in order:
            if not keep_index:
                drop_index(store)
            elapsed, building = asyncio.run(time_typing(store, templates, text))
            times.append(elapsed)
            if store is big and building:
                overlapped += 1  # the build was still running when the last key arrived
        print(
            f"  typing run {run + 1}: 10,000 cases {large[-1]:.2f} s, 10 cases {tiny[-1]:.2f} s, "
            f"ratio {large[-1] / tiny[-1]:.2f}",
            flush=True,
        )
    ratios = sorted(big_s / small_s for big_s, small_s in zip(large, tiny, strict=True))
    print(
        f"  per-run ratios: median {statistics.median(ratios):.2f}, "
        f"{ratios[0]:.2f} to {ratios[-1]:.2f}"
    )
    return statistics.median(large), statistics.median(tiny), overlapped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per side (first paint)")
    parser.add_argument("--typing-runs", type=int, default=5, help="timed runs per side (typing)")
    parser.add_argument("--keys", type=int, default=2000, help="keystrokes per typing run")
    parser.add_argument("--skip-typing", action="store_true")
    parser.add_argument("--skip-paint", action="store_true")
    parser.add_argument(
        "--keep-index", action="store_true", help="type beside a built index (no build)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="coprod-bench-") as tmp:
        root = Path(tmp)
        templates = discover_templates(user_dir=root / "no-user-templates", env={})
        if not args.skip_paint:
            ours, floor = bench_first_paint(args.runs, root, templates)
            print(
                f"first paint, 1,000 cases: coprod {ours * 1000:.0f} ms, "
                f"bare Textual app {floor * 1000:.0f} ms, "
                f"ratio {ours / floor:.2f} (target <= 1.30)"
            )
        if not args.skip_typing:
            large, tiny, overlapped = bench_typing(
                args.typing_runs, args.keys, root, templates, keep_index=args.keep_index
            )
            during = (
                "index built beforehand"
                if args.keep_index
                else f"index built from scratch in each run, unfinished at the last key "
                f"in {overlapped} of {args.typing_runs} big runs"
            )
            print(
                f"typing {args.keys} keys: 10,000-case store {large:.2f} s, "
                f"10-case store {tiny:.2f} s, ratio {large / tiny:.2f} (target <= 1.10; "
                f"{during})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
