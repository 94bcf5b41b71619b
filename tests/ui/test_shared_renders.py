"""Option lists draw an option once per process; what they draw is Textual's own drawing."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coprod_tui.ui.widgets import shared_renders
from coprod_tui.ui.widgets.shared_renders import SharedOptionRenders

PROMPTS = [
    Text.assemble(("●", "bold"), " 1 Situation"),
    Text.assemble(("○", "dim"), " 2 Lived reality for the patient-person (fictional)"),
    "3 Emotions expressed",
]


class Shared(SharedOptionRenders):
    pass


def listing(kind: type[OptionList]) -> type[App[None]]:
    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield kind(*(Option(prompt) for prompt in PROMPTS))

    return ListApp


def painted(app: App[None]) -> list[list[tuple[str, object]]]:
    return [
        [(segment.text, segment.style) for segment in strip]
        for strip in app.screen._compositor.render_strips()
    ]


async def draw(
    kind: type[OptionList], theme: str = "textual-dark"
) -> list[list[tuple[str, object]]]:
    app = listing(kind)()
    async with app.run_test(size=(40, 6)) as pilot:
        app.theme = theme
        await pilot.pause()
        return painted(app)


async def test_a_second_list_draws_its_options_from_the_first_and_the_same() -> None:
    shared_renders._DRAWN.clear()
    first = await draw(Shared)
    drawn = len(shared_renders._DRAWN)
    assert drawn >= len(PROMPTS)
    misses = shared_renders._DRAWN.misses
    second = await draw(Shared)
    assert shared_renders._DRAWN.misses == misses  # nothing drawn anew
    assert first == second == await draw(OptionList)  # as Textual draws it


async def test_another_theme_is_drawn_anew_in_its_colours() -> None:
    shared_renders._DRAWN.clear()
    dark = await draw(Shared)
    light = await draw(Shared, theme="textual-light")
    assert light != dark
    assert light == await draw(OptionList, theme="textual-light")


async def test_a_second_question_list_neither_measures_nor_draws_its_questions_again() -> None:
    from coprod_tui.ui.widgets import question_hints
    from coprod_tui.ui.widgets.question_hints import QuestionList

    questions = [
        "What is the setting? Where are you, and what is your role (fictional)?",
        "What prompted your involvement in the situation?",
    ]

    class QuestionsApp(App[None]):
        def compose(self) -> ComposeResult:
            yield QuestionList()

        def on_mount(self) -> None:
            self.query_one(QuestionList).show_questions(questions)

    async def shown() -> list[list[tuple[str, object]]]:
        app = QuestionsApp()
        async with app.run_test(size=(40, 8)) as pilot:
            await pilot.pause()
            return painted(app)

    first = await shown()
    heights, drawings = question_hints._HEIGHTS.misses, shared_renders._DRAWN.misses
    second = await shown()
    assert (question_hints._HEIGHTS.misses, shared_renders._DRAWN.misses) == (heights, drawings)
    assert first == second
    assert any("What prompted" in "".join(text for text, _ in row) for row in second)
