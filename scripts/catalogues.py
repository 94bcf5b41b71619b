"""Extract, update and compile coprod's gettext catalogues (a developer tool; needs Babel).

    python scripts/catalogues.py extract   # the code's strings -> coprod_tui/locale/coprod.pot
    python scripts/catalogues.py update    # the .pot's new strings into every <lang>/coprod.po
    python scripts/catalogues.py compile   # every .po -> its .mo (committed: pip needs no build)
    python scripts/catalogues.py all       # the three in order
    python scripts/catalogues.py init fi   # a new language's .po, from the .pot

The ``.po`` files are the truth: translate there (no fuzzy entries, no empty
msgstr: tests/test_i18n_catalogue.py fails on either), then compile and commit
both. ``update`` never guesses a translation from a similar string (no fuzzy
matching) and drops strings the code no longer has, so a reviewer sees
exactly what is new.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "coprod_tui" / "locale"
POT = LOCALE / "coprod.pot"
DOMAIN = "coprod"


def pybabel(*arguments: str) -> None:
    """Run one ``pybabel`` command in-process (Babel's own command-line interface)."""
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "--quiet", *arguments])


def extract() -> None:
    pybabel(
        "extract",
        "--mapping-file",
        str(ROOT / "babel.cfg"),
        "--no-location",
        "--sort-output",
        # Babel's keywords (_, ngettext, pgettext, N_, ...) and tr: a translator for another
        # language than the current one (core.i18n.translator; help's About page).
        "--keywords",
        "tr",
        "--width",
        "100",
        "--project",
        "coprod",
        "--output-file",
        str(POT),
        str(ROOT),
    )
    add_binding_words()


def add_binding_words() -> None:
    """Add every key binding's description and tooltip (coprod's and Textual's) to the .pot.

    Bindings are class constants translated in one place at start-up
    (``ui/binding_language.py``), so they are found by importing the classes,
    not by marking each one.
    """
    from babel.messages.pofile import read_po, write_po

    sys.path.insert(0, str(ROOT))
    from coprod_tui.ui.binding_language import binding_words

    with POT.open("rb") as handle:
        catalog = read_po(handle)
    for word in binding_words():
        if word not in catalog:
            catalog.add(word, auto_comments=["key binding"])
        elif "key binding" not in catalog[word].auto_comments:
            catalog[word].auto_comments.append("key binding")
    with POT.open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True, sort_output=True)


def update() -> None:
    pybabel(
        "update",
        "--input-file",
        str(POT),
        "--output-dir",
        str(LOCALE),
        "--domain",
        DOMAIN,
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--width",
        "100",
    )


def init(language: str) -> None:
    """Start the catalogue of a new language from the .pot (then translate it)."""
    pybabel(
        "init",
        "--input-file",
        str(POT),
        "--output-dir",
        str(LOCALE),
        "--domain",
        DOMAIN,
        "--locale",
        language,
        "--width",
        "100",
    )


def compile_catalogues() -> None:
    pybabel("compile", "--directory", str(LOCALE), "--domain", DOMAIN, "--use-fuzzy")


STEPS = {"extract": [extract], "update": [update], "compile": [compile_catalogues]}
STEPS["all"] = [extract, update, compile_catalogues]


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "init":
        init(argv[1])
        return 0
    if len(argv) != 1 or argv[0] not in STEPS:
        names = ",".join(STEPS)
        print(f"usage: python scripts/catalogues.py {{{names}}} | init LANG", file=sys.stderr)
        return 2
    for step in STEPS[argv[0]]:
        step()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
