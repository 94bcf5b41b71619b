"""Benchmark the search index at 10,000 cases (about 150 MB of text), with ratios.

    python bench/search.py [--cases N] [--rounds R] [--keep]

The store is made with the store's own writer (``CaseStore.import_cases``) in
a temporary folder, from invented Swedish and English text (random words and
compounds, ~15 KB a case). In the same run, beside two floors:

* ``grep -ril WORD`` over the case files, and a plain read of every case
  file (bytes only, and bytes + JSON decode + value checks: what any index
  build must at least do);
* building the index (``SearchIndex.rebuild``): target ≤ 2× the plain read;
  beside it, SQLite's own floor: the same section texts inserted into a bare
  FTS5 table, no Python in the loop (the build cannot beat decode + that);
* searching in-process (catch-up included) for a rare word (≤ 20 ms) and a
  common word, first 50 hits (≤ 60 ms); and a rare word right after another
  process saved a case (the worst case: a full folder scan and one re-read);
* a save with the index observer against a save without (≤ 1.5×), measured
  alternately on the same store;
* a whole ``coprod search`` process against a whole ``coprod show`` (≤ 1.5×);
* in the workbench, keystroke to first results painted (≤ 150 ms, ``bench/search_screen.py``).

Ratios are printed; HOME and the XDG folders of the child processes point
into the temp folder, so the user's own files are never read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coprod_tui.core.case import Case, new_case  # noqa: E402
from coprod_tui.core.search import SearchIndex  # noqa: E402
from coprod_tui.core.store import CaseStore  # noqa: E402
from coprod_tui.core.store.case_file import read_case  # noqa: E402
from coprod_tui.core.template.registry import discover_templates  # noqa: E402

SWEDISH = [
    "patienten",
    "vårdcentralen",
    "sköterskan",
    "läkaren",
    "remiss",
    "besök",
    "återbesök",
    "samtal",
    "oro",
    "smärta",
    "andning",
    "sömn",
    "trappan",
    "bussen",
    "apoteket",
    "dottern",
    "sonen",
    "hemtjänsten",
    "mediciner",
    "inhalator",
    "blodtryck",
    "provsvar",
    "väntrum",
    "tidbok",
    "uppföljning",
    "planen",
    "målet",
    "familjen",
    "arbetet",
    "promenad",
    "kök",
    "trädgård",
    "vecka",
    "morgon",
    "kväll",
    "ont",
    "i",
    "bröstet",
    "magen",
    "huvudet",
    "ryggen",
    "vi",
    "hon",
    "han",
    "de",
    "och",
    "att",
    "det",
    "är",
    "för",
    "som",
    "på",
    "med",
    "till",
    "av",
    "inte",
    "har",
    "var",
    "kan",
    "om",
    "så",
    "men",
    "när",
    "ska",
    "också",
]
ENGLISH = [
    "the",
    "patient",
    "nurse",
    "doctor",
    "visit",
    "follow-up",
    "worry",
    "pain",
    "breathing",
    "sleep",
    "stairs",
    "bus",
    "pharmacy",
    "daughter",
    "son",
    "home",
    "care",
    "medicines",
    "inhaler",
    "blood",
    "pressure",
    "results",
    "waiting",
    "room",
    "plan",
    "goal",
    "family",
    "work",
    "walk",
    "kitchen",
    "garden",
    "week",
    "morning",
    "evening",
    "and",
    "to",
    "of",
    "in",
    "is",
    "for",
    "that",
    "on",
    "with",
    "as",
    "not",
    "have",
    "was",
    "can",
    "about",
    "so",
    "but",
    "when",
    "will",
    "also",
]
PARTS = [
    "läkar",
    "remiss",
    "vård",
    "besök",
    "hem",
    "tjänst",
    "sjuk",
    "hus",
    "lung",
    "klinik",
    "astma",
    "medicin",
    "mottagning",
    "telefon",
    "tid",
    "bok",
    "prov",
    "svar",
    "blod",
    "tryck",
    "rygg",
    "smärt",
    "sömn",
    "rehab",
    "plan",
]
ENDINGS = ("", "en", "et", "ar", "er", "erna", "s")
RARE = "zebrafinken"
COMMON = "patienten"


def sentence(rng: random.Random) -> str:
    words: list[str] = []
    for _ in range(rng.randint(8, 18)):
        roll = rng.random()
        if roll < 0.12:
            words.append(rng.choice(PARTS) + rng.choice(PARTS) + rng.choice(ENDINGS))
        elif roll < 0.6:
            words.append(rng.choice(SWEDISH))
        else:
            words.append(rng.choice(ENGLISH))
    text = " ".join(words)
    return text[0].upper() + text[1:] + ". "


def filler(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        parts.append(sentence(rng))
        length += len(parts[-1])
    return "".join(parts)


def make_cases(count: int, seed: int = 11) -> list[Case]:
    """``count`` cases of ~15 KB (nine sections of ~1.6 KB); a few hold the rare word."""
    template = discover_templates(user_dir=Path("/nonexistent"), env={}, use_cache=False).default()
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        case = new_case(f"Fictional case {number}", template, tags=[f"grupp-{number % 7}"])
        for section in template.sections:
            case.sections[section.id] = filler(rng, 1650)
        if number % 997 == 0:
            case.sections[template.sections[0].id] += f" En {RARE} i väntrummet."
        case.revision = 1
        cases.append(case)
    return cases


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def plain_read(store_dir: Path) -> float:
    """Read every case file's bytes (the floor of any scan)."""
    start = time.perf_counter()
    for path in (store_dir / "cases").iterdir():
        path.read_bytes()
    return time.perf_counter() - start


