"""Benchmark the case store at 10, 1,000 and 10,000 cases.

Run ``python bench/store.py`` (about a minute) or ``python bench/store.py --quick``.

Every store holds cases of ~15 KB of fictional filler text. For each size it
measures, in this run and on this disk:

* bulk import of all the cases (``CaseStore.import_cases``);
* open + list (a fresh ``CaseStore`` each time, the catalog already built);
* saving one section (``save`` of a loaded case with one section changed):
  median and p95, both for the autosaves of an editing session and for the
  first save of a case in a session (which also keeps a history version);
* a whole ``coprod write CASE SECTION`` process (what a script pays);

and prints each beside a *floor* measured in the same run — JSON-encode one
case document + atomic write (temp file, fsync, rename, fsync of the folder) —
as a ratio. Peak memory of listing the largest store is measured with
tracemalloc. Targets: save at 10,000 ≤ 1.3× save at 10 and ≤ 3× the floor;
open+list of 10,000 < 0.5 s; import of 10,000 < 30 s; listing memory < 200 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coprod_tui.core.case import Case, new_case  # noqa: E402
from coprod_tui.core.catalog import CASE_DOC_ID, CASE_TABLE  # noqa: E402
from coprod_tui.core.storage import atomic_write_bytes, encode_json  # noqa: E402
from coprod_tui.core.store import CaseStore  # noqa: E402
from coprod_tui.core.template_registry import discover_templates  # noqa: E402

FILLER = (
    "the clinic team met Tove Lindqvist (a fictional patient) on a grey Tuesday morning and "
    "talked about her walks her garden her worries about the new inhaler the bus timetable "
    "the waiting room the nurse the pharmacy queue her daughter in Umeå the follow-up call "
    "what matters to her breathing sleep energy cooking for friends the stairs at home "
    "coproduction means planning together listening noticing trying again"
)
WORDS = FILLER.split()


def filler(rng: random.Random, size: int) -> str:
    """About ``size`` characters of invented, sentence-like text."""
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
        sentence = sentence[0].upper() + sentence[1:] + ". "
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)


def make_cases(count: int, seed: int = 7) -> list[Case]:
    """``count`` cases of ~15 KB each (nine sections of ~1.6 KB)."""
    template = discover_templates().default()
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        case = new_case(f"Fictional case {number}", template, tags=[f"group-{number % 7}"])
        for section in template.sections:
            case.sections[section.id] = filler(rng, 1650)
        case.revision = 1
        cases.append(case)
    return cases


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure_floor(folder: Path, case: Case, rounds: int) -> float:
    """JSON-encode one case document + atomic, durable write: the least a save can cost."""
    document = {CASE_TABLE: {CASE_DOC_ID: case.to_dict()}}
    target = folder / "floor.json"
    samples = [
        timed(lambda: atomic_write_bytes(target, encode_json(document))) for _ in range(rounds)
    ]
    target.unlink()
    return statistics.median(samples)


def _save_once(store: CaseStore, case_id: str, note: str) -> float:
    case = store.load(case_id)
    case.sections["situation"] = case.text("situation") + f" {note}."
    start = time.perf_counter()
    result = store.save(case, base_revision=case.revision)
    elapsed = time.perf_counter() - start
    assert not result.conflicted
    return elapsed


def measure_save(store_dir: Path, ids: list[str], rounds: int, rng: random.Random) -> list[float]:
    """Autosaves while editing: one section of one of 10 open cases (10 in every store size).

    Each of the 10 is saved once first, so these are the saves an editor makes
    all day; the first save of a session is measured apart (it also keeps the
    previous version in history).
    """
    store = CaseStore.open(store_dir)
    working_set = rng.sample(ids, 10)
    for case_id in working_set:
        _save_once(store, case_id, "Opened")
    return [
        _save_once(store, working_set[n % len(working_set)], f"Edit {n}") for n in range(rounds)
    ]


def measure_first_saves(store_dir: Path, ids: list[str], rounds: int) -> list[float]:
    """The first save of a case in a session: also links the previous version into history
    (and, for a case never saved before, creates its history folder)."""
    store = CaseStore.open(store_dir)
    return [_save_once(store, case_id, "New session") for case_id in ids[-rounds:]]


def measure_process_save(store_dir: Path, ids: list[str], rounds: int) -> list[float]:
    """A whole ``coprod write`` process: start-up, open, resolve a prefix, save."""
    samples = []
    env = {**os.environ, "COPROD_STORE": str(store_dir)}
    for number in range(rounds):
        case_id = ids[number % len(ids)]
        command = [sys.executable, "-m", "coprod_tui", "write", case_id[:8], "2", "--append"]
        start = time.perf_counter()
        subprocess.run(command, input=b"One more line.\n", env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return samples


def measure_list(store_dir: Path, rounds: int) -> list[float]:
    def open_and_list() -> None:
        store = CaseStore.open(store_dir)
        store.list_cases()

    open_and_list()  # make sure the catalog is built (a one-off after an import)
    return [timed(open_and_list) for _ in range(rounds)]


def measure_list_memory(store_dir: Path) -> int:
    tracemalloc.start()
    store = CaseStore.open(store_dir)
    summaries = store.list_cases()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del summaries
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 10/100/2,000 cases")
    parser.add_argument("--keep", action="store_true", help="keep the stores (prints where)")
    args = parser.parse_args(argv)

    sizes = (10, 100, 2_000) if args.quick else (10, 1_000, 10_000)
    rounds = 15 if args.quick else 60
    process_rounds = 5 if args.quick else 15
    rng = random.Random(11)
    base = Path(tempfile.mkdtemp(prefix="coprod-bench-", dir=os.environ.get("BENCH_DIR")))
    print(f"coprod store benchmark ({'quick' if args.quick else 'full'}), stores in {base}")

    results: dict[int, dict[str, float]] = {}
    all_cases = make_cases(max(sizes))
    kb = len(encode_json({CASE_TABLE: {CASE_DOC_ID: all_cases[0].to_dict()}})) / 1024
    print(f"case size: {kb:.1f} KB")
    floor_folder = base / "floor"
    floor_folder.mkdir(mode=0o700)
    floor = measure_floor(floor_folder, all_cases[0], rounds)
    print(f"floor (encode + atomic durable write of one case): {floor * 1000:.2f} ms")
    print()

    for size in sizes:
        store_dir = base / f"store-{size}"
        cases = all_cases[:size]
        store = CaseStore.open(store_dir)
        import_s = timed(lambda store=store, cases=cases: store.import_cases(cases))
        lists = measure_list(store_dir, max(3, rounds // 5))
        ids = [case.id for case in cases]
        firsts = measure_first_saves(store_dir, ids, 10)  # 10 never-saved cases at every size
        saves = measure_save(store_dir, ids, rounds, rng)
        process = measure_process_save(store_dir, ids, process_rounds)
        save_median, save_p95 = median_p95(saves)
        first_median, first_p95 = median_p95(firsts)
        results[size] = {
            "import": import_s,
            "list": statistics.median(lists),
            "save": save_median,
            "save_p95": save_p95,
            "first": first_median,
            "first_p95": first_p95,
            "process": statistics.median(process),
        }
        print(
            f"{size:>6} cases: import {import_s:7.2f} s ({import_s / size * 1000:.2f} ms/case) | "
            f"open+list {results[size]['list'] * 1000:7.1f} ms | "
            f"save median {save_median * 1000:5.2f} ms ({save_median / floor:.2f}× floor), "
            f"p95 {save_p95 * 1000:5.2f} ms ({save_p95 / floor:.2f}× floor) | "
            f"first save of a session median {first_median * 1000:5.2f} ms "
            f"({first_median / floor:.2f}×), p95 {first_p95 * 1000:5.2f} ms | "
            f"coprod write process {results[size]['process'] * 1000:6.1f} ms"
        )

    small, large = sizes[0], sizes[-1]
    peak = measure_list_memory(base / f"store-{large}")
    r_small, r_large = results[small], results[large]
    print()
    print(f"save at {large} / save at {small}: {r_large['save'] / r_small['save']:.2f}× (≤ 1.3×)")
    print(f"save at {large} / floor:        {r_large['save'] / floor:.2f}× (≤ 3×)")
    print(
        f"first save of a session at {large} / at {small}: "
        f"{r_large['first'] / r_small['first']:.2f}×; / floor: {r_large['first'] / floor:.2f}×"
    )
    print(
        f"whole-process save at {large} / at {small}: "
        f"{r_large['process'] / r_small['process']:.2f}× (≤ 1.3×)"
    )
    print(f"open+list {large}: {r_large['list'] * 1000:.1f} ms (< 500 ms)")
    print(f"import {large}: {r_large['import']:.1f} s (< 30 s)")
    print(f"peak memory listing {large}: {peak / 2**20:.1f} MB (< 200 MB)")
    if args.keep:
        print(f"stores kept in {base}")
    else:
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
