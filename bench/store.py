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

and prints each beside a *floor* measured in the same run — encode one case
file (``case_file.encode_case``) + atomic write (temp file, fsync, rename,
fsync of the folder) — as a ratio. Sizes and floor samples are measured round-robin, so a busy disk
slows them all alike and the ratios stay meaningful. Peak memory of listing
the largest store is measured with tracemalloc. Targets: save at 10,000 ≤ 1.3×
save at 10 and ≤ 3× the floor; open+list of 10,000 < 0.5 s; import of 10,000
< 30 s; listing memory < 200 MB.
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
from coprod_tui.core.store import CaseStore  # noqa: E402
from coprod_tui.core.store.case_file import encode_case  # noqa: E402
from coprod_tui.core.store.storage import atomic_write_bytes  # noqa: E402
from coprod_tui.core.template.registry import discover_templates  # noqa: E402

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
    # The shipped templates only: a benchmark never reads the user's folders.
    template = discover_templates(user_dir=Path("/nonexistent"), env={}, use_cache=False).default()
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


def _save_once(store: CaseStore, case_id: str, note: str) -> float:
    case = store.load(case_id)
    case.sections["situation"] = case.text("situation") + f" {note}."
    start = time.perf_counter()
    result = store.save(case, base_revision=case.revision)
    elapsed = time.perf_counter() - start
    assert not result.conflicted
    return elapsed


