"""Start the workbench from parsed CLI arguments (to be implemented)."""

from __future__ import annotations

import argparse

from coprod_tui.core.errors import OperationalError


def run_workbench(args: argparse.Namespace) -> int:
    """Open the store and run the app; returns the exit code."""
    raise OperationalError("the workbench is not built yet; try 'coprod templates'")
