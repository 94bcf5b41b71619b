"""JSON text that is safe to print on a terminal, for every ``--json`` and export.

Its own small module so a command printing JSON (``coprod show --json``,
``coprod list --json``) needs nothing of the export format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["json_array_lines", "safe_json"]

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
