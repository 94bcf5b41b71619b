"""Templates: the sections, guiding questions and perspectives a case follows.

A template is a YAML file that teams write and adapt, so it is untrusted input
and a public interface at once. Loading therefore has two duties:

* **Safety.** Only plain YAML (mappings, lists, text, numbers) is accepted.
  The file is *composed* into a node graph and never constructed with a
  loader that knows arbitrary tags, so ``!!python/...`` and any other tag is
  reported, never run. Files over 1 MB are refused before parsing, an alias
  bomb is refused by measuring the expanded size of the node graph (shared
  nodes are counted once per use, in linear time), and binary or non-UTF-8
  files are named as such.
* **Precise feedback.** Validation walks the node graph, which still carries
  line and column marks, and reports *every* problem at once as
  ``FILE:LINE:COL: message`` (1-based), the format editors and CI systems
  understand, saying what was expected.

The data classes at the top are the contract the store and the UI code
against; content in cases is keyed by ``Section.id``.
"""

from __future__ import annotations

import difflib
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from coprod_tui.core.errors import UserInputError

#: Files larger than this are refused before they are parsed.
MAX_TEMPLATE_BYTES = 1_000_000
#: A template expanding (through aliases) to more nodes than this is refused.
MAX_TEMPLATE_NODES = 100_000

FIELD_TYPES = ("text", "date", "choice")

_ID = re.compile(r"[a-z0-9-]+")
# BCP 47, simplified: a 2–3 letter language, then subtags of 1–8 letters/digits
# (script, region, variant), e.g. "en", "sv", "sv-SE", "zh-Hant-TW".
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# Characters YAML 1.1 refuses in a stream (c-printable's complement). Compiled
# on first use: it takes milliseconds, and every CLI start imports this module.
_NOT_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
# Control characters that must not appear inside template text (escapes such as
# "\e" in a double-quoted string could otherwise reach the terminal).
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _BOOL, _NULL = _YAML + "str", _YAML + "int", _YAML + "bool", _YAML + "null"
_FLOAT, _TIMESTAMP, _MERGE = _YAML + "float", _YAML + "timestamp", _YAML + "merge"
_SEQ, _MAP = _YAML + "seq", _YAML + "map"


