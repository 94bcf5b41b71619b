"""The guiding questions of the current section, ready to be taken in.

Batalden's template is a set of questions, not a form: the writer answers in
their own words. This pane lists the current section's questions; Enter (or a
click) on one asks the editor to insert it as a prompt line to write under.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.css.styles import RulesMap
from textual.message import Message
from textual.visual import RichVisual, Visual
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.i18n import N_, _
from coprod_tui.core.template import Section
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.widgets.shared_renders import SharedOptionRenders


def _bulleted(question: str) -> Table:
    """A question with a bullet and a hanging indent, so wrapped questions stay apart."""
    grid = Table.grid()
    grid.add_column(width=2)
    grid.add_column(ratio=1)
    grid.add_row("•", plain(question))
    return grid


class QuestionList(SharedOptionRenders):
    """The questions themselves (focusable; Enter takes one in)."""

    #: Where help lists this widget's keys.
    BINDING_GROUP_TITLE = N_("Questions")

    DEFAULT_CSS = """
    QuestionList, QuestionList:focus {
        height: 1fr;
        border: none;
        padding: 0;
        background: transparent;
    }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._question_of: dict[str | None, str] = {}  # option id -> the question it shows

    def show_questions(self, questions: Sequence[str]) -> None:
        """Show these questions, each with a bullet and a hanging indent."""
        self._question_of = {f"q{index}": question for index, question in enumerate(questions)}
        self.set_options(
            Option(_bulleted(question), id=f"q{index}") for index, question in enumerate(questions)
        )

    def _drawing_key(self, option: Option) -> Hashable | None:
        """A question's bulleted grid draws the same for the same question."""
        question = self._question_of.get(option.id)
        return ("bulleted", question) if question is not None else super()._drawing_key(option)

    def _get_visual(self, option: Option) -> Visual:
        """As Textual's, with each question's height at a width worked out once per process.

        Textual lays a grid out in full to learn its height, for every question
        each time a list is laid out (the slowest part of the editor's questions).
        """
        question = self._question_of.get(option.id)
        prompt = option.prompt
        if question is None or option._visual is not None or not isinstance(prompt, Table):
            return super()._get_visual(option)
        visual = _KnownHeights(self, prompt, question)
        option._visual = visual
        return visual


#: (question, width) -> rows: the heights of bulleted questions, for every list.
_HEIGHTS: LRUCache[tuple[str, int], int] = LRUCache(4096)


class _KnownHeights(RichVisual):
    """A question's grid whose height at a width is measured once per process."""

    def __init__(self, widget: Widget, renderable: RenderableType, question: str) -> None:
        super().__init__(widget, renderable)
        self._question = question

    def get_height(self, rules: RulesMap, width: int) -> int:
        key = (self._question, width)
        height = _HEIGHTS.get(key)
        if height is None:
            height = _HEIGHTS[key] = super().get_height(rules, width)
        return height


class QuestionHints(Vertical):
    """The right-hand pane: the section's description and guiding questions."""

    DEFAULT_CSS = """
    QuestionHints {
        width: 36;
        height: 1fr;
        border: round $foreground 30%;
        padding: 0 1;
    }
    QuestionHints:focus-within {
        border: heavy $accent;
    }
    QuestionHints #question-intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    class Taken(Message):
        """The user asked to take ``question`` into the editor."""

        def __init__(self, question: str) -> None:
            self.question = question
            super().__init__()

    def __init__(self, section: Section | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._section = section
        self.border_title = _("Guiding questions")
        self.border_subtitle = _("Enter: take in")

    def compose(self) -> ComposeResult:
        yield Static(id="question-intro")
        yield QuestionList(id="question-list")

    def on_mount(self) -> None:
        if self._section is not None:
            self.show_section(self._section)

    def show_section(self, section: Section) -> None:
        """Show ``section``'s questions (its description first, when it adds anything)."""
        self._section = section
        intro = self.query_one("#question-intro", Static)
        description = section.description.strip()
        if description and description != section.title:
            intro.update(plain(description))
            intro.display = True
        else:
            intro.display = False
        questions = self.query_one(QuestionList)
        questions.show_questions(section.questions)
        if section.questions:
            questions.highlighted = 0

    @property
    def questions(self) -> tuple[str, ...]:
        return self._section.questions if self._section is not None else ()

    def focus_questions(self) -> None:
        self.query_one(QuestionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int((event.option.id or "q0")[1:])
        if index < len(self.questions):
            self.post_message(self.Taken(self.questions[index]))
