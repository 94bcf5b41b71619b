"""Orphaned text is named by the title its section had, where an installed template knows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_tui.core.template.registry import TemplateRegistry, discover_templates
from coprod_tui.ui.dialogs.orphans import OrphansScreen

#: A team's older template (invented): it had a section the shipped one has not.
OLD_TEMPLATE = """\
id: tallbacka-old
version: 1
title: Tallbacka's old case template (fictional)
language: en
source: invented for a test
sections:
  - id: situation
    title: Situation
    questions: [What happened?]
  - id: old-notes
    title: Notes for the Friday meeting
    questions: [What do we bring to the meeting?]
"""


@pytest.fixture
def templates(tmp_path: Path) -> TemplateRegistry:
    folder = tmp_path / "user-templates"
    folder.mkdir()
    (folder / "tallbacka-old.yaml").write_text(OLD_TEMPLATE, encoding="utf-8")
    return discover_templates(user_dir=folder, env={})


async def test_an_orphan_is_shown_with_its_old_section_title(editing):
    orphans = {"old-notes": "Bring the pill box question.", "gone": "No template knows me."}
    async with editing(orphans=orphans) as (app, pilot, screen, case):
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OrphansScreen)
        labels = [str(option.prompt) for option in dialog.query_one("#orphan-list")._options]
        assert labels[0].startswith("Notes for the Friday meeting (old-notes)")
        assert labels[1].startswith("gone")
