"""Moved to :mod:`coprod_tui.ui.dialogs` (one module per dialog).

Kept as a re-export so imports written before the move still resolve; new
code imports from ``coprod_tui.ui.dialogs.<dialog>``.
"""

from __future__ import annotations

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
