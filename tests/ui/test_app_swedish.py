"""The case list, the editor, the app's notices and Textual's palette in Swedish (``language: sv``).

What a Swedish district nurse reads on the home screen and in the editor:
the header ("coprod — 3 fall"), the columns, the filter, the greeting, the
notices, the export and identifier dialogs, and Textual's own palette words
("Sök efter kommandon…", "Inga träffar", "Färgtema"). Plus the snapshots
issue 12 asks for: the case list at 80×24 and 120×40 and the editor at
80×24, in Swedish. All people and places are fictional.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from editor_helpers import open_editor, until_stored, wait_until
from notices import notices
from textual.command import CommandInput, CommandList
from textual.widgets import Checkbox, DataTable, Input, Static
from textual.widgets._header import HeaderTitle

from coprod_tui.core.config import Config
from coprod_tui.core.i18n import current_language
from coprod_tui.core.store import CaseSummary
from coprod_tui.ui.clipboard import CopyRoute, copy_notice
from coprod_tui.ui.dialogs.export import ExportDialog
from coprod_tui.ui.dialogs.identifiers import IdentifiersDialog
from coprod_tui.ui.launch import create_app, template_notices
from coprod_tui.ui.palette import CoprodPalette, textual_supports_no_matches
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import (
    FRAME,
    CaseListScreen,
    aging_endings,
    column_layout,
    updated_width,
)

SWEDISH = Config(language="sv")
NOW = datetime(2024, 3, 12, 14, 3, 12, tzinfo=UTC)
SV = "batalden-primary-care-sv"


def header_text(app) -> str:
    return str(app.screen.query_one(HeaderTitle).render())


def column_labels(table: DataTable) -> list[str]:
    return [str(column.label) for column in table.columns.values()]


# -- the header, in both languages -----------------------------------------------------


async def test_the_header_reads_coprod_dash_cases_with_a_space_both_sides(app_factory, make_case):
    make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "1 case" in header_text(app))
        assert header_text(app) == "coprod — 1 case"


# -- the case list ---------------------------------------------------------------------


async def test_the_case_list_is_swedish(app_factory, make_case):
    make_case("Sven, 81: dosetten och söndagsbesöken", template_id=SV)
    make_case("Greta, 90: trappan", sections={}, template_id=SV)
    app = app_factory(config=SWEDISH)
    assert current_language() == "sv"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        screen = app.screen
        table = screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 2)
        # The header is set a moment after the rows on a loaded machine.
        await wait_until(pilot, lambda: header_text(app) == "coprod — 2 fall")
        assert column_labels(table) == ["Titel", "Ifyllt", "Taggar", "Senast ändrat"]
        # The store stamps the wall clock, after the fixed clock's "now": "just now".
        assert str(table.get_row_at(0)[-1]) == "nyss"
        await pilot.press("slash")
        field = screen.query_one("#filter", Input)
        assert field.placeholder.startswith("titel eller tagg")
        await pilot.press(*"zzz")
        no_match = screen.query_one("#no-match", Static)
        await wait_until(pilot, lambda: no_match.display)
        assert str(no_match.render()) == (
            "Inget fall passar ”zzz”. Tryck Escape för att rensa filtret."
        )
        await wait_until(pilot, lambda: header_text(app) == "coprod — 0 av 2 fall")


async def test_the_greeting_and_the_delete_question_are_swedish(app_factory, make_case):
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        greeting = app.screen.query_one("#greeting", Static)
        await wait_until(pilot, lambda: "Välkommen till coprod" in str(greeting.render()))
        shown = str(greeting.render())
        assert "skriv ditt första fall" in shown
        assert "Avsluta och kör coprod --demo." in shown
        assert "Welcome" not in shown and "quit" not in shown
        assert header_text(app) == "coprod — 0 fall"


async def test_deleting_says_so_in_swedish(app_factory, make_case):
    make_case("Sven, 81: dosetten", template_id=SV)
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        table = app.screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.press("delete")
        await wait_until(pilot, lambda: not isinstance(app.screen, CaseListScreen))
        question = str(app.screen.query_one("#question", Static).render())
        assert question.startswith("Flytta ”Sven, 81: dosetten” till papperskorgen?")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("Flyttat till" in n.message for n in notices(app)))


def test_the_updated_column_is_as_wide_as_the_swedish_times(swedish):
    # "6 dagar sedan" is 13 cells; the English "30 Nov 2023" 11.
    assert updated_width("sv") == 13
    assert updated_width("en") == 11
    for width in (80, 100, 120):
        layout = column_layout(width)
        assert layout[-1] == ("Senast ändrat", "updated", 13)
        assert sum(w for _label, _key, w in layout) + 2 * len(layout) == width - FRAME
    assert set(aging_endings("sv")) == {"nyss", "sedan", "går"}


# -- the palette (Textual's own words) -------------------------------------------------


async def test_the_palette_speaks_swedish(app_factory):
    assert textual_supports_no_matches()  # if this fails, Textual moved "No matches found"
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CoprodPalette))
        palette = app.screen
        assert palette.query_one(CommandInput).placeholder == "Sök efter kommandon…"
        await pilot.press(*"färgtema")
        commands = palette.query_one(CommandList)
        await wait_until(pilot, lambda: commands.option_count > 0)
        assert "Byt färgtema" in str(commands.get_option_at_index(0).prompt)
        palette.query_one(CommandInput).value = ""
        await pilot.press(*"qqqzzz")

        def says_no_matches() -> bool:
            if commands.option_count != 1:
                return False
            option = commands.get_option_at_index(0)
            return option.id == "--no-matches" and "Inga träffar" in str(
                option.prompt.renderable  # type: ignore[union-attr]  # Align(Text)
            )

        await wait_until(pilot, says_no_matches)


# -- the editor ------------------------------------------------------------------------


async def test_the_editor_notices_are_swedish(app_factory, make_case):
    case = make_case("Sven, 81: dosetten", template_id=SV)
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, case.id)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any(n.message == "Allt är sparat." for n in notices(app)))
        editor.action_goto_section(42)
        await wait_until(
            pilot, lambda: any(n.message == "Det finns inget avsnitt 42." for n in notices(app))
        )
        editor.action_orphans()
        await wait_until(
            pilot,
            lambda: any(n.message == "Fallet har ingen text utan avsnitt." for n in notices(app)),
        )


async def test_the_export_dialog_is_swedish(app_factory, make_case):
    case = make_case("Sven, 81: dosetten", template_id=SV)
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, case.id)
        assert isinstance(editor, CaseEditorScreen)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        assert dialog.query_one(".dialog").border_title == "Exportera fallet"
        labels = [str(box.label) for box in dialog.query(Checkbox)]
        assert labels[0] == "Med de vägledande frågorna"
        assert all(not label.startswith(("With", "Leave", "Redact")) for label in labels)


async def test_the_identifier_list_is_swedish(app_factory, make_case):
    case = make_case("Sven, 81: dosetten", sections={"situation": "Ring 070-123 45 67."})
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot, case.id)
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentifiersDialog))
        explain = str(app.screen.query_one("#identifiers-explain", Static).render())
        assert explain.startswith("1 identifierande uppgift i fallets avsnitt.")


# -- without a screen: the clipboard's notices, the launch's notices --------------------


def test_the_copy_notices_are_swedish(swedish):
    text, warning = copy_notice(3, CopyRoute(True, "tmux"), "Ctrl+L")
    assert not warning
    assert text.startswith("Avsnitt 3 är kopierat till urklipp genom tmux")
    text, warning = copy_notice(
        2, CopyRoute(False, "GNU screen", "use Export section to file{export}."), ""
    )
    assert warning and text.startswith("Avsnitt 2 kopierades inte: ")
    assert "(i kommandopaletten)" in text


def test_template_notices_are_swedish(swedish):
    class Skipped:
        problems = ("a.yaml: trasig", "b.yaml: trasig")

    assert template_notices(Skipped()) == [  # type: ignore[arg-type]
        "Mall hoppades över: a.yaml: trasig (och 1 till, se 'coprod templates')"
    ]


# -- snapshots (issue 12): the case list and the editor in Swedish ----------------------


def summary(n: int, title: str, filled: int, tags: tuple[str, ...], updated: str, **extra):
    sections = (
        "situation",
        "lived-reality",
        "emotions",
        "system-navigation",
        "condition",
        "illness-experience",
        "microsystem",
        "professional-reality",
        "reflections",
    )
    return CaseSummary(
        id=f"00000000-0000-4000-8000-{n:012d}",
        title=title,
        template_id=extra.pop("template_id", SV),
        tags=tags,
        updated=updated,
        filled=sections[:filled],
        revision=3,
        **extra,
    )


#: Fictional cases, updated at times that show every kind of Swedish relative time.
CASES = [
    summary(1, "Margit, 78: andfådd hemma, och en dotter som för listan", 9,
            ("hjärtsvikt", "anhörig"), "2024-03-12T14:03:00Z"),
    summary(2, "Sven, 81: dosetten och söndagsbesöken", 4, ("demens",), "2024-03-12T13:40:00Z"),
    summary(3, "Sven, 81: dosetten och söndagsbesöken (konfliktkopia)", 4, ("demens",),
            "2024-03-12T09:02:00Z", conflict_of="00000000-0000-4000-8000-000000000002"),
    summary(4, "Leyla, 34: graviditetsdiabetes, tolk per telefon", 6,
            ("diabetes", "tolk"), "2024-03-11T16:00:00Z"),
    summary(5, "Arne, 90: sista vintern hemma", 2, (), "2024-03-06T08:00:00Z",
            template_id="batalden-primary-care"),
    summary(6, "Greta, 88: trappan", 0, (), "2023-11-30T08:00:00Z"),
    summary(7, "", 0, (), "2024-02-01T08:00:00Z", damaged=True),
]  # fmt: skip


class CatalogOnlyStore:
    """Just enough of CaseStore for the list: a fixed catalog, a fixed path."""

    path = Path("/home/anna/.local/share/coprod/store")

    def list_cases(self) -> list[CaseSummary]:
        return list(CASES)

    def list_trash(self) -> list[CaseSummary]:
        return []


async def still(pilot) -> None:
    """Everything read and laid out, no blinking cursor, before the picture."""
    await until_stored(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_case_list_in_swedish(snap_compare, templates, size):
    app = create_app(
        CatalogOnlyStore(),  # type: ignore[arg-type]
        templates,
        SWEDISH,
        clock=lambda: NOW,
        handle_signals=False,
    )
    assert snap_compare(app, terminal_size=size, run_before=still)


def test_editor_in_swedish_80x24(snap_compare, app_factory, make_case):
    case = make_case(
        "Britt, 74: trött, och en man som oroar sig",
        sections={
            "situation": (
                "Ekuddens vårdcentral (påhittad), en tisdag. Jag är distriktssköterska "
                "på eftermiddagens mottagning när Britt, 74, kommer med sin man Olle."
            ),
            "lived-reality": "Britt och Olle bor på tredje våningen; hissen är ofta trasig.",
        },
        fields={"setting": "Ekuddens vårdcentral (påhittad)", "role": "Distriktssköterska"},
        template_id=SV,
    )
    app = app_factory(config=SWEDISH)

    async def open_case(pilot) -> None:
        await open_editor(pilot, case.id)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_case)
