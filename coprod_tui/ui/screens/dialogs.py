"""Moved to :mod:`coprod_tui.ui.dialogs` (one module per dialog).

Kept as a re-export so imports written before the move still resolve; new
code imports from ``coprod_tui.ui.dialogs.<dialog>``.
"""

from __future__ import annotations

from typing import Any

from coprod_tui.ui.dialogs.base import ModalDialog as Dialog
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.dialogs.new_case import NewCaseDialog, NewCaseRequest, TitleInput
from coprod_tui.ui.dialogs.prompt import TextPromptDialog

__all__ = [
    "ConfirmDialog",
    "Dialog",
    "NewCaseDialog",
    "NewCaseRequest",
    "TextPromptDialog",
    "TitleInput",
]


def __getattr__(name: str) -> Any:
    """``TrashScreen`` lives in :mod:`coprod_tui.ui.screens.trash`; still found here."""
    if name == "TrashScreen":
        from coprod_tui.ui.screens.trash import TrashScreen

        return TrashScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
