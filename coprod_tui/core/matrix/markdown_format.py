"""The matrix as Markdown: one pipe table per :class:`~.model.Table`, under its name.

GitHub-flavoured pipe tables hold one line per row, so a line break inside a
cell is written ``<br>`` (every common renderer shows it as a break), and
``|`` is escaped ``\\|`` (a backslash right before it doubled, so it cannot
swallow the escape). ``<`` and ``>`` become ``&lt;`` and ``&gt;``: user text
must never become HTML in a viewer (the ``<br>`` coprod writes is the only tag),
and everything else is left as written, so the file stays readable as plain
text. :func:`unescape_cell` undoes :func:`escape_cell` (the tests read tables back
with it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coprod_tui.core.matrix.model import Table

__all__ = ["escape_cell", "render_markdown", "unescape_cell"]

_PIPE = re.compile(r"(\\*)\|")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def escape_cell(text: str) -> str:
    """One cell's text for a pipe table: one line, no HTML, pipes escaped."""
    text = text.strip().replace("<", "&lt;").replace(">", "&gt;")
    text = _PIPE.sub(lambda match: match.group(1) * 2 + "\\|", text)
    return _LINE_BREAK.sub("<br>", text)


def unescape_cell(text: str) -> str:
    """The text :func:`escape_cell` was given (line breaks as ``\\n``, trimmed)."""
    text = text.strip().replace("<br>", "\n")
    text = re.sub(r"(\\+)\|", lambda m: "\\" * (len(m.group(1)) // 2) + "|", text)
    return text.replace("&lt;", "<").replace("&gt;", ">")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(escape_cell(cell) for cell in cells) + " |"


def render_markdown(tables: Sequence[Table], *, title: str = "Framework matrix") -> bytes:
    """The tables as one Markdown document (UTF-8): a title, then each table under its name."""
    lines = [f"# {escape_cell(title)}"]
    for table in tables:
        lines += ["", f"## {escape_cell(table.name)}", ""]
        lines.append(_row(table.headers))
        lines.append("|" + "|".join("---" for _ in table.headers) + "|")
        lines.extend(_row(row) for row in table.rows)
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")
