"""`coprod doctor` checks insight files as it checks case files (damaged, linked, repaired)."""

from __future__ import annotations

import os

import pytest

from coprod_tui.core.insights.model import new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.core.store import DamagedCaseError
from tests.store_helpers import open_store


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "store")


def test_a_healthy_store_with_insights_says_how_many_were_checked(store):
    insights_of(store).create(new_insight("Fictional insight"))
    report = store.doctor()
    assert report.healthy and "1 insight(s) checked" in report.notes


def test_a_damaged_insight_is_reported_then_restored_from_its_history(store):
    insights = insights_of(store)
    made = insights.create(new_insight("Väntan", text="first"))
    edited = made.copy()
    edited.text = "second"
    insights.save(edited, base_revision=1)  # revision 1 is kept in history
    path = store.path / "insights" / f"{made.id}.json"
    path.write_bytes(b'{"insight": {"1": {"revision": 2, "title": ')
    with pytest.raises(DamagedCaseError, match="doctor --repair"):
        insights.load(made.id)
    report = store.doctor()
    assert not report.healthy and any(
        f"insight {made.id[:8]} is damaged" in p for p in report.problems
    )
    assert path.read_bytes().startswith(b'{"insight": {"1": {"revision": 2')  # left untouched
    fixed = store.doctor(repair=True)
    assert fixed.healthy and any("restored revision 1" in line for line in fixed.fixed)
    restored = insights.load(made.id)
    assert restored.text == "first" and restored.revision > 2
    assert any(name.startswith(made.id) for name in os.listdir(store.path / "damaged"))


def test_a_damaged_insight_without_history_is_set_aside_and_the_rest_lists(store):
    insights = insights_of(store)
    bad = insights.create(new_insight("Bad"))
    good = insights.create(new_insight("Good"))
    (store.path / "insights" / f"{bad.id}.json").write_bytes(b"not json")
    assert [i.id for i in insights.list_insights()] == [good.id]  # a damaged one is left out
    report = store.doctor(repair=True)
    assert report.healthy and any("set aside" in line for line in report.fixed)
    assert insights.ids() == [good.id]


def test_an_insight_file_that_is_a_link_is_reported_once_and_never_followed(store, tmp_path):
    insights = insights_of(store)
    made = insights.create(new_insight("Linked"))
    path = store.path / "insights" / f"{made.id}.json"
    outside = tmp_path / "outside.json"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    report = store.doctor()
    assert len([p for p in report.problems if made.id[:8] in p or str(path) in p]) == 1
    store.doctor(repair=True)
    assert not os.path.lexists(path)  # the link itself was set aside (no good version)
    assert outside.read_bytes().startswith(b"{")  # what it pointed to is untouched
