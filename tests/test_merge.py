"""The three-way merge of two edits of one case (pure: no store)."""

from __future__ import annotations

from store_helpers import TWO_SECTIONS

from coprod_tui.core.case import new_case
from coprod_tui.core.merge import ABSENT, join_both, merge, merge_tags


def start():
    case = new_case("Home visit (fictional)", TWO_SECTIONS, tags=["falls", "night"])
    case.sections = {"situation": "Start.", "notes": "Notes start."}
    case.fields = {"setting": "Tallbacka (fictional)"}
    return case


def test_changes_to_different_sections_are_both_kept():
    base = start()
    mine, theirs = base.copy(), base.copy()
    mine.sections["situation"] = "Mine."
    theirs.sections["notes"] = "Theirs."
    result = merge(base, mine, theirs)
    assert result.clashes == ()
    assert result.case.sections == {"situation": "Mine.", "notes": "Theirs."}
    assert result.from_theirs == ("section:notes",)


def test_the_same_section_changed_differently_is_a_clash_and_keeps_theirs():
    base = start()
    mine, theirs = base.copy(), base.copy()
    mine.sections["situation"] = "Mine."
    theirs.sections["situation"] = "Theirs."
    result = merge(base, mine, theirs)
    [clash] = result.clashes
    assert (clash.key, clash.base, clash.mine, clash.theirs) == (
        "section:situation",
        "Start.",
        "Mine.",
        "Theirs.",
    )
    assert clash.section_id == "situation"
    assert result.case.text("situation") == "Theirs."


def test_the_same_change_on_both_sides_is_no_clash():
    base = start()
    mine, theirs = base.copy(), base.copy()
    mine.sections["situation"] = theirs.sections["situation"] = "Same."
    assert merge(base, mine, theirs).clashes == ()


def test_fields_title_and_orphans_merge_item_by_item():
    base = start()
    mine, theirs = base.copy(), base.copy()
    mine.title = "Renamed by me (fictional)"
    theirs.fields["role"] = "District nurse"
    theirs.orphans["old"] = "Kept text."
    result = merge(base, mine, theirs)
    assert result.clashes == ()
    assert result.case.title == "Renamed by me (fictional)"
    assert result.case.fields == {"setting": "Tallbacka (fictional)", "role": "District nurse"}
    assert result.case.orphans == {"old": "Kept text."}


def test_a_section_emptied_on_one_side_is_emptied():
    base = start()
    mine, theirs = base.copy(), base.copy()
    mine.sections["notes"] = ""
    theirs.sections["situation"] = "Theirs."
    result = merge(base, mine, theirs)
    assert result.case.text("notes") == ""
    assert result.case.text("situation") == "Theirs."


def test_emptied_by_one_and_changed_by_the_other_is_a_clash():
    base = start()
    mine, theirs = base.copy(), base.copy()
    mine.sections["notes"] = ""
    theirs.sections["notes"] = "Changed."
    [clash] = merge(base, mine, theirs).clashes
    assert clash.mine is ABSENT and clash.theirs == "Changed."


def test_tags_merge_as_a_set_and_never_clash():
    assert merge_tags(["a", "b"], ["a", "b", "mine"], ["b", "theirs"]) == ["b", "theirs", "mine"]
    assert merge_tags(["a", "b"], ["b"], ["a", "b", "c"]) == ["b", "c"]


def test_unknown_keys_from_a_newer_coprod_merge_too():
    base = start()
    mine, theirs = base.copy(), base.copy()
    theirs.extra["insights"] = ["i-1"]
    mine.sections["situation"] = "Mine."
    result = merge(base, mine, theirs)
    assert result.case.extra == {"insights": ["i-1"]}
    assert result.case.text("situation") == "Mine."


def test_both_texts_under_a_marker():
    joined = join_both("Mine.\n", "Theirs.", label="Their version")
    assert joined == "Mine.\n\n──── Their version ────\n\nTheirs.\n"
