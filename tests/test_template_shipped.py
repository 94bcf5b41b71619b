"""The shipped templates: Batalden's words exactly, and a Swedish twin with the same shape.

The expected text is parsed from the seed document itself (a copy lives in
tests/data/templates so the suite runs on a fresh machine), not retyped here,
so a typo in the YAML cannot be mirrored by the same typo in the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coprod_tui.core.template import Template, load_template
from coprod_tui.core.template.registry import (
    DEFAULT_TEMPLATE_ID,
    SWEDISH_TEMPLATE_ID,
    shipped_templates_dir,
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "data" / "templates" / "batalden-seed.txt"
SHARED_SEED = REPO.parent / "shared" / "seeds" / "000_542d3b6e0c979a23.txt"
SECTION_IDS = [
    "situation",
    "lived-reality",
    "emotions",
    "system-navigation",
    "condition",
    "illness-experience",
    "microsystem",
    "professional-reality",
    "reflections",
]
TEMPLATE_HEADING = "# Template for developing primary care coproduction knowledge and skill"


def seed_titles(text: str) -> list[str]:
    """The numbered list right under the template heading."""
    after = text.split(TEMPLATE_HEADING, 1)[1]
    block = after.split("\n#", 1)[0]
    return re.findall(r"^\d\. (.+?)\s*$", block, flags=re.MULTILINE)


def seed_sections(text: str) -> list[tuple[str, list[str]]]:
    """(page heading without number or asterisks, [questions]) for sections 1–9."""
    body = text.split(TEMPLATE_HEADING, 1)[1]
    body = body.split("# A process for using systematic note-taking", 1)[0]
    parts = re.split(r"^#+ (\d)\. (.*)$", body, flags=re.MULTILINE)
    sections = []
    for index in range(1, len(parts), 3):
        heading = parts[index + 1].replace("*", "").strip()
        bullets = re.findall(r"^- \*(.+)\*\s*$", parts[index + 2], flags=re.MULTILINE)
        sections.append((heading, bullets))
    return sections


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def english() -> Template:
    return load_template(shipped_templates_dir() / f"{DEFAULT_TEMPLATE_ID}.yaml")


@pytest.fixture(scope="module")
def swedish() -> Template:
    return load_template(shipped_templates_dir() / f"{SWEDISH_TEMPLATE_ID}.yaml")


def test_the_test_copy_of_the_seed_is_the_seed():
    if not SHARED_SEED.is_file():
        pytest.skip("the shared seed folder is not next to this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_parser_finds_nine_sections_and_45_questions(seed):
    assert len(seed_titles(seed)) == 9
    sections = seed_sections(seed)
    assert len(sections) == 9
    assert [len(questions) for _, questions in sections] == [5, 4, 5, 7, 5, 3, 5, 6, 5]


def test_english_identity(english):
    assert english.id == DEFAULT_TEMPLATE_ID
    assert english.language == "en"
    assert english.version == 1
    assert english.title == "Template for developing primary care coproduction knowledge and skill"
    assert english.section_ids() == SECTION_IDS


def test_english_titles_are_the_seed_numbered_list_verbatim(english, seed):
    assert [section.title for section in english.sections] == seed_titles(seed)
    assert english.section("lived-reality").title == (
        "Lived reality for the person sometimes known as \u201cpatient\u201d"
    )


def test_english_descriptions_are_the_seed_page_headings(english, seed):
    headings = [heading for heading, _ in seed_sections(seed)]
    assert [section.description for section in english.sections] == headings
    assert english.section("lived-reality").description == (
        "Lived reality (patient-person, significant others, extended family)"
    )


def test_english_questions_are_the_seed_questions_verbatim(english, seed):
    expected = [questions for _, questions in seed_sections(seed)]
    assert [list(section.questions) for section in english.sections] == expected
    assert sum(len(section.questions) for section in english.sections) == 45


@pytest.mark.parametrize(
    "question",
    [
        "What is the pattern of life for this person in this family when \u201csick?\u201d "
        "How does that differ from when \u201cnot sick?\u201d",
        "What measurements help monitor the services for this person? others like this baby?",
        "What is \u201cunknown\u201d in the \u201cas is\u201d system? What helps?",
        "This case was helpful for me because...?",
    ],
)
def test_tricky_questions_keep_their_punctuation(english, question):
    assert question in [q for section in english.sections for q in section.questions]


def test_english_perspectives_come_from_the_seed(english, seed):
    assert [p.id for p in english.perspectives] == [
        "patient-person",
        "as-is-system",
        "science-informed-practice",
        "professional-person",
    ]
    for perspective in english.perspectives:
        assert f"**{perspective.title}:** {perspective.description}" in seed


def test_english_sections_map_to_perspectives(english):
    mapping = {section.id: section.perspective for section in english.sections}
    assert mapping == {
        "situation": None,
        "lived-reality": "patient-person",
        "emotions": "as-is-system",
        "system-navigation": "as-is-system",
        "condition": "science-informed-practice",
        "illness-experience": "science-informed-practice",
        "microsystem": "science-informed-practice",
        "professional-reality": "professional-person",
        "reflections": None,
    }


def test_english_description_carries_the_definitions(english, seed):
    definition = (
        "\u201cthe interdependent work of patients (and families) and health care professionals "
        "to design, create, develop, deliver, assess, and improve relationships and actions that "
        "contribute to the health of individuals and populations.\u201d"
    )
    assert definition in seed.replace("*", "")
    assert definition in english.description
    assert "A working definition of \u201cmicrosystem\u201d" in english.description
    bullets = re.findall(r"^- (A healthcare services microsystem.*|As .*)$", seed, re.M)
    assert len(bullets) == 3
    for bullet in bullets:
        assert bullet.replace("*", "") in english.description


def test_english_fields(english):
    assert [(f.id, f.label, f.type) for f in english.fields] == [
        ("setting", "Setting", "text"),
        ("role", "Your role", "text"),
        ("date", "Date", "date"),
    ]


def test_swedish_has_the_same_shape(english, swedish):
    assert swedish.id == SWEDISH_TEMPLATE_ID
    assert swedish.language == "sv"
    assert swedish.section_ids() == english.section_ids()
    assert [len(s.questions) for s in swedish.sections] == [
        len(s.questions) for s in english.sections
    ]
    assert [p.id for p in swedish.perspectives] == [p.id for p in english.perspectives]
    assert [s.perspective for s in swedish.sections] == [s.perspective for s in english.sections]
    assert [f.id for f in swedish.fields] == [f.id for f in english.fields]


def test_swedish_is_swedish(swedish, english):
    english_questions = {q for s in english.sections for q in s.questions}
    assert not english_questions & {q for s in swedish.sections for q in s.questions}
    assert swedish.section("reflections").questions[0] == "Vad betyder det här? Vad gör vi nu?"
    text = " ".join(q for s in swedish.sections for q in s.questions)
    for word in ("närstående", "vård", "patient"):
        assert word in text


@pytest.mark.parametrize("name", [DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID])
def test_shipped_files_point_editors_at_the_schema(name):
    first = (shipped_templates_dir() / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./template.schema.json"


def swedish_texts(template: Template) -> list[str]:
    """Every line a user of the Swedish template reads: titles, questions, perspectives, fields."""
    texts = [template.title, template.source, template.description]
    texts += [t for p in template.perspectives for t in (p.title, p.description)]
    texts += [f.label for f in template.fields]
    for section in template.sections:
        texts += [section.title, section.description, *section.questions]
    return [t for t in texts if t]


@pytest.mark.parametrize(
    "calque",
    [
        "Levd verklighet",  # caring science says livsvärld
        "levd verklighet",
        "Så vad?",  # word for word from "So what?"
        "Så, reflektioner",
        "i aktiv vård",
        "tillgång till dessa tillgångar",
        "Vilken är din roll",
        "Professionell person",
        "både sjukdomen eller",
    ],
)
def test_swedish_has_none_of_the_old_calques(swedish, calque):
    assert not [t for t in swedish_texts(swedish) if calque in t]


def test_swedish_unfinished_sentences_end_without_a_question_mark(swedish):
    questions = [q for s in swedish.sections for q in s.questions]
    unfinished = [q for q in questions if q.endswith("…")]
    assert len(unfinished) == 3  # "Det här fallet hjälpte mig eftersom …" and two more
    assert not [q for q in questions if re.search(r"(…|\.\.\.)\s*\?", q)]


def test_swedish_perspectives_are_a_pair_of_persons(swedish):
    titles = {p.id: p.title for p in swedish.perspectives}
    assert titles["patient-person"] == "”Patientperson”"
    assert titles["professional-person"] == "”Professionsperson”"
    as_is = next(p for p in swedish.perspectives if p.id == "as-is-system")
    assert "”som den är”" in as_is.title and "”as is”" in as_is.description


def test_swedish_lived_reality_is_livsvarld_in_both_persons_sections(swedish):
    assert swedish.section("lived-reality").title.startswith("Livsvärlden hos")
    assert swedish.section("professional-reality").title.startswith("Livsvärlden hos")
    assert swedish.section("situation").questions[3] == "Vilken roll har du?"


def test_swedish_source_names_the_talk_and_the_programme_heading_apart(swedish):
    talk = "What knowledge & skill might help the ’coproduction of primary healthcare service?’"
    heading = "Vad krävs av mikrosystemet för att möta hälso- och sjukvården 3.0?"
    assert f"föredraget ”{talk}”" in swedish.source
    assert f"i programpunkten ”{heading}”" in swedish.source
    assert "Utvecklingskraft 2023-09-20" in swedish.source
