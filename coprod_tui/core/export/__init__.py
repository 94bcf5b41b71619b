"""Exports: the lossless JSON, and the readable formats (Markdown, HTML, DOCX).

Two kinds of export live here, and they are different on purpose:

- **JSON** (:mod:`.json_format`) is the backup and exchange format: every case
  exactly as stored, read back by ``coprod import``. Nothing in it is laid out,
  left out or redacted.
- **Readable** formats (:mod:`.markdown`, :mod:`.html`, :mod:`.docx`) are for
  people: a supervisor, a team, a student. Each renders the same
  :class:`~coprod_tui.core.export.model.ExportEntry` values, built by
  :func:`~coprod_tui.core.export.model.build_entries` from
  :func:`coprod_tui.core.render.build_document` (the reading ``coprod show`` and
  the workbench use), so every format agrees on titles, order and numbers.
  The :class:`~coprod_tui.core.export.model.ExportOptions` say what goes in
  (guiding questions, empty sections, the insights citing a case) and whether
  every piece of user text passes a redaction function first.

A format is one module with ``render(entries, options) -> bytes``, listed in
:data:`READABLE_FORMATS`; :func:`render_readable` imports it on first use, so
a JSON export (and ``coprod show``) never pays for python-docx.

This package keeps every name the old ``core/export.py`` module had
(``from coprod_tui.core.export import dump_export, parse_export_items, ...``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from coprod_tui.core.export.json_format import (
    BACKUP_EXPORT_VERSION,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    HISTORY_KEY,
    MAX_KEPT_REVISION,
    MAX_PROBLEMS,
    NEWEST_EXPORT_VERSION,
    TRASHED_KEY,
    ExportItem,
    dump_export,
    export_document,
    export_version,
    parse_export,
    parse_export_items,
    read_export_json,
)
from coprod_tui.core.json_text import json_array_lines, safe_json

if TYPE_CHECKING:
    from collections.abc import Sequence

    from coprod_tui.core.export.model import ExportEntry, ExportOptions

#: Readable formats: name → module (in this package) with ``render(entries, options)``.
READABLE_FORMATS = {"md": "markdown", "html": "html", "docx": "docx"}
#: Every format ``coprod export --format`` offers.
FORMATS = ("md", "html", "docx", "json")
#: The usual file name extension of each format.
EXTENSIONS = {"md": ".md", "html": ".html", "docx": ".docx", "json": ".json"}


def render_readable(fmt: str, entries: Sequence[ExportEntry], options: ExportOptions) -> bytes:
    """The bytes of a readable export of ``entries`` in ``fmt`` (``md``, ``html``, ``docx``)."""
    module = import_module(f"{__name__}.{READABLE_FORMATS[fmt]}")
    data: bytes = module.render(entries, options)
    return data


__all__ = [
    "BACKUP_EXPORT_VERSION",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "EXTENSIONS",
    "FORMATS",
    "HISTORY_KEY",
    "MAX_KEPT_REVISION",
    "MAX_PROBLEMS",
    "NEWEST_EXPORT_VERSION",
    "READABLE_FORMATS",
    "TRASHED_KEY",
    "ExportItem",
    "dump_export",
    "export_document",
    "export_version",
    "json_array_lines",
    "parse_export",
    "parse_export_items",
    "read_export_json",
    "render_readable",
    "safe_json",
]
