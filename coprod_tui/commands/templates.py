"""``coprod templates`` and ``coprod template show|validate|init`` (to be implemented)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Add the template commands to the CLI."""