@dataclass(frozen=True)
class Perspective:
    """One of the coproduction model's points of view (e.g. the patient-person)."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class FieldSpec:
    """A piece of case metadata (setting, role, date, ...)."""

    id: str
    label: str
    type: str = "text"  # "text" | "date" | "choice"
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Section:
    """One section of a case: stable id, title, guiding questions."""

    id: str
    title: str
    description: str = ""
    perspective: str | None = None
    questions: tuple[str, ...] = ()
    renamed_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """A whole template. Content in cases is keyed by ``Section.id``."""

    id: str
    version: int
    title: str
    language: str
    source: str
    sections: tuple[Section, ...]
    description: str = ""
    perspectives: tuple[Perspective, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def section(self, section_id: str) -> Section:
        """The section with this id; ``KeyError`` if there is none."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def section_ids(self) -> list[str]:
        """Section ids in template order."""
        return [section.id for section in self.sections]

    def filled_count(self, section_ids: Iterable[str]) -> int:
        """How many of this template's sections the given filled section ids fill.

        ``section_ids`` are the ids a case holds text under, as stored (the
        catalog's ``filled``): text under an id a section lists in
        ``renamed_from`` counts for that section, exactly as the editor maps
        it, so the list's progress and the editor's always agree. Ids the
        template does not know (orphans) count for nothing.
        """
        given = set(section_ids)
        return sum(
            1
            for section in self.sections
            if section.id in given or any(old in given for old in section.renamed_from)
        )

    def perspective(self, perspective_id: str | None) -> Perspective | None:
        """The perspective with this id, or ``None``."""
        for perspective in self.perspectives:
            if perspective.id == perspective_id:
                return perspective
        return None


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a template file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class TemplateError(UserInputError):
    """A template file has problems; ``str()`` lists every one, a line each."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --------------------------------------------------------------------------- public API


def load_template(path: Path | str) -> Template:
    """Read and validate a template file; :class:`TemplateError` lists all problems."""
    text, problems = _read_text(Path(path), str(path))
    if text is None:
        raise TemplateError(problems)
    return parse_template(text, path)


def parse_template(text: str, path: Path | str | None = None) -> Template:
    """Validate template ``text``; ``path`` names it in problems and is kept on the result."""
    template, problems = _parse(text, "<template>" if path is None else str(path))
    if problems or template is None:
        raise TemplateError(problems)
    return replace(template, path=None if path is None else Path(path))


def validate_template_file(path: Path | str) -> list[Problem]:
    """Every problem in a template file (an empty list means it is valid)."""
    text, problems = _read_text(Path(path), str(path))
    if text is None:
        return problems
    return _parse(text, str(path))[1]


# --------------------------------------------------------------------------- reading


def _read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The decoded text of a file, or the problems that stop it being read."""

    def fail(message: str, line: int = 1, column: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(shown, line, column, message)]

    try:
        info = path.stat()
    except FileNotFoundError:
        return fail("no such file")
    except OSError as error:
        return fail(f"cannot read the file: {error.strerror or error}")
    if stat.S_ISDIR(info.st_mode):
        return fail("this is a folder; expected a template file (.yaml)")
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices could block or never end; refuse them unread.
        return fail("not a regular file; expected a template file (.yaml)")
    if info.st_size > MAX_TEMPLATE_BYTES:
        return fail(_too_big(info.st_size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as error:
        return fail(f"cannot read the file: {error.strerror or error}")
    if len(data) > MAX_TEMPLATE_BYTES:
        return fail(_too_big(len(data)))
    return _decode(data, shown)


def _too_big(size: int) -> str:
    return (
        f"file is too large ({size:,} bytes); a template may be at most "
        f"{MAX_TEMPLATE_BYTES:,} bytes (1 MB)"
    )


def _decode(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text from bytes, or a problem naming where and why it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(shown, 1, 1, "file is UTF-16 encoded; save it as UTF-8")]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        message = "binary file (found a NUL byte); a template is a UTF-8 text file"
        return None, [Problem(shown, line, column, message)]
    # A UTF-8 byte order mark is harmless; editors do not count it as a column.
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line, column = _byte_position(body, error.start)
        message = (
            f"invalid UTF-8 (byte 0x{body[error.start]:02x}); save the file as UTF-8 "
            "(it may be Latin-1 or Windows-1252)"
        )
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
            return Problem(shown, line, column, "malformed YAML: nesting is too deep")
    return None


def _compose(text: str, shown: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The document's root node, or the one problem that stops parsing."""
    bad = re.search(_NOT_PRINTABLE, text)
    if bad:
        line, column = _text_position(text, bad.start())
        message = f"character U+{ord(bad.group()):04X} is not allowed in a YAML file"
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
        return None, [Problem(shown, 1, 1, "malformed YAML: nesting is too deep")]
    except (yaml.YAMLError, ValueError) as error:
        return None, [Problem(shown, 1, 1, f"malformed YAML: {_one_line(str(error))}")]
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.MarkedYAMLError, shown: str, text: str) -> Problem:
    """A parser error as a located problem, with a hint for the usual mistakes."""
    mark = error.problem_mark or error.context_mark
    message = error.problem or "could not parse"
    if error.context and error.context_mark is not None and error.context_mark is not mark:
        context_line = error.context_mark.line + 1
        message = f"{message} ({error.context} at line {context_line})"
    if mark is not None:
        message += _hint(message, text, mark.line, mark.column)
    if "found another document" in message or "single document" in (error.context or ""):
        message = "a template file holds one YAML document; found another ('---')"
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    return Problem(shown, line, column, f"malformed YAML: {_one_line(message)}")


def _hint(message: str, text: str, line_index: int, column: int) -> str:
    """Advice for the YAML mistakes people adapting a template make most often."""
    lines = text.split("\n")
    line = lines[line_index] if 0 <= line_index < len(lines) else ""
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indentation and "tab" not in message:
        return "; indent with spaces, not tabs"
    if "cannot start any token" in message and line[column : column + 1] in ("@", "`"):
        return "; put text starting with '@' or '`' in quotes"
    if "mapping values are not allowed" in message:
        return "; put text containing ': ' in quotes"
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
                message = (
                    f"the document expands to more than {MAX_TEMPLATE_NODES:,} values through "
                    "aliases ('*name'); refusing it (an alias bomb?)"
                )
                return Problem(shown, mark.line + 1, mark.column + 1, message)
            continue
        if key in sizes:
            continue
        if key in on_path:
            mark = node.start_mark
            message = "recursive alias: this value contains itself"
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


# --------------------------------------------------------------------------- validation

_TOP_KEYS = {
    "id": True,
    "version": True,
    "title": True,
    "language": True,
    "source": True,
    "description": False,
    "perspectives": False,
    "fields": False,
    "sections": True,
}
_PERSPECTIVE_KEYS = {"id": True, "title": True, "description": False}
_FIELD_KEYS = {"id": True, "label": True, "type": False, "choices": False, "required": False}
_SECTION_KEYS = {
    "id": True,
    "title": True,
    "description": False,
    "perspective": False,
    "questions": True,
    "renamed_from": False,
}


def _parse(text: str, shown: str) -> tuple[Template | None, list[Problem]]:
    """Compose, check and build; returns the template or every problem found."""
    if len(text) > MAX_TEMPLATE_BYTES or len(text.encode("utf-8", "surrogatepass")) > (
        MAX_TEMPLATE_BYTES
    ):
        return None, [Problem(shown, 1, 1, _too_big(len(text.encode("utf-8", "replace"))))]
    root, problems = _compose(text, shown)
    if problems:
        return None, problems
    if root is None:
        message = (
            "the file is empty; expected a template: a mapping with keys "
            "id, version, title, language, source and sections"
        )
        return None, [Problem(shown, 1, 1, message)]
    bomb = _expanded_size_problem(root, shown)
    if bomb:
        return None, [bomb]
    checker = _Checker(shown)
    template = checker.template(root)
    problems = sorted(set(checker.problems), key=lambda p: (p.line, p.column, p.message))
    return (None if problems else template), problems


_KIND_NAMES = {
    _STR: "text",
    _INT: "a whole number",
    _FLOAT: "a decimal number",
    _BOOL: "true/false",
    _NULL: "nothing (an empty value)",
    _TIMESTAMP: "a date",
}


def _kind(node: yaml.Node) -> str:
    """How a node reads to a person ("a list", "text", ...), for messages."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return _KIND_NAMES.get(node.tag, f"a value tagged '{node.tag}'")


def _short(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Checker:
    """Walks a composed template, collecting every problem and building the result."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems: list[Problem] = []
        self._bad_tags: set[int] = set()

    # -- reporting

    def problem(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.shown, mark.line + 1, mark.column + 1, message))

    def tag_ok(self, node: yaml.Node) -> bool:
        """False (and reported once) for any tag beyond plain YAML."""
        allowed = {_SEQ} if isinstance(node, yaml.SequenceNode) else set()
        if isinstance(node, yaml.MappingNode):
            allowed = {_MAP}
        elif isinstance(node, yaml.ScalarNode):
            allowed = set(_KIND_NAMES)
        if node.tag in allowed:
            return True
        if id(node) not in self._bad_tags:
            self._bad_tags.add(id(node))
            self.problem(
                node,
                f"unsupported tag '{_short(node.tag)}': a template holds only plain text, "
                "numbers, lists and mappings (tags are never run)",
            )
        return False

    # -- generic shapes

    def mapping(
        self, node: yaml.Node, what: str, keys: dict[str, bool]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's entries by key; reports wrong type, unknown, duplicate, missing keys."""
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            expected = ", ".join(key for key, required in keys.items() if required)
            self.problem(node, f"{what} must be a mapping with keys {expected}; got {_kind(node)}")
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            name = self.key_name(key_node, what)
            if name is None:
                continue
            if name in entries:
                first = entries[name][0].start_mark.line + 1
                self.problem(key_node, f"duplicate key '{name}' in {what} (first at line {first})")
                continue
            if name not in keys:
                self.problem(key_node, _unknown_key_message(name, what, keys))
                continue
            entries[name] = (key_node, value_node)
        for name, required in keys.items():
            if required and name not in entries:
                self.problem(node, f"{what} is missing required key '{name}'")
        return entries

    def key_name(self, key_node: yaml.Node, what: str) -> str | None:
        if key_node.tag == _MERGE:
            self.problem(key_node, f"merge keys ('<<') are not supported in {what}")
            return None
        if not self.tag_ok(key_node):
            return None
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
            self.problem(key_node, f"keys in {what} must be text; got {_kind(key_node)}")
            return None
        return str(key_node.value)

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list; got {_kind(node)}")
            return None
        return list(node.value)

    def text(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str | None:
        """Plain text; a number or date written bare gets a hint to quote it."""
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            message = f"{what} must be text; got {_kind(node)}"
            if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
                message += f" (write it in quotes: '{node.value}')"
            self.problem(node, message)
            return None
        value = str(node.value).strip()
        if not value and not allow_empty:
            self.problem(node, f"{what} must not be empty")
            return None
        control = _CONTROL_IN_TEXT.search(value)
        if control:
            code = f"U+{ord(control.group()):04X}"
            self.problem(node, f"{what} contains a control character ({code})")
            return None
        return value

    def identifier(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not _ID.fullmatch(value):
            suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            hint = f" (e.g. '{suggestion}')" if suggestion else ""
            self.problem(
                node,
                f"{what} '{value}' is not a valid id: use lowercase letters a-z, digits 0-9 "
                f"and '-' only{hint}",
            )
            return None
        return value

    def items(
        self,
        entries: dict[str, tuple[yaml.Node, yaml.Node]],
        key: str,
        noun: str,
        build: Callable[[yaml.Node, str], Any],
    ) -> list[Any]:
        """Check a list of mappings with unique ids (sections, perspectives, fields)."""
        if key not in entries:
            return []
        nodes = self.sequence(entries[key][1], f"'{key}'")
        if nodes is None:
            return []
        built: list[Any] = []
        first_line: dict[str, int] = {}
        for number, node in enumerate(nodes, start=1):
            peeked = _peek_id(node)
            item = build(node, f"{noun} '{peeked}'" if peeked else f"{noun} {number}")
            if item is None:
                continue
            if item.id in first_line:
                self.problem(
                    _id_node(node),
                    f"duplicate {noun} id '{item.id}' (first defined at line "
                    f"{first_line[item.id]})",
                )
                continue
            first_line[item.id] = _id_node(node).start_mark.line + 1
            built.append(item)
        return built

    # -- the template

    def template(self, root: yaml.Node) -> Template | None:
        entries = self.mapping(root, "the template", _TOP_KEYS)
        if entries is None:
            return None
        values: dict[str, Any] = {}
        values["id"] = self.optional(entries, "id", lambda n: self.identifier(n, "template id"))
        values["version"] = self.optional(entries, "version", self.version)
        for key in ("title", "source"):
            values[key] = self.optional(entries, key, lambda n, k=key: self.text(n, f"'{k}'"))
        values["language"] = self.optional(entries, "language", self.language)
        values["description"] = self.optional(
            entries, "description", lambda n: self.text(n, "'description'", allow_empty=True)
        )
        perspectives = self.items(entries, "perspectives", "perspective", self.perspective)
        fields = self.items(entries, "fields", "field", self.field)
        sections = self.items(entries, "sections", "section", self.section)
        self.check_sections(entries, sections, perspectives)
        if self.problems:
            return None
        return Template(
            id=values["id"],
            version=values["version"],
            title=values["title"],
            language=values["language"],
            source=values["source"],
            description=values["description"] or "",
            sections=tuple(section.plain() for section in sections),
            perspectives=tuple(perspectives),
            fields=tuple(fields),
        )

    def optional(
        self,
        entries: dict[str, tuple[yaml.Node, yaml.Node]],
        key: str,
        check: Callable[[yaml.Node], Any],
    ) -> Any:
        return check(entries[key][1]) if key in entries else None

    def version(self, node: yaml.Node) -> int | None:
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            shown = f" '{node.value}'" if isinstance(node, yaml.ScalarNode) and node.value else ""
            self.problem(
                node, f"'version' must be a whole number such as 1; got {_kind(node)}{shown}"
            )
            return None
        try:
            value = int(str(node.value).replace("_", ""), 0)
        except ValueError:
            value = -1
        if not 1 <= value < 10**9:
            self.problem(node, f"'version' must be a whole number from 1 up; got '{node.value}'")
            return None
        return value

    def language(self, node: yaml.Node) -> str | None:
        value = self.text(node, "'language'")
        if value is None:
            return None
        if not _LANGUAGE.fullmatch(value):
            hint = f" (use '-', not '_': '{value.replace('_', '-')}')" if "_" in value else ""
            self.problem(
                node,
                f"'language' must be a BCP 47 language tag such as 'en', 'sv' or 'sv-SE'; "
                f"got '{value}'{hint}",
            )
            return None
        return value

    def heading(
        self, entries: dict[str, tuple[yaml.Node, yaml.Node]], what: str
    ) -> tuple[str | None, str | None, str | None]:
        """The ``id``, ``title`` and ``description`` a perspective and a section both have."""
        ident = self.optional(entries, "id", lambda n: self.identifier(n, f"{what} id"))
        title = self.optional(entries, "title", lambda n: self.text(n, f"'title' of {what}"))
        description = self.optional(
            entries,
            "description",
            lambda n: self.text(n, f"'description' of {what}", allow_empty=True),
        )
        return ident, title, description

    def perspective(self, node: yaml.Node, what: str) -> Perspective | None:
        entries = self.mapping(node, what, _PERSPECTIVE_KEYS)
        if entries is None:
            return None
        ident, title, description = self.heading(entries, what)
        if ident is None:
            return None
        # Kept even with a bad title so sections naming it are not also flagged.
        return Perspective(id=ident, title=title or "", description=description or "")

    def field(self, node: yaml.Node, what: str) -> FieldSpec | None:
        entries = self.mapping(node, what, _FIELD_KEYS)
        if entries is None:
            return None
        ident = self.optional(entries, "id", lambda n: self.identifier(n, f"{what} id"))
        label = self.optional(entries, "label", lambda n: self.text(n, f"'label' of {what}"))
        kind = self.optional(entries, "type", lambda n: self.field_type(n, what)) or "text"
        choices = self.choices(entries, kind, what)
        required = self.optional(entries, "required", lambda n: self.boolean(n, what))
        if ident is None or label is None or choices is None:
            return None
        return FieldSpec(ident, label, kind, tuple(choices), bool(required))

    def field_type(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, f"'type' of {what}")
        if value is not None and value not in FIELD_TYPES:
            self.problem(
                node,
                f"'type' of {what} must be one of {', '.join(FIELD_TYPES)}; "
                f"got '{value}'{_did_you_mean(value, FIELD_TYPES)}",
            )
            return None
        return value

    def choices(
        self, entries: dict[str, tuple[yaml.Node, yaml.Node]], kind: str, what: str
    ) -> list[str] | None:
        if "choices" not in entries:
            if kind == "choice":
                node = entries["type"][1]
                self.problem(node, f"{what} has type 'choice' but no 'choices' list")
            return []
        key_node, node = entries["choices"]
        if kind != "choice":
            self.problem(key_node, f"'choices' only applies to fields of type 'choice' ({what})")
        values = self.strings(node, f"'choices' of {what}")
        if values is not None and not values and kind == "choice":
            self.problem(node, f"'choices' of {what} must list at least one choice")
        return values

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
            self.problem(node, f"'required' of {what} must be true or false; got {_kind(node)}")
            return None
        return str(node.value).lower() in ("true", "yes", "on", "y")

    def strings(self, node: yaml.Node, what: str) -> list[str] | None:
        """A list of non-empty, distinct texts (questions, choices)."""
        nodes = self.sequence(node, what)
        if nodes is None:
            return None
        values: list[str] = []
        for number, item in enumerate(nodes, start=1):
            value = self.text(item, f"item {number} of {what}")
            if value is None:
                continue
            if value in values:
                self.problem(item, f"item {number} of {what} repeats '{_clip(value)}'")
                continue
            values.append(value)
        return values

    def section(self, node: yaml.Node, what: str) -> Section | None:
        entries = self.mapping(node, what, _SECTION_KEYS)
        if entries is None:
            return None
        ident, title, description = self.heading(entries, what)
        perspective = self.optional(
            entries, "perspective", lambda n: self.identifier(n, f"'perspective' of {what}")
        )
        questions = self.optional(
            entries, "questions", lambda n: self.strings(n, f"'questions' of {what}")
        )
        renamed = self.optional(entries, "renamed_from", lambda n: self.ids(n, what))
        if ident is None:
            return None
        # Kept even when other keys are wrong, so cross-section rules still run.
        return _LocatedSection(
            id=ident,
            title=title or "",
            description=description or "",
            perspective=perspective,
            questions=tuple(questions or ()),
            renamed_from=tuple(renamed or ()),
            nodes=entries,
        )

    def ids(self, node: yaml.Node, what: str) -> list[str] | None:
        nodes = self.sequence(node, f"'renamed_from' of {what}")
        if nodes is None:
            return None
        values = [self.identifier(item, f"'renamed_from' id of {what}") for item in nodes]
        return [value for value in values if value is not None]

    def check_sections(
        self,
        entries: dict[str, tuple[yaml.Node, yaml.Node]],
        sections: list[_LocatedSection],
        perspectives: list[Perspective],
    ) -> None:
        """Rules across sections: not empty, known perspectives, unambiguous renames."""
        if "sections" in entries:
            node = entries["sections"][1]
            if isinstance(node, yaml.SequenceNode) and not node.value:
                self.problem(node, "'sections' is empty: a template needs at least one section")
        known = [perspective.id for perspective in perspectives]
        current = {section.id for section in sections}
        claimed: dict[str, str] = {}
        for section in sections:
            if section.perspective is not None and section.perspective not in known:
                defined = f"defined: {', '.join(known)}" if known else "none are defined"
                self.problem(
                    section.nodes["perspective"][1],
                    f"section '{section.id}' names perspective '{section.perspective}', which "
                    f"is not defined ({defined}){_did_you_mean(section.perspective, known)}",
                )
            for index, old in enumerate(section.renamed_from):
                self.check_rename(section, index, old, current, claimed)

    def check_rename(
        self,
        section: _LocatedSection,
        index: int,
        old: str,
        current: set[str],
        claimed: dict[str, str],
    ) -> None:
        node = _renamed_node(section, old) or section.nodes["renamed_from"][1]
        if old in current:
            self.problem(
                node,
                f"'renamed_from' of section '{section.id}' lists '{old}', which is the id of "
                "a current section; content would be claimed twice",
            )
        elif old in claimed and claimed[old] != section.id:
            self.problem(
                node,
                f"'{old}' is in 'renamed_from' of both section '{claimed[old]}' and "
                f"section '{section.id}'",
            )
        claimed.setdefault(old, section.id)


@dataclass(frozen=True)
class _LocatedSection(Section):
    """A section still holding its nodes, for cross-section checks."""

    nodes: dict[str, tuple[yaml.Node, yaml.Node]] = field(default_factory=dict, compare=False)

    def plain(self) -> Section:
        return Section(
            id=self.id,
            title=self.title,
            description=self.description,
            perspective=self.perspective,
            questions=self.questions,
            renamed_from=self.renamed_from,
        )


def _renamed_node(section: _LocatedSection, old: str) -> yaml.Node | None:
    node = section.nodes.get("renamed_from", (None, None))[1]
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and str(item.value).strip() == old:
                return item
    return None


def _peek_id(node: yaml.Node) -> str | None:
    """An item's id if it is already a valid one, to name the item in messages."""
    value = _id_node(node)
    if value is node or not isinstance(value, yaml.ScalarNode) or value.tag != _STR:
        return None
    text = str(value.value).strip()
    return text if _ID.fullmatch(text) else None


def _id_node(node: yaml.Node) -> yaml.Node:
    """The node of an item's ``id`` value (for pointing at duplicates)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "id":
                return value
    return node


def _unknown_key_message(name: str, what: str, keys: dict[str, bool]) -> str:
    hint = _did_you_mean(name, list(keys))
    if not hint:
        hint = f" (expected one of: {', '.join(keys)})"
    return f"unknown key '{_clip(name)}' in {what}{hint}"


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    matches = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _clip(text: str, limit: int = 60) -> str:
    one_line = _one_line(text)
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
