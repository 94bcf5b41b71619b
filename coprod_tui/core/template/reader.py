"""Reading a template file into YAML nodes that still carry line and column marks.

A template is untrusted input, so reading it is guarded before anything walks
it: only plain YAML is *composed* into a node graph and never constructed with
a loader that knows arbitrary tags, so ``!!python/...`` and any other tag is
reported by the checker, never run. Files over 1 MB are refused before
parsing, an alias bomb is refused by measuring the expanded size of the node
graph (shared nodes are counted once per use, in linear time), deep nesting is
refused, and binary or non-UTF-8 files are named as such. Every refusal is a
:class:`~coprod_tui.core.template.model.Problem` at a 1-based line and column.

This is the only module of the package that imports PyYAML at import time
(the checker uses its node classes); the model and the registry never do.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml

from coprod_tui.core.i18n import _
from coprod_tui.core.template.model import Problem

#: Files larger than this are refused before they are parsed.
MAX_TEMPLATE_BYTES = 1_000_000
#: A template expanding (through aliases) to more nodes than this is refused.
MAX_TEMPLATE_NODES = 100_000

# Characters YAML 1.1 refuses in a stream (c-printable's complement). Compiled
# on first use: it takes milliseconds.
_NOT_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The decoded text of a file, or the problems that stop it being read."""
    return _read_text(path, shown)


