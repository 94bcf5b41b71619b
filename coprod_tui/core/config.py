"""The user's settings: theme, default template, keymap and language.

Settings live in one small YAML file in the platform's config folder
(``~/.config/coprod/config.yaml`` on Linux). A setting is a preference, never a
precondition: a missing, unreadable or malformed file yields the defaults plus
a one-line ``problem`` the workbench shows, and the workbench still starts.
The file is written through the store's one atomic writer (private temp file,
fsync, ``os.replace``, fsync of the folder) so a crash or a full disk can never
leave half a config behind.

``keymap`` rebinds keys of the workbench: binding ids (``editor.save``) to
keys (``"ctrl+s"`` or several, ``"f2,ctrl+g"``). This module reads its shape
only (a mapping of text to text); which ids exist and which key names a
terminal can send is the workbench's to check (``ui/keymap.py``), since the
core knows nothing of screens. Every entry is kept as written, so saving the
theme never drops a line the user wrote.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from coprod_tui.core.errors import OperationalError
from coprod_tui.core.language import language_code
from coprod_tui.core.locations import config_file
from coprod_tui.core.store.storage import atomic_write_bytes, make_private_folders

#: Keys the file may hold, with what each must be (for the one-line problem).
_KNOWN_KEYS = {
    "theme": "a theme name",
    "default_template": "a template id",
    "keymap": "binding id: keys pairs",
    "language": "a language code such as sv or en",
}

_HEADER = "# coprod settings. Written by coprod; safe to edit by hand.\n"


class ConfigWriteError(OperationalError):
    """The settings could not be written (read-only home, full disk, ...)."""


@dataclass(frozen=True)
class Config:
    """The user's settings.

    ``None`` means "not chosen": the app falls back to its own default, so a
    user who never touches the settings follows improvements to the defaults.
    ``problem`` is a one-line description of why the file could not be used,
    or ``None``; it is never written back.
    """

    theme: str | None = None
    default_template: str | None = None
    #: The language of the workbench and the CLI ("sv", "en"); ``None``: the locale's.
    language: str | None = None
    #: (binding id, keys) pairs as written, in file order.
    keymap: tuple[tuple[str, str], ...] = ()
    path: Path | None = None
    problem: str | None = None

    def with_theme(self, theme: str) -> Config:
        """A copy with ``theme`` chosen (the file itself is written by :func:`save_config`)."""
        return replace(self, theme=theme)

    def to_dict(self) -> dict[str, Any]:
        """The settings as they are written to disk (unset ones left out)."""
        data: dict[str, Any] = {}
        if self.theme:
            data["theme"] = self.theme
        if self.default_template:
            data["default_template"] = self.default_template
        if self.keymap:
            data["keymap"] = dict(self.keymap)
        if self.language:
            data["language"] = self.language
        return data


def config_path() -> Path:
    """Where the settings file lives for this user (see :mod:`coprod_tui.core.locations`)."""
    return config_file()


def load_config(path: Path | None = None) -> Config:
    """Read the settings at ``path`` (default: :func:`config_path`); never raises.

    Every problem is folded into ``Config.problem`` so the caller can show it
    in one line and carry on with the defaults.
    """
    path = path if path is not None else config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as error:
        return Config(path=path, problem=f"cannot read settings {path}: {_reason(error)}")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        return Config(
            path=path,
            problem=f"settings file {path}{where} is not valid YAML; using defaults",
        )
    return _from_data(data, path)


def _from_data(data: Any, path: Path) -> Config:
    """Validate parsed YAML; keep every usable setting, report the first bad one."""
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        return Config(
            path=path, problem=f"settings file {path} must hold key: value pairs; using defaults"
        )
    problems: list[str] = []
    values: dict[str, str | None] = {}
    keymap: tuple[tuple[str, str], ...] = ()
    for key, value in data.items():
        if key not in _KNOWN_KEYS:
            problems.append(f"unknown setting {key!r}")
        elif key == "keymap":
            keymap, problem = _read_keymap(value)
            if problem:
                problems.append(problem)
        elif value is None:
            values[str(key)] = None
        elif not _usable(key, value):
            problems.append(f"{key!r} must be {_KNOWN_KEYS[key]}")
        else:
            values[str(key)] = value.strip()
    summary: str | None = None
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        summary = f"settings file {path}: {problems[0]}{more}; ignored"
    return Config(
        theme=values.get("theme"),
        default_template=values.get("default_template"),
        keymap=keymap,
        language=language_code(values.get("language") or ""),
        path=path,
        problem=summary,
    )


def _usable(key: str, value: Any) -> bool:
    """Whether ``value`` is a usable text for ``key`` (``language``: a language code)."""
    if not isinstance(value, str) or not value.strip():
        return False
    return key != "language" or language_code(value) is not None


def _read_keymap(value: Any) -> tuple[tuple[tuple[str, str], ...], str]:
    """``keymap:`` as (id, keys) pairs, and the first problem with its shape (or "")."""
    if value is None:
        return (), ""
    if not isinstance(value, dict):
        return (), "'keymap' must be binding id: keys pairs"
    pairs: list[tuple[str, str]] = []
    problem = ""
    for binding_id, keys in value.items():
        if isinstance(binding_id, str) and isinstance(keys, str) and keys.strip():
            pairs.append((binding_id.strip(), keys.strip()))
        elif not problem:
            problem = f'keymap: {str(binding_id)!r} must be given keys as text, e.g. "ctrl+s"'
    return tuple(pairs), problem


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write ``config`` atomically; returns the path written.

    Raises :class:`ConfigWriteError` (one line) when the disk refuses.
    """
    target = path or config.path or config_path()
    text = _HEADER + yaml.safe_dump(config.to_dict(), allow_unicode=True, sort_keys=True)
    try:
        # ~/.config and ~/.config/coprod too, if coprod makes them: 0700 whatever the umask.
        make_private_folders(target.parent)
        atomic_write_bytes(target, text.encode("utf-8"))
    except OSError as error:
        raise ConfigWriteError(f"cannot save settings to {target}: {_reason(error)}") from None
    return target


def _reason(error: BaseException) -> str:
    """The human part of an OS error ("Permission denied"), else its text."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def locale_is_swedish(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the user's message locale is Swedish.

    POSIX precedence: ``LC_ALL`` overrides ``LC_MESSAGES``, which overrides
    ``LANG``; the first one that is set decides.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return value.lower().startswith("sv")
    return False


def preferred_template_id(
    config: Config,
    available: set[str] | frozenset[str] | list[str],
    *,
    english_id: str,
    swedish_id: str,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The template a new case starts with.

    The config's ``default_template`` wins when that template exists; else
    Swedish when the user's language is Swedish (``COPROD_LANG``, else the
    settings' ``language:``, else the locale: :func:`~coprod_tui.core.language.decide_language`)
    and a Swedish template is installed; else English.
    """
    ids = set(available)
    if config.default_template and config.default_template in ids:
        return config.default_template
    # The same choice as the language the workbench and CLI speak (COPROD_LANG, then the
    # settings' language:, then the locale), so a Swedish screen offers a Swedish case.
    from coprod_tui.core.language import decide_language

    swedish = decide_language(config.language, environ) == "sv"
    if swedish_id in ids and swedish:
        return swedish_id
    return english_id
