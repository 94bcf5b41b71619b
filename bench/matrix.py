"""Benchmark the framework matrix export at 10,000 (or N) cases, as ratios.

    python bench/matrix.py [--cases N] [--rounds R]

The store holds the fictional ~15 KB cases of ``bench/store.py`` (nine
sections of ~1.6 KB), made with the store's own writer in a temporary folder.
Measured in the same run, round-robin so a busy disk slows them alike:

* **the export**: what ``coprod matrix --format csv -o FILE`` does in-process
  — list the cases, read every case file, build the table, render the CSV
  (formula guard included) and write it (``atomic_write_bytes``: temp file,
  fsync, rename);
* **the floor**: writing the same CSV from the same rows already in memory
  with the ``csv`` module to a file, fsync'ed too. Target: export ≤ 2× floor;
* for reference, the Markdown and XLSX renders of the table in memory, and a
  read + decode of every case file (``read_case``), the least any export of
  the cases' text must do.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store import make_cases  # noqa: E402

from coprod_tui.core.matrix import build_matrix  # noqa: E402
from coprod_tui.core.matrix.csv_format import render_csv  # noqa: E402
from coprod_tui.core.matrix.markdown_format import render_markdown  # noqa: E402
from coprod_tui.core.matrix.xlsx_format import render_xlsx  # noqa: E402
from coprod_tui.core.store import CaseStore  # noqa: E402
from coprod_tui.core.store.case_file import read_case  # noqa: E402
from coprod_tui.core.store.storage import atomic_write_bytes  # noqa: E402
from coprod_tui.core.template.registry import discover_templates  # noqa: E402


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="store size (default 10000)")
    parser.add_argument("--rounds", type=int, default=3, help="samples per measure")
    parser.add_argument("--xlsx", action="store_true", help="also time the XLSX render (slow)")
    args = parser.parse_args(argv)
    templates = discover_templates(user_dir=Path("/nonexistent"), env={}, use_cache=False)
    with tempfile.TemporaryDirectory(prefix="coprod-matrix-bench-") as folder:
        base = Path(folder)
        store = CaseStore.open(base / "store", create=True, templates=templates)
        store.import_cases(make_cases(args.cases))
        store.list_cases()  # the catalog as a workbench leaves it
        size = sum(p.stat().st_size for p in (store.path / "cases").iterdir())
        print(f"coprod matrix benchmark: {args.cases} cases ({size / 2**20:.0f} MB of case files)")
        leading = [templates.default()]
        out = base / "matrix.csv"
        floor_out = base / "floor.csv"

        def export() -> None:
            matrix = build_matrix(store, [*leading, *templates.all()])
            atomic_write_bytes(out, render_csv(matrix.table))

        matrix = build_matrix(store, [*leading, *templates.all()])
        rows = [list(matrix.table.headers), *(list(row) for row in matrix.table.rows)]

        def floor() -> None:
            with open(floor_out, "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\r\n").writerows(rows)
                handle.flush()
                os.fsync(handle.fileno())

        def decode() -> None:
            for path in (store.path / "cases").iterdir():
                read_case(path)

        exports, floors, decodes = [], [], []
        for _ in range(args.rounds):
            exports.append(timed(export))
            floors.append(timed(floor))
            decodes.append(timed(decode))
        exported, floored, decoded = map(statistics.median, (exports, floors, decodes))
        same = out.read_bytes() == floor_out.read_bytes()
        markdown = timed(lambda: render_markdown([matrix.table]))
        print(f"export (list, read, build, render CSV, write): {exported * 1000:7.0f} ms")
        print(f"same CSV written from rows in memory:          {floored * 1000:7.0f} ms")
        print(f"  export / in-memory CSV: {exported / floored:.2f}× (target ≤ 2×)")
        print(f"  (the two files are {'byte for byte the same' if same else 'DIFFERENT'})")
        print(f"read + decode of every case file:              {decoded * 1000:7.0f} ms")
        print(f"  export / (read+decode + in-memory CSV): {exported / (decoded + floored):.2f}×")
        print(f"Markdown render of the table in memory:        {markdown * 1000:7.0f} ms")
        if args.xlsx:
            xlsx = timed(lambda: render_xlsx([matrix.table], wide_from=[6]))
            print(f"XLSX render of the table in memory:            {xlsx * 1000:7.0f} ms")
        return 0 if exported <= 2 * floored else 1


if __name__ == "__main__":
    raise SystemExit(main())
