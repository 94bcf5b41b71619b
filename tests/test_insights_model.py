"""Insights, links and plans: every value checked on read; quotes re-found; merges by item."""

from __future__ import annotations

import pytest

from coprod_tui.core.case import Case, new_case_id
from coprod_tui.core.insights.anchoring import QuoteNotFound, make_link, resolve
from coprod_tui.core.insights.merge import merge_insights
from coprod_tui.core.insights.model import Insight, Link, Plan, new_insight, with_link
from coprod_tui.core.template import Section, Template

STAMP = "2026-11-28T14:03:12Z"
TEMPLATE = Template(
    id="test-template",
    version=1,
    title="Test",
    language="sv",
    source="invented",
    sections=(Section(id="situation", title="Situation"), Section(id="notes", title="Notes")),
)
RENAMED = TEMPLATE._replace(
    version=2,
    sections=(
        Section(id="situation", title="Situation"),
        Section(id="observations", title="Observations", renamed_from=("notes",)),
    ),
)
TEXT = (
    "Fru Ekblad (fiktiv) kom till akuten i Tallbacka med ont i bröstet. "
    "Hon ville inte bli inlagd förrän dottern visste om det."
)
QUOTE = "ville inte bli inlagd"


def a_case(text: str = TEXT, section: str = "situation") -> Case:
    return Case(
        id=new_case_id(),
        title="Akutbesök, Tallbacka (fiktivt)",
        template_id="test-template",
        template_version=1,
        created=STAMP,
        updated=STAMP,
        sections={section: text},
    )


