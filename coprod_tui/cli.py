"""The ``coprod`` command: argparse front door.

Each command family lives in its own module under ``coprod_tui.commands`` and
registers its sub-commands here. Every failure reaches the user as one line on
standard error with exit code 2 (bad input) or 1 (operational failure); a
traceback is a bug. With no sub-command, ``coprod`` starts the workbench.
Textual is imported only when the workbench starts, so scripting commands stay
fast; the command modules load YAML, Rich and the store only in their handlers,
so building this parser (``coprod --help``, ``--version``) loads none of them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from coprod_tui import __version__
from coprod_tui.commands import cases, templates
from coprod_tui.core.errors import CoprodError


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser; tests use it to check help and usage."""
    parser = _OneLineParser(
        prog="coprod",
        description=(
            "Write and learn from coproduction case notes with Batalden's nine-section "
            "template. With no command, opens the workbench."
        ),
    )
    parser.add_argument("--version", action="version", version=f"coprod {__version__}")
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="store folder (default: $COPROD_STORE, else your user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway store holding one worked, fictional example case",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_OneLineParser)
    templates.register(commands)
    cases.register(commands)
    return parser


def store_path(args: argparse.Namespace) -> Path:
    """The store folder: ``--store``, then ``$COPROD_STORE``, then the platform default."""
    if args.store is not None:
        return args.store
    env = os.environ.get("COPROD_STORE")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("coprod") / "store"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``coprod``; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from coprod_tui.ui.launch import run_workbench

            return run_workbench(args)
        return int(args.func(args) or 0)
    except CoprodError as error:
        message = str(error)
        # A list of FILE:LINE:COL problems reads best unprefixed, one per line.
        print(message if "\n" in message else f"coprod: {message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("coprod: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # e.g. `coprod list | head`: the reader left; nothing to report.
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