def _process_save(store_dir: Path, case_id: str) -> float:
    """A whole ``coprod write`` process: start-up, open, resolve a prefix, save."""
    # A private home and cache for the child too: the user's settings and cache stay untouched.
    home = store_dir.parent / "home"
    env = {**os.environ, "COPROD_STORE": str(store_dir), "HOME": str(home)}
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "COPROD_TEMPLATES"):
        env.pop(name, None)
    command = [sys.executable, "-m", "coprod_tui", "write", case_id[:8], "2", "--append"]
    start = time.perf_counter()
    subprocess.run(command, input=b"One more line.\n", env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _open_and_list(store_dir: Path) -> float:
    start = time.perf_counter()
    CaseStore.open(store_dir).list_cases()
    return time.perf_counter() - start


class Bench:
    """Stores of several sizes measured *round-robin*, each round beside a fresh floor sample.

    A shared disk's fsync time swings by 10× from one second to the next;
    measuring the sizes (and the floor) in alternation exposes them all to
    the same swings, so the ratios mean something even on a busy machine.
    """

    def __init__(self, base: Path, sizes: tuple[int, ...], cases: list[Case]) -> None:
        self.base = base
        self.sizes = sizes
        self.cases = cases
        self.dirs = {size: base / f"store-{size}" for size in sizes}
        self.ids = {size: [case.id for case in cases[:size]] for size in sizes}
        self.floor_case = cases[0]
        (base / "floor").mkdir(mode=0o700)
        #: phase -> floor samples taken between that phase's saves
        self.floor_samples: dict[str, list[float]] = {}

    def floor_sample(self, phase: str) -> None:
        target = self.base / "floor" / "floor.json"
        start = time.perf_counter()
        atomic_write_bytes(target, encode_case(self.floor_case))
        self.floor_samples.setdefault(phase, []).append(time.perf_counter() - start)

    def floor(self, phase: str) -> float:
        return statistics.median(self.floor_samples[phase])

    def imports(self) -> dict[int, float]:
        took = {}
        for size in self.sizes:
            store = CaseStore.open(self.dirs[size])
            batch = self.cases[:size]
            took[size] = timed(lambda store=store, batch=batch: store.import_cases(batch))
        os.sync()  # let the imports' writes reach the disk before timing saves
        return took

    def lists(self, rounds: int) -> dict[int, list[float]]:
        for size in self.sizes:
            _open_and_list(self.dirs[size])  # fold the import's journal into the snapshot
        samples: dict[int, list[float]] = {size: [] for size in self.sizes}
        for _ in range(rounds):
            for size in self.sizes:
                samples[size].append(_open_and_list(self.dirs[size]))
        return samples

    def first_saves(self, count: int) -> dict[int, list[float]]:
        """First save of a case in a session (links the old version into history)."""
        samples: dict[int, list[float]] = {size: [] for size in self.sizes}
        for n in range(count):
            for size in self.sizes:
                store = CaseStore.open(self.dirs[size])
                self.floor_sample("first")
                samples[size].append(_save_once(store, self.ids[size][-1 - n], "New session"))
        return samples

    def saves(self, rounds: int, rng: random.Random) -> dict[int, list[float]]:
        """Autosaves while editing: one section of one of 10 open cases, in every store."""
        stores = {size: CaseStore.open(self.dirs[size]) for size in self.sizes}
        working = {size: rng.sample(self.ids[size], 10) for size in self.sizes}
        for size in self.sizes:
            for case_id in working[size]:
                _save_once(stores[size], case_id, "Opened")
        samples: dict[int, list[float]] = {size: [] for size in self.sizes}
        for n in range(rounds):
            for size in self.sizes:
                self.floor_sample("save")
                case_id = working[size][n % 10]
                samples[size].append(_save_once(stores[size], case_id, f"Edit {n}"))
        return samples

    def process_saves(self, rounds: int) -> dict[int, list[float]]:
        samples: dict[int, list[float]] = {size: [] for size in self.sizes}
        for n in range(rounds):
            for size in self.sizes:
                samples[size].append(_process_save(self.dirs[size], self.ids[size][n % 10]))
        return samples


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
    rounds = 20 if args.quick else 80
    process_rounds = 5 if args.quick else 15
    base = Path(tempfile.mkdtemp(prefix="coprod-bench-", dir=os.environ.get("BENCH_DIR")))
    print(f"coprod store benchmark ({'quick' if args.quick else 'full'}), stores in {base}")
    cases = make_cases(max(sizes))
    kb = len(encode_case(cases[0])) / 1024
    print(f"{len(cases)} fictional cases of {kb:.1f} KB each")
    bench = Bench(base, sizes, cases)

    imports = bench.imports()
    lists = bench.lists(max(3, rounds // 10))
    firsts = bench.first_saves(10)
    saves = bench.saves(rounds, random.Random(11))
    process = bench.process_saves(process_rounds)
    floor, floor_p95 = median_p95(bench.floor_samples["save"])
    first_floor = bench.floor("first")
    small, large = sizes[0], sizes[-1]
    peak = measure_list_memory(bench.dirs[large])

    print(
        f"floor (encode one case file + atomic durable write), sampled between the saves: "
        f"median {floor * 1000:.2f} ms, p95 {floor_p95 * 1000:.2f} ms "
        f"(between first-of-session saves: {first_floor * 1000:.2f} ms)"
    )
    print()
    header = (
        f"{'cases':>6} | {'import':>16} | {'open+list':>9} | {'save median':>17} | "
        f"{'save p95':>17} | {'1st save/session':>17} | {'coprod write':>12}"
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        save_median, save_p95 = median_p95(saves[size])
        first_median, _first_p95 = median_p95(firsts[size])
        print(
            f"{size:>6} | {imports[size]:6.2f} s "
            f"({imports[size] / size * 1000:4.2f} ms) | "
            f"{statistics.median(lists[size]) * 1000:6.1f} ms | "
            f"{save_median * 1000:5.2f} ms ({save_median / floor:4.2f}×) | "
            f"{save_p95 * 1000:5.2f} ms ({save_p95 / floor:4.2f}×) | "
            f"{first_median * 1000:5.2f} ms ({first_median / first_floor:4.2f}×) | "
            f"{statistics.median(process[size]) * 1000:7.1f} ms"
        )
    print("(× = ratio to the median floor sampled between those saves)")
    print()

    def ratio(samples: dict[int, list[float]]) -> float:
        return statistics.median(samples[large]) / statistics.median(samples[small])

    print(f"save at {large} / at {small}: {ratio(saves):.2f}× (target ≤ 1.3×)")
    print(f"save at {large} / floor: {statistics.median(saves[large]) / floor:.2f}× (target ≤ 3×)")
    print(
        f"first save of a session at {large} / at {small}: {ratio(firsts):.2f}×; "
        f"/ floor: {statistics.median(firsts[large]) / first_floor:.2f}×"
    )
    print(f"whole coprod write process at {large} / at {small}: {ratio(process):.2f}× (≤ 1.3×)")
    print(f"open+list {large}: {statistics.median(lists[large]) * 1000:.1f} ms (target < 500 ms)")
    print(f"import {large}: {imports[large]:.1f} s (target < 30 s)")
    print(f"peak memory listing {large}: {peak / 2**20:.1f} MB (target < 200 MB)")
    if args.keep:
        print(f"stores kept in {base}")
    else:
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
