"""``coprod search``: full-text search over the store's cases and insights (``core.search``).

Kept lean for a fast whole process: ``sqlite3`` and the store are imported in
the handler, and the output is written without Rich. User text passes
:func:`~coprod_tui.core.text_safety.printable`; JSON escapes every terminal
control character.
"""

from __future__ import annotations

import argparse
import sys

from coprod_tui.core.i18n import N_, _
from coprod_tui.core.text_safety import printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from coprod_tui.core.search import SearchHit

#: How the hit is marked in a snippet: bold and underlined on a terminal, «» in a pipe.
_TTY_MARK = ("\x1b[1;4m", "\x1b[0m")
_PLAIN_MARK = ("«", "»")
_TITLE_WIDTH = 28
_SECTION_WIDTH = 18


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``coprod search`` to the CLI."""
    search = commands.add_parser(
        "search",
        help=N_(
            'search cases and insights (words, word*, "a phrase", section:ID, tag:T, template:ID)'
        ),
        description=N_(
            "Search the text, titles and tags of every case and insight (--kind for one "
            "kind). Every word must match; word* "
            'matches words starting so; "several words" must stand together; section:ID, '
            "tag:T, template:ID and perspective:ID narrow the hits. A word typed without "
            "å, ä, ö also finds the words with them; words of 3 letters or more are found "
            "inside compounds too (remiss finds läkarremissen)."
        ),
    )
    search.add_argument("query", metavar="QUERY", nargs="+", help=N_("what to look for"))
    search.add_argument("--section", metavar="ID", help=N_("only this section (its id)"))
    search.add_argument("--tag", metavar="T", help=N_("only cases (and insights) with this tag"))
    search.add_argument(
        "--kind",
        choices=("case", "insight"),
        default=None,
        help=N_("only cases or only insights (default: both, insights marked ◆)"),
    )
    search.add_argument(
        "--limit", metavar="N", type=_limit, default=50, help=N_("at most N hits (default 50)")
    )
    search.add_argument("--json", action="store_true", help=N_("print JSON rows"))
    search.set_defaults(func=cmd_search)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a number: {text}").format(text=repr(text))
        ) from None
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(_("the limit must be 1 to 10000"))
    return value


def cmd_search(args: argparse.Namespace) -> int:
    from coprod_tui.core.locations import store_path
    from coprod_tui.core.search import SearchIndex
    from coprod_tui.core.store import CaseStore

    store = CaseStore.open(store_path(args), create=False)
    query = " ".join(args.query)
    kind = getattr(args, "kind", None)
    hits: list[SearchHit] = []
    with SearchIndex.for_store(store) as index:
        if kind != "insight":
            hits += index.search(query, section=args.section, tag=args.tag, limit=args.limit)
        if kind != "case" and not args.section:
            hits += index.search_insights(query, tag=args.tag, limit=args.limit)
    if kind is None:
        # Both kinds, best first (a stable sort: each kind keeps its own order among equals).
        hits = sorted(hits, key=lambda hit: -hit.score)[: args.limit]
    if args.json:
        from coprod_tui.core.json_text import safe_json

        rows = [_json_row(hit) for hit in hits]
        sys.stdout.write(safe_json(rows) + "\n")
        return 0
    if not hits:
        none = {
            "case": _("no case matches that search"),
            "insight": _("no insight matches that search"),
        }.get(kind or "", _("no case or insight matches that search"))
        sys.stdout.write(none + "\n")
        return 0
    mark = _TTY_MARK if sys.stdout.isatty() else _PLAIN_MARK
    for hit in hits:
        sys.stdout.write(_row(hit, mark) + "\n")
    return 0


def _json_row(hit: SearchHit) -> dict[str, Any]:
    """A JSON row: ``kind``, and ``case_id`` + ``section_id`` for a case, ``insight_id`` for
    an insight (the cases' rows keep every key they had)."""
    if hit.kind == "insight":
        return {
            "kind": "insight",
            "insight_id": hit.doc_id,
            "title": hit.title,
            "snippet": hit.snippet,
            "score": hit.score,
        }
    return {
        "kind": "case",
        "case_id": hit.case_id,
        "title": hit.title,
        "section_id": hit.section_id,
        "snippet": hit.snippet,
        "score": hit.score,
    }


def _row(hit: SearchHit, mark: tuple[str, str]) -> str:
    """One line: id prefix, title, section (◆ insight for an insight), the marked snippet."""
    title = _cut(printable(hit.title, keep_newlines=False), _TITLE_WIDTH)
    where = _("◆ insight") if hit.kind == "insight" else (hit.section_id or _("title"))
    section = _cut(printable(where, keep_newlines=False), _SECTION_WIDTH)
    return (
        f"{hit.doc_id[:8]}  {title.ljust(_TITLE_WIDTH)}  {section.ljust(_SECTION_WIDTH)}  "
        f"{marked(hit.snippet, hit.highlights, mark)}"
    )


def marked(text: str, spans: tuple[tuple[int, int], ...], mark: tuple[str, str]) -> str:
    """``text`` made terminal-safe, each span wrapped in ``mark`` (opening, closing)."""
    parts: list[str] = []
    at = 0
    for start, end in spans:
        if start < at or end > len(text):
            continue
        parts.append(printable(text[at:start], keep_newlines=False))
        parts.append(mark[0] + printable(text[start:end], keep_newlines=False) + mark[1])
        at = end
    parts.append(printable(text[at:], keep_newlines=False))
    return "".join(parts)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def reindex(store: Any) -> None:
    """``coprod doctor --reindex``: rebuild the search index, with a progress bar on a terminal.

    The bar goes to standard error, and only when it is a terminal; the
    summary line (standard output) is printed either way.
    """
    import time

    from coprod_tui.core.search import SearchIndex

    bar = _ProgressBar() if sys.stderr.isatty() else None
    started = time.perf_counter()
    index = SearchIndex(
        store.path, file_mode=store.policy.file_mode, dir_mode=store.policy.dir_mode
    )
    try:
        count = index.rebuild(bar.show if bar is not None else None)
        in_memory = index.in_memory
    finally:
        if bar is not None:
            bar.done()
        index.close()
    seconds = time.perf_counter() - started
    if in_memory:
        from coprod_tui.core.errors import OperationalError

        raise OperationalError(
            _(
                "could not write the search index in {folder} (the store cannot be written); "
                "searches still work, from memory"
            ).format(folder=index.folder)
        )
    sys.stdout.write(
        _("search index rebuilt: {n} case file(s) read in {seconds} s").format(
            n=count, seconds=f"{seconds:.1f}"
        )
        + "\n"
    )


class _ProgressBar:
    """``[#####.....] 512/10000`` redrawn in place on standard error."""

    WIDTH = 30

    def __init__(self) -> None:
        self._last = -1

    def show(self, done: int, total: int) -> None:
        filled = self.WIDTH if not total else done * self.WIDTH // total
        if filled == self._last and done != total:
            return
        self._last = filled
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(
            "\r" + _("indexing [{bar}] {done}/{total}").format(bar=bar, done=done, total=total)
        )
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()
