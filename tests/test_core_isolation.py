"""The core package must never import Textual: it is the scriptable, testable layer."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "coprod_tui" / "core"


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
        "import sys, importlib, pkgutil, coprod_tui.core as core, coprod_tui.cli\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('coprod_tui.core.' + m.name)\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