def decoded_read(store_dir: Path) -> float:
    """Read and decode every case file (what any index build must at least do)."""
    start = time.perf_counter()
    for path in (store_dir / "cases").iterdir():
        read_case(path)
    return time.perf_counter() - start


def fts_alone(store_dir: Path, folder: Path) -> float:
    """Insert every section's text into a bare FTS5 table: SQLite's own floor for a build."""
    import sqlite3

    texts = [
        text
        for path in (store_dir / "cases").iterdir()
        for text in read_case(path).sections.values()
    ]
    target = folder / "fts-floor.sqlite3"
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 0')"
    )
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t(body) VALUES (?)", ((text,) for text in texts))
    conn.execute("COMMIT")
    took = time.perf_counter() - start
    conn.close()
    target.unlink()
    return took


def grep(store_dir: Path, word: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["grep", "-ril", word, str(store_dir / "cases")], capture_output=True, check=False
    )
    return time.perf_counter() - start


def child_env(base: Path, store_dir: Path) -> dict[str, str]:
    env = {**os.environ, "COPROD_STORE": str(store_dir), "HOME": str(base / "home")}
    for name in list(env):
        if name.startswith("XDG_") or name == "COPROD_TEMPLATES":
            env.pop(name)
    env["XDG_CACHE_HOME"] = str(base / "cache")
    return env


def coprod_command() -> list[str]:
    script = Path(sys.executable).with_name("coprod")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "coprod_tui"]


