"""The workbench in Swedish with ``language: sv``: footer, help, trash, section review, palette.

And English again for the next app in the same process (the bindings' words
are translated in one place, ``ui/binding_language.py``, and restored).
All cases are fictional.
"""

from __future__ import annotations

from editor_helpers import open_editor, wait_saved, wait_until
from textual.widgets import DataTable, Markdown, Static, TabbedContent

from coprod_tui.core.config import Config
from coprod_tui.core.i18n import current_language
from coprod_tui.ui.binding_language import _textual_supports_it, bindings_language
from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.screens.help import HelpScreen
from coprod_tui.ui.screens.section_review import SectionPicker, SectionReviewScreen
from coprod_tui.ui.screens.trash import TrashScreen
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.question_hints import QuestionHints
from coprod_tui.ui.widgets.save_status import SaveStatus
from coprod_tui.ui.widgets.section_nav import SectionNav
from coprod_tui.ui.widgets.word_count import WordCount

SWEDISH = Config(language="sv")


def footer_labels(app) -> set[str]:
    """What the footer's keys say, the palette key's too."""
    labels = set()
    for footer in app.screen.query(KeyFooter):
        palette = [footer.palette_key] if footer.palette_key else []
        labels |= {key.description for key in (*footer.keys, *palette)}
    return labels


def table_rows(table: DataTable) -> list[tuple[str, ...]]:
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def test_textual_still_keeps_merged_bindings_where_they_are_translated():
    """If a Textual release moves them, this fails (the workbench would stay English)."""
    assert _textual_supports_it()


async def test_footer_and_help_are_swedish_with_language_sv(app_factory, make_case):
    make_case()
    app = app_factory(config=SWEDISH)
    assert current_language() == "sv"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await wait_until(pilot, lambda: bool(footer_labels(app)))
        labels = footer_labels(app)
        assert {"Nytt", "Hjälp"} <= labels, labels
        assert not {"New", "All keys", "Quit", "palette"} & labels
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        rows = table_rows(help_screen.query_one("#key-table", DataTable))
        does = {row[1] for row in rows}
        where = {row[2] for row in rows}
        assert {"Påbörja ett nytt fall", "Spara allt och avsluta"} <= does
        assert {"Fallistan", "Överallt"} <= where
        assert not {"Start a new case", "Case list", "Everywhere"} & (does | where)
        columns = [str(c.label) for c in help_screen.query_one(DataTable).columns.values()]
        assert columns == ["Tangent", "Gör", "Var"]
        box = help_screen.query_one("#help")
        assert box.border_title == "Hjälp"
        await pilot.press("a")
        await wait_until(pilot, lambda: help_screen.query_one(TabbedContent).active == "about")
        about = help_screen.query_one("#about-text", Markdown).source
        # On the list: the default template of a Swedish user, which is the Swedish one,
        # with the page's own words in Swedish too.
        assert "## Avsnitt" in about and "## Sections" not in about
        assert "Situation" in about or "situation" in about.lower()


async def test_the_editor_says_sparat_and_shows_vagledande_fragor(app_factory, make_case):
    case = make_case(sections={})
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, case.id)
        assert editor.query_one(QuestionHints).border_title == "Vägledande frågor"
        assert editor.query_one(SectionNav).border_title == "Avsnitt"
        await pilot.press("H", "e", "j", "space", "d", "u")
        await wait_saved(pilot, editor)
        status = editor.query_one(SaveStatus)
        await wait_until(pilot, lambda: str(status.render()) == "Sparat 14:03:12")
        assert str(editor.query_one(WordCount).render()) == "2 ord"


async def test_the_trash_is_swedish(app_factory):
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, TrashScreen))
        trash = app.screen
        table = trash.query_one(DataTable)
        await wait_until(pilot, lambda: len(table.columns) == 3)
        assert [str(c.label) for c in table.columns.values()] == [
            "Titel",
            "Raderat",
            "Senast ändrat",
        ]
        assert trash.query_one("#trash").border_title == "Papperskorg"
        assert str(trash.query_one("#empty", Static).render()) == "Papperskorgen är tom."
        keys = {active.binding.description for active in trash.active_bindings.values()}
        assert {"Återställ", "Radera för gott", "Töm papperskorgen"} <= keys


async def test_the_section_review_is_swedish(app_factory, make_case):
    make_case(sections={"situation": "Tallbacka vårdcentral (påhittad), en måndag."})
    make_case("Greta, 90: trappan", sections={})
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await pilot.pause()
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionReviewScreen))
        review = app.screen
        note = review.query_one("#review-note", Static)
        await wait_until(pilot, lambda: "Välj ett avsnitt" in str(note.render()))
        assert (
            str(review.query_one("#review-title", Static).render()) == "Läs ett avsnitt i alla fall"
        )
        await wait_until(pilot, lambda: review.query_one(SectionPicker).has_focus)
        await pilot.press("enter")
        await wait_until(pilot, lambda: review.entries is not None)
        await wait_until(pilot, lambda: "2 fall, 1 med text" in str(note.render()))
        assert str(review.query_one("#review-title", Static).render()).startswith("Avsnitt 1: ")
        assert "Redigera" in footer_labels(app)


async def test_the_palette_says_what_a_key_does_in_swedish(app_factory):
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        commands = palette_commands(app.screen)
        helps = " ".join(command.help for command in commands)
        names = {command.name for command in commands}
        assert "Byt namn på det valda fallet" in helps
        assert {"Byt namn på fallet", "Nytt fall", "Sök i alla fall"} <= names
        assert not {"Rename case", "New case"} & names


async def test_english_again_for_the_next_app_in_the_same_process(app_factory, make_case):
    make_case()
    swedish = app_factory(config=SWEDISH)
    async with swedish.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "Nytt" in footer_labels(swedish))
    from coprod_tui.core.i18n import set_language

    set_language("en")  # what the CLI front door decides for an English user
    english = app_factory()
    assert bindings_language() == "en"
    async with english.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: bool(footer_labels(english)))
        labels = footer_labels(english)
        assert "New" in labels and "Nytt" not in labels


def test_help_in_swedish_80x24(snap_compare, app_factory, make_case):
    make_case("Sven, 81: dosetten och söndagsbesöken")
    app = app_factory(config=SWEDISH)

    async def open_help(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CaseListScreen))
        await pilot.pause()
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)
