"""The insight store: a case's guarantees for a second kind of document; links that resolve."""

from __future__ import annotations

import os
import stat

import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import Plan, new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.core.store import CaseNotFound, CasePurgedError, CaseStore, WriteRefused
from coprod_tui.core.template import Section
from tests.store_helpers import TWO_SECTIONS, Registry, open_store

TEXT = "Herr Lind (fiktiv) ville åka hem samma kväll. Sonen i Ängelholm hämtade honom."
QUOTE = "ville åka hem samma kväll"


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[object, ...]] = []

    def written(self, doc, path, trashed):
        self.events.append(("written", doc.id, doc.revision, trashed))

    def moved(self, doc_id, trashed):
        self.events.append(("moved", doc_id, trashed))

    def purged(self, doc_id):
        self.events.append(("purged", doc_id))


@pytest.fixture
def store(tmp_path) -> CaseStore:
    return open_store(tmp_path / "store", TWO_SECTIONS)


@pytest.fixture
def case(store):
    made = store.create(new_case("Hemgång, Ängelholm (fiktivt)", TWO_SECTIONS))
    return store.write_section(made.id, "notes", TEXT).case


def test_an_insight_is_stored_privately_beside_the_cases(store, case):
    insights = insights_of(store)
    assert insights_of(store) is insights
    made = insights.create(
        new_insight("Going home matters", links=[make_link(case, "notes", QUOTE)])
    )
    assert made.revision == 1 and made.saved_by == store.who
    path = store.path / "insights" / f"{made.id}.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.path / "insights").st_mode) == 0o700
    assert path.read_text(encoding="utf-8").startswith('{\n  "insight": {\n    "1": {\n')
    assert insights.load(made.id) == made
    assert [i.id for i in insights.list_insights()] == [made.id]
    assert store.list_cases()[0].id == case.id  # the cases do not see it
    assert CaseStore.open(store.path, create=False).path == store.path  # still a store


def test_two_edits_merge_and_a_clash_keeps_a_conflict_copy(store, case):
    insights = insights_of(store)
    made = insights.create(new_insight("Väntan", text="base"))
    mine, theirs = made.copy(), made.copy()
    theirs.title = "Väntan på familjen"
    insights.save(theirs, base_revision=1)
    mine.tags = ["hemgång"]
    merged = insights.save(mine, base_revision=1)
    assert not merged.conflicted and merged.case.title == "Väntan på familjen"
    assert merged.case.tags == ["hemgång"] and merged.case.revision == 3
    assert [v.revision for v in insights.kept_versions(made.id)][:1] == [1]  # the snapshot rule

    one, two = merged.case.copy(), merged.case.copy()
    one.text, two.text = "one", "two"
    insights.save(one, base_revision=3)
    clash = insights.save(two, base_revision=3)
    assert clash.conflicted and insights.load(made.id).text == "one"
    copy = insights.load(clash.conflict.id)
    assert copy.text == "two" and copy.conflict_of == made.id and "conflict copy" in copy.title


def test_trash_untrash_and_purge_tell_the_observers(store, case):
    insights = insights_of(store)
    recorder = Recorder()
    insights.add_observer(recorder)
    made = insights.create(new_insight("To go"))
    insights.trash(made.id)
    assert insights.is_trashed(made.id) and insights.list_insights() == []
    assert [i.id for i in insights.list_insights(include_trashed=True)] == [made.id]
    insights.untrash(made.id)
    assert insights.purge(made.id) == [made.id]
    assert recorder.events == [
        ("written", made.id, 1, False),
        ("moved", made.id, True),
        ("moved", made.id, False),
        ("purged", made.id),
    ]
    with pytest.raises(CaseNotFound, match="no insight with id"):
        insights.load(made.id)
    with pytest.raises(CasePurgedError):
        insights.save(made, base_revision=1)


def test_write_checks_refuse_an_insight(store):
    insights = insights_of(store)

    def no_names(doc):
        if "Olle Fiktiv" in doc.text:
            raise WriteRefused("the insight names a person; write initials instead")

    insights.add_write_check(no_names)
    with pytest.raises(WriteRefused, match="initials"):
        insights.create(new_insight("Named", text="Olle Fiktiv said so"))
    assert insights.list_insights() == []


def test_links_survive_a_case_rename_a_section_rename_and_edits_around_the_quote(
    store, case, tmp_path
):
    insights = insights_of(store)
    made = insights.create(new_insight("Hem", links=[make_link(case, "notes", QUOTE)]))
    store.update(case.id, lambda c: c.replace(title="Nytt namn (fiktivt)"))
    store.write_section(case.id, "notes", "Tillägg först. " + TEXT)
    renamed = TWO_SECTIONS._replace(
        version=2,
        sections=(
            Section(id="situation", title="Situation"),
            Section(id="observations", title="Observations", renamed_from=("notes",)),
        ),
    )
    later = CaseStore.open(store.path, create=False, templates=Registry(renamed))
    (view,) = insights_of(later).resolve_links(insights_of(later).load(made.id), later)
    assert view.anchor.status == "moved" and view.anchor.section_id == "observations"
    assert view.case_title == "Nytt namn (fiktivt)" and view.section_title == "Observations"
    assert view.anchor.text == QUOTE


