"""Cases as Markdown: a heading per case and per section, the fields as a table.

Plain to read in a text editor and clean when rendered (CommonMark and
GitHub-flavoured tables). The rules for user text:

- one-line places (titles, tags, field values, questions) escape every
  character Markdown would act on (``* _ [ ] < > | # ` \\``), so a title such
  as ``[klicka här](http://x)`` or ``**viktigt**`` reads as typed;
- section texts stay as written (people write short lists and emphasis and
  expect them to work), except what would change the document's structure or
  smuggle in HTML: a line starting with ``#`` (a heading), a line of only
  ``-``, ``=``, ``*`` or ``_`` (a rule, or a heading underline), and ``<``
  before a tag or ``&`` before an entity are escaped. Single line breaks are
  kept (two trailing spaces), so lines written one under another stay so.

Terminal controls never reach the file (the entries are cleaned already).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coprod_tui.core.export.model import (
    ExportEntry,
    ExportOptions,
    field_rows,
    one_line,
    paragraphs,
)

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_HEADING = re.compile(r"^(\s{0,3})(#)")
_RULE = re.compile(r"^\s{0,3}([-=*_])(\s*\1){2,}\s*$|^\s{0,3}=+\s*$")
_QUOTE_MARK = re.compile(r"^(\s{0,3})>")


def inline(text: str) -> str:
    """``text`` for a one-line place, every Markdown character escaped."""
    return _INLINE_SPECIAL.sub(r"\\\1", one_line(text))


def _block_line(line: str) -> str:
    line = _ENTITY.sub("\\\\&", _TAG_START.sub("\\\\<", line))
    if _RULE.match(line):
        return "\\" + line.lstrip()
    return _HEADING.sub(r"\1\\\2", line)


def block(text: str) -> str:
    """A section text as Markdown paragraphs (see the module's rules)."""
    return "\n\n".join(
        "  \n".join(_block_line(line) for line in lines) for lines in paragraphs(text)
    )


def _quoted(text: str) -> str:
    """A passage as a block quote (its own ``>`` marks escaped)."""
    lines = []
    for number, para in enumerate(paragraphs(text)):
        if number:
            lines.append(">")
        lines += [
            "> "
            + _QUOTE_MARK.sub(r"\1\\>", _block_line(line))
            + ("  " if i < len(para) - 1 else "")
            for i, line in enumerate(para)
        ]
    return "\n".join(lines)


def render_entry(entry: ExportEntry, options: ExportOptions) -> str:
    """One case as Markdown text (ends with a newline)."""
    doc, names = entry.document, entry.labels
    out = [f"# {inline(doc.title) or '(untitled)'}", ""]
    out += [f"| {inline(names['field'])} | {inline(names['value'])} |", "| --- | --- |"]
    out += [f"| {inline(label)} | {inline(value)} |" for label, value in field_rows(entry)]
    out.append("")
    for note in doc.notes:
        out += [f"> **{inline(names['note'])}:** {inline(note)}", ""]
    for section in entry.sections(options):
        out += [f"## {section.number}. {inline(section.title)}", ""]
        questions = entry.questions.get(section.id, ()) if options.questions else ()
        if questions:
            out += [f"*{inline(names['questions'])}*", ""]
            out += [f"- {inline(question)}" for question in questions]
            out.append("")
        out += [f"*{inline(names['empty'])}*" if section.empty else block(section.text), ""]
    for orphan in doc.orphans:
        out += [f"## {inline(names['orphan'])}: {inline(orphan.title)}", "", block(orphan.text), ""]
    if entry.insights:
        out += [f"## {inline(names['insights'])}", ""]
        for insight in entry.insights:
            out += [f"### {inline(insight.title) or '(untitled)'}", ""]
            if insight.text.strip():
                out += [block(insight.text), ""]
            for quote in insight.quotes:
                out += [
                    _quoted(quote.quote),
                    ">",
                    f"> — {inline(names['quoted_from'])} {inline(quote.section)}",
                    "",
                ]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def render(entries: Sequence[ExportEntry], options: ExportOptions) -> bytes:
    """The Markdown file: each case in turn, a rule between them; UTF-8."""
    text = "\n---\n\n".join(render_entry(entry, options) for entry in entries)
    return text.encode("utf-8", "replace")
