"""The lossless JSON export format: one object with a format version and a ``cases`` list.

::

    {
      "format": "coprod-export",
      "version": 1,
      "exported": "2026-11-28T14:03:12Z",
      "cases": [ {...one case exactly as stored, see Case.to_dict...}, ... ]
    }

Each case is written exactly as the store holds it (id, revision, times, who
saved it, orphaned text, conflict link), so ``coprod import`` of an export
into an empty store gives back identical cases, and importing it twice changes
nothing. Text stays readable UTF-8; only characters a terminal could act on
(DEL and the C1 controls) are written as ``\\u`` escapes, which JSON reads back
as the same characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from coprod_tui.core.case import CASE_FORMAT, Case, utc_now
from coprod_tui.core.catalog import is_case_id
from coprod_tui.core.errors import UserInputError

EXPORT_FORMAT = "coprod-export"
EXPORT_VERSION = 1

_TERMINAL_ACTIVE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


_COMPACT = json.JSONEncoder(ensure_ascii=False)


def _escape_terminal_active(text: str) -> str:
    return _TERMINAL_ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def safe_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON text that is safe to print to a terminal and parses back to ``data``.

    ``json.dumps`` already escapes C0 controls (ESC included); this also
    escapes DEL and the C1 range (U+009B is an 8-bit CSI on some terminals).
    """
    if indent is None:
        return _escape_terminal_active(_COMPACT.encode(data))
    return _escape_terminal_active(json.dumps(data, ensure_ascii=False, indent=indent))


def json_array_lines(items: Iterable[Any]) -> str:
    """A JSON array with one compact item per line: fast (C encoder) and diff-friendly."""
    lines = [_COMPACT.encode(item) for item in items]
    if not lines:
        return "[]"
    return _escape_terminal_active("[\n" + ",\n".join(lines) + "\n]")


def export_document(cases: Iterable[Case], *, exported: str | None = None) -> dict[str, Any]:
    """The export object for ``cases`` (each exactly as given; pass stored, unmapped cases)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported": exported or utc_now(),
        "cases": [case.to_dict() for case in cases],
    }


def dump_export(cases: Iterable[Case], *, exported: str | None = None) -> bytes:
    """The export file's bytes: UTF-8, one case per line, ends with a newline."""
    head = export_document([], exported=exported)
    del head["cases"]
    opening = safe_json(head, indent=None)[:-1]  # without the closing brace
    cases_text = json_array_lines(case.to_dict() for case in cases)
    return f'{opening}, "cases": {cases_text}}}\n'.encode()


def parse_export(raw: bytes, *, source: str = "the import file") -> list[Case]:
    """The cases of an export file; :class:`UserInputError` naming what is wrong."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserInputError(f"{source} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UserInputError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise UserInputError(f"{source} is nested too deeply to be an export") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise UserInputError(f'{source} is not a coprod export (no "format": "{EXPORT_FORMAT}")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise UserInputError(f"{source} has no export version")
    if version > EXPORT_VERSION:
        raise UserInputError(
            f"{source} is export version {version}, made by a newer coprod; please upgrade"
        )
    items = data.get("cases")
    if not isinstance(items, list):
        raise UserInputError(f'{source} has no "cases" list')
    cases: list[Case] = []
    for number, item in enumerate(items, start=1):
        try:
            case = Case.from_dict(item)
        except ValueError as error:
            raise UserInputError(f"{source}: case {number}: {error}") from None
        if not is_case_id(case.id):
            raise UserInputError(f"{source}: case {number}: id {case.id!r} is not a case id")
        fmt = item.get("format", CASE_FORMAT)
        if not isinstance(fmt, int) or fmt > CASE_FORMAT:
            raise UserInputError(
                f"{source}: case {number} uses case format {fmt!r}, newer than this coprod"
            )
        cases.append(case)
    return cases
