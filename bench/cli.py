"""Whole-process CLI start-up, as ratios against ``python -c pass`` measured in the same run.

    python bench/cli.py [--runs 15]

A script pays for a ``coprod`` command's whole process: interpreter start,
imports, reading the templates, opening the store, the work itself. This
bench times, from ``fork`` to exit, ``python -c pass`` (the floor: nothing
can start faster), ``coprod --version``, and ``coprod show``, ``coprod write``
and ``coprod list`` on a 10-case and on a 1,000-case store. All of them run
*interleaved*, one of each per round, so a busy machine slows every command
alike, and the medians are printed with their ratio to the floor. Target:
``show`` and ``write`` at most 5x the floor.

Everything happens in a temporary folder: the stores, and HOME, the config,
data and cache folders (so the user's own templates, settings and store are
never read). One warm-up run of each command fills the parsed-template cache
(and writes bytecode, as an install does), as the first command after an
install or an edit of a template would.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coprod_tui.core.case import new_case  # noqa: E402
from coprod_tui.core.store import CaseStore  # noqa: E402
from coprod_tui.core.template.registry import discover_templates  # noqa: E402

SIZES = (10, 1000)
TARGET = 5.0


def coprod_command() -> list[str]:
    """The installed ``coprod`` script beside this Python, else ``python -m coprod_tui``."""
    script = Path(sys.executable).with_name("coprod")
    if script.exists():
        return [str(script)]
    found = shutil.which("coprod")
    return [found] if found else [sys.executable, "-m", "coprod_tui"]


def make_store(folder: Path, count: int) -> str:
    """A store of ``count`` short fictional cases; returns the id of the last."""
    template = discover_templates(user_dir=folder.parent / "no-user-templates", env={}).default()
    store = CaseStore.open(folder, create=True)
    cases = []
    for number in range(count):
        case = new_case(f"Fictional case {number}: the Tuesday visit", template)
        case.sections = {s.id: f"Invented notes for case {number}." for s in template.sections}
        case.revision = 1
        cases.append(case)
    store.import_cases(cases)
    store.list_cases()  # build the catalog once, as any first command would
    store.close()
    return cases[-1].id


def run(command: list[str], env: dict[str, str], stdin: bytes = b"") -> float:
    """Seconds from start to exit of one process (it must succeed)."""
    start = time.perf_counter()
    result = subprocess.run(command, input=stdin, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        shown = " ".join(command[-4:])
        raise SystemExit(f"bench: '{shown}' failed: {result.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coprod-bench-cli-") as tmp:
        base = Path(tmp)
        env = {
            **os.environ,
            "HOME": str(base / "home"),
            "XDG_CONFIG_HOME": str(base / "config"),
            "XDG_DATA_HOME": str(base / "data"),
            "XDG_CACHE_HOME": str(base / "cache"),
            "COPROD_CACHE": str(base / "cache" / "coprod"),
        }
        # Bytecode is written as an installed coprod's would be: without it every run
        # compiles every module afresh, which is not what a user's machine does.
        for name in ("COPROD_STORE", "COPROD_TEMPLATES", "COPROD_DEBUG", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        os.environ.clear()
        os.environ.update(env)  # this process makes the stores: never in the real home either
        coprod = coprod_command()
        commands: dict[str, tuple[list[str], bytes | None]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], None),
            "coprod --version": ([*coprod, "--version"], None),
        }
        for size in SIZES:
            folder = base / f"store-{size}"
            case_id = make_store(folder, size)
            store = ["--store", str(folder)]
            commands[f"coprod show      ({size:>5,} cases)"] = (
                [*coprod, *store, "show", case_id[:8]],
                None,
            )
            commands[f"coprod write ID 1 ({size:>5,} cases)"] = (
                [*coprod, *store, "write", case_id[:8], "1"],
                b"",
            )
            commands[f"coprod list      ({size:>5,} cases)"] = ([*coprod, *store, "list"], None)

        samples: dict[str, list[float]] = {name: [] for name in commands}
        for command, stdin in commands.values():  # warm-up: fills the template cache
            run(command, env, b"warm-up\n" if stdin is not None else b"")
        for number in range(args.runs):
            for name, (command, stdin) in commands.items():
                text = f"Run {number}: invented text.\n".encode() if stdin is not None else b""
                samples[name].append(run(command, env, text))

    floor = statistics.median(samples["python -c pass"])
    print(
        f"whole-process CLI, median of {args.runs} interleaved runs "
        f"(target: show and write <= {TARGET:g}x python -c pass)"
    )
    width = max(len(name) for name in samples)
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:<{width}}  {median * 1000:7.1f} ms  {median / floor:5.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
