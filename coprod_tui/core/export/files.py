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
    "export_to_file",
    "identifiers_in_cases",
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


def export_to_file(
    store: Any,
    templates: Any,
    case_ids: Sequence[str],
    path: str,
    fmt: str,
    options: ExportOptions,
    *,
    replace: bool = False,
    hint: str = "",
) -> int:
    """Load ``case_ids``, render them in ``fmt`` and write ``path``; the number of cases.

    The workbench's export (the CLI does the same steps itself, to report on
    damaged cases and count identifiers). JSON is the lossless export of the
    cases as stored (no options apply); the other formats follow ``options``.
    The target is checked before any work and again when written.
    """
    from coprod_tui.core.export import dump_export, render_readable

    hint = hint or "use --force to replace it"
    check_target(path, replace=replace, hint=hint)
    if fmt == "json":
        data = dump_export([store.load(case_id, mapped=False) for case_id in case_ids])
    else:
        cases = [store.load(case_id) for case_id in case_ids]
        data = render_readable(fmt, readable_entries(store, cases, templates, options), options)
    write_file(path, data, replace=replace, hint=hint)
    return len(case_ids)


def identifiers_in_cases(store: Any, templates: Any, case_ids: Sequence[str]) -> int:
    """How many identifying details the cases' own text holds (the warning before an export)."""
    from coprod_tui.core.export.model import count_identifiers

    cases = [store.load(case_id) for case_id in case_ids]
    return count_identifiers(build_entries(cases, templates, ExportOptions()))
