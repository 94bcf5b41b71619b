"""``coprod templates`` and ``coprod template show|validate|init``: output and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main
from coprod_tui.core.template import load_template
from coprod_tui.core.template.registry import TEMPLATES_ENV, shipped_templates_dir

REPO = Path(__file__).resolve().parents[1]
SHIPPED = shipped_templates_dir()
ENGLISH = SHIPPED / "batalden-primary-care.yaml"


def team_template(template_id: str, title: str = "A fictional team template") -> str:
    return (
        f"id: {template_id}\nversion: 2\ntitle: '{title}'\nlanguage: sv\nsource: tests\n"
        "sections:\n  - id: situation\n    title: Situation\n    questions: [Where are you?]\n"
    )


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """Never read the real user's templates; give each test its own config folder."""
    config = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("COPROD_STORE", raising=False)
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)
    return config / "coprod" / "templates"


def run_module(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO):
    return subprocess.run(
        [sys.executable, "-m", "coprod_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ---------------------------------------------------------------- subprocess: the real thing


def test_validate_shipped_templates_exits_0():
    files = sorted(str(path.relative_to(REPO)) for path in (REPO / "schema").glob("*.yaml"))
    result = run_module("template", "validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{name}: ok" for name in files]
    assert result.stderr == ""


def test_templates_lists_files_in_force_overrides_and_broken_ones(tmp_path, isolated_config):
    isolated_config.mkdir(parents=True)
    (isolated_config / "broken.yaml").write_text("id: x\nversion: [\n", encoding="utf-8")
    team = tmp_path / "team"
    team.mkdir()
    override = team / "default.yaml"
    override.write_text(team_template("batalden-primary-care", "Our practice"), encoding="utf-8")
    result = run_module("templates", env={TEMPLATES_ENV: str(team)})
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "LANGUAGE", "TITLE", "FILE"]
    default_row = next(line for line in lines if line.startswith("batalden-primary-care "))
    assert default_row.split()[1:3] == ["2", "sv"]
    assert "Our practice" in default_row and default_row.endswith(str(override))
    assert any(line.strip() == f"overrides {ENGLISH}" for line in lines)
    sv_row = next(line for line in lines if line.startswith("batalden-primary-care-sv "))
    assert sv_row.endswith(str(SHIPPED / "batalden-primary-care-sv.yaml"))
    assert "skipped 1 broken template file" in result.stderr
    assert f"{isolated_config / 'broken.yaml'}:3:1: malformed YAML" in result.stderr


def test_hostile_template_exits_2_without_running(tmp_path):
    sentinel = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f"id: !!python/object/apply:os.system ['touch {sentinel}']\n", encoding="utf-8")
    result = run_module("template", "validate", str(evil))
    assert result.returncode == 2
    assert f"{evil}:1:5: unsupported tag '!!python/object/apply:os.system'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not sentinel.exists()


def test_template_without_action_prints_usage_and_exits_2():
    result = run_module("template")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: coprod template")
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- in process: everything else


def test_show_english_template(capsys):
    code, out, _ = run(capsys, "template", "show", "batalden-primary-care")
    assert code == 0
    english = load_template(ENGLISH)
    assert english.title in out
    for number, section in enumerate(english.sections, start=1):
        assert f"{number}. {section.title} [{section.id}]" in out
        for question in section.questions:
            assert f"• {question}" in out
    assert "Perspectives" in out and "“Patient-person” [patient-person]" in out
    assert "Your role [role] (text)" in out
    assert "perspective: As is system" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_show_swedish_template(capsys):
    code, out, _ = run(capsys, "template", "show", "batalden-primary-care-sv")
    assert code == 0
    assert "• Vad betyder det här? Vad gör vi nu?" in out
    assert "Perspektiv" in out or "Perspectives" in out
    assert "”Professionsperson” [professional-person]" in out


def test_show_never_interprets_markup_or_control_codes(capsys, tmp_path, isolated_config):
    isolated_config.mkdir(parents=True)
    hostile = team_template("markup", "[red]Red[/red] [@click=app.quit]x[/] [link=file:///etc]y")
    hostile = hostile.replace("Where are you?", '"\\u001b]0;pwned\\u0007[bold]Q?"')
    (isolated_config / "markup.yaml").write_text(hostile, encoding="utf-8")
    code, out, err = run(capsys, "template", "show", "markup")
    # Control characters are refused by validation, so the template is skipped...
    assert code == 2
    assert "no template 'markup'" in err and "1 broken template file(s) were skipped" in err
    (isolated_config / "markup.yaml").write_text(
        hostile.replace("\\u001b]0;pwned\\u0007", ""), encoding="utf-8"
    )
    code, out, err = run(capsys, "template", "show", "markup")
    assert code == 0
    assert "[red]Red[/red] [@click=app.quit]x[/] [link=file:///etc]y" in out
    assert "• [bold]Q?" in out


