"""The UI's rendering of a CaseDocument: the same layout as `coprod show`, as literal Text."""

from __future__ import annotations

from coprod_tui.core.case import new_case
from coprod_tui.core.render import build_document
from coprod_tui.ui.widgets.case_document import document_text


class Titles:
    """The registry's one method the document asks (an invented old title)."""

    def section_title(self, section_id, template_id=None):
        return "Notes for the Friday meeting" if section_id == "old-notes" else None


def test_sections_in_order_empty_ones_said_and_orphans_by_their_old_title(templates):
    template = templates.default()
    case = new_case("[red]Fictional[/red]: Rune, 88", template)
    case.sections = {"situation": "Seen at home.", "emotions": "  "}
    case.orphans = {"old-notes": "Bring the hearing aid.", "gone": "No template knows me."}
    case.conflict_of = "0c5e6f7a-1b2c-4d3e-8f90-a1b2c3d4e5f6"
    text = document_text(build_document(case, template, Titles())).plain
    lines = text.splitlines()
    assert lines[0].startswith("conflict copy of 0c5e6f7a")
    assert "1. Situation" in lines and "Seen at home." in lines
    assert text.count("(empty)") == len(template.sections) - 1
    assert "Orphaned text: Notes for the Friday meeting [old-notes]" in lines
    assert "Orphaned text: gone" in lines
    numbers = [line.split(".")[0] for line in lines if line[:1].isdigit()]
    assert numbers == [str(n) for n in range(1, len(template.sections) + 1)]
