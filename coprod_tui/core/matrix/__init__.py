"""The framework matrix export: cases × sections as CSV, Markdown and XLSX.

:mod:`.model` builds the table from the store; each format has a module of
its own (:mod:`.csv_format`, :mod:`.markdown_format`, :mod:`.xlsx_format`)
turning :class:`~.model.Table` values into bytes. Nothing here writes a file:
the caller does, through ``core/store/storage.atomic_write_bytes``.
"""

from __future__ import annotations

from coprod_tui.core.matrix.model import Matrix, Table, build_matrix, choose_columns, first_words

__all__ = ["Matrix", "Table", "build_matrix", "choose_columns", "first_words"]
