"""Parsed templates cached by file stamp, so a CLI command needs no YAML.

Reading and checking the shipped templates costs a ``coprod show`` more than
its own work (PyYAML's import plus the parse). A template file that has not
changed since it was last checked gives the same :class:`Template` again, so
the result is kept in one JSON file in the user's cache folder, keyed by the
file's absolute path and stamp (size, ``mtime_ns``, inode) and by the coprod
version and the checker modules' own stamps (a newer checker may judge a file
differently).

Rules, because a cache must never make coprod less trustworthy:

* JSON only, never pickle: a planted cache file can at worst give wrong
  section titles to its own owner, never run code. Every value is type-checked
  on the way in (:func:`~coprod_tui.core.template.model.template_from_data`).
* A damaged, foreign (another format or coprod version, another user's, a
  link) or unreadable cache is ignored and rewritten; a failure to write it
  never fails a command.
* Only valid templates are cached; a file whose stamp is younger than
  :data:`RACY_SECONDS` is not (a coarse clock could give an edited file the
  same stamp), nor one that changed while it was read.
* The file is private (0600) in a private folder (0700), written through the
  one atomic writer.
"""

from __future__ import annotations

import json
import os
import stat
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from coprod_tui import __version__
from coprod_tui.core.template.model import Template, template_from_data, template_to_data

#: Environment variable naming the cache folder (tests point it at a temp folder).
CACHE_FILE = "templates.json"
#: Bumped whenever the cached data's shape changes.
CACHE_FORMAT = 1
#: A file changed this recently is not cached: its stamp may not yet be unique.
RACY_SECONDS = 2.0
#: A cache larger than this is not read (it is rewritten instead).
MAX_CACHE_BYTES = 8_000_000
#: At most this many files are remembered (the least recently checked go first).
MAX_ENTRIES = 256

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

Stamp = tuple[int, int, int]


def template_cache_dir() -> Path:
    """The folder of coprod's cache (see ``core/locations.cache_dir``)."""
    from coprod_tui.core.locations import cache_dir

    return cache_dir()


def template_cache_path() -> Path:
    """The file holding the parsed-template cache."""
    return template_cache_dir() / CACHE_FILE


def code_stamp() -> list[int]:
    """The stamps of the modules that decide what a file parses to (model, reader, checker).

    The coprod version alone would keep a developer's cache across an edit of
    the checker in a checkout; the modules' own stamps change with every edit.
    """
    folder = os.path.dirname(os.path.abspath(__file__))
    stamp: list[int] = []
    for name in ("model.py", "reader.py", "checker.py"):
        try:
            info = os.stat(os.path.join(folder, name))
        except OSError:
            continue  # e.g. a zipped install: the version still keys the cache
        stamp += [info.st_size, info.st_mtime_ns]
    return stamp


def file_stamp(info: os.stat_result) -> Stamp:
    """What identifies one version of a file: size, modification time (ns), inode."""
    return (info.st_size, info.st_mtime_ns, info.st_ino)


class TemplateCache:
    """The cache file's entries in memory; :meth:`save` writes it back if anything changed."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = template_cache_path() if path is None else Path(path)
        self._entries: dict[str, dict[str, Any]] = self._read()
        self._dirty = False

    # -- reading

    def _read(self) -> dict[str, dict[str, Any]]:
        """The stored entries, or none at all when the file is missing, damaged or foreign."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC)
        except OSError:
            return {}
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
                return {}
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return {}  # someone else's file: never trusted
            raw = os.read(fd, MAX_CACHE_BYTES + 1)
        except OSError:
            return {}
        finally:
            os.close(fd)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != CACHE_FORMAT
            or data.get("coprod") != __version__
            or data.get("code") != code_stamp()
            or not isinstance(data.get("entries"), dict)
        ):
            return {}
        return {key: value for key, value in data["entries"].items() if isinstance(value, dict)}

    def get(self, path: Path, stamp: Stamp) -> Template | None:
        """The cached template for this file version, or ``None`` (a damaged entry is dropped)."""
        key = os.path.abspath(path)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.get("stamp") != list(stamp):
            return None
        try:
            return template_from_data(entry.get("template"), path=Path(path))
        except ValueError:
            del self._entries[key]
            self._dirty = True
            return None

    # -- writing

    def put(self, path: Path, stamp: Stamp, template: Template) -> None:
        """Remember a freshly checked template (unless its stamp is too young to trust)."""
        if time.time() - stamp[1] / 1e9 < RACY_SECONDS:
            return
        key = os.path.abspath(path)
        self._entries.pop(key, None)  # re-inserted last: the most recently checked
        self._entries[key] = {"stamp": list(stamp), "template": template_to_data(template)}
        while len(self._entries) > MAX_ENTRIES:
            del self._entries[next(iter(self._entries))]
        self._dirty = True

    def save(self) -> None:
        """Write the cache if it changed; any failure is swallowed (a cache is optional)."""
        if not self._dirty:
            return
        data = {
            "format": CACHE_FORMAT,
            "coprod": __version__,
            "code": code_stamp(),
            "entries": self._entries,
        }
        with suppress(Exception):
            from coprod_tui.core.store.storage import atomic_write_bytes, make_private_folders

            make_private_folders(self.path.parent)
            text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            atomic_write_bytes(self.path, text.encode("utf-8"), durable=False)
            self._dirty = False


def load_cached(path: Path, cache: TemplateCache | None) -> Template:
    """A template file checked (or taken from ``cache`` when its stamp is unchanged).

    Raises :class:`~coprod_tui.core.template.model.TemplateError` exactly as
    ``load_template`` does; a broken file is never cached, so its problems are
    reported afresh every time.
    """
    from_cache = cache is not None
    try:
        before = os.stat(path)
    except OSError:
        from_cache = False
        before = None
    if from_cache and before is not None and stat.S_ISREG(before.st_mode):
        assert cache is not None
        hit = cache.get(path, file_stamp(before))
        if hit is not None:
            return hit
    from coprod_tui.core.template.checker import load_template

    template = load_template(path)
    if cache is not None and before is not None:
        with suppress(OSError):
            after = os.stat(path)
            if file_stamp(after) == file_stamp(before):
                cache.put(path, file_stamp(before), template)
    return template
