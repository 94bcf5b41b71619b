"""Make the README's screenshots from the real app: case list, editor, help, search, tags.

    python scripts/screenshots.py [--out screenshots] [--size 120x40]

Runs the real ``CoprodApp`` (built by the same ``create_app`` the ``coprod``
command uses) headless on a throwaway store holding the demo story (four cases, two
insights, one open plan) plus two fictional cases in progress, and saves one
SVG per screen (the last: "Now what?", the open plans). Nothing touches the
user's store or settings.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from coprod_tui.core.case import new_case
from coprod_tui.core.config import Config
from coprod_tui.core.demo import DEMO_CASE_ID, seed_story
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template.registry import TemplateRegistry, discover_templates
from coprod_tui.ui.launch import create_app

#: Fictional cases in progress, so the list shows what work under way looks like.
IN_PROGRESS = [
    (
        "Sven, 81: the pill box and the Sunday visits",
        ["dementia", "medication"],
        {
            "situation": "Tallbacka health centre (fictional). A Monday phone call from "
            "Sven's son about missed doses.",
            "lived-reality": "Sven lives alone on the farm since his wife died.",
            "emotions": "His son is worried and tired; Sven says he is 'managing fine'.",
        },
    ),
    (
        "Leyla, 34: diabetes in pregnancy, interpreter by phone",
        ["diabetes", "interpreter"],
        {"situation": "Antenatal clinic shared with the health centre (fictional)."},
    ),
]


def build_store(folder: Path, templates: TemplateRegistry) -> CaseStore:
    """A store with the demo story and the in-progress cases."""
    store = CaseStore.open(folder, templates=templates)
    template = templates.default()
    for title, tags, sections in IN_PROGRESS:
        case = new_case(title, template, tags=tags)
        case.sections.update(sections)
        store.create(case)
    seed_story(store, templates)
    return store


async def shoot(out: Path, size: tuple[int, int]) -> list[Path]:
    """Drive the app and save the SVGs; returns the files written."""
    from coprod_tui.ui.positions import Positions
    from coprod_tui.ui.screens.case_editor import CaseEditorScreen

    CaseEditorScreen.CURSOR_BLINK = False  # a still picture
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="coprod-shots-") as tmp:
        templates = discover_templates(user_dir=Path(tmp) / "no-user-templates", env={})
        store = build_store(Path(tmp) / "store", templates)
        app = create_app(store, templates, Config(), handle_signals=False)
        # Where cases were left is kept here too, not in the user's cache.
        app.positions = Positions(Path(tmp) / "positions.json")  # type: ignore[attr-defined]
        async with app.run_test(size=size) as pilot:

            async def save(name: str) -> None:
                await pilot.pause(0.3)
                path = out / f"{name}.svg"
                app.save_screenshot(str(path.name), path=str(out))
                written.append(path)

            await save("case-list")
            app.open_case(DEMO_CASE_ID)
            await pilot.pause(0.3)
            await pilot.press("ctrl+pagedown")
            await save("editor")
            await pilot.press("f1")
            await save("help")
            await pilot.press("a")
            await save("help-about")
            await pilot.press("escape", "escape")
            await pilot.pause(0.3)
            await pilot.press("n")
            await pilot.press(*"Ingrid, 84: falls at night")
            await save("new-case")
            await pilot.press("escape")
            await pilot.pause(0.3)
            await pilot.press("t", *"med")
            await save("tags")
            await pilot.press("escape")
            await pilot.pause(0.3)
            await pilot.press("ctrl+f", *"nurse")
            await pilot.pause(1.5)  # the index opens after start-up
            await save("search")
            await pilot.press("escape")
            await pilot.pause(0.3)
            await pilot.press("s")
            await pilot.pause(0.3)
            await pilot.press("2")  # the patient-person's lived reality, across cases
            await pilot.pause(1.0)
            await save("section-review")
            await pilot.press("escape")
            await pilot.pause(0.3)
            await pilot.press("m")
            await pilot.pause(1.0)
            await save("coverage")
            await pilot.press("escape")
            await pilot.pause(0.3)
            await pilot.press("p")
            await pilot.pause(1.0)
            await save("perspectives")
            await pilot.press("escape")
            await pilot.pause(0.3)
            await pilot.press("w")  # the demo story's open plan, with the cases behind it
            await pilot.pause(1.0)
            await save("now-what")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--size", default="120x40", help="COLUMNSxROWS (default 120x40)")
    args = parser.parse_args(argv)
    try:
        columns, rows = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error("--size must look like 120x40")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(shoot(args.out, (columns, rows))):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
