"""The case-file format: the one place a case file is read and written.

A case file is a one-document TinyDB database: table ``"case"``, document
``"1"``, holding :meth:`Case.to_dict`. Stock ``tinydb.TinyDB(path)`` opens it
and reads the case (``db.table("case").get(doc_id=1)``), so a store can be
inspected with TinyDB itself.

Files are written deterministically and diff-friendly, so a store under
version control diffs case by case and section by section: UTF-8, LF, one
trailing newline, the known keys in a fixed order (unknown keys from a newer
coprod after them, sorted), two-space indents, and every key on its own line,
down to each section, orphan and field (:func:`encode_pretty`). Older files,
written on one line, read exactly the same.

Other kinds of document use the same layout under their own table name
(:class:`DocumentFile`); the catalog, the store, the doctor and the history
all go through here and nothing else knows the layout.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from coprod_tui.core.case import CASE_FORMAT, KEY_ORDER, Case
from coprod_tui.core.i18n import _
from coprod_tui.core.store.storage import (
    DamagedFileError,
    decode_json,
    read_json,
    read_json_with_stat,
)

__all__ = [
    "CASE_DOC_ID",
    "CASE_FILE",
    "CASE_FORMAT",
    "CASE_TABLE",
    "DocumentFile",
    "case_document",
    "decode_case",
    "encode_case",
    "encode_pretty",
    "read_case",
    "read_case_with_stat",
    "stored_format",
]

#: TinyDB layout of a case file: table "case", document 1.
CASE_TABLE = "case"
CASE_DOC_ID = "1"
#: The order the known keys of a case are written in (the case model's own).
CASE_KEY_ORDER = KEY_ORDER


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pretty(value: Any, depth: int, indent: str) -> str:
    if depth <= 0 or not isinstance(value, dict) or not value:
        return _compact(value)
    inner = indent + "  "
    items = [
        f"{inner}{_compact(str(key))}: {_pretty(item, depth - 1, inner)}"
        for key, item in value.items()
    ]
    return "{\n" + ",\n".join(items) + "\n" + indent + "}"


def encode_pretty(data: Any, *, depth: int) -> bytes:
    """``data`` as JSON with objects expanded ``depth`` levels deep (each key on a line).

    Values below that depth are written compactly by the C encoder, so this
    costs little more than one-line JSON. ``ValueError`` for text that cannot
    be stored as UTF-8 (a lone surrogate), so nothing unreadable is written.
    """
    try:
        return (_pretty(data, depth, "") + "\n").encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            _("the text holds characters that cannot be saved (lone surrogate)")
        ) from (error)


class DocumentFile(NamedTuple):
    """The file layout of one kind of document: a one-document TinyDB database.

    ``key_order`` lists the document's known keys in the order they are
    written; other keys follow, sorted (empty: the document's own order).
    """

    table: str
    doc_id: str = "1"
    key_order: tuple[str, ...] = ()

    def ordered(self, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` with its keys in the stable written order."""
        if not self.key_order:
            return data
        known = {key: data[key] for key in self.key_order if key in data}
        known.update((key, data[key]) for key in sorted(data) if key not in known)
        return known

    def encode(self, data: dict[str, Any]) -> bytes:
        """The bytes of a file holding the document ``data``."""
        # wrapper -> table -> document -> each section / field / orphan on its own line
        return encode_pretty({self.table: {self.doc_id: self.ordered(data)}}, depth=4)

    def document(self, data: Any, path: Path) -> dict[str, Any]:
        """The document dict inside a parsed file; :class:`DamagedFileError` if there is none."""
        try:
            doc = data[self.table][self.doc_id]
        except (KeyError, TypeError, IndexError):
            raise DamagedFileError(
                path, _("no {table} document in it").format(table=self.table)
            ) from None
        if not isinstance(doc, dict):
            raise DamagedFileError(
                path, _("the {table} document is not an object").format(table=self.table)
            )
        return doc

    def read(self, path: Path) -> dict[str, Any]:
        """The document dict of the file at ``path`` (never through a link)."""
        return self.document(read_json(path), path)

    def stored_format(self, path: Path) -> int | None:
        """The ``format`` the file at ``path`` claims (1 if none); ``None`` if unreadable."""
        try:
            fmt = self.read(path).get("format", 1)
        except (OSError, DamagedFileError):
            return None
        if isinstance(fmt, int) and not isinstance(fmt, bool):
            return fmt
        return None

    def raw_format(self, raw: bytes, path: Path) -> int | None:
        """Like :meth:`stored_format`, from bytes already read."""
        try:
            fmt = self.document(decode_json(raw, path), path).get("format")
        except DamagedFileError:
            return None
        if isinstance(fmt, int) and not isinstance(fmt, bool):
            return fmt
        return None


#: The layout of a case file.
CASE_FILE = DocumentFile(CASE_TABLE, CASE_DOC_ID, CASE_KEY_ORDER)


def case_document(data: Any, path: Path) -> dict[str, Any]:
    """The case dict inside a parsed case file (a one-document TinyDB database)."""
    return CASE_FILE.document(data, path)


def decode_case(data: Any, path: Path, case_id: str | None = None) -> Case:
    """The :class:`Case` in a parsed case file, every value checked (``Case.from_dict``).

    :class:`DamagedFileError` for a bad shape or value. ``case_id`` (the file
    name) wins over the id inside, so a hand-copied file keeps working.
    """
    try:
        case = Case.from_dict(case_document(data, path))
    except ValueError as error:
        raise DamagedFileError(path, str(error)) from None
    if case_id is not None:
        case.id = case_id
    return case


def encode_case(case: Case) -> bytes:
    """The bytes of the case file holding ``case`` (``ValueError`` for unsavable text)."""
    return CASE_FILE.encode(case.to_dict())


def read_case(path: Path, case_id: str | None = None) -> Case:
    """Read one case file: ``FileNotFoundError`` / :class:`DamagedFileError`."""
    return decode_case(read_json(path), path, case_id)


def read_case_with_stat(path: Path) -> tuple[Case, os.stat_result]:
    """A case file's case and the ``fstat`` of the very file read (for the catalog)."""
    data, info = read_json_with_stat(path)
    return decode_case(data, path), info


def stored_format(path: Path) -> int | None:
    """The ``format`` a case file claims (1 if none); ``None`` if absent or unreadable."""
    return CASE_FILE.stored_format(path)


def newer_format_of(raw: bytes, path: Path) -> int:
    """The ``format`` a case file's bytes claim when newer than this coprod's (else 0)."""
    fmt = CASE_FILE.raw_format(raw, path)
    if fmt is not None and CASE_FORMAT < fmt < 2**31:
        return fmt
    return 0
