"""The lossless JSON export format: one object with a format version and a ``cases`` list.

::

    {
      "format": "coprod-export",
      "version": 1,
      "exported": "2026-11-28T14:03:12Z",
      "cases": [ {...one case exactly as stored, see Case.to_dict...}, ... ]
    }

Each case is written exactly as the store holds it (id, revision, times, who
saved it, orphaned text, conflict link, keys from a newer coprod), so ``coprod
import`` of an export into an empty store gives back identical cases, and
importing it twice changes nothing. Text stays readable UTF-8; only characters
a terminal could act on (DEL and the C1 controls) are written as ``\\u``
escapes, which JSON reads back as the same characters.

**Version 2: complete backups.** An export that holds a trashed case, or kept
versions (``--with-history``), is written as version 2. Its case entries may
carry two export-level keys besides the case's own: ``"trashed": true`` (the
case is in the trash) and ``"history": [...]`` (kept earlier versions, oldest
first, each a whole case document). Both names are reserved for the export:
a case document never holds them. The version is bumped because coprod
before 2 ignores unknown keys: it would import a trashed case as an active
one; it refuses version 2 instead ("made by a newer coprod"). An export with
neither stays version 1, readable by every coprod.

Import checks the whole file before anything is stored and reports every bad
item as ``FILE: case N (id): message``, one per line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from coprod_tui.core.case import Case, utc_now
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.json_text import json_array_lines, safe_json
from coprod_tui.core.store.storage import MAX_JSON_BYTES
from coprod_tui.core.text_safety import printable

EXPORT_FORMAT = "coprod-export"
#: Plain cases: every coprod reads it.
EXPORT_VERSION = 1
#: Holds trashed cases and/or kept versions (coprod before it refuses the file).
BACKUP_EXPORT_VERSION = 2
#: The newest export version this coprod reads.
NEWEST_EXPORT_VERSION = BACKUP_EXPORT_VERSION
#: Export-level keys of a case entry (version 2).
TRASHED_KEY = "trashed"
HISTORY_KEY = "history"
#: History file names hold ten digits of revision.
MAX_KEPT_REVISION = 10**10
#: An import with more bad cases than this lists this many, then counts the rest.
MAX_PROBLEMS = 1000


@dataclass
class ExportItem:
    """One case of an export, with where it lives and (optionally) its kept versions."""

    case: Case
    trashed: bool = False
    #: Kept earlier versions, oldest first (only with ``--with-history``).
    history: list[Case] = field(default_factory=list)


def _items(cases: Iterable[Case | ExportItem]) -> list[ExportItem]:
    return [item if isinstance(item, ExportItem) else ExportItem(item) for item in cases]


def export_version(items: Iterable[ExportItem]) -> int:
    """1 for plain cases; 2 once the trash or kept versions are included (see above)."""
    full = any(item.trashed or item.history for item in items)
    return BACKUP_EXPORT_VERSION if full else EXPORT_VERSION


def _entry(item: ExportItem) -> dict[str, Any]:
    data = item.case.to_dict()
    # Reserved for the export in every version: a case document never carries them.
    data.pop(TRASHED_KEY, None)
    data.pop(HISTORY_KEY, None)
    if item.trashed:
        data[TRASHED_KEY] = True
    if item.history:
        data[HISTORY_KEY] = [version.to_dict() for version in item.history]
    return data


def export_document(
    cases: Iterable[Case | ExportItem], *, exported: str | None = None
) -> dict[str, Any]:
    """The export object for ``cases`` (each exactly as given; pass stored, unmapped cases)."""
    items = _items(cases)
    return {
        "format": EXPORT_FORMAT,
        "version": export_version(items),
        "exported": exported or utc_now(),
        "cases": [_entry(item) for item in items],
    }


def dump_export(
    cases: Iterable[Case | ExportItem],
    *,
    exported: str | None = None,
    insights: Iterable[dict[str, Any]] = (),
) -> bytes:
    """The export file's bytes: UTF-8, one case per line, ends with a newline.

    ``insights`` (entries from ``core.insights.exchange.insight_entries``)
    become a top-level ``"insights"`` list after the cases; why that keeps the
    version is in that module's docstring.
    """
    items = _items(cases)
    insight_list = list(insights)
    head = {
        "format": EXPORT_FORMAT,
        "version": export_version(items),
        "exported": exported or utc_now(),
    }
    opening = safe_json(head, indent=None)[:-1]  # without the closing brace
    cases_text = json_array_lines(_entry(item) for item in items)
    tail = f', "insights": {json_array_lines(insight_list)}' if insight_list else ""
    return f'{opening}, "cases": {cases_text}{tail}}}\n'.encode()


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("it holds a number too large for JSON")
    return value


def _load(raw: bytes, source: str) -> Any:
    if len(raw) > MAX_JSON_BYTES:
        limit = MAX_JSON_BYTES // (1024 * 1024)
        raise UserInputError(f"{source} is larger than {limit} MB; coprod imports at most that")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark some editors add
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except UnicodeDecodeError:
        raise UserInputError(f"{source} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UserInputError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise UserInputError(f"{source} is nested too deeply to be an export") from None
    except ValueError as error:  # NaN, 1e999, an integer of thousands of digits
        reason = "it holds a number too long" if "digits" in str(error) else str(error)
        raise UserInputError(f"{source} is not an export coprod can read ({reason})") from None


def read_export_json(raw: bytes, source: str) -> Any:
    """An export file's parsed JSON (``UserInputError``, one line, if it is not JSON)."""
    return _load(raw, source)


