"""Templates: the sections, guiding questions and perspectives a case follows.

A template is a YAML file that teams write and adapt, so it is untrusted input
and a public interface at once. The package keeps those duties apart:

* :mod:`.model`: the frozen data classes (``Template``, ``Section``,
  ``Perspective``, ``FieldSpec``, ``Problem``, ``TemplateError``), the
  contract the store and the UI code against; no YAML import;
* :mod:`.reader`: reading a file into YAML nodes with marks, behind the size,
  character, depth and alias guards (only plain YAML is composed, never
  constructed: a tag is reported, never run);
* :mod:`.checker`: validation, every problem at once as ``FILE:LINE:COL:
  message`` with a "did you mean", and ``load_template`` / ``parse_template``
  / ``validate_template_file``;
* :mod:`.registry`: discovery (shipped, user, store, ``$COPROD_TEMPLATES``);
* :mod:`.cache`: parsed templates cached by file stamp, so a CLI command
  whose templates have not changed never imports YAML.

This module is the public face and stays light: the model is imported here,
the reader and checker names load on first use (PEP 562), so importing
``Template`` (or ``Case``) never loads PyYAML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from coprod_tui.core.template.model import (
    FIELD_TYPES,
    FieldSpec,
    Perspective,
    Problem,
    Section,
    Template,
    TemplateError,
)

if TYPE_CHECKING:
    from coprod_tui.core.template.checker import (
        load_template,
        parse_template,
        validate_template_file,
    )
    from coprod_tui.core.template.reader import MAX_TEMPLATE_BYTES, MAX_TEMPLATE_NODES

#: Names served lazily, and the module that holds each (importing it loads YAML).
_LAZY = {
    "load_template": "checker",
    "parse_template": "checker",
    "validate_template_file": "checker",
    "MAX_TEMPLATE_BYTES": "reader",
    "MAX_TEMPLATE_NODES": "reader",
}

__all__ = [
    "FIELD_TYPES",
    "MAX_TEMPLATE_BYTES",
    "MAX_TEMPLATE_NODES",
    "FieldSpec",
    "Perspective",
    "Problem",
    "Section",
    "Template",
    "TemplateError",
    "load_template",
    "parse_template",
    "validate_template_file",
]


def __getattr__(name: str) -> Any:
    """The reader's and checker's public names, imported on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
