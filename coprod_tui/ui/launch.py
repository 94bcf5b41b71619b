"""Start the workbench from parsed CLI arguments.

``run_workbench`` is the thin layer between ``coprod`` and the app: it opens
the store, finds the templates, reads the settings and hands them to
:func:`create_app` — the one factory tests use too, so what is tested is what
runs. Every failure before the app starts is a :class:`CoprodError`, which the
CLI prints as one line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_tui.core.config import Config, load_config
from coprod_tui.core.demo import demo_store
from coprod_tui.core.demo import seed_demo as seed_demo  # re-exported for scripts and tests
from coprod_tui.core.i18n import _, current_language, decide_language, ngettext, set_language
from coprod_tui.core.locations import store_path

if TYPE_CHECKING:
    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import TemplateRegistry
    from coprod_tui.ui.app import CoprodApp


def create_app(
    store: CaseStore,
    templates: TemplateRegistry,
    config: Config | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    notices: Sequence[str] = (),
    handle_signals: bool = True,
) -> CoprodApp:
    """The app, wired to a store, templates and settings (tests call this too)."""
    from coprod_tui.core.privacy.guard import guard_store
    from coprod_tui.ui.app import CoprodApp

    if config is not None and config.language:
        # The settings' language (COPROD_LANG still beats it); else the one the front door chose.
        set_language(decide_language(config.language))
    _bindings_in(current_language())
    guard_store(store)  # the identifier guard (refuses only where the store opted in)
    app = CoprodApp(
        store,
        templates,
        config,
        clock=clock,
        notices=notices,
        handle_signals=handle_signals,
    )
    from coprod_tui.ui.search_source import SearchSource

    app.search_source = SearchSource(store)
    if app.config.keymap:
        # Checking ids imports every screen: only worth it when there is a keymap.
        from coprod_tui.ui.bindings import known_bindings

        app.apply_keymap(app.config.keymap, known_bindings())
    return app


def _bindings_in(language: str) -> None:
    """Every key's words in ``language`` before the app copies them (``ui/binding_language.py``).

    English, the words as written, costs nothing; another language first
    imports every class with bindings, so a screen opened later is translated too.
    """
    from coprod_tui.ui.binding_language import bindings_language, use_binding_language

    if language == bindings_language():
        return
    from coprod_tui.ui.bindings import binding_classes

    binding_classes()
    use_binding_language(language)


def run_workbench(args: argparse.Namespace) -> int:
    """Open the store and run the app; returns the exit code."""
    from coprod_tui.core.template.registry import discover_templates

    # The store's own templates/ too (everyone on a shared store sees the same
    # sections); reading them never creates the store. The demo has none.
    store_dir = None if getattr(args, "demo", False) else store_path(args)
    config = load_config()
    # The language first: the notices below are written in it.
    set_language(decide_language(config.language))
    templates = discover_templates(store_dir=store_dir)
    notices = template_notices(templates)
    if config.problem:
        notices.append(config.problem)
    with _store_for(args, store_path, templates) as store:
        app = create_app(store, templates, config, notices=notices)
        app.run()
        return app.return_code or 0


@contextmanager
def _store_for(
    args: argparse.Namespace,
    store_path: Callable[[argparse.Namespace], Path],
    templates: TemplateRegistry,
) -> Iterator[CaseStore]:
    """The user's store, or with ``--demo`` a throwaway one (made and removed by core)."""
    from coprod_tui.core.store import CaseStore

    if getattr(args, "demo", False):
        with demo_store(templates) as demo:
            yield demo
        return
    store = CaseStore.open(store_path(args), templates=templates)
    try:
        yield store
    finally:
        store.close()


def template_notices(templates: TemplateRegistry) -> list[str]:
    """One line about template files that were skipped (never fatal)."""
    problems = list(getattr(templates, "problems", []) or [])
    if not problems:
        return []
    if len(problems) == 1:
        return [_("Template skipped: {problem}").format(problem=problems[0])]
    others = len(problems) - 1
    return [
        ngettext(
            "Template skipped: {problem} (and {n} more; see 'coprod templates')",
            "Template skipped: {problem} (and {n} more; see 'coprod templates')",
            others,
        ).format(problem=problems[0], n=others)
    ]
