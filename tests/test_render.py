"""One CaseDocument: the order, numbers, titles and notes every renderer and export shows."""

from __future__ import annotations

from coprod_tui.core.case import Case
from coprod_tui.core.render import build_document, render_plain
from coprod_tui.core.template import FieldSpec, Perspective, Section, Template

TEMPLATE = Template(
    id="invented",
    version=2,
    title="Invented template",
    language="en",
    source="invented for tests",
    sections=(
        Section(id="situation", title="The situation", perspective="person"),
        Section(id="reflections", title="Reflections"),
    ),
    perspectives=(Perspective(id="person", title="The person"),),
    fields=(FieldSpec(id="setting", label="Care setting"),),
)


class Titles:
    """The registry's one question: an old section's title."""

    def section_title(self, section_id: str, template_id: str | None = None) -> str | None:
        return {"feelings": "Emotions (old name)"}.get(section_id)


def make_case(**changes: object) -> Case:
    values: dict[str, object] = dict(
        id="0b5c3d2a-1e4f-4a6b-8c7d-9e0f1a2b3c4d",
        title="Tove, 41: a visit to Lillbyn health centre",
        template_id="invented",
        template_version=2,
        created="2024-03-12T14:03:12Z",
        updated="2024-03-12T15:00:00Z",
        fields={"setting": "Lillbyn (fictional)"},
        sections={"reflections": "Learned to ask early.", "extra": "Kept under an unknown id."},
        orphans={"feelings": "Worried", "gone": "No template knows this"},
        revision=3,
        saved_by="nurse@lillbyn",
    )
    values.update(changes)
    return Case(**values)  # type: ignore[arg-type]


def test_sections_in_template_order_then_unknown_ids_numbered_on():
    doc = build_document(make_case(), TEMPLATE, Titles())
    assert [(b.number, b.id, b.in_template) for b in doc.sections] == [
        (1, "situation", True),
        (2, "reflections", True),
        (3, "extra", False),
    ]
    first = doc.sections[0]
    assert first.empty and first.perspective == "The person" and first.perspective_id == "person"
    assert doc.section("reflections").text == "Learned to ask early."


def test_field_labels_come_from_the_template_and_orphans_keep_their_old_titles():
    doc = build_document(make_case(), TEMPLATE, Titles())
    assert [(f.id, f.label, f.value) for f in doc.fields] == [
        ("setting", "Care setting", "Lillbyn (fictional)")
    ]
    assert [(o.id, o.title, o.titled) for o in doc.orphans] == [
        ("feelings", "Emotions (old name)", True),
        ("gone", "gone", False),
    ]


def test_a_missing_template_still_shows_every_text():
    doc = build_document(make_case(), None)
    assert doc.template_title is None
    assert [(b.number, b.id, b.title) for b in doc.sections] == [
        (1, "reflections", "reflections"),
        (2, "extra", "extra"),
    ]


def test_conflict_and_newer_format_notes():
    doc = build_document(
        make_case(conflict_of="1" * 8, format=99, extra={"insights": []}), TEMPLATE
    )
    assert doc.notes[0] == "conflict copy of 11111111"
    assert "newer coprod" in doc.notes[1] and "99" in doc.notes[1]
    assert "insights" in doc.notes[2]
    assert build_document(make_case(), TEMPLATE).notes == ()


def test_plain_rendering_is_terminal_safe_and_says_empty():
    case = make_case(title="Evil\x1b]0;pwned\x07 title", sections={"situation": "a\x1b[2Jb\n"})
    lines = render_plain(build_document(case, TEMPLATE, Titles()))
    assert lines[0] == "Evil title"
    assert not any("\x1b" in line for line in lines)
    assert lines[lines.index("1. The situation [situation]") + 1] == "ab"
    assert lines[lines.index("2. Reflections [reflections]") + 1] == "(empty)"
    assert (
        "Orphaned text from section 'Emotions (old name)' [feelings] (no longer in the template):"
        in lines
    )
    assert "Orphaned text from section 'gone' (no longer in the template):" in lines
