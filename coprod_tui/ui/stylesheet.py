"""Each style sheet parsed once per process, however often Textual asks for it.

Textual turns the app's sheets (its ``.tcss`` files and every widget class's
``DEFAULT_CSS``) into rule sets and keeps them in a cache of the
``Stylesheet`` object. Its ``reparse`` starts from a fresh ``Stylesheet``,
with an empty cache, and parses every sheet again; it runs when the first
screen of a mode is installed (so at every start, right after the first
parse) and whenever the theme changes. Each full parse of coprod's sheets
takes 15-40 ms, and the test suite starts some 1,400 apps.

:class:`SharedStylesheet` keeps the parsed rule sets for the whole process,
keyed by everything a parse reads: the sheet's text, where it came from,
whether it is a widget's default CSS, its tie-breaker and scope, and the CSS
variables of the theme. The rule sets are shared read-only, as Textual's own
cache shares them between the parses of one app. A sheet with errors is never
kept (Textual raises before anything is stored), so it is reported each time.
"""

from __future__ import annotations

from typing import ClassVar

from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

__all__ = ["SharedStylesheet"]

#: Parsed sheets kept per process: every source of a few themes' worth of apps.
PARSED_SHEETS = 1024


class SharedStylesheet(Stylesheet):
    """A ``Stylesheet`` whose parses (its re-parses included) share one process-wide cache."""

    _parsed: ClassVar[LRUCache[tuple[object, ...], list[RuleSet]]] = LRUCache(PARSED_SHEETS)

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._theme_key = _key_of(variables or {})

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._theme_key = _key_of(variables)

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._theme_key)
        rules = self._parsed.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            self._parsed[key] = rules
        return rules

    def reparse(self) -> None:
        """Parse every source again (new variables), through the shared cache.

        As Textual's: the parse happens in a fresh sheet, so a sheet with an
        error leaves this one as it was, remembering which source failed.
        """
        fresh = SharedStylesheet(variables=self._variables)
        for read_from, source in self.source.items():
            fresh.add_source(
                source.content,
                read_from=read_from,
                is_default_css=source.is_defaults,
                tie_breaker=source.tie_breaker,
                scope=source.scope,
            )
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False


def _key_of(variables: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The theme's variables as one hashable value (a parse substitutes them)."""
    return tuple(sorted(variables.items()))
