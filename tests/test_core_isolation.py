"""What loads what: the core never imports Textual, and the CLI's front door stays light."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "coprod_tui" / "core"


def loaded_after(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` are imported once ``code`` has run in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(sorted(n for n in {names!r} if n in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def test_core_sources_never_import_textual():
    offenders = []
    for source in sorted(CORE.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{source.name}: {n}" for n in names if n.split(".")[0] == "textual"]
    assert offenders == []


def test_importing_core_and_cli_does_not_load_textual():
    code = (
        "import importlib, pkgutil, coprod_tui.core as core, coprod_tui.cli\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('coprod_tui.core.' + m.name)\n"
    )
    assert loaded_after(code, ("textual",)) == []


def test_building_the_cli_loads_no_templates_store_or_yaml():
    """`coprod --version` and `--help` stay quick: the heavy modules load in the handlers."""
    code = "from coprod_tui.cli import build_parser\nbuild_parser().format_help()"
    heavy = ("yaml", "rich", "textual", "coprod_tui.core.template", "coprod_tui.core.store")
    assert loaded_after(code, heavy) == []


def test_the_cli_spells_the_default_template_id_as_the_core_does():
    from coprod_tui.commands.templates import _DEFAULT_TEMPLATE_ID
    from coprod_tui.core.template.ids import DEFAULT_TEMPLATE_ID

    assert _DEFAULT_TEMPLATE_ID == DEFAULT_TEMPLATE_ID