def read_nodes(text: str, shown: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The document's root node, guarded (size, characters, depth, aliases), or its problems."""
    if len(text) > MAX_TEMPLATE_BYTES or len(text.encode("utf-8", "surrogatepass")) > (
        MAX_TEMPLATE_BYTES
    ):
        return None, [Problem(shown, 1, 1, _too_big(len(text.encode("utf-8", "replace"))))]
    root, problems = _compose(text, shown)
    if problems:
        return None, problems
    if root is None:
        message = _(
            "the file is empty; expected a template: a mapping with keys id, version, "
            "title, language, source and sections"
        )
        return None, [Problem(shown, 1, 1, message)]
    bomb = _expanded_size_problem(root, shown)
    if bomb:
        return None, [bomb]
    return root, []


def _read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The decoded text of a file, or the problems that stop it being read."""

    def fail(message: str, line: int = 1, column: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(shown, line, column, message)]

    try:
        info = path.stat()
    except FileNotFoundError:
        return fail(_("no such file"))
    except OSError as error:
        return fail(_("cannot read the file: {error}").format(error=error.strerror or error))
    if stat.S_ISDIR(info.st_mode):
        return fail(_("this is a folder; expected a template file (.yaml)"))
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices could block or never end; refuse them unread.
        return fail(_("not a regular file; expected a template file (.yaml)"))
    if info.st_size > MAX_TEMPLATE_BYTES:
        return fail(_too_big(info.st_size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as error:
        return fail(_("cannot read the file: {error}").format(error=error.strerror or error))
    if len(data) > MAX_TEMPLATE_BYTES:
        return fail(_too_big(len(data)))
    return _decode(data, shown)


def _too_big(size: int) -> str:
    return _(
        "file is too large ({size:,} bytes); a template may be at most {limit:,} bytes (1 MB)"
    ).format(size=size, limit=MAX_TEMPLATE_BYTES)


def _decode(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text from bytes, or a problem naming where and why it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(shown, 1, 1, _("file is UTF-16 encoded; save it as UTF-8"))]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        message = _("binary file (found a NUL byte); a template is a UTF-8 text file")
        return None, [Problem(shown, line, column, message)]
    # A UTF-8 byte order mark is harmless; editors do not count it as a column.
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line, column = _byte_position(body, error.start)
        message = _(
            "invalid UTF-8 (byte 0x{body:02x}); save the file as UTF-8 (it may be Latin-1"
            " or Windows-1252)"
        ).format(body=body[error.start])
        return None, [Problem(shown, line, column, message)]


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return before.count(b"\n") + 1, column


def _text_position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


# --------------------------------------------------------------------------- composing

# libyaml (when present) is about three times faster and limits nesting depth
# itself; the pure-Python parser is the fallback. Both only *compose* here:
# nothing is ever constructed from a tag.
_LIBYAML = hasattr(yaml, "CSafeLoader")
_Base: Any = yaml.CSafeLoader if _LIBYAML else yaml.SafeLoader
#: Flow nesting deeper than this is refused up front when libyaml is missing:
#: the pure-Python scanner slows down badly on deep nesting before it fails.
_MAX_FLOW_DEPTH = 200
_FLOW = re.compile(r"[\[\]{}]")


class _ComposeOnlyLoader(_Base):  # type: ignore[misc]
    """A safe loader used only to compose nodes (with marks)."""


def _flow_depth_problem(text: str, shown: str) -> Problem | None:
    """A deep ``[[[[...`` refused cheaply (brackets inside strings count too: harmless)."""
    depth = 0
    for match in _FLOW.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > _MAX_FLOW_DEPTH:
            line, column = _text_position(text, match.start())
            return Problem(shown, line, column, _("malformed YAML: nesting is too deep"))
    return None


def _compose(text: str, shown: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The document's root node, or the one problem that stops parsing."""
    bad = re.search(_NOT_PRINTABLE, text)
    if bad:
        line, column = _text_position(text, bad.start())
        message = _("character U+{ord:04X} is not allowed in a YAML file").format(
            ord=ord(bad.group())
        )
        return None, [Problem(shown, line, column, message)]
    if not _LIBYAML:
        deep = _flow_depth_problem(text, shown)
        if deep:
            return None, [deep]
    loader = _ComposeOnlyLoader(text)
    try:
        return loader.get_single_node(), []
    except yaml.MarkedYAMLError as error:
        return None, [_yaml_problem(error, shown, text)]
    except RecursionError:
        return None, [Problem(shown, 1, 1, _("malformed YAML: nesting is too deep"))]
    except (yaml.YAMLError, ValueError) as error:
        return None, [
            Problem(
                shown, 1, 1, _("malformed YAML: {one_line}").format(one_line=_one_line(str(error)))
            )
        ]
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.MarkedYAMLError, shown: str, text: str) -> Problem:
    """A parser error as a located problem, with a hint for the usual mistakes."""
    mark = error.problem_mark or error.context_mark
    message = error.problem or "could not parse"
    if error.context and error.context_mark is not None and error.context_mark is not mark:
        context_line = error.context_mark.line + 1
        message = _("{message} ({context} at line {context_line})").format(
            message=message, context=error.context, context_line=context_line
        )
    if mark is not None:
        message += _hint(message, text, mark.line, mark.column)
    if "found another document" in message or "single document" in (error.context or ""):
        message = _("a template file holds one YAML document; found another ('---')")
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    return Problem(
        shown, line, column, _("malformed YAML: {one_line}").format(one_line=_one_line(message))
    )


def _hint(message: str, text: str, line_index: int, column: int) -> str:
    """Advice for the YAML mistakes people adapting a template make most often."""
    lines = text.split("\n")
    line = lines[line_index] if 0 <= line_index < len(lines) else ""
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indentation and "tab" not in message:
        return _("; indent with spaces, not tabs")
    if "cannot start any token" in message and line[column : column + 1] in ("@", "`"):
        return _("; put text starting with '@' or '`' in quotes")
    if "mapping values are not allowed" in message:
        return _("; put text containing ': ' in quotes")
    return ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _expanded_size_problem(root: yaml.Node, shown: str) -> Problem | None:
    """Refuse alias bombs and recursive aliases before anything walks the graph.

    Aliases make several places share one node, so a few hundred bytes can
    stand for billions of nodes. The expanded size is computed bottom-up with
    each distinct node measured once, so this costs time linear in the file.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[key] = size
            if size > MAX_TEMPLATE_NODES:
                mark = node.start_mark
                message = _(
                    "the document expands to more than {MAX_TEMPLATE_NODES:,} values through "
                    "aliases ('*name'); refusing it (an alias bomb?)"
                ).format(MAX_TEMPLATE_NODES=MAX_TEMPLATE_NODES)
                return Problem(shown, mark.line + 1, mark.column + 1, message)
            continue
        if key in sizes:
            continue
        if key in on_path:
            mark = node.start_mark
            message = _("recursive alias: this value contains itself")
            return Problem(shown, mark.line + 1, mark.column + 1, message)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
