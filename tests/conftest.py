"""Every test runs with its own home, config, data and state folders.

No test may read (or write) the user's real templates, settings, store or
cache: whatever a test does, ``platformdirs`` and coprod's own environment
variables point into temporary folders, and subprocesses inherit that.

The parsed-template cache is the one thing shared, across the whole session:
it is keyed by absolute path and file stamp, so one test's templates can never
be mistaken for another's, and the shipped templates are then parsed once per
session instead of once per test. Tests of the cache itself point
``COPROD_CACHE`` at a folder of their own.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Folders a test's environment points at, by variable (all under one temp folder).
_FOLDERS = {
    "HOME": "home",
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
    "XDG_CONFIG_DIRS": "etc-xdg",
    "XDG_DATA_DIRS": "share",
}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move everything alive after collection out of the garbage collector's way.

    The imported modules and the collected tests (some 150,000 objects) live to
    the end of the run; frozen, the full collections that the UI tests set off
    every few hundred thousand allocations no longer walk them each time.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def shared_template_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parsed-template cache folder for the whole session, holding the shipped templates.

    Filled here, once: the UI tests copy it into a cache folder of their own
    each, so nothing they parse would ever reach it (a worker running only UI
    tests parsed the shipped templates again for every test).
    """
    from coprod_tui.core.template.cache import CACHE_FILE, TemplateCache, load_cached
    from coprod_tui.core.template.registry import shipped_templates_dir

    folder = tmp_path_factory.mktemp("template-cache")
    cache = TemplateCache(folder / CACHE_FILE)
    for path in sorted(shipped_templates_dir().glob("*.yaml")):
        load_cached(path, cache)
    cache.save()
    return folder


@pytest.fixture(autouse=True)
def _private_environment(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    shared_template_cache: Path,
) -> Iterator[Path]:
    """Point HOME, every XDG_* and COPROD_* variable away from the user's real folders.

    The folders live beside the test's ``tmp_path``, not inside it, so tests
    that check exactly what is in ``tmp_path`` see only what they made.
    """
    base = tmp_path_factory.mktemp("env")
    for name in list(os.environ):
        if name.startswith(("XDG_", "COPROD_")):
            monkeypatch.delenv(name)
    for name, folder in _FOLDERS.items():
        monkeypatch.setenv(name, str(base / folder))
    monkeypatch.setenv("COPROD_CACHE", str(shared_template_cache))
    yield base


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """Every test starts and ends in English, whatever a test (or a CLI run in-process) chose.

    The language is process-wide (``core/i18n.py``), and so are the bindings'
    words (``ui/binding_language.py``, only if the UI was loaded).
    """
    import sys

    from coprod_tui.core.i18n import set_language

    set_language("en")
    yield
    set_language("en")
    bindings = sys.modules.get("coprod_tui.ui.binding_language")
    if bindings is not None:
        bindings.use_binding_language("en")


@pytest.fixture
def swedish() -> Iterator[str]:
    """Messages in Swedish for this test (English again after it)."""
    from coprod_tui.core.i18n import set_language

    yield set_language("sv")
