"""Benchmark the coverage matrix and one section across cases at 2,000 (or N) cases.

Run ``python bench/coverage.py`` (``--cases N`` for another size). Cases are
the fictional ~15 KB cases of ``bench/store.py``, some sections left empty or
short. Measured, in this run and on this disk:

* ``build_coverage`` with the catalog warm (what the workbench and ``coprod
  coverage`` pay: one listing, no case file opened);
* ``build_coverage`` with no catalog (every file read once; the first run
  after an upgrade from catalog rows without word counts costs the same);
* a plain read of every case (``CaseStore.load`` one by one), the floor a
  file-reading coverage would pay every time;
* ``section_across_cases`` for one section of every case (it reads them all,
  on a few threads).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store import make_cases  # noqa: E402

from coprod_tui.core.coverage import build_coverage  # noqa: E402
from coprod_tui.core.cross_case import section_across_cases  # noqa: E402
from coprod_tui.core.store import CaseStore  # noqa: E402
from coprod_tui.core.template.registry import discover_templates  # noqa: E402


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    templates = discover_templates(user_dir=Path("/nonexistent"), env={}, use_cache=False)
    template = templates.default()
    rng = random.Random(11)
    cases = make_cases(args.cases)
    for case in cases:
        for section in template.sections:
            roll = rng.random()
            if roll < 0.2:
                case.sections[section.id] = ""
            elif roll < 0.3:
                case.sections[section.id] = "a few words only"
    with tempfile.TemporaryDirectory() as folder:
        store = CaseStore.open(Path(folder) / "store", templates=templates)
        store.import_cases(cases)
        store.list_cases()  # the catalog as a workbench leaves it
        warm = min(timed(lambda: build_coverage(store, templates)) for _ in range(3))
        cold = []
        for _ in range(3):
            (store.path / "catalog.json").unlink(missing_ok=True)
            (store.path / "catalog.journal").unlink(missing_ok=True)
            cold.append(timed(lambda: build_coverage(store, templates)))
        ids = [s.id for s in store.list_cases()]
        plain = min(timed(lambda: [store.load(case_id) for case_id in ids]) for _ in range(2))
        across = min(
            timed(lambda: section_across_cases(store, template, "situation")) for _ in range(2)
        )
    print(f"{args.cases} cases")
    print(f"  coverage, catalog warm     {warm * 1000:8.1f} ms")
    print(f"  coverage, no catalog       {min(cold) * 1000:8.1f} ms")
    print(f"  plain read of every case   {plain * 1000:8.1f} ms")
    print(f"  one section across cases   {across * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
