"""Writing an export file, and making one from cases: what the CLI and the workbench share.

Every export file follows the same rules as the framework matrix's (the
functions are :mod:`coprod_tui.core.matrix.export`'s, so both keep one set):
written atomically and 0600 through ``core/store/storage.atomic_write_bytes``,
never through a symbolic link, never into a folder, and never over an
existing file unless ``replace`` (the CLI's ``--force``, the workbench's
"Replace?" dialog); :class:`TargetExists` says which file was there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from coprod_tui.core.export.model import ExportEntry, ExportOptions, build_entries
from coprod_tui.core.matrix.export import TargetExists, check_target, write_file

if TYPE_CHECKING:
    from coprod_tui.core.case import Case
    from coprod_tui.core.insights.model import Insight

__all__ = [
    "TargetExists",
    "check_target",
    "citing_insights",
    "readable_entries",
    "write_file",
]


def citing_insights(store: Any) -> list[Insight]:
    """The store's active insights (newest first), for ``ExportOptions.insights``."""
    from coprod_tui.core.insights.store import insights_of

    return insights_of(store).list_insights()


def readable_entries(
    store: Any, cases: Iterable[Case], templates: Any, options: ExportOptions
) -> list[ExportEntry]:
    """The entries of a readable export of ``cases``, with the insights citing them if asked."""
    insights: Sequence[Insight] = citing_insights(store) if options.insights else ()
    return build_entries(cases, templates, options, insights=insights)
