"""The demo case: complete, fictional, and stored like any other case."""

from __future__ import annotations

from coprod_tui.core.case import progress, word_count
from coprod_tui.core.demo import DEMO_CASE_ID, DEMO_SECTIONS, demo_case
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template.registry import SWEDISH_TEMPLATE_ID, discover_templates


def _templates(tmp_path):
    return discover_templates(user_dir=tmp_path / "no-user-templates", env={})


def test_every_section_of_the_default_template_is_written(tmp_path):
    template = _templates(tmp_path).default()
    case = demo_case(template)
    assert progress(case, template) == (9, 9)
    assert set(case.sections) == set(template.section_ids())
    assert not case.orphans
    for section_id in template.section_ids():
        assert word_count(case.text(section_id)) >= 80, section_id


def test_fields_and_tags_are_filled(tmp_path):
    template = _templates(tmp_path).default()
    case = demo_case(template)
    assert {spec.id for spec in template.fields} <= set(case.fields)
    assert all(value.strip() for value in case.fields.values())
    assert len(case.tags) >= 2
    assert case.id == DEMO_CASE_ID


def test_it_says_it_is_fictional(tmp_path):
    case = demo_case(_templates(tmp_path).default())
    assert "fictional" in case.text("situation")
    assert "fictional" in case.fields["setting"]


def test_other_section_ids_are_filled_by_position(tmp_path):
    registry = _templates(tmp_path)
    if SWEDISH_TEMPLATE_ID not in {t.id for t in registry.all()}:
        return
    template = registry.get(SWEDISH_TEMPLATE_ID)
    case = demo_case(template)
    assert progress(case, template)[0] == min(len(template.sections), len(DEMO_SECTIONS))


def test_text_is_plain_and_terminal_safe():
    for text in DEMO_SECTIONS.values():
        assert "\x1b" not in text
        assert "[" not in text  # nothing that even looks like markup


def test_demo_case_goes_into_a_store(tmp_path):
    registry = _templates(tmp_path)
    store = CaseStore.open(tmp_path / "store", templates=registry)
    stored = store.create(demo_case(registry.default()))
    assert stored.revision == 1
    [summary] = store.list_cases()
    assert summary.id == DEMO_CASE_ID
    assert len(summary.filled) == 9


def test_the_demo_store_is_made_and_removed_by_core_even_after_an_error(tmp_path):
    import pytest

    from coprod_tui.core.demo import demo_store

    with pytest.raises(RuntimeError), demo_store(_templates(tmp_path)) as store:
        folder = store.path
        assert DEMO_CASE_ID in [s.id for s in store.list_cases()]
        raise RuntimeError("the app crashed")
    assert not folder.exists() and not folder.parent.exists()


def test_the_demo_tells_the_whole_story(tmp_path):
    """Four cases on one theme, two insights quoting them (found), one open plan."""
    from coprod_tui.core.demo import STORY_CASES, seed_story
    from coprod_tui.core.insights.store import insights_of

    registry = _templates(tmp_path)
    store = CaseStore.open(tmp_path / "store", templates=registry)
    assert seed_story(store, registry) == DEMO_CASE_ID
    cases = store.list_cases()
    assert len(cases) == 4
    assert all("heart failure" in summary.tags for summary in cases)
    assert all("fictional" in store.load(s.id).text("situation") for s in cases)
    insights = insights_of(store)
    found = insights.list_insights()
    assert len(found) == 2
    case_ids = {s.id for s in cases}
    for insight in found:
        assert len(insight.case_ids()) >= 2
        assert set(insight.case_ids()) <= case_ids
        views = insights.resolve_links(insight, store)
        assert views and all(v.link.quote for v in views)
        assert [v.anchor.status for v in views] == ["found"] * len(views)
        assert all(v.anchor.text == v.link.quote for v in views)
    [planned] = insights.plans()
    assert planned.plan is not None and planned.plan.status == "open"
    assert planned.plan.plan and planned.plan.start
    # Section 9 of a story case gives rise to the plan's insight through its links.
    assert STORY_CASES[1][0] in planned.case_ids()


def test_the_story_is_fictional_and_plain():
    from coprod_tui.core.demo import STORY_CASES

    for _id, title, _tags, _day, sections in STORY_CASES:
        for text in (title, *sections.values()):
            assert "\x1b" not in text and "[" not in text


def test_the_demo_store_holds_the_story(tmp_path):
    from coprod_tui.core.demo import demo_store
    from coprod_tui.core.insights.store import insights_of

    with demo_store(_templates(tmp_path)) as store:
        assert len(store.list_cases()) == 4
        assert len(insights_of(store).plans()) == 1
