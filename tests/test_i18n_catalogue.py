"""The catalogues: the .po is the truth, the committed .mo matches it, nothing is left untranslated.

These need Babel (the ``test`` extra): it reads the .po, compiles it in
memory and extracts the strings from the code, exactly as
``scripts/catalogues.py`` does.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

babel_pofile = pytest.importorskip("babel.messages.pofile")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import read_mo, write_mo  # noqa: E402

from coprod_tui.core.i18n import LOCALE_DIR, available_languages, catalogue_path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
POT = LOCALE_DIR / "coprod.pot"
LANGUAGES = [language for language in available_languages() if language != "en"]

#: Placeholders a translation must not invent: {name}, %(name)s, %s / %r / %d.
_PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)[sdr]|%[sdr]")


def _po(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "coprod.po").open("rb") as handle:
        return babel_pofile.read_po(handle, locale=language)


def _pot():
    with POT.open("rb") as handle:
        return babel_pofile.read_po(handle)


def _key(message) -> tuple[str | None, str]:
    ident = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (message.context, ident)


def test_swedish_has_a_catalogue():
    assert "sv" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_and_none_is_fuzzy(language):
    catalog = _po(language)
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_po_holds_exactly_the_messages_of_the_pot(language):
    assert {_key(m) for m in _po(language) if m.id} == {_key(m) for m in _pot() if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_use_no_placeholder_the_english_lacks(language):
    """A placeholder the code does not fill would fail (KeyError) when shown."""
    wrong = []
    for message in _po(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = {p for ident in ids for p in _PLACEHOLDER.findall(ident)}
        for string in strings:
            extra = set(_PLACEHOLDER.findall(string)) - allowed
            if extra:
                wrong.append((ids[0], sorted(extra)))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_the_po_compiled(language):
    """The .mo is committed (pip needs no build step); it must say what the .po says."""
    compiled = io.BytesIO()
    write_mo(compiled, _po(language))
    compiled.seek(0)
    fresh = {_key(m): m.string for m in read_mo(compiled) if m.id}
    with catalogue_path(language).open("rb") as handle:
        committed = {_key(m): m.string for m in read_mo(handle) if m.id}
    assert committed == fresh


def test_the_pot_has_every_string_the_code_marks():
    """A string wrapped in _() but missing from the catalogue would stay English."""
    found: set[tuple[str | None, str]] = set()
    method_map = [("coprod_tui/**.py", "python")]
    keywords = {
        "_": None,
        "N_": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "tr": None,
    }
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        ident = message[0] if isinstance(message, tuple) else message
        if ident:
            found.add((context, ident))
    in_pot = {_key(m) for m in _pot() if m.id}
    assert sorted(found - in_pot, key=str) == []


def test_the_pot_has_every_key_bindings_words():
    """Bindings are translated in one place (ui/binding_language.py): all their words."""
    from coprod_tui.ui.binding_language import binding_words

    in_pot = {ident for _context, ident in (_key(m) for m in _pot() if m.id)}
    assert [word for word in binding_words() if word not in in_pot] == []


def test_the_catalogues_script_names_its_steps():
    """``scripts/catalogues.py`` runs, and a wrong step gets its usage (exit 2)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalogues.py"), "nonsense"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "usage: python scripts/catalogues.py" in result.stderr


def test_no_literal_is_translated_inside_an_f_string():
    """``f"{_('TITLE')}"`` is invisible to the extractor: the word would stay English."""
    hidden = re.compile(r"""\{_\(\s*["']|\{ngettext\(\s*["']""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "coprod_tui").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hidden.search(line)
    ]
    assert found == []