def test_show_a_file_path(capsys, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(team_template("mine", "From a file"), encoding="utf-8")
    code, out, _ = run(capsys, "template", "show", str(path))
    assert code == 0
    assert "From a file" in out and f"file: {path}" in out


def test_show_unknown_id_exits_2(capsys):
    code, out, err = run(capsys, "template", "show", "nope")
    assert code == 2
    assert out == ""
    assert err == "coprod: no template 'nope' (see 'coprod templates')\n"


def test_show_broken_file_exits_2_with_positions(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(team_template("bad").replace("version: 2", "version: two"), encoding="utf-8")
    code, _, err = run(capsys, "template", "show", str(path))
    assert code == 2
    assert f"{path}:2:10: 'version' must be a whole number" in err


def test_validate_reports_every_problem_in_every_file(capsys, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(team_template("good"), encoding="utf-8")
    typo = tmp_path / "typo.yaml"
    typo.write_text(
        team_template("Bad Id").replace("title: '", "titel: '").replace("sv", "swedish"),
        encoding="utf-8",
    )
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"a: " + b"x" * 1_100_000)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"id: x\n\x00\x01")
    code, out, err = run(
        capsys, "template", "validate", str(good), str(typo), str(huge), str(binary)
    )
    assert code == 2
    assert out == f"{good}: ok\n"
    lines = err.splitlines()
    assert f"{typo}:1:5: template id 'Bad Id' is not a valid id" in err
    assert f"{typo}:3:1: unknown key 'titel' in the template (did you mean 'title'?)" in err
    assert f"{typo}:4:11: 'language' must be a BCP 47 language tag" in err
    assert f"{huge}:1:1: file is too large" in err
    assert f"{binary}:2:1: binary file" in err
    assert lines[-1] == "coprod: 6 problems in 3 of 4 file(s)"


def test_validate_missing_file_and_folder(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text(team_template("a"), encoding="utf-8")
    (tmp_path / "empty").mkdir()
    code, out, err = run(
        capsys, "template", "validate", str(tmp_path), str(tmp_path / "empty"), "nope.yaml"
    )
    assert code == 2
    assert out == f"{tmp_path / 'a.yaml'}: ok\n"
    assert f"{tmp_path / 'empty'}:1:1: no template files (.yaml) here" in err
    assert "nope.yaml:1:1: no such file" in err


def test_validate_needs_a_file(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["template", "validate"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "FILE" in err and "Traceback" not in err


def test_init_writes_a_valid_copy_and_refuses_to_overwrite(capsys, tmp_path):
    target = tmp_path / "new" / "mine.yaml"
    code, out, _ = run(capsys, "template", "init", str(target))
    assert code == 0
    assert f"wrote {target}" in out
    original = ENGLISH.read_text(encoding="utf-8")
    copy = target.read_text(encoding="utf-8")
    schema_uri = (SHIPPED / "template.schema.json").resolve().as_uri()
    assert copy.splitlines()[0] == f"# yaml-language-server: $schema={schema_uri}"
    # The copy is the user's own: the shipped "do not edit this file" advice is gone,
    # everything from the first line of YAML on is the original, byte for byte.
    assert "do not edit" not in copy.lower() and "edit it freely" in copy
    assert copy[copy.index("\nid: ") :] == original[original.index("\nid: ") :]
    assert load_template(target) == load_template(ENGLISH)
    assert [p.name for p in target.parent.iterdir()] == ["mine.yaml"]  # no temp files left

    target.write_text("my edits", encoding="utf-8")
    code, _, err = run(capsys, "template", "init", str(target))
    assert code == 2
    assert err == f"coprod: {target} already exists; choose another file name\n"
    assert target.read_text(encoding="utf-8") == "my edits"


def test_init_from_another_template(capsys, tmp_path):
    target = tmp_path / "sv.yaml"
    code, _, _ = run(capsys, "template", "init", str(target), "--from", "batalden-primary-care-sv")
    assert code == 0
    assert load_template(target).language == "sv"


def test_init_from_unknown_template_exits_2_and_writes_nothing(capsys, tmp_path):
    target = tmp_path / "x.yaml"
    code, _, err = run(capsys, "template", "init", str(target), "--from", "nope")
    assert code == 2
    assert "no template 'nope'" in err
    assert not target.exists()


def test_init_refuses_a_dangling_symlink(capsys, tmp_path):
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "elsewhere.yaml")
    code, _, _ = run(capsys, "template", "init", str(link))
    assert code == 2
    assert not (tmp_path / "elsewhere.yaml").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_init_into_read_only_folder_is_operational_error(capsys, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    code, _, err = run(capsys, "template", "init", str(folder / "x.yaml"))
    assert code == 1
    assert err.startswith("coprod: cannot write")


def test_templates_in_process_with_user_override(capsys, isolated_config):
    isolated_config.mkdir(parents=True)
    mine = isolated_config / "mine.yaml"
    mine.write_text(team_template("batalden-primary-care-sv", "Vår mall"), encoding="utf-8")
    code, out, err = run(capsys, "templates")
    assert code == 0
    assert err == ""
    assert f"overrides {SHIPPED / 'batalden-primary-care-sv.yaml'}" in out
    assert str(mine) in out
