"""Swedish and English order without a system locale, and the user's language from the environment.

Names and words are invented or everyday vocabulary.
"""

from __future__ import annotations

import locale

import pytest

from coprod_tui.core.collation import is_swedish, sort_key, sorted_texts
from coprod_tui.core.language import language_code, user_language


def ordered(words: list[str], language: str) -> list[str]:
    return sorted(words, key=lambda word: sort_key(word, language))


def test_swedish_letters_come_after_z_in_their_own_order() -> None:
    words = ["Örebro", "ärende", "Åsa", "zebra", "Yngve", "apa"]
    assert ordered(words, "sv") == ["apa", "Yngve", "zebra", "Åsa", "ärende", "Örebro"]


@pytest.mark.parametrize("language", ["sv", "sv_SE", "sv-FI", "sv_SE.UTF-8", "SV"])
def test_every_spelling_of_swedish_is_swedish(language: str) -> None:
    assert is_swedish(language)
    assert ordered(["ö", "z", "o"], language) == ["o", "z", "ö"]


def test_swedish_sorts_foreign_letters_as_their_swedish_kin() -> None:
    # ü as y, æ as ä, ø as ö; é and è as e.
    assert ordered(["über", "yxa", "vägg"], "sv") == ["vägg", "über", "yxa"]
    assert ordered(["ärt", "Ærø", "åra", "ögon"], "sv") == ["åra", "ärt", "Ærø", "ögon"]
    assert ordered(["östra", "Øst", "ö"], "sv") == ["ö", "Øst", "östra"]
    assert ordered(["Erik", "Émile", "Èva", "ek"], "sv") == ["ek", "Émile", "Erik", "Èva"]


def test_v_and_w_are_different_letters_in_swedish() -> None:
    assert ordered(["Wilma", "Vera", "Wendela", "Vanja"], "sv") == [
        "Vanja",
        "Vera",
        "Wendela",
        "Wilma",
    ]


def test_case_does_not_matter_and_ties_go_by_the_raw_text() -> None:
    assert ordered(["banan", "Apelsin", "äpple", "Äpple"], "sv") == [
        "Apelsin",
        "banan",
        "Äpple",
        "äpple",
    ]
    assert sort_key("Akut", "sv") != sort_key("akut", "sv")  # a total order
    assert ordered(["akut", "Akut"], "en") == ordered(["Akut", "akut"], "en")


def test_numbers_come_before_letters_and_sort_by_value() -> None:
    titles = ["fall 10", "Anna", "fall 9", "2 besök", "10 besök", "fall 2"]
    assert ordered(titles, "sv") == ["2 besök", "10 besök", "Anna", "fall 2", "fall 9", "fall 10"]


def test_english_keeps_accents_next_to_their_letter() -> None:
    words = ["zebra", "Örebro", "apple", "Ängel", "resumes", "résumé", "resume", "oak"]
    assert ordered(words, "en") == [
        "Ängel",
        "apple",
        "oak",
        "Örebro",
        "resume",
        "résumé",
        "resumes",
        "zebra",
    ]


def test_sorted_texts_matches_sort_key() -> None:
    words = ["ö", "å", "ä", "a", "O", "z"]
    assert sorted_texts(words, "sv_SE") == ordered(words, "sv_SE")


def test_no_system_locale_is_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("setlocale must not be called")

    monkeypatch.setattr(locale, "setlocale", refuse)
    assert ordered(["ö", "å"], "sv") == ["å", "ö"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "sv_FI.UTF-8"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "sv:en"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "COPROD_LANG": "en"}, "en"),
        ({"COPROD_LANG": "sv-FI"}, "sv"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LC_ALL": "", "LANG": "sv_SE@euro"}, "sv"),
        ({"COPROD_LANG": "   ", "LANG": "sv_SE"}, "sv"),
    ],
)
def test_user_language_reads_the_environment_in_order(
    environ: dict[str, str], expected: str
) -> None:
    assert user_language(environ) == expected


def test_language_code_refuses_what_is_not_a_language() -> None:
    assert language_code("sv_SE.UTF-8") == "sv"
    assert language_code("C") is None
    assert language_code("../../etc") is None
    assert language_code("") is None
