"""Messages in the user's language: gettext catalogues, chosen once at start-up.

Every string a user reads is written in English in the code and wrapped::

    from coprod_tui.core.i18n import _, N_, ngettext

    _("Saved {time}").format(time=label)          # translated now
    ngettext("{n} case", "{n} cases", n).format(n=n)
    DESCRIPTION = N_("Save now")                   # marked at import, translated when shown

The catalogues are standard gettext files in ``coprod_tui/locale/<lang>/LC_MESSAGES/``
(domain ``coprod``): the ``.po`` sources are the truth, the compiled ``.mo``
files are committed beside them so a plain ``pip install`` needs no build
step (``scripts/catalogues.py`` extracts, updates and compiles).

Why a module of its own rather than ``gettext.install``: nothing global is
touched (no builtins, no ``textdomain``), so tests can switch the language in
one process, and English costs nothing: with English (the default) ``_()``
returns its argument and no catalogue is ever opened. A non-English catalogue
is read the first time a string is translated, so ``coprod show`` pays for it
only when it prints something translated.

The language is decided once, at start-up, by the CLI front door and the
workbench launch (:func:`decide_language`: ``COPROD_LANG``, then the settings'
``language:``, then the locale variables), and set with :func:`set_language`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_tui.core.language import DEFAULT_LANGUAGE, decide_language, language_code

if TYPE_CHECKING:
    from gettext import NullTranslations

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "_",
    "available_languages",
    "catalogue_path",
    "current_language",
    "decide_language",
    "ngettext",
    "pgettext",
    "language_setting",
    "set_language",
    "start_language",
    "translator",
]

#: The gettext domain: ``coprod.po`` / ``coprod.mo``.
DOMAIN = "coprod"

#: Where the catalogues live (inside the package, so the wheel carries them).
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

#: The language in force ("en" until :func:`set_language` says otherwise).
_language: str = DEFAULT_LANGUAGE
#: Its catalogue, read on first use; ``None``: not read yet (or English).
_catalogue: NullTranslations | None = None


def catalogue_path(language: str, domain: str = DOMAIN) -> Path:
    """The compiled catalogue of ``language`` (may not exist)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo"


def available_languages() -> tuple[str, ...]:
    """English and every language with a compiled catalogue, sorted."""
    found = {DEFAULT_LANGUAGE}
    try:
        for child in LOCALE_DIR.iterdir():
            if catalogue_path(child.name).is_file():
                found.add(child.name)
    except OSError:
        pass
    return tuple(sorted(found))


def set_language(code: str | None) -> str:
    """Use ``code``'s catalogue from now on; returns the language now in force.

    ``code`` may be a locale name (``sv_SE.UTF-8``). A language without a
    catalogue (or ``None``, ``C``) means English, the identity.
    """
    global _language, _catalogue
    language = language_code(code or "") or DEFAULT_LANGUAGE
    if language != DEFAULT_LANGUAGE and not catalogue_path(language).is_file():
        language = DEFAULT_LANGUAGE
    if language != _language:
        _language = language
        _catalogue = None
    return _language


def current_language() -> str:
    """The language messages are shown in now ("en", "sv")."""
    return _language


def language_setting(path: Path | None = None) -> str | None:
    """The settings file's ``language:`` (``None`` when it has none), read cheaply.

    The CLI front door asks on every run, and YAML costs milliseconds to
    import: a file coprod wrote (``language: sv`` on a line of its own) is read
    with a line scan; anything else that mentions ``language`` goes through
    the real reader (:func:`coprod_tui.core.config.load_config`).
    """
    if path is None:
        from coprod_tui.core.locations import config_file

        path = config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "language" not in text:
        return None
    import re

    simple = re.findall(r"(?m)^language:[ \t]*([A-Za-z_.@-]+)[ \t]*$", text)
    if len(simple) == 1 and language_code(simple[0]):
        return language_code(simple[0])
    from coprod_tui.core.config import load_config

    return load_config(path).language


def start_language(environ: Mapping[str, str] | None = None) -> str:
    """Decide the language at start-up (settings, environment) and use it; returns it."""
    return set_language(decide_language(language_setting(), environ))


def _translations() -> NullTranslations | None:
    """The catalogue in force, read on first use; ``None`` for English or a missing file."""
    global _catalogue
    if _language == DEFAULT_LANGUAGE:
        return None
    if _catalogue is None:
        import gettext

        try:
            with catalogue_path(_language).open("rb") as handle:
                _catalogue = gettext.GNUTranslations(handle)
        except (OSError, ValueError, UnicodeDecodeError):
            # A damaged or missing catalogue: English, never a failure to start.
            _catalogue = gettext.NullTranslations()
    return _catalogue


def _(message: str) -> str:
    """``message`` in the current language (itself in English or when untranslated)."""
    catalogue = _translations()
    return message if catalogue is None else catalogue.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    catalogue = _translations()
    if catalogue is None:
        return singular if count == 1 else plural
    return catalogue.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the sense ``context`` gives it ("May" the month, not the verb)."""
    catalogue = _translations()
    return message if catalogue is None else catalogue.pgettext(context, message)


def translator(language: str | None) -> Callable[[str], str]:
    """A ``_()`` for ``language`` whatever the language in force (a page in a template's own).

    English, an unknown language or a missing catalogue give the identity.
    Each catalogue is read once per process.
    """
    code = language_code(language or "") or DEFAULT_LANGUAGE
    if code == _language:
        return _
    catalogue = _other_catalogue(code)
    return (lambda message: message) if catalogue is None else catalogue.gettext


@functools.cache
def _other_catalogue(language: str) -> NullTranslations | None:
    if language == DEFAULT_LANGUAGE:
        return None
    import gettext

    try:
        with catalogue_path(language).open("rb") as handle:
            return gettext.GNUTranslations(handle)
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def N_(message: str) -> str:  # noqa: N802 - gettext's name for the marker
    """Mark ``message`` for the catalogue without translating it (translate when shown).

    For strings made at import time (binding descriptions, class constants):
    the language is not decided yet then, and may change (tests).
    """
    return message