def test_an_insight_round_trips_and_keeps_unknown_keys():
    case = a_case()
    insight = new_insight(
        "Patients wait for their family",
        text="Two of four cases delay admission until a relative knows.",
        tags=["väntan", "Väntan", "family"],
        links=[make_link(case, "situation", QUOTE, now=STAMP)],
        plan=Plan(plan="Ask at triage", start="2026-12-01", due="2026-12-15"),
        now=STAMP,
    )
    assert insight.tags == ["väntan", "family"]
    data = insight.to_dict()
    data["from_a_newer_coprod"] = {"kept": [1, 2]}
    again = Insight.from_dict(data)
    assert again.to_dict() == data and again.extra == {"from_a_newer_coprod": {"kept": [1, 2]}}
    assert again.links[0].before.endswith("bröstet. Hon ") and again.links[0].after.startswith(
        " förrän"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": 5}, "'title' must be a string"),
        ({"title": "x" * 501}, "'title' is longer than 500"),
        ({"id": "not-an-id"}, "'id' is not an insight id"),
        ({"tags": "akut"}, "'tags' must be a list"),
        ({"links": {}}, "'links' must be a list"),
        ({"links": [{"case_id": "x", "section_id": "s"}]}, "link 1: 'case_id' is not a case id"),
        ({"links": [{"case_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12}]}, "link 1: "),
        ({"plan": {"status": "done"}}, "plan 'status' must be one of"),
        ({"plan": {"start": "1 december"}}, "plan 'start' must be a date"),
        ({"plan": {"start": "2026-12-10", "due": "2026-12-01"}}, "'due' is before"),
        ({"plan": {"do": 3}}, "plan: 'do' must be a string"),
        ({"revision": -1}, "'revision' is out of range"),
        ({"created": "yesterday"}, "'created' must be an ISO 8601 time"),
        ({"conflict_of": "someone"}, "'conflict_of' must be empty or an insight id"),
        ({"title": "two\nlines"}, "'title' holds a line break"),
        ({"title": "\x1b[31mred"}, "control character"),
    ],
)
def test_every_bad_value_is_one_clear_error(change, message):
    data = new_insight("Fictional insight", now=STAMP).to_dict()
    data.update(change)
    with pytest.raises(ValueError, match=message):
        Insight.from_dict(data)


def test_a_quote_that_is_not_in_the_section_is_refused():
    with pytest.raises(QuoteNotFound):
        make_link(a_case(), "situation", "står inte i texten")


def test_a_quote_is_found_then_moved_when_text_around_it_changes():
    case = a_case()
    link = make_link(case, "situation", QUOTE)
    found = resolve(link, case, TEMPLATE)
    assert found.status == "found" and TEXT[slice(*found.span)] == QUOTE
    edited = case.copy()
    edited.sections["situation"] = "Ny inledning, skriven senare. " + TEXT.replace(
        "Hon ville", "Patienten ville"
    )
    moved = resolve(link, edited, TEMPLATE)
    text = edited.text("situation")
    assert moved.status == "moved" and text[slice(*moved.span)] == QUOTE


def test_a_quote_that_occurs_twice_is_the_one_nearest_its_old_context():
    text = "Dottern ringde. Hon var orolig. Senare kom sonen. Hon var orolig igen på kvällen."
    case = a_case(text)
    link = make_link(case, "situation", "Hon var orolig", start=text.index("Hon var orolig igen"))
    anchor = resolve(link, case, TEMPLATE)
    assert anchor.status == "found" and anchor.span[0] == text.index("Hon var orolig igen")


def test_an_edited_quote_is_found_by_its_context_else_marked_changed():
    case = a_case()
    link = make_link(case, "situation", QUOTE)
    edited = case.copy()
    edited.sections["situation"] = TEXT.replace(QUOTE, "ville absolut inte läggas in")
    anchor = resolve(link, edited, TEMPLATE)
    assert anchor.status == "changed" and anchor.text == "ville absolut inte läggas in"
    edited.sections["situation"] = "Allt omskrivet: ingenting av det gamla finns kvar."
    gone = resolve(link, edited, TEMPLATE)
    assert gone.status == "changed" and gone.span is None and gone.label == "quote changed"


def test_a_renamed_section_still_resolves_and_a_removed_one_says_so():
    case = a_case(section="notes")
    link = make_link(case, "notes", QUOTE)
    mapped = case.copy()
    mapped.sections = {"observations": TEXT}  # as the store maps it onto the new template
    anchor = resolve(link, mapped, RENAMED)
    assert anchor.status == "found" and anchor.section_id == "observations"
    without = TEMPLATE._replace(sections=(Section(id="situation", title="Situation"),))
    assert resolve(link, case, without).status == "section gone"
    assert resolve(link, None, TEMPLATE, detail="purged").status == "case gone"


def test_a_link_without_a_quote_is_found_while_its_section_exists():
    case = a_case()
    anchor = resolve(make_link(case, "notes"), case, TEMPLATE)
    assert anchor.status == "found" and anchor.span is None


def test_merge_takes_each_side_s_items_and_unions_tags_and_links():
    case = a_case()
    base = new_insight("Väntan", text="first", tags=["a"], now=STAMP)
    mine, theirs = base.copy(), base.copy()
    mine.text = "mine"
    mine.tags = ["a", "mine"]
    mine.links = [Link(case.id, "situation")]
    theirs.title = "Väntan på familjen"
    theirs.tags = ["theirs"]  # removed "a"
    theirs.links = [Link(case.id, "notes")]
    theirs.plan = Plan(plan="Ask at triage")
    merged = merge_insights(base, mine, theirs)
    assert not merged.clashes
    result = merged.case
    assert (result.title, result.text) == ("Väntan på familjen", "mine")
    assert result.tags == ["theirs", "mine"]
    assert [link.section_id for link in result.links] == ["notes", "situation"]
    assert result.plan == Plan(plan="Ask at triage")


def test_merge_reports_a_clash_per_item_both_changed():
    base = new_insight("Väntan", text="first", plan=Plan(do="x"), now=STAMP)
    mine, theirs = base.copy(), base.copy()
    mine.text, theirs.text = "mine", "theirs"
    mine.plan = Plan(do="x", status="running")
    theirs.plan = Plan(do="y")
    merged = merge_insights(base, mine, theirs)
    assert [clash.key for clash in merged.clashes] == ["text"]
    assert merged.case.text == "theirs" and merged.case.plan == Plan(do="y", status="running")


def test_with_link_adds_a_link_once():
    case = a_case()
    insight = new_insight("Fictional", now=STAMP)
    link = make_link(case, "situation", QUOTE)
    once = with_link(with_link(insight, link), link)
    assert once.links == [link]
