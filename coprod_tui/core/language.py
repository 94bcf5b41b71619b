"""The user's language, as one short code ("sv", "en"), without a system locale.

Sorting (:mod:`coprod_tui.core.collation`) and, later, messages and templates
(issue 12) follow the language the user works in. It is read from the
environment only, never from ``locale.setlocale``: a locale may not be
installed (containers, CI, a fresh Mac), and setting one changes behaviour
process-wide. ``COPROD_LANG`` lets a user choose coprod's language apart from
the rest of the system; otherwise the usual POSIX variables decide, in
gettext's order.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGE_VARIABLES",
    "decide_language",
    "language_code",
    "user_language",
]

#: The language when nothing says otherwise.
DEFAULT_LANGUAGE = "en"

#: Read in this order; the first non-empty one decides.
LANGUAGE_VARIABLES = ("COPROD_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language_code(value: str) -> str | None:
    """The bare language of a locale name: ``sv_SE.UTF-8`` -> ``sv``, ``sv-FI`` -> ``sv``.

    ``LANGUAGE``-style lists (``sv:en``) give their first entry. ``C`` and
    ``POSIX`` (no language chosen) and anything that is not a language code
    give ``None``.
    """
    first = value.strip().split(":", 1)[0]
    code = first.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0]
    code = code.strip().lower()
    if code in ("", "c", "posix") or not (
        2 <= len(code) <= 3 and code.isascii() and code.isalpha()
    ):
        return None
    return code


def user_language(environ: Mapping[str, str] | None = None) -> str:
    """The user's language code: from ``COPROD_LANG``, else ``LANGUAGE``, ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` (the first non-empty one), else ``"en"``.

    A variable that is set but names no language (``C``, ``POSIX``) decides
    too: it means "no particular language", so the answer is ``"en"``.
    """
    env = os.environ if environ is None else environ
    for name in LANGUAGE_VARIABLES:
        value = env.get(name, "")
        if value.strip():
            return language_code(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def decide_language(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to start in: ``COPROD_LANG``, else ``setting``, else the locale variables.

    ``setting`` is the settings file's ``language:``. ``COPROD_LANG`` (one
    run, one tool) beats the file; the file beats ``LANGUAGE``, ``LC_ALL``,
    ``LC_MESSAGES`` and ``LANG`` (the system's, for every program). The
    answer is a bare code and may have no catalogue (:func:`coprod_tui.core.i18n.set_language`
    then falls back to English).
    """
    env = os.environ if environ is None else environ
    forced = env.get("COPROD_LANG", "").strip()
    if forced:
        return language_code(forced) or DEFAULT_LANGUAGE
    if setting and setting.strip():
        return language_code(setting) or DEFAULT_LANGUAGE
    return user_language(env)
