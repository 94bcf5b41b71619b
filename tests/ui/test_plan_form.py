"""The PDSA plan form: saves through set_plan, names a bad date under its field, loses nothing.

Everyone here is fictional (Tallbacka health centre does not exist).
"""

from __future__ import annotations

from editor_helpers import wait_until

from coprod_tui.core.errors import OperationalError
from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import Plan, new_insight
from coprod_tui.core.insights.store import InsightStore, insights_of
from coprod_tui.ui.dialogs.plan_form import PlanForm, date_errors
from coprod_tui.ui.screens.case_list import CaseListScreen


def _insight(store, make_case, plan=None):
    sven = make_case()
    return insights_of(store).create(
        new_insight(
            "Sunday visits hide the weekday gaps",
            links=[make_link(sven, "situation")],
            plan=plan,
        )
    )


async def _form(app, pilot, insight):
    await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
    answers: list[object] = []
    app.push_screen(PlanForm(insight), answers.append)
    await wait_until(
        pilot,
        lambda: (
            isinstance(app.screen, PlanForm)
            and app.screen.focused is not None
            and app.screen.focused.id == "plan-plan"
        ),
    )
    return app.screen, answers


def test_date_errors_name_the_field():
    assert date_errors("", "") == {}
    assert set(date_errors("2024-13-01", "")) == {"start"}
    assert set(date_errors("2024-03-01", "1 mars")) == {"due"}
    assert date_errors("2024-03-02", "2024-03-01") == {"due": "Due is before the start."}


async def test_a_new_plan_is_typed_and_saved(app_factory, store, make_case):
    insight = _insight(store, make_case)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        form, answers = await _form(app, pilot, insight)
        assert form.focused is form.query_one("#plan-plan")
        await pilot.press(*"Phone on Wednesdays")
        form.query_one("#plan-do").text = "Ekbacka's nurse calls.\nSecond line kept."
        form.query_one("#plan-start").value = "2024-04-01"
        form.query_one("#plan-due").value = "2024-04-30"
        form.query_one("#plan-status").value = "running"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: answers)
        [plan] = answers
        assert plan == Plan(
            plan="Phone on Wednesdays",
            do="Ekbacka's nurse calls.\nSecond line kept.",
            start="2024-04-01",
            due="2024-04-30",
            status="running",
        )
        assert insights_of(store).load(insight.id).plan == plan


async def test_a_bad_date_is_named_under_its_field_and_nothing_is_lost(
    app_factory, store, make_case
):
    insight = _insight(store, make_case, Plan(plan="Phone on Wednesdays."))
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        form, answers = await _form(app, pilot, insight)
        assert form.query_one("#plan-plan").text == "Phone on Wednesdays."
        form.query_one("#plan-study").text = "Seven of ten calls found a gap."
        form.query_one("#plan-due").value = "30 april"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: str(form.query_one("#plan-due-error").render()) != "")
        assert "Due must be a date such as" in str(form.query_one("#plan-due-error").render())
        assert str(form.query_one("#plan-start-error").render()) == ""
        assert app.screen is form and answers == []
        assert form.focused is form.query_one("#plan-due")
        assert form.query_one("#plan-study").text == "Seven of ten calls found a gap."
        assert insights_of(store).load(insight.id).plan == Plan(plan="Phone on Wednesdays.")
        form.query_one("#plan-due").value = "2024-04-30"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: answers)
        assert insights_of(store).load(insight.id).plan.study == "Seven of ten calls found a gap."


async def test_a_failed_save_is_one_line_and_the_form_stays(
    app_factory, store, make_case, monkeypatch
):
    insight = _insight(store, make_case)

    def full_disk(self, insight_id, plan):
        raise OperationalError("could not write the insight: the disk is full")

    monkeypatch.setattr(InsightStore, "set_plan", full_disk)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        form, answers = await _form(app, pilot, insight)
        await pilot.press(*"Try it")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in str(form.query_one("#plan-error").render()))
        line = str(form.query_one("#plan-error").render())
        assert "the disk is full" in line and "\n" not in line.strip()
        assert app.screen is form and answers == []
        assert form.query_one("#plan-plan").text == "Try it"


async def test_escape_cancels_without_writing(app_factory, store, make_case):
    insight = _insight(store, make_case)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        form, answers = await _form(app, pilot, insight)
        await pilot.press(*"Not this")
        await pilot.press("escape")
        await wait_until(pilot, lambda: answers == [None])
        assert insights_of(store).load(insight.id).plan is None