def _shown_id(item: Any) -> str:
    """The id of a bad item as it may be shown: short, with no terminal controls."""
    value = item.get("id") if isinstance(item, dict) else None
    if not isinstance(value, str):
        return ""
    shown = printable(value.encode("utf-8", "replace").decode("utf-8"), keep_newlines=False)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _parse_item(item: Any) -> ExportItem:
    """One case entry; ``ValueError`` naming what is wrong."""
    if not isinstance(item, dict):
        raise ValueError("a case must be a JSON object")
    document = dict(item)
    trashed = document.pop(TRASHED_KEY, False)
    if not isinstance(trashed, bool):
        raise ValueError(f"{TRASHED_KEY!r} must be true or false")
    history_raw = document.pop(HISTORY_KEY, [])
    if not isinstance(history_raw, list):
        raise ValueError(f"{HISTORY_KEY!r} must be a list of kept versions")
    case = Case.from_dict(document)
    history: list[Case] = []
    seen: set[int] = set()
    for number, raw_version in enumerate(history_raw, start=1):
        try:
            version = Case.from_dict(raw_version)
        except ValueError as error:
            raise ValueError(f"kept version {number}: {error}") from None
        if version.id != case.id:
            raise ValueError(f"kept version {number} has another case's id")
        if version.revision >= case.revision or version.revision >= MAX_KEPT_REVISION:
            raise ValueError(
                f"kept version {number} (revision {version.revision}) is not older than "
                f"the case (revision {case.revision})"
            )
        if version.revision in seen:
            raise ValueError(f"kept version {number} repeats revision {version.revision}")
        seen.add(version.revision)
        history.append(version)
    history.sort(key=lambda version: version.revision)
    return ExportItem(case, trashed=trashed, history=history)


def parse_export_items(raw: bytes, *, source: str = "the import file") -> list[ExportItem]:
    """Every case of an export file, checked whole before anything is imported.

    :class:`UserInputError` for a file that is not an export (one line), or
    listing every bad case, one line each: ``FILE: case N (id): message``
    (then nothing is imported).
    Unknown keys (at the top and in each case) never fail: a case keeps its
    own for a newer coprod.
    """
    data = _load(raw, source)
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise UserInputError(f'{source} is not a coprod export (no "format": "{EXPORT_FORMAT}")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserInputError(f"{source} has no export version")
    if version > NEWEST_EXPORT_VERSION:
        shown = version if version < 10**6 else "far ahead"
        raise UserInputError(
            f"{source} is export version {shown}, made by a newer coprod; please upgrade"
        )
    entries = data.get("cases")
    if not isinstance(entries, list):
        raise UserInputError(f'{source} has no "cases" list')
    items: list[ExportItem] = []
    problems: list[str] = []
    first_seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        shown = _shown_id(entry)
        where = f"{source}: case {number}" + (f" ({shown})" if shown else "")
        try:
            item = _parse_item(entry)
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        earlier = first_seen.setdefault(item.case.id, number)
        if earlier != number:
            problems.append(f"{where}: the same id as case {earlier}; each case must appear once")
            continue
        items.append(item)
    if problems:
        shown_problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown_problems.append(f"{source}: ... and {len(problems) - MAX_PROBLEMS} more problems")
        raise UserInputError("\n".join(shown_problems))
    return items


def parse_export(raw: bytes, *, source: str = "the import file") -> list[Case]:
    """The cases of an export file (see :func:`parse_export_items`)."""
    return [item.case for item in parse_export_items(raw, source=source)]