def test_a_link_to_a_purged_case_says_so(store, case):
    insights = insights_of(store)
    made = insights.create(new_insight("Hem", links=[make_link(case, "notes", QUOTE)]))
    store.purge(case.id)
    (view,) = insights.resolve_links(insights.load(made.id), store)
    assert (view.anchor.status, view.anchor.detail) == ("case gone", "purged")


def test_citations_and_open_plans_oldest_first(store, case):
    insights = insights_of(store)
    late = insights.create(
        new_insight(
            "Late",
            links=[make_link(case, "notes")],
            plan=Plan(plan="b", start="2026-12-10"),
        )
    )
    early = insights.create(new_insight("Early", plan=Plan(plan="a", start="2026-11-01")))
    done = insights.create(new_insight("Done", plan=Plan(plan="c", status="adopted")))
    insights.create(new_insight("No plan"))
    assert [i.id for i in insights.plans()] == [early.id, late.id]
    assert [i.id for i in insights.plans("adopted")] == [done.id]
    assert [i.id for i in insights.citing(case.id, "notes")] == [late.id]
    assert list(insights.citations(case.id)) == ["notes"]


def test_import_is_idempotent_by_id_and_a_changed_one_becomes_a_copy(store, tmp_path):
    insights = insights_of(store)
    made = insights.create(new_insight("Exported", text="as exported"))
    items = insights.export_items()
    other = open_store(tmp_path / "other", TWO_SECTIONS)
    there = insights_of(other)
    assert there.import_insights(items).added == [made.id]
    assert there.import_insights(items).unchanged == [made.id]
    assert there.load(made.id) == made
    changed = made.copy()
    changed.text = "changed meanwhile"
    report = there.import_insights([changed])
    assert len(report.conflicts) == 1
    assert there.import_insights([changed]).unchanged == [made.id]  # the copy is found again


def test_links_added_at_once_from_many_threads_are_all_kept(store, case):
    from concurrent.futures import ThreadPoolExecutor

    from coprod_tui.core.insights.model import Link

    insights = insights_of(store)
    made = insights.create(new_insight("Many hands"))
    targets = [Link(case.id, f"section-{n}") for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda link: insights_of(store).add_link(made.id, link), targets))
    assert sorted(link.section_id for link in insights.load(made.id).links) == sorted(
        link.section_id for link in targets
    )


def test_a_half_made_store_with_insight_folders_is_still_taken_over(tmp_path):
    root = tmp_path / "half"
    root.mkdir(mode=0o700)
    for name in ("cases", "insights", "insights-locks"):
        (root / name).mkdir(mode=0o700)
    assert CaseStore.open(root, create=True).path == root


def test_restore_brings_back_a_kept_version_and_keeps_the_current_one(store):
    insights = insights_of(store)
    made = insights.create(new_insight("Väntan", text="first"))
    edited = made.copy()
    edited.text = "second"
    insights.save(edited, base_revision=1)
    restored = insights.restore(made.id, 1)
    assert restored.text == "first" and restored.revision == 3
    assert {v.text for v in insights.kept_versions(made.id)} >= {"first", "second"}


def test_an_insight_from_a_newer_coprod_is_read_only_here(store):
    from coprod_tui.core.store import NewerFormatError

    insights = insights_of(store)
    made = insights.create(new_insight("From the future"))
    path = store.path / "insights" / f"{made.id}.json"
    path.write_bytes(path.read_bytes().replace(b'"format": 1', b'"format": 2'))
    newer = insights.load(made.id)
    assert newer.newer_format
    newer.text = "changed here"
    with pytest.raises(NewerFormatError, match="read-only here"):
        insights.save(newer, base_revision=1)


def test_listing_again_reads_only_the_insights_that_changed(store, monkeypatch):
    """Reopening the Insights screen stats the files; only a rewritten one is parsed again."""
    insights = insights_of(store)
    made = [insights.create(new_insight(f"Insikt {n}")) for n in range(5)]
    assert len(insights.list_insights()) == 5
    reads: list[str] = []
    real_read = insights.docs.read

    def counting(path, doc_id):
        reads.append(doc_id)
        return real_read(path, doc_id)

    monkeypatch.setattr(insights.docs, "read", counting)
    assert {i.title for i in insights.list_insights()} == {f"Insikt {n}" for n in range(5)}
    assert reads == []

    def retitle(insight):
        insight.title = "Omdöpt"
        return insight

    insights.update(made[2].id, retitle)
    reads.clear()
    titles = {i.id: i.title for i in insights.list_insights()}
    assert titles[made[2].id] == "Omdöpt"  # never the stale text
    assert reads == [made[2].id]


def test_a_listed_insight_changed_by_its_caller_does_not_change_the_next_listing(store):
    insights = insights_of(store)
    insights.create(new_insight("Original"))
    (first,) = insights.list_insights()
    first.title = "Ändrad i minnet"
    (again,) = insights.list_insights()
    assert again.title == "Original"


def test_an_insight_file_replaced_by_a_link_is_not_served_from_memory(store, tmp_path):
    insights = insights_of(store)
    made = insights.create(new_insight("Hemlig"))
    assert [i.id for i in insights.list_insights()] == [made.id]
    path = insights.docs.path_of(made.id)
    outside = tmp_path / "outside.json"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    insights_now, damaged = insights.listing()
    assert insights_now == [] and damaged == [made.id]
