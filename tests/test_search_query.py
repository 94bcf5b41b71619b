"""The search syntax and the text analysis behind it."""

from __future__ import annotations

import pytest

from coprod_tui.core.search import QueryError
from coprod_tui.core.search.analysis import base, fold, is_base_form, words
from coprod_tui.core.search.query import Term, parse


def test_fold_keeps_length_and_folds_unicode() -> None:
    assert fold("ÅTERBESÖK") == "återbesök"
    assert fold("STRAßE") == "straße"  # one character stays one: offsets hold
    assert len(fold("İstanbul ẞ ǅ")) == len("İstanbul ẞ ǅ")


def test_base_drops_diacritics_only() -> None:
    assert base("återbesök") == "aterbesok"
    assert base("smørrebrød") == "smorrebrod"
    assert base("über") == "uber"
    assert is_base_form("remiss") and not is_base_form("år")


def test_words_compose_decomposed_letters() -> None:
    assert words("A\u030aterbeso\u0308k, i år!") == ["återbesök", "i", "år"]


def test_parse_words_prefixes_phrases_filters() -> None:
    query = parse('Remiss* "ont i BRÖSTET" vård section:situation tag:"Gul remiss" TAG:Astma')
    assert query.terms == (
        Term(("remiss",), prefix=True),
        Term(("ont", "i", "bröstet")),
        Term(("vård",)),
    )
    assert query.values("section") == ("situation",)
    assert query.values("tag") == ("gul remiss", "astma")


def test_words_joined_by_punctuation_are_a_phrase() -> None:
    assert parse("läkar-remiss").terms == (Term(("läkar", "remiss")),)
    assert parse("kl 09:30").terms == (Term(("kl",)), Term(("09", "30")))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('"ont i bröstet', "quote is not closed"),
        ("tag:", "tag: needs a value"),
        ("section:", "section: needs a value"),
        ('tag:""', "tag: needs a value"),
        ("ont AND bröstet", "AND is not supported"),
        ("ont OR bröstet", "OR is not supported"),
        ("NOT ont", "NOT is not supported"),
        ("NEAR(ont bröstet)", "search syntax"),
        ("(ont)", "search syntax"),
        ("^ont", "search syntax"),
        ("re*miss", "a * may only end a word"),
        ("*", "needs letters"),
        ("body:ont", "unknown filter 'body'"),
        ('ont"i"', "quote"),
    ],
)
def test_queries_it_cannot_read(text: str, reason: str) -> None:
    with pytest.raises(QueryError) as error:
        parse(text)
    message = str(error.value)
    assert message.startswith("could not read the search: ")
    assert reason in message
    assert "example:" in message
    assert "\n" not in message
    assert error.value.exit_code == 2


def test_overlong_queries_are_refused() -> None:
    with pytest.raises(QueryError, match="too long"):
        parse("ord " * 400)
    with pytest.raises(QueryError, match="at most 32"):
        parse(" ".join(f"ord{n}" for n in range(40)))


def test_lower_case_operators_are_words() -> None:
    assert parse("and or not").terms == (Term(("and",)), Term(("or",)), Term(("not",)))


def test_importing_the_package_does_not_load_sqlite() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import coprod_tui.core.search as s; "
        "print('sqlite3' in sys.modules, s.SearchHit.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "SearchHit"]
