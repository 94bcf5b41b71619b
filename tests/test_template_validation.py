"""Validation: every problem at once, each as FILE:LINE:COL: message (1-based).

Each test starts from a small valid template and breaks one thing, then
checks the exact position and the gist of the message, so a regression in
either the rule or the position is caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_tui.core.errors import UserInputError
from coprod_tui.core.template import (
    Problem,
    Template,
    TemplateError,
    load_template,
    parse_template,
    validate_template_file,
)

VALID = """\
id: team-template
version: 3
title: A fictional team's template
language: sv-SE
source: Written for these tests
description: |-
  About text.
perspectives:
  - id: patient-person
    title: Patient-person
    description: aim, lived reality
  - id: professional-person
    title: Professional-person
fields:
  - id: setting
    label: Setting
  - id: kind
    label: Kind of visit
    type: choice
    choices: [first, follow-up]
    required: true
  - id: date
    label: Date
    type: date
sections:
  - id: situation
    title: Situation
    description: What happened
    questions:
      - What is the setting?
      - Where are you?
  - id: lived-reality
    title: Lived reality
    perspective: patient-person
    renamed_from: [home-life, old-reality]
    questions: []
"""


def problems_of(text: str, name: str = "t.yaml") -> list[str]:
    try:
        parse_template(text, name)
    except TemplateError as error:
        return [str(problem) for problem in error.problems]
    return []


def test_valid_template_builds_everything():
    template = parse_template(VALID, "team.yaml")
    assert isinstance(template, Template)
    assert template.id == "team-template"
    assert template.version == 3
    assert template.language == "sv-SE"
    assert template.description == "About text."
    assert template.section_ids() == ["situation", "lived-reality"]
    assert template.section("situation").questions == ("What is the setting?", "Where are you?")
    assert template.section("lived-reality").renamed_from == ("home-life", "old-reality")
    assert template.section("lived-reality").perspective == "patient-person"
    assert template.perspective("patient-person").description == "aim, lived reality"
    kind = template.fields[1]
    assert (kind.type, kind.choices, kind.required) == ("choice", ("first", "follow-up"), True)
    assert template.fields[0].type == "text" and template.fields[0].required is False
    assert template.path == Path("team.yaml")
    assert type(template.sections[0]).__name__ == "Section"


def test_problem_str_and_template_error():
    problem = Problem("a.yaml", 3, 7, "bad")
    assert str(problem) == "a.yaml:3:7: bad"
    error = TemplateError([problem, Problem("a.yaml", 4, 1, "worse")])
    assert isinstance(error, UserInputError)
    assert error.exit_code == 2
    assert str(error) == "a.yaml:3:7: bad\na.yaml:4:1: worse"
    assert error.problems[1].line == 4


def test_malformed_yaml_has_line_and_column():
    (only,) = problems_of("id: x\nsections: [a, b\n")
    assert only.startswith("t.yaml:3:1: malformed YAML")
    assert "',' or ']'" in only


def test_mapping_value_in_wrong_place_points_at_it():
    (only,) = problems_of("id: x\ntitle: a: b\n")
    assert only.startswith("t.yaml:2:9: malformed YAML")


def test_tab_indentation_is_named():
    (only,) = problems_of("id: x\nsections:\n\t- id: a\n")
    assert only.startswith("t.yaml:3:")
    assert "tab" in only


def test_two_documents_are_refused():
    (only,) = problems_of(VALID + "---\n" + VALID)
    assert "one YAML document" in only
    assert only.startswith(f"t.yaml:{VALID.count(chr(10)) + 1}:1:")


@pytest.mark.parametrize(
    ("text", "got"),
    [("- a\n- b\n", "a list"), ("just text\n", "text"), ("42\n", "a whole number")],
)
def test_top_level_must_be_a_mapping(text, got):
    (only,) = problems_of(text)
    assert only.startswith("t.yaml:1:1: the template must be a mapping")
    assert only.endswith(f"got {got}")


def test_empty_file():
    for text in ("", "# only a comment\n", "\n\n"):
        (only,) = problems_of(text)
        assert only.startswith("t.yaml:1:1: the file is empty")


def test_missing_required_keys_each_reported_at_the_mapping():
    found = problems_of("description: nothing else\n")
    for key in ("id", "version", "title", "language", "source", "sections"):
        assert f"t.yaml:1:1: the template is missing required key '{key}'" in found
    assert len(found) == 6


def test_section_missing_keys_point_at_the_section():
    text = VALID.replace("    title: Situation\n", "")
    assert "t.yaml:26:5: section 'situation' is missing required key 'title'" in problems_of(text)
    text = VALID.replace("    questions: []\n", "")
    expected = "t.yaml:32:5: section 'lived-reality' is missing required key 'questions'"
    assert expected in problems_of(text)


def test_unknown_keys_with_did_you_mean():
    text = VALID.replace("title: A fictional", "titel: A fictional").replace(
        "    description: What happened", "    descripton: What happened"
    )
    found = problems_of(text)
    assert "t.yaml:3:1: unknown key 'titel' in the template (did you mean 'title'?)" in found
    assert (
        "t.yaml:28:5: unknown key 'descripton' in section 'situation' (did you mean 'description'?)"
    ) in found
    assert "t.yaml:1:1: the template is missing required key 'title'" in found


def test_unknown_key_without_a_close_match_lists_the_keys():
    found = problems_of(VALID + "zzz: 1\n")
    assert any(
        p.startswith("t.yaml:37:1: unknown key 'zzz' in the template (expected one of: id,")
        for p in found
    )


def test_duplicate_key():
    found = problems_of(VALID.replace("version: 3\n", "version: 3\nversion: 4\n"))
    assert found == ["t.yaml:3:1: duplicate key 'version' in the template (first at line 2)"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "1.0",
            "t.yaml:2:10: 'version' must be a whole number such as 1; got a decimal number '1.0'",
        ),
        ('"1"', "t.yaml:2:10: 'version' must be a whole number such as 1; got text '1'"),
        ("true", "t.yaml:2:10: 'version' must be a whole number such as 1; got true/false 'true'"),
        ("[1]", "t.yaml:2:10: 'version' must be a whole number such as 1; got a list"),
        ("0", "t.yaml:2:10: 'version' must be a whole number from 1 up; got '0'"),
        ("-3", "t.yaml:2:10: 'version' must be a whole number from 1 up; got '-3'"),
    ],
)
def test_version_must_be_a_positive_integer(value, message):
    assert problems_of(VALID.replace("version: 3", f"version: {value}")) == [message]


def test_version_with_thousands_of_digits_is_a_problem_not_a_crash():
    found = problems_of(VALID.replace("version: 3", "version: " + "9" * 5000))
    assert len(found) == 1 and "from 1 up" in found[0]


@pytest.mark.parametrize("language", ["en", "sv", "sv-SE", "en-GB", "zh-Hant-TW", "es-419"])
def test_good_languages(language):
    assert problems_of(VALID.replace("language: sv-SE", f"language: {language}")) == []


@pytest.mark.parametrize("language", ["english", "sv_SE", "s", "en-", "sv SE", "x1"])
def test_bad_languages(language):
    (only,) = problems_of(VALID.replace("language: sv-SE", f"language: {language}"))
    assert only.startswith("t.yaml:4:11: 'language' must be a BCP 47 language tag")
    if "_" in language:
        assert "use '-', not '_'" in only


def test_language_written_as_a_number_gets_a_quoting_hint():
    (only,) = problems_of(VALID.replace("language: sv-SE", "language: 12"))
    assert (
        only
        == "t.yaml:4:11: 'language' must be text; got a whole number (write it in quotes: '12')"
    )


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("id: team-template", "id: Team Template", "t.yaml:1:5: template id 'Team Template'"),
        ("  - id: situation", "  - id: Situation_1", "t.yaml:26:9: section 1 id 'Situation_1'"),
        (
            "  - id: patient-person",
            "  - id: patient person",
            "t.yaml:9:9: perspective 1 id 'patient person'",
        ),
        ("  - id: setting", "  - id: Setting", "t.yaml:15:9: field 1 id 'Setting'"),
    ],
)
def test_bad_ids(old, new, where):
    found = problems_of(VALID.replace(old, new, 1))
    assert any(p.startswith(where) and "is not a valid id" in p for p in found), found


def test_bad_id_suggests_a_slug():
    found = problems_of(VALID.replace("id: team-template", "id: Team Template"))
    assert "(e.g. 'team-template')" in found[0]


def test_wrong_types_of_keys():
    text = (
        VALID.replace("title: A fictional team's template", "title: 2024")
        .replace("source: Written for these tests", "source: [a, b]")
        .replace(
            "  - id: patient-person\n    title: Patient-person\n"
            "    description: aim, lived reality\n",
            "  - patient-person\n",
        )
        .replace("required: true", "required: maybe")
    )
    found = problems_of(text)
    assert "t.yaml:3:8: 'title' must be text; got a whole number (write it in quotes: '2024')" in (
        found
    )
    assert "t.yaml:5:9: 'source' must be text; got a list" in found
    assert "t.yaml:9:5: perspective 1 must be a mapping with keys id, title; got text" in found
    assert "t.yaml:19:15: 'required' of field 'kind' must be true or false; got text" in found


def test_sections_must_be_a_list_and_not_empty():
    head = VALID.split("sections:")[0]
    (only,) = problems_of(head + "sections: []\n")
    assert only == "t.yaml:25:11: 'sections' is empty: a template needs at least one section"
    (only,) = problems_of(head + "sections: none\n")
    assert only == "t.yaml:25:11: 'sections' must be a list; got text"
    (only,) = problems_of(head + "sections:\n")
    assert only.startswith("t.yaml:25:10: 'sections' must be a list; got nothing")


def test_empty_title_and_questions_checked():
    text = VALID.replace("    title: Situation", '    title: "  "').replace(
        "      - Where are you?", "      - 42\n      - What is the setting?\n      - ''"
    )
    found = problems_of(text)
    assert "t.yaml:27:12: 'title' of section 'situation' must not be empty" in found
    assert (
        "t.yaml:31:9: item 2 of 'questions' of section 'situation' must be text; got a whole "
        "number (write it in quotes: '42')"
    ) in found
    assert (
        "t.yaml:32:9: item 3 of 'questions' of section 'situation' repeats 'What is the setting?'"
    ) in found
    assert "t.yaml:33:9: item 4 of 'questions' of section 'situation' must not be empty" in found


def test_duplicate_ids():
    text = (
        VALID.replace("  - id: lived-reality", "  - id: situation")
        .replace("  - id: professional-person", "  - id: patient-person")
        .replace("  - id: date", "  - id: setting")
    )
    found = problems_of(text)
    assert "t.yaml:32:9: duplicate section id 'situation' (first defined at line 26)" in found
    assert "t.yaml:12:9: duplicate perspective id 'patient-person' (first defined at line 9)" in (
        found
    )
    assert "t.yaml:22:9: duplicate field id 'setting' (first defined at line 15)" in found


def test_undefined_perspective_with_did_you_mean():
    (only,) = problems_of(
        VALID.replace("perspective: patient-person", "perspective: patient-persn")
    )
    assert only == (
        "t.yaml:34:18: section 'lived-reality' names perspective 'patient-persn', which is not "
        "defined (defined: patient-person, professional-person) (did you mean 'patient-person'?)"
    )


def test_perspective_named_when_none_are_defined():
    text = VALID.replace(
        "perspectives:\n  - id: patient-person\n    title: Patient-person\n"
        "    description: aim, lived reality\n  - id: professional-person\n"
        "    title: Professional-person\n",
        "",
    )
    (only,) = problems_of(text)
    assert "names perspective 'patient-person', which is not defined (none are defined)" in only


def test_field_types_and_choices():
    text = (
        VALID.replace("    type: date", "    type: dates")
        .replace("    choices: [first, follow-up]\n", "")
        .replace(
            "  - id: setting\n    label: Setting\n",
            "  - id: setting\n    label: Setting\n    choices: [a]\n",
        )
    )
    found = problems_of(text)
    assert (
        "t.yaml:17:5: 'choices' only applies to fields of type 'choice' (field 'setting')" in found
    )
    assert "t.yaml:20:11: field 'kind' has type 'choice' but no 'choices' list" in found
    assert (
        "t.yaml:24:11: 'type' of field 'date' must be one of text, date, choice; got 'dates' "
        "(did you mean 'date'?)"
    ) in found


def test_choice_with_empty_choices():
    (only,) = problems_of(VALID.replace("choices: [first, follow-up]", "choices: []"))
    assert only == "t.yaml:20:14: 'choices' of field 'kind' must list at least one choice"


def test_renamed_from_clashing_with_a_current_id():
    text = VALID.replace(
        "renamed_from: [home-life, old-reality]", "renamed_from: [home-life, situation]"
    )
    (only,) = problems_of(text)
    assert only.startswith("t.yaml:35:31: 'renamed_from' of section 'lived-reality' lists")
    assert "'situation', which is the id of a current section" in only


def test_renamed_from_claimed_by_two_sections():
    text = VALID.replace(
        "    description: What happened\n",
        "    description: What happened\n    renamed_from: [old-reality]\n",
    )
    (only,) = problems_of(text)
    assert only.startswith("t.yaml:36:31: 'old-reality' is in 'renamed_from' of both section")


def test_renamed_from_ids_are_ids():
    (only,) = problems_of(VALID.replace("[home-life, old-reality]", "[Home Life]"))
    assert only.startswith("t.yaml:35:20: 'renamed_from' id of section 'lived-reality' 'Home Life'")


def test_control_characters_in_text_are_refused():
    (only,) = problems_of(VALID.replace("title: Situation", 'title: "\\e[31mred"'))
    assert (
        only == "t.yaml:27:12: 'title' of section 'situation' contains a control character (U+001B)"
    )


def test_every_problem_is_reported_at_once_sorted_by_position():
    text = (
        VALID.replace("id: team-template", "id: Bad Id")
        .replace("version: 3", "version: three")
        .replace("    title: Situation", "    titl: Situation")
        .replace("perspective: patient-person", "perspective: nobody")
    )
    found = validate_problems(text)
    assert len(found) == 5
    assert [(p.line, p.column) for p in found] == sorted((p.line, p.column) for p in found)


def validate_problems(text: str) -> list[Problem]:
    try:
        parse_template(text, "t.yaml")
    except TemplateError as error:
        return error.problems
    return []


def test_load_and_validate_file(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(VALID, encoding="utf-8")
    assert validate_template_file(good) == []
    assert load_template(good).path == good
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID.replace("version: 3", "version: x"), encoding="utf-8")
    (problem,) = validate_template_file(bad)
    assert problem.path == str(bad) and (problem.line, problem.column) == (2, 10)
    with pytest.raises(TemplateError) as caught:
        load_template(bad)
    assert str(caught.value).startswith(f"{bad}:2:10: ")


def test_missing_file_and_folder(tmp_path):
    (missing,) = validate_template_file(tmp_path / "nope.yaml")
    assert str(missing) == f"{tmp_path / 'nope.yaml'}:1:1: no such file"
    (folder,) = validate_template_file(tmp_path)
    assert "folder" in folder.message


def test_bom_is_accepted_and_columns_are_not_shifted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("version: 3", "version: x").encode())
    (problem,) = validate_template_file(path)
    assert (problem.line, problem.column) == (2, 10)


def test_crlf_line_endings_are_fine(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(VALID.replace("\n", "\r\n").encode())
    assert validate_template_file(path) == []


def test_anchors_in_moderation_are_fine():
    text = VALID.replace("      - Where are you?", "      - &where Where are you?").replace(
        "    questions: []", "    questions: [*where]"
    )
    assert parse_template(text).section("lived-reality").questions == ("Where are you?",)


def test_columns_count_characters_not_bytes():
    text = VALID.replace("title: A fictional team's template", "title: Vårdcentralens mall\nåäö: 1")
    (only,) = problems_of(text)
    assert only.startswith("t.yaml:4:1: unknown key 'åäö'")
    (only,) = problems_of(VALID.replace("source: Written", "source: 'å' x Written"))
    assert only.startswith("t.yaml:5:13: malformed YAML")


@pytest.mark.parametrize(
    ("text", "position", "hint"),
    [
        ("id: x\ntitle: Situation: now\n", "t.yaml:2:17:", "put text containing ': ' in quotes"),
        ("id: x\ntitle: @home\n", "t.yaml:2:8:", "put text starting with '@' or '`' in quotes"),
        ("id: x\nsections:\n\t- id: a\n", "t.yaml:3:1:", "indent with spaces, not tabs"),
    ],
    ids=["colon", "at-sign", "tab"],
)
def test_common_yaml_mistakes_get_a_hint(text, position, hint):
    (only,) = problems_of(text)
    assert only.startswith(f"{position} malformed YAML")
    assert only.endswith(hint)
