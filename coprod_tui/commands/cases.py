"""Case commands: new, list, show, write, export, import, history, restore, doctor (to be implemented)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Add the case commands to the CLI."""
