"""CoprodApp: builds screens and owns the store handle.

MINIMAL CONTRACT (expanded by the UI shell work). Screens reach shared state
through these attributes and never touch files themselves:

- ``app.store``: the open :class:`~coprod_tui.core.store.CaseStore`
- ``app.templates``: the :class:`~coprod_tui.core.template_registry.TemplateRegistry`
- ``app.config``: the user's settings (theme, default template)
- ``app.clock()``: the current local time (tests pass a fixed clock)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.app import App


class CoprodApp(App[int]):
    """The coprod workbench."""

    TITLE = "coprod"

    def __init__(
        self,
        store: Any,
        templates: Any,
        config: Any = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.templates = templates
        self.config = config
        self.clock: Callable[[], datetime] = clock or datetime.now
