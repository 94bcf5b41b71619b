"""Binding descriptions and tooltips in the user's language: the one place they are translated.

A binding's description and tooltip are class constants, made when the class
is imported, before the language is decided; they are written in English and
marked ``N_()`` so the catalogue tools find them. The footer, help
(``ui/screens/help.py``) and the palette (``ui/commands.py``) all read the
bindings Textual builds from the classes, so translating them here, once, when
the app is built (:class:`~coprod_tui.ui.app.CoprodApp` calls
:func:`use_binding_language` before Textual copies a class's bindings into a
node), puts every key's words in the user's language everywhere at once.

The English originals are kept: switching back (tests start apps in both
languages in one process) restores them exactly. Textual's own widgets'
bindings (Input, TextArea, DataTable, ...) are translated the same way when
the catalogue knows their words (``ui/textual_words.py`` lists them).

Textual keeps a class's merged bindings in ``_merged_bindings``, made by
``_merge_bindings()`` when the class is defined; there is no public way to
remake it, so this module does (the one place coprod touches those names;
``tests/ui/test_i18n_ui.py`` fails if a Textual release renames them, and
the workbench then stays in English rather than failing to start).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

from coprod_tui.core.i18n import _

#: The English ``BINDINGS`` of every class translated so far.
_ENGLISH: dict[type[DOMNode], list[Any]] = {}

#: The language the classes' bindings are in now.
_in_force = "en"


def bindings_language() -> str:
    """The language binding descriptions are in now."""
    return _in_force


def use_binding_language(language: str) -> None:
    """Put every binding class's descriptions and tooltips in ``language`` (``_()``'s now).

    Every class defined so far is translated (import them first:
    ``ui/bindings.binding_classes``); ``language`` is the one
    :func:`coprod_tui.core.i18n.current_language` says, named so a second call is free.
    """
    global _in_force
    if language == _in_force:
        return
    if not _textual_supports_it():
        return
    classes = list(_node_classes())
    changed: set[type[DOMNode]] = set()
    for node_class in classes:
        declared = node_class.__dict__.get("BINDINGS")
        if not declared:
            continue
        english = _ENGLISH.setdefault(node_class, list(declared))
        shown = english if language == "en" else [_translated(entry) for entry in english]
        if shown != list(declared):
            node_class.BINDINGS = shown
            changed.add(node_class)
    for node_class in classes:
        if any(base in changed for base in node_class.__mro__):
            node_class._merged_bindings = node_class._merge_bindings()
    _in_force = language


def _translated(entry: Any) -> Any:
    """One entry of a ``BINDINGS`` list with its words through the catalogue."""
    if isinstance(entry, Binding):
        return dataclasses.replace(
            entry,
            description=_(entry.description) if entry.description else entry.description,
            tooltip=_(entry.tooltip) if entry.tooltip else entry.tooltip,
        )
    if isinstance(entry, tuple) and len(entry) >= 3 and isinstance(entry[2], str) and entry[2]:
        return (*entry[:2], _(entry[2]), *entry[3:])
    return entry


def _node_classes() -> Iterator[type[DOMNode]]:
    """Every DOMNode class defined so far (Textual's and coprod's), bases before subclasses."""
    seen: set[type[DOMNode]] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        node_class = pending.pop(0)
        if node_class in seen:
            continue
        seen.add(node_class)
        yield node_class
        pending.extend(node_class.__subclasses__())


def _textual_supports_it() -> bool:
    """Whether Textual still keeps merged bindings where this module remakes them."""
    return hasattr(DOMNode, "_merged_bindings") and callable(
        getattr(DOMNode, "_merge_bindings", None)
    )


def binding_words() -> list[str]:
    """Every binding's description, tooltip, help group and palette title (English).

    ``scripts/catalogues.py extract`` adds them to the .pot (no screen marks
    its bindings one by one), and the catalogue test checks each has a
    translation.
    """
    from coprod_tui.ui.bindings import binding_classes

    binding_classes()
    words: dict[str, None] = {}
    for node_class in _node_classes():
        if not node_class.__module__.startswith(("coprod_tui.", "textual.")):
            continue  # a class of a test or a plugin: its words are not the catalogue's
        group = node_class.__dict__.get("BINDING_GROUP_TITLE")
        if isinstance(group, str) and group:
            words.setdefault(group)  # help's heading for the class's keys
        english = _ENGLISH.get(node_class, node_class.__dict__.get("BINDINGS") or [])
        for entry in english:
            binding = entry if isinstance(entry, Binding) else None
            if binding is None and isinstance(entry, tuple) and len(entry) >= 3:
                words.setdefault(str(entry[2]))
                continue
            if binding is not None:
                for word in (binding.description, binding.tooltip):
                    if word:
                        words.setdefault(word)
    # The palette's titles for bindings (ui/commands.py, by binding id; shown through _()).
    from coprod_tui.ui import commands

    providers: list[type[commands.BindingCommands]] = [commands.BindingCommands]
    while providers:
        provider = providers.pop()
        providers.extend(provider.__subclasses__())
        for title in provider.__dict__.get("TITLES", {}).values():
            words.setdefault(title)
    for title in getattr(commands, "_BINDING_TITLES", {}).values():
        words.setdefault(title)
    return sorted(words)
