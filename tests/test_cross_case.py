"""One section across cases: matched by id and renamed_from, sorted by title, editable safely.

Cases and people are invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.cross_case import matching_ids, section_across_cases
from coprod_tui.core.editing import EditSession
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template import Section, Template

CURRENT = Template(
    id="visit",
    version=2,
    title="Visit",
    language="en",
    source="invented",
    sections=(
        Section(id="situation", title="Situation"),
        Section(id="experience", title="Experience", renamed_from=("feelings",)),
    ),
)
#: An older template still using the old id.
OLDER = Template(
    id="visit-old",
    version=1,
    title="Visit (old)",
    language="en",
    source="invented",
    sections=(Section(id="situation", title="Situation"), Section(id="feelings", title="Feelings")),
)
#: A template that renamed "situation" itself, which CURRENT does not know.
RENAMING = Template(
    id="visit-new",
    version=1,
    title="Visit (new)",
    language="en",
    source="invented",
    sections=(Section(id="context", title="Context", renamed_from=("situation",)),),
)


class Registry:
    def __init__(self, *templates: Template) -> None:
        self.templates = {t.id: t for t in templates}

    def get(self, template_id: str) -> Template:
        return self.templates[template_id]


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return CaseStore.open(tmp_path / "store", templates=Registry(CURRENT, OLDER, RENAMING))


def add(store: CaseStore, title: str, template: Template, texts: dict[str, str], **kw) -> str:
    case = store.create(new_case(title, template, **kw))
    for section_id, text in texts.items():
        store.write_section(case.id, section_id, text)
    return case.id


def test_matching_ids_are_the_id_then_its_old_ids() -> None:
    assert matching_ids(CURRENT, "experience") == ["experience", "feelings"]
    assert matching_ids(CURRENT, "unknown") == ["unknown"]


def test_every_untrashed_case_in_swedish_title_order(store: CaseStore) -> None:
    add(store, "Örjan", CURRENT, {"situation": "Kom in via akuten."})
    add(store, "Åsa", CURRENT, {"situation": "Ringde på morgonen."})
    add(store, "Bengt", CURRENT, {})
    gone = add(store, "Ada", CURRENT, {"situation": "Borttagen."})
    store.trash(gone)
    entries = section_across_cases(store, CURRENT, "situation", language="sv")
    assert [e.title for e in entries] == ["Bengt", "Åsa", "Örjan"]
    assert [e.text for e in entries] == ["", "Ringde på morgonen.", "Kom in via akuten."]
    assert all(e.stored_section_id == "situation" for e in entries)
    english = section_across_cases(store, CURRENT, "situation", language="en")
    assert [e.title for e in english] == ["Åsa", "Bengt", "Örjan"]


def test_sections_are_matched_through_renames_both_ways(store: CaseStore) -> None:
    old = add(store, "Cilla", OLDER, {"feelings": "Orolig för resultatet."})
    new = add(store, "Dan", RENAMING, {"context": "Hemtjänst två gånger om dagen."})
    by_id = {e.case_id: e for e in section_across_cases(store, CURRENT, "experience")}
    assert by_id[old].text == "Orolig för resultatet."
    assert by_id[old].stored_section_id == "feelings"
    situation = {e.case_id: e for e in section_across_cases(store, CURRENT, "situation")}
    # Dan's template renamed situation to context: the store's templates know it.
    assert situation[new].text == "Hemtjänst två gånger om dagen."
    assert situation[new].stored_section_id == "context"


def test_given_ids_keep_their_order_and_tag_filters(store: CaseStore) -> None:
    first = add(store, "Alva", CURRENT, {"situation": "ett"}, tags=["Akut"])
    second = add(store, "Bo", CURRENT, {"situation": "två"}, tags=["remiss"])
    third = add(store, "Cornelia", CURRENT, {"situation": "tre"}, tags=["akut"])
    trashed = add(store, "Dora", CURRENT, {})
    store.trash(trashed)
    picked = section_across_cases(store, CURRENT, "situation", case_ids=[third, trashed, first])
    assert [e.case_id for e in picked] == [third, first]
    tagged = section_across_cases(store, CURRENT, "situation", tag="AKUT")
    assert [e.case_id for e in tagged] == [first, third]
    both = section_across_cases(store, CURRENT, "situation", case_ids=[second, third], tag="akut")
    assert [e.case_id for e in both] == [third]


def test_an_edit_from_the_view_merges_with_another_writer(store: CaseStore) -> None:
    case_id = add(store, "Erland", CURRENT, {"situation": "Före.", "experience": "Lugn."})
    (entry,) = section_across_cases(store, CURRENT, "situation")
    session = EditSession(store.load(entry.case_id), store)
    assert session.base_revision == entry.revision
    # Someone else changes another section while the view is open.
    store.write_section(case_id, "experience", "Lugn, sedan orolig.")
    session.set_text(entry.stored_section_id, "Efter.")
    session.save()
    saved = store.load(case_id)
    assert saved.text("situation") == "Efter."
    assert saved.text("experience") == "Lugn, sedan orolig."
    assert session.conflict is None


def test_the_same_section_changed_twice_is_a_conflict_not_a_loss(store: CaseStore) -> None:
    case_id = add(store, "Gun", CURRENT, {"situation": "Före."})
    (entry,) = section_across_cases(store, CURRENT, "situation")
    session = EditSession(store.load(entry.case_id), store)
    store.write_section(case_id, "situation", "Deras text.")
    session.set_text(entry.stored_section_id, "Min text.")
    session.save()
    assert session.conflict is not None
    assert store.load(case_id).text("situation") == "Deras text."
    copies = [s for s in store.list_cases() if s.conflict_of == case_id]
    assert len(copies) == 1
    assert store.load(copies[0].id).text("situation") == "Min text."


def test_revision_is_the_one_read(store: CaseStore) -> None:
    case_id = add(store, "Fanny", CURRENT, {"situation": "a", "experience": "b"})
    (entry,) = section_across_cases(store, CURRENT, "situation")
    assert entry.revision == store.load(case_id).revision == 3
    assert entry.template_id == "visit" and entry.updated == store.load(case_id).updated
