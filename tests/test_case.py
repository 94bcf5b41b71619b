"""The Case document: pure operations that must never drop a word."""

import json

import pytest

from coprod_tui.core.case import (
    Case,
    adopt_orphan,
    apply_template,
    new_case,
    normalise_tags,
    progress,
    set_section_text,
    word_count,
)
from coprod_tui.core.template import Section, Template


def make_template(*sections: Section, version: int = 1) -> Template:
    return Template(
        id="practice-notes",
        version=version,
        title="Practice notes",
        language="en",
        source="fictional test template",
        sections=tuple(sections),
    )


TWO_SECTIONS = make_template(Section("situation", "Situation"), Section("emotions", "Emotions"))


def test_new_case_is_blank_and_follows_its_template():
    case = new_case("Ms Example's visit", TWO_SECTIONS, tags=[" diabetes ", "", "diabetes"])
    assert case.template_id == "practice-notes"
    assert case.sections == {}
    assert case.tags == ["diabetes"]
    assert case.created == case.updated
    assert case.created.endswith("Z")
    assert new_case("x", TWO_SECTIONS).id != case.id


def test_set_section_text_returns_a_copy_and_leaves_the_original():
    case = new_case("A case", TWO_SECTIONS)
    edited = set_section_text(case, "situation", "Home visit")
    assert edited.text("situation") == "Home visit"
    assert case.text("situation") == ""


def test_progress_counts_only_sections_with_non_blank_text():
    case = new_case("A case", TWO_SECTIONS)
    case = set_section_text(case, "situation", "Home visit")
    case = set_section_text(case, "emotions", "   \n ")
    assert progress(case, TWO_SECTIONS) == (1, 2)


def test_round_trip_through_dict_is_exact():
    case = set_section_text(new_case("Tür “quotes”", TWO_SECTIONS), "situation", "å ä ö\n\tend")
    case.orphans["old"] = "kept"
    assert Case.from_dict(case.to_dict()) == case


@pytest.mark.parametrize("bad", [[], {"id": 3}, {"id": "x", "title": "t"}, {"tags": "a"}])
def test_from_dict_rejects_malformed_documents(bad):
    with pytest.raises(ValueError):
        Case.from_dict(bad)


def test_template_change_moves_renamed_text_and_orphans_the_rest():
    case = new_case("A case", TWO_SECTIONS)
    case = set_section_text(case, "situation", "Setting text")
    case = set_section_text(case, "emotions", "Feelings text")
    newer = make_template(
        Section("context", "Context", renamed_from=("situation",)),
        Section("plans", "Plans"),
        version=2,
    )
    mapped = apply_template(case, newer)
    assert mapped.sections == {"context": "Setting text"}
    assert mapped.orphans == {"emotions": "Feelings text"}
    assert mapped.template_version == 2


def test_orphans_return_when_the_template_knows_their_section_again():
    case = new_case("A case", TWO_SECTIONS)
    case.orphans["emotions"] = "Came back"
    case.sections["emotions"] = "Newer"
    mapped = apply_template(case, TWO_SECTIONS)
    assert mapped.orphans == {}
    assert mapped.text("emotions") == "Newer\n\nCame back"


def test_adopting_an_orphan_appends_it_to_a_section():
    case = set_section_text(new_case("A case", TWO_SECTIONS), "situation", "First")
    case.orphans["retired"] = "Old words"
    adopted = adopt_orphan(case, "retired", "situation")
    assert adopted.text("situation") == "First\n\nOld words"
    assert adopted.orphans == {}
    with pytest.raises(KeyError):
        adopt_orphan(adopted, "retired", "situation")


def test_word_count_and_tag_normalising():
    assert word_count("  two words\n and three ") == 4
    assert word_count("") == 0
    assert normalise_tags(["b", " a", "b ", ""]) == ["b", "a"]


def _document(**changes):
    data = new_case("Fictional Nils", TWO_SECTIONS).to_dict()
    data.update(changes)
    return data


def test_unknown_keys_are_kept_and_written_back_and_format_is_read():
    data = _document(insights={"themes": ["trust"]}, format=1)
    case = Case.from_dict(data)
    assert case.extra == {"insights": {"themes": ["trust"]}} and not case.newer_format
    assert case.to_dict() == data
    del data["format"]
    assert Case.from_dict(data).format == 1  # a missing format is format 1
    newer = Case.from_dict(_document(format=2))
    assert newer.newer_format and newer.to_dict()["format"] == 2


def test_known_keys_win_over_a_clashing_extra():
    case = Case.from_dict(_document())
    case.extra = {"title": "sneaky", "later": 1}
    assert case.to_dict()["title"] == "Fictional Nils" and case.to_dict()["later"] == 1


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("revision", True, "whole number"),
        ("revision", 2**53, "out of range"),
        ("revision", 3.0, "whole number"),
        ("template_version", -1, "out of range"),
        ("created", "28/11/2026", "ISO 8601"),
        ("updated", "0001-01-01T00:00:00Z", "plausible"),
        ("conflict_of", 7, "case id"),
        ("conflict_of", "\x1b]0;PWNED\x07", "case id"),
        ("id", "1D18BF78-0000-4000-8000-000000000000", "case id"),
        ("id", "../x", "case id"),
        ("title", "t" * 10_001, "longer than"),
        ("tags", [1], "list of strings"),
        ("fields", {"setting": 1}, "object of strings"),
        ("sections", {"s" * 1001: "x"}, "too long"),
        ("orphans", {"a": "\ud800"}, "lone surrogate"),
        ("saved_by", None, "must be a string"),
        ("format", 0, "out of range"),
        ("insights", json.loads("[" * 40 + "]" * 40), "deeper"),
        ("insights", float("nan"), "cannot store"),
    ],
)
def test_every_field_is_checked_for_type_and_range(key, value, words):
    with pytest.raises(ValueError, match=words) as error:
        Case.from_dict(_document(**{key: value}))
    assert "\x1b" not in str(error.value)


def test_an_empty_conflict_link_reads_as_none():
    assert Case.from_dict(_document(conflict_of="")).conflict_of is None


def test_a_case_compares_by_value_and_replace_changes_only_what_is_named():
    """Case is written out by hand (start-up speed): it must behave as the data class did."""
    from coprod_tui.core.case import Case

    first = Case(
        "0" * 8 + "-0000-4000-8000-" + "0" * 12,
        "Visit",
        "t",
        1,
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
        tags=["akut"],
    )
    same = first.copy()
    assert same == first and same is not first and same.tags is not first.tags
    renamed = first.replace(title="Home visit")
    assert renamed.title == "Home visit" and first.title == "Visit"
    assert renamed != first and renamed.tags == first.tags
    assert "title='Home visit'" in repr(renamed)
    with pytest.raises(TypeError):
        first.replace(titel="typo")
    with pytest.raises(TypeError):
        hash(first)
    assert Case("x", "y", "t", 1, "c", "u").sections == {}
    assert (
        Case("x", "y", "t", 1, "c", "u").sections is not Case("x", "y", "t", 1, "c", "u").sections
    )
