"""The README's quick start is what CI runs: keep the two from drifting apart.

The Swedish README (README.sv.md) carries the same quick start, so it is held
to the same two commands, and the two READMEs link to each other.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READMES = {"README.md": "## Quick start", "README.sv.md": "## Snabbstart"}


def quick_start_commands(name: str = "README.md") -> list[str]:
    readme = (ROOT / name).read_text(encoding="utf-8")
    section = readme.split(READMES[name], 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


@pytest.mark.parametrize("name", READMES)
def test_quick_start_is_exactly_two_commands(name):
    commands = quick_start_commands(name)
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert commands[0].endswith("coprod")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start_commands()[1] in ci_lines


def test_swedish_quick_start_is_the_english_one():
    assert quick_start_commands("README.sv.md") == quick_start_commands("README.md")


def test_the_two_readmes_link_to_each_other():
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    swedish = (ROOT / "README.sv.md").read_text(encoding="utf-8")
    assert "På svenska: [README.sv.md](README.sv.md)" in english.split("\n## ", 1)[0]
    assert "[README.md](README.md)" in swedish.split("\n## ", 1)[0]


def test_swedish_readme_links_and_images_exist():
    swedish = (ROOT / "README.sv.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", swedish)
    assert targets
    assert [t for t in targets if not (ROOT / t).exists()] == []
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#+ (.+)$", english, flags=re.MULTILINE)
    slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
    anchors = re.findall(r"\]\(README\.md#([^)]+)\)", swedish)
    assert anchors and set(anchors) <= slugs  # GitHub's anchors for the English headings
