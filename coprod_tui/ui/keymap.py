"""Every binding of the workbench by id, and the user's ``keymap:`` checked against them.

Each binding coprod defines has an id, ``<group>.<name>`` (``editor.save``,
``case_list.new``); the group is what help files the key under. A user
rebinds a key in the settings file::

    keymap:
      editor.save: ctrl+w
      editor.questions: f2,ctrl+g

and the app hands the entries that make sense to Textual
(``App.set_keymap``). An unknown id or a key name no terminal sends is
reported in one line at start-up, and that binding keeps its default key.
The README lists the ids (made from ``ui/bindings.keymap_table``; a test keeps it true).
This module knows no screen: ``ui/bindings.py`` gathers every binding.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys
from textual.screen import Screen

#: Modifiers a key may carry (``ctrl+alt+up``).
MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta", "super", "hyper"})


def own_bindings(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares itself (not those it inherits)."""
    declared = node_class.__dict__.get("BINDINGS", [])
    return [binding for binding in declared if isinstance(binding, Binding)]


@cache
def _named_keys() -> frozenset[str]:
    names = {key.value.rsplit("+", 1)[-1] for key in Keys}
    names |= {f"f{number}" for number in range(1, 25)}
    names |= set(KEY_NAME_REPLACEMENTS.values())
    return frozenset(names)


def key_is_valid(key: str) -> bool:
    """Whether ``key`` (``ctrl+s``, ``f2``, ``question_mark``, ``?``) is a key Textual knows."""
    *modifiers, name = key.split("+") if key != "+" else ["+"]
    if any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in _named_keys():
        return True
    try:
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return True


def check_keymap(
    entries: Iterable[tuple[str, str]], known: Iterable[str]
) -> tuple[dict[str, str], str | None]:
    """The usable entries of a keymap, and one line about those that are not.

    An entry is usable when its id is a coprod binding and every key in its
    comma-separated list is a key name. Unusable ones are left out, so the
    binding keeps its default key.
    """
    ids = set(known)
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in entries:
        if binding_id not in ids:
            problems.append(f"unknown binding id {binding_id!r}")
            continue
        parts = [part.strip() for part in keys.split(",")]
        bad = [part for part in parts if not key_is_valid(part)]
        if bad or not parts:
            problems.append(f"{binding_id}: {bad[0] if bad else keys!r} is not a key name")
            continue
        usable[binding_id] = ",".join(parts)
    if not problems:
        return usable, None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return usable, (
        f"keymap: {problems[0]}{more}; those keep their default keys (the README lists the ids)"
    )


def key_label(keys: str) -> str:
    """Keys as prose writes them: ``ctrl+q`` → ``Ctrl+Q``, ``f1`` → ``F1``, ``n`` stays ``n``."""
    labels = []
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+")
        if modifiers or (len(name) > 1 and name[1:].isdigit()):
            name = name.upper() if len(name) == 1 or name[1:].isdigit() else name.title()
        elif len(name) > 1:
            name = name.title()
        labels.append("+".join([*(m.title() for m in modifiers), name]))
    return " / ".join(labels)


def bound_keys(node: DOMNode, binding_id: str) -> str:
    """The keys ``binding_id`` has now (after the user's keymap), for prose; ``""`` if unbound.

    ``node`` is a mounted screen or widget whose bindings include the id.
    """
    screen = node.screen if not isinstance(node, Screen) else node
    keys = [
        key for key, active in screen.active_bindings.items() if active.binding.id == binding_id
    ]
    return key_label(",".join(keys)) if keys else ""
