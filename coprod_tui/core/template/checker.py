"""Checking a template: every problem at once, as ``FILE:LINE:COL: message``.

Validation walks the node graph :mod:`.reader` composed, which still carries
line and column marks, and reports *every* problem at once (1-based), the
format editors and CI systems understand, saying what was expected: wrong
types, missing and unknown keys (with a "did you mean"), duplicate ids,
unknown perspectives, ambiguous renames, tags beyond plain YAML. Only a
template without a single problem is built into the model.

:func:`load_template`, :func:`parse_template` and :func:`validate_template_file`
are the public ways in; :mod:`coprod_tui.core.template` re-exports them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from coprod_tui.core.i18n import N_, _
from coprod_tui.core.template.model import (
    FIELD_TYPES,
    FieldSpec,
    Perspective,
    Problem,
    Section,
    Template,
    TemplateError,
)
from coprod_tui.core.template.reader import _one_line, read_nodes, read_text

_ID = re.compile(r"[a-z0-9-]+")
# BCP 47, simplified: a 2–3 letter language, then subtags of 1–8 letters/digits
# (script, region, variant), e.g. "en", "sv", "sv-SE", "zh-Hant-TW".
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# Control characters that must not appear inside template text (escapes such as
# "\e" in a double-quoted string could otherwise reach the terminal).
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _BOOL, _NULL = _YAML + "str", _YAML + "int", _YAML + "bool", _YAML + "null"
_FLOAT, _TIMESTAMP, _MERGE = _YAML + "float", _YAML + "timestamp", _YAML + "merge"
_SEQ, _MAP = _YAML + "seq", _YAML + "map"


# --------------------------------------------------------------------------- public API


def load_template(path: Path | str) -> Template:
    """Read and validate a template file; :class:`TemplateError` lists all problems."""
    text, problems = read_text(Path(path), str(path))
    if text is None:
        raise TemplateError(problems)
    return parse_template(text, path)


def parse_template(text: str, path: Path | str | None = None) -> Template:
    """Validate template ``text``; ``path`` names it in problems and is kept on the result."""
    template, problems = _parse(text, "<template>" if path is None else str(path))
    if problems or template is None:
        raise TemplateError(problems)
    return template._replace(path=None if path is None else Path(path))


def validate_template_file(path: Path | str) -> list[Problem]:
    """Every problem in a template file (an empty list means it is valid)."""
    text, problems = read_text(Path(path), str(path))
    if text is None:
        return problems
    return _parse(text, str(path))[1]


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
    """Read (guarded), check and build; returns the template or every problem found."""
    root, problems = read_nodes(text, shown)
    if root is None:
        return None, problems
    checker = _Checker(shown)
    template = checker.template(root)
    problems = sorted(set(checker.problems), key=lambda p: (p.line, p.column, p.message))
    return (None if problems else template), problems


_KIND_NAMES = {
    _STR: N_("text"),
    _INT: N_("a whole number"),
    _FLOAT: N_("a decimal number"),
    _BOOL: N_("true/false"),
    _NULL: N_("nothing (an empty value)"),
    _TIMESTAMP: N_("a date"),
}


def _kind(node: yaml.Node) -> str:
    """How a node reads to a person ("a list", "text", ...), for messages."""
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if node.tag in _KIND_NAMES:
        return _(_KIND_NAMES[node.tag])
    return _("a value tagged '{tag}'").format(tag=node.tag)


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
                _(
                    "unsupported tag '{short}': a template holds only plain text, numbers, lists "
                    "and mappings (tags are never run)"
                ).format(short=_short(node.tag)),
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
            self.problem(
                node,
                _("{what} must be a mapping with keys {expected}; got {kind}").format(
                    what=what, expected=expected, kind=_kind(node)
                ),
            )
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            name = self.key_name(key_node, what)
            if name is None:
                continue
            if name in entries:
                first = entries[name][0].start_mark.line + 1
                self.problem(
                    key_node,
                    _("duplicate key '{name}' in {what} (first at line {first})").format(
                        name=name, what=what, first=first
                    ),
                )
                continue
            if name not in keys:
                self.problem(key_node, _unknown_key_message(name, what, keys))
                continue
            entries[name] = (key_node, value_node)
        for name, required in keys.items():
            if required and name not in entries:
                self.problem(
                    node, _("{what} is missing required key '{name}'").format(what=what, name=name)
                )
        return entries

    def key_name(self, key_node: yaml.Node, what: str) -> str | None:
        if key_node.tag == _MERGE:
            self.problem(
                key_node, _("merge keys ('<<') are not supported in {what}").format(what=what)
            )
            return None
        if not self.tag_ok(key_node):
            return None
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
            self.problem(
                key_node,
                _("keys in {what} must be text; got {kind}").format(
                    what=what, kind=_kind(key_node)
                ),
            )
            return None
        return str(key_node.value)

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node, _("{what} must be a list; got {kind}").format(what=what, kind=_kind(node))
            )
            return None
        return list(node.value)

    def text(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str | None:
        """Plain text; a number or date written bare gets a hint to quote it."""
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            message = _("{what} must be text; got {kind}").format(what=what, kind=_kind(node))
            if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
                message += _(" (write it in quotes: '{value}')").format(value=node.value)
            self.problem(node, message)
            return None
        value = str(node.value).strip()
        if not value and not allow_empty:
            self.problem(node, _("{what} must not be empty").format(what=what))
            return None
        control = _CONTROL_IN_TEXT.search(value)
        if control:
            code = f"U+{ord(control.group()):04X}"
            self.problem(
                node, _("{what} contains a control character ({code})").format(what=what, code=code)
            )
            return None
        return value

    def identifier(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not _ID.fullmatch(value):
            suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            hint = _(" (e.g. '{suggestion}')").format(suggestion=suggestion) if suggestion else ""
            self.problem(
                node,
                _(
                    "{what} '{value}' is not a valid id: use lowercase letters a-z, digits 0-9 "
                    "and '-' only{hint}"
                ).format(what=what, value=value, hint=hint),
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
                    _("duplicate {noun} id '{id}' (first defined at line {first_line})").format(
                        noun=noun, id=item.id, first_line=first_line[item.id]
                    ),
                )
                continue
            first_line[item.id] = _id_node(node).start_mark.line + 1
            built.append(item)
        return built

    # -- the template

    def template(self, root: yaml.Node) -> Template | None:
        entries = self.mapping(root, _("the template"), _TOP_KEYS)
        if entries is None:
            return None
        values: dict[str, Any] = {}
        values["id"] = self.optional(entries, "id", self._template_id)
        values["version"] = self.optional(entries, "version", self.version)
        for key in ("title", "source"):
            values[key] = self.optional(entries, key, self._text_of(f"'{key}'"))
        values["language"] = self.optional(entries, "language", self.language)
        values["description"] = self.optional(
            entries, "description", lambda n: self.text(n, _("'description'"), allow_empty=True)
        )
        perspectives = self.items(entries, "perspectives", _("perspective"), self.perspective)
        fields = self.items(entries, "fields", _("field"), self.field)
        sections = self.items(entries, "sections", _("section"), self.section)
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

    def _text_of(self, what: str) -> Callable[[yaml.Node], Any]:
        """A reader of one text value, named ``what`` in messages."""

        def read(node: yaml.Node) -> Any:
            return self.text(node, what)

        return read

    def _template_id(self, node: yaml.Node) -> Any:
        return self.identifier(node, _("template id"))

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
                node,
                _("'version' must be a whole number such as 1; got {kind}{shown}").format(
                    kind=_kind(node), shown=shown
                ),
            )
            return None
        try:
            value = int(str(node.value).replace("_", ""), 0)
        except ValueError:
            value = -1
        if not 1 <= value < 10**9:
            self.problem(
                node,
                _("'version' must be a whole number from 1 up; got '{value}'").format(
                    value=node.value
                ),
            )
            return None
        return value

    def language(self, node: yaml.Node) -> str | None:
        value = self.text(node, _("'language'"))
        if value is None:
            return None
        if not _LANGUAGE.fullmatch(value):
            hint = (
                _(" (use '-', not '_': '{value}')").format(value=value.replace("_", "-"))
                if "_" in value
                else ""
            )
            self.problem(
                node,
                _(
                    "'language' must be a BCP 47 language tag such as 'en', 'sv' or 'sv-SE'; got "
                    "'{value}'{hint}"
                ).format(value=value, hint=hint),
            )
            return None
        return value

    def heading(
        self, entries: dict[str, tuple[yaml.Node, yaml.Node]], what: str
    ) -> tuple[str | None, str | None, str | None]:
        """The ``id``, ``title`` and ``description`` a perspective and a section both have."""
        ident = self.optional(
            entries, "id", lambda n: self.identifier(n, _("{what} id").format(what=what))
        )
        title = self.optional(
            entries, "title", lambda n: self.text(n, _("'title' of {what}").format(what=what))
        )
        description = self.optional(
            entries,
            "description",
            lambda n: self.text(
                n, _("'description' of {what}").format(what=what), allow_empty=True
            ),
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
        ident = self.optional(
            entries, "id", lambda n: self.identifier(n, _("{what} id").format(what=what))
        )
        label = self.optional(
            entries, "label", lambda n: self.text(n, _("'label' of {what}").format(what=what))
        )
        kind = self.optional(entries, "type", lambda n: self.field_type(n, what)) or "text"
        choices = self.choices(entries, kind, what)
        required = self.optional(entries, "required", lambda n: self.boolean(n, what))
        if ident is None or label is None or choices is None:
            return None
        return FieldSpec(ident, label, kind, tuple(choices), bool(required))

    def field_type(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, _("'type' of {what}").format(what=what))
        if value is not None and value not in FIELD_TYPES:
            self.problem(
                node,
                _("'type' of {what} must be one of {join}; got '{value}'{did_you_mean}").format(
                    what=what,
                    join=", ".join(FIELD_TYPES),
                    value=value,
                    did_you_mean=_did_you_mean(value, FIELD_TYPES),
                ),
            )
            return None
        return value

    def choices(
        self, entries: dict[str, tuple[yaml.Node, yaml.Node]], kind: str, what: str
    ) -> list[str] | None:
        if "choices" not in entries:
            if kind == "choice":
                node = entries["type"][1]
                self.problem(
                    node, _("{what} has type 'choice' but no 'choices' list").format(what=what)
                )
            return []
        key_node, node = entries["choices"]
        if kind != "choice":
            self.problem(
                key_node,
                _("'choices' only applies to fields of type 'choice' ({what})").format(what=what),
            )
        values = self.strings(node, _("'choices' of {what}").format(what=what))
        if values is not None and not values and kind == "choice":
            self.problem(
                node, _("'choices' of {what} must list at least one choice").format(what=what)
            )
        return values

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if not self.tag_ok(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
            self.problem(
                node,
                _("'required' of {what} must be true or false; got {kind}").format(
                    what=what, kind=_kind(node)
                ),
            )
            return None
        return str(node.value).lower() in ("true", "yes", "on", "y")

    def strings(self, node: yaml.Node, what: str) -> list[str] | None:
        """A list of non-empty, distinct texts (questions, choices)."""
        nodes = self.sequence(node, what)
        if nodes is None:
            return None
        values: list[str] = []
        for number, item in enumerate(nodes, start=1):
            value = self.text(item, _("item {number} of {what}").format(number=number, what=what))
            if value is None:
                continue
            if value in values:
                self.problem(
                    item,
                    _("item {number} of {what} repeats '{clip}'").format(
                        number=number, what=what, clip=_clip(value)
                    ),
                )
                continue
            values.append(value)
        return values

    def section(self, node: yaml.Node, what: str) -> _LocatedSection | None:
        entries = self.mapping(node, what, _SECTION_KEYS)
        if entries is None:
            return None
        ident, title, description = self.heading(entries, what)
        perspective = self.optional(
            entries,
            "perspective",
            lambda n: self.identifier(n, _("'perspective' of {what}").format(what=what)),
        )
        questions = self.optional(
            entries,
            "questions",
            lambda n: self.strings(n, _("'questions' of {what}").format(what=what)),
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
        nodes = self.sequence(node, _("'renamed_from' of {what}").format(what=what))
        if nodes is None:
            return None
        values = [
            self.identifier(item, _("'renamed_from' id of {what}").format(what=what))
            for item in nodes
        ]
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
                self.problem(node, _("'sections' is empty: a template needs at least one section"))
        known = [perspective.id for perspective in perspectives]
        current = {section.id for section in sections}
        claimed: dict[str, str] = {}
        for section in sections:
            if section.perspective is not None and section.perspective not in known:
                defined = (
                    _("defined: {ids}").format(ids=", ".join(known))
                    if known
                    else _("none are defined")
                )
                self.problem(
                    section.nodes["perspective"][1],
                    _(
                        "section '{id}' names perspective '{perspective}', which is not defined "
                        "({defined}){did_you_mean}"
                    ).format(
                        id=section.id,
                        perspective=section.perspective,
                        defined=defined,
                        did_you_mean=_did_you_mean(section.perspective, known),
                    ),
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
                _(
                    "'renamed_from' of section '{id}' lists '{old}', which is the id of a current"
                    " section; content would be claimed twice"
                ).format(id=section.id, old=old),
            )
        elif old in claimed and claimed[old] != section.id:
            self.problem(
                node,
                _(
                    "'{old}' is in 'renamed_from' of both section '{claimed}' and section '{id}'"
                ).format(old=old, claimed=claimed[old], id=section.id),
            )
        claimed.setdefault(old, section.id)


class _LocatedSection(NamedTuple):
    """A section still holding its nodes, for cross-section checks (:meth:`plain` drops them)."""

    id: str
    title: str
    description: str
    perspective: str | None
    questions: tuple[str, ...]
    renamed_from: tuple[str, ...]
    nodes: dict[str, tuple[yaml.Node, yaml.Node]]

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
                found: yaml.Node = value
                return found
    return node


def _unknown_key_message(name: str, what: str, keys: dict[str, bool]) -> str:
    hint = _did_you_mean(name, list(keys))
    if not hint:
        hint = _(" (expected one of: {keys})").format(keys=", ".join(keys))
    return _("unknown key '{name}' in {what}{hint}").format(name=_clip(name), what=what, hint=hint)


def _did_you_mean(value: str, options: Iterable[str]) -> str:
    matches = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return _(" (did you mean '{match}'?)").format(match=matches[0]) if matches else ""


def _clip(text: str, limit: int = 60) -> str:
    one_line = _one_line(text)
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
