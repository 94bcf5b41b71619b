"""Export the framework matrix from the workbench: the CLI's file, 0600, asks before replacing.

Everyone here is fictional (Tallbacka health centre does not exist).
"""

from __future__ import annotations

import csv
import io
import stat

from editor_helpers import wait_until
from notices import notices

from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.dialogs.matrix_export import MatrixExportDialog
from coprod_tui.ui.screens.case_list import CaseListScreen


async def _dialog(app, pilot):
    await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
    answers: list[object] = []
    app.push_screen(MatrixExportDialog(), answers.append)
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, MatrixExportDialog) and app.screen.focused is not None,
    )
    return app.screen, answers


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


async def test_csv_export_writes_the_cli_file_privately_and_says_where(
    app_factory, make_case, tmp_path
):
    make_case("Sven, 81: the pill box and the Sunday visits")
    target = tmp_path / "out" / "matris.csv"
    target.parent.mkdir()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog, answers = await _dialog(app, pilot)
        dialog.query_one("#export-path").value = str(target)
        dialog.query_one("#export-words").value = "3"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: answers)
        [result] = answers
        assert result.targets == (str(target),) and result.cases == 1
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # for Excel, by default
        rows = _rows(target)
        assert rows[1][1] == "Sven, 81: the pill box and the Sunday visits"
        situation = rows[0].index(next(h for h in rows[0] if "Situation" in h or "situation" in h))
        assert rows[1][situation].startswith("Tallbacka health centre")
        assert len(rows[1][situation].split()) <= 4  # three words and an ellipsis
        [note] = [n for n in notices(app) if n.title == "Matrix exported"]
        assert str(target) in note.message and "1 case" in note.message


async def test_an_existing_file_is_replaced_only_after_a_second_yes(
    app_factory, make_case, tmp_path
):
    make_case()
    target = tmp_path / "matris.md"
    target.write_text("keep me", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        dialog, answers = await _dialog(app, pilot)
        dialog.query_one("#export-format").value = "md"
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is dialog)
        await wait_until(
            pilot, lambda: "nothing written" in str(dialog.query_one("#export-error").render())
        )
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: answers)
        assert target.read_text(encoding="utf-8").startswith("#")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_never_through_a_link_and_a_bad_number_is_one_line(app_factory, make_case, tmp_path):
    make_case()
    real = tmp_path / "real.csv"
    real.write_text("theirs", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog, answers = await _dialog(app, pilot)
        dialog.query_one("#export-words").value = "many"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Words" in str(dialog.query_one("#export-error").render()))
        dialog.query_one("#export-words").value = ""
        dialog.query_one("#export-path").value = str(link)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "symbolic link" in str(dialog.query_one("#export-error").render())
        )
        assert real.read_text(encoding="utf-8") == "theirs"
        assert answers == [] and app.screen is dialog


async def test_xlsx_with_insights_from_the_palette(app_factory, store, make_case, tmp_path):
    from openpyxl import load_workbook

    from coprod_tui.core.insights.anchoring import make_link
    from coprod_tui.core.insights.model import new_insight
    from coprod_tui.core.insights.store import insights_of
    from coprod_tui.ui.commands import palette_commands

    sven = make_case()
    insights_of(store).create(
        new_insight("Sunday visits hide the weekday gaps", links=[make_link(sven, "situation")])
    )
    target = tmp_path / "matris.xlsx"
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        [command] = [
            c for c in palette_commands(app.screen) if c.name == "Export the framework matrix"
        ]
        app.call_later(command.action)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, MatrixExportDialog) and app.screen.focused is not None,
        )
        dialog = app.screen
        dialog.query_one("#export-format").value = "xlsx"
        await wait_until(pilot, lambda: dialog.query_one("#export-path").value.endswith(".xlsx"))
        dialog.query_one("#export-path").value = str(target)
        dialog.query_one("#export-insights").value = True
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: target.exists() and not isinstance(app.screen, MatrixExportDialog)
        )
        book = load_workbook(target, read_only=True)
        assert len(book.sheetnames) == 2


def test_the_core_export_refuses_an_existing_file_unless_replace(
    store, make_case, templates, tmp_path
):
    import pytest

    from coprod_tui.core.matrix.export import TargetExists, export_matrix

    make_case()
    target = tmp_path / "matris.csv"
    seen: list[tuple[int, int]] = []
    result = export_matrix(
        store, templates, str(target), "csv", insights=True, progress=lambda *p: seen.append(p)
    )
    assert result.targets == (str(target), str(tmp_path / "matris-insights.csv"))
    assert seen[-1] == (1, 1)
    before = target.read_bytes()
    with pytest.raises(TargetExists) as refused:
        export_matrix(store, templates, str(target), "csv")
    assert refused.value.path == str(target) and "exists" in str(refused.value)
    assert target.read_bytes() == before
    export_matrix(store, templates, str(target), "csv", replace=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