def process(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="store size (default 10000)")
    parser.add_argument("--rounds", type=int, default=15, help="samples per measure")
    parser.add_argument("--keep", action="store_true", help="keep the store (prints where)")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="coprod-search-bench-", dir=os.environ.get("BENCH_DIR")))
    store_dir = base / "store"
    try:
        print(f"coprod search benchmark: {args.cases} cases, store in {store_dir}")
        cases = make_cases(args.cases)
        store = CaseStore.open(store_dir, create=True)
        took = timed(lambda: store.import_cases(cases))
        size = sum(p.stat().st_size for p in (store_dir / "cases").iterdir())
        print(f"made the store with the store's writer in {took:.1f} s ({size / 2**20:.0f} MB)")
        cases.clear()

        reads, decodes, greps, builds, floors = [], [], [], [], []
        index = SearchIndex(store_dir)
        for _ in range(3):  # round-robin, so a busy disk slows them alike
            reads.append(plain_read(store_dir))
            decodes.append(decoded_read(store_dir))
            greps.append(grep(store_dir, RARE))
            builds.append(timed(index.rebuild))
            floors.append(fts_alone(store_dir, base))
        read, decode, grep_s, build = map(statistics.median, (reads, decodes, greps, builds))
        index_mb = index.path.stat().st_size / 2**20
        print(f"plain read of every case file: {read * 1000:.0f} ms (bytes only)")
        print(f"read + decode every case file: {decode * 1000:.0f} ms")
        print(f"grep -ril {RARE}:            {grep_s * 1000:.0f} ms")
        print(f"index build:                   {build * 1000:.0f} ms ({index_mb:.0f} MB)")
        print(f"  build / read+decode: {build / decode:.2f}× (target ≤ 2×)")
        print(f"  build / bytes read:  {build / read:.2f}×")
        fts = statistics.median(floors)
        print(f"bare FTS5 insert of the same section texts (SQLite alone): {fts * 1000:.0f} ms")
        print(f"  build / (read+decode + bare FTS5): {build / (decode + fts):.2f}×")
        # Where the last build's time went (the reading thread runs beside the indexing one).
        phases = ", ".join(f"{name} {took * 1000:.0f}" for name, took in index.build_phases.items())
        print(f"  last build's phases, ms: {phases}")
        # Even with reading and indexing overlapping perfectly on two free cores, a build
        # takes at least the longer of the two: the 2x target sits below that floor when
        # SQLite's own insert takes more than twice the read.
        floor = max(decode, fts)
        print(
            f"  no build beats max(read+decode, bare FTS5) = {floor * 1000:.0f} ms "
            f"= {floor / decode:.2f}× read+decode (perfect overlap; serial: "
            f"{(decode + fts) / decode:.2f}×)"
        )

        index = SearchIndex.for_store(store)
        index.search(RARE)
        rare = [timed(lambda: index.search(RARE)) for _ in range(args.rounds)]
        common = [timed(lambda: index.search(COMMON, limit=50)) for _ in range(args.rounds)]
        compound = [timed(lambda: index.search("remiss", limit=50)) for _ in range(args.rounds)]
        writer = CaseStore.open(store_dir)  # another window or the CLI: no observer
        some_id = writer.list_cases()[0].id
        after_save = []
        for number in range(args.rounds):
            case = writer.load(some_id)
            case.sections["situation"] = case.text("situation") + f" Rad {number}."
            writer.save(case, base_revision=case.revision)
            after_save.append(timed(lambda: index.search(RARE)))
        hits = index.search(RARE)
        print(
            f"rare word ({len(hits)} hits), in-process: {statistics.median(rare) * 1000:.1f} ms"
            " (target ≤ 20 ms)"
        )
        print(
            f"rare word right after another process saved (full scan + re-read): "
            f"{statistics.median(after_save) * 1000:.1f} ms"
        )
        print(f"common word, first 50: {statistics.median(common) * 1000:.1f} ms (target ≤ 60 ms)")
        print(f"compound stem 'remiss', first 50: {statistics.median(compound) * 1000:.1f} ms")
        print(f"  rare search / grep -ril: {statistics.median(rare) / grep_s:.3f}×")

        # Saves: one store object with the observer, one without, alternately.
        plain_store = CaseStore.open(store_dir)
        watched_store = CaseStore.open(store_dir)
        index.observe(watched_store)
        ids = [summary.id for summary in plain_store.list_cases()[: args.rounds * 2]]
        without, with_observer = [], []
        for number, case_id in enumerate(ids):
            pair = [(plain_store, without), (watched_store, with_observer)]
            for target, samples in pair if number % 2 else pair[::-1]:  # neither goes first always
                case = target.load(case_id)
                case.sections["situation"] = case.text("situation") + f" Tillägg {number}."
                start = time.perf_counter()
                target.save(case, base_revision=case.revision)
                samples.append(time.perf_counter() - start)
        index.search(RARE)  # the queue drains
        ratio = statistics.median(with_observer) / statistics.median(without)
        print(
            f"save without observer: {statistics.median(without) * 1000:.2f} ms, with: "
            f"{statistics.median(with_observer) * 1000:.2f} ms: {ratio:.2f}× (target ≤ 1.5×)"
        )
        index.close()

        env = child_env(base, store_dir)
        show = coprod_command() + ["show", ids[0][:8]]
        search = coprod_command() + ["search", RARE]
        process(show, env)
        process(search, env)  # warm-up: bytecode, template cache
        shows, searches = [], []
        for _ in range(args.rounds):
            shows.append(process(show, env))
            searches.append(process(search, env))
        show_s, search_s = statistics.median(shows), statistics.median(searches)
        print(
            f"whole process: coprod show {show_s * 1000:.0f} ms, coprod search "
            f"{search_s * 1000:.0f} ms: {search_s / show_s:.2f}× (target ≤ 1.5×)"
        )
        out = subprocess.run(search[:-1] + [RARE, "--json"], env=env, capture_output=True)
        print(f"  (coprod search found {len(json.loads(out.stdout))} hit(s))")

        # The workbench: keystroke to results painted (bench/search_screen.py).
        from search_screen import first_results_ms

        shown = first_results_ms(store_dir, rounds=args.rounds)
        print(
            f"search screen, keystroke to first results painted: {shown:.0f} ms (target ≤ 150 ms)"
        )
    finally:
        if args.keep:
            print(f"store kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
