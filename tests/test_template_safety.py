"""Hostile and broken template files: reported, never run, never slow, never a traceback."""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import pytest

from coprod_tui.core.template import (
    MAX_TEMPLATE_BYTES,
    TemplateError,
    parse_template,
    validate_template_file,
)
from coprod_tui.core.template.registry import shipped_templates_dir

FAST = 1.0  # seconds; every refusal here must be well under this


def check(path: Path) -> tuple[list[str], float]:
    started = time.perf_counter()
    problems = validate_template_file(path)
    return [str(problem) for problem in problems], time.perf_counter() - started


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


HOSTILE = [
    "id: x\nversion: !!python/object/apply:os.system ['touch {sentinel}']\n",
    "!!python/object/apply:os.system ['touch {sentinel}']\n",
    "id: x\ntitle: !!python/object/new:os.system ['touch {sentinel}']\n",
    "? !!python/object/apply:os.system ['touch {sentinel}']\n: value\n",
    "sections:\n  - !!python/object/apply:subprocess.call [['touch', '{sentinel}']]\n",
    "sections: !!python/object/apply:os.system ['touch {sentinel}']\n",
    "id: !!python/name:os.system\n",
    "id: !!python/object:builtins.dict {{a: 1}}\n",
]


@pytest.mark.parametrize("template", HOSTILE)
def test_python_tags_are_reported_never_run(tmp_path, template):
    sentinel = tmp_path / "pwned"
    path = write(tmp_path, "hostile.yaml", template.format(sentinel=sentinel))
    problems, elapsed = check(path)
    assert not sentinel.exists()
    assert any("unsupported tag '!!python/" in p for p in problems), problems
    assert all(p.startswith(f"{path}:") for p in problems)
    assert elapsed < FAST


def test_tag_problem_points_at_the_tag(tmp_path):
    path = write(tmp_path, "t.yaml", "id: x\nversion: !!python/object/apply:os.getcwd []\n")
    problems, _ = check(path)
    assert f"{path}:2:10: unsupported tag '!!python/object/apply:os.getcwd'" in "\n".join(problems)


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!custom thing", "!!set {a, b}"])
def test_other_tags_are_refused_too(tmp_path, tag):
    problems, _ = check(write(tmp_path, "t.yaml", f"id: x\ntitle: {tag}\n"))
    assert any(":2:8: unsupported tag" in p for p in problems), problems


def test_merge_keys_are_refused(tmp_path):
    problems, _ = check(write(tmp_path, "t.yaml", "base: &b {id: x}\n<<: *b\n"))
    assert any(":2:1: merge keys ('<<') are not supported" in p for p in problems), problems


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(tmp_path):
    path = write(tmp_path, "bomb.yaml", billion_laughs())
    problems, elapsed = check(path)
    assert len(problems) == 1
    assert "alias bomb" in problems[0]
    assert problems[0].startswith(f"{path}:")
    assert elapsed < FAST


def test_alias_bomb_inside_a_section_is_refused(tmp_path):
    text = billion_laughs(7).replace("a0:", "x-a0:", 1)
    text = "id: x\nversion: 1\nextra:\n" + "".join(f"  {line}\n" for line in text.splitlines())
    problems, elapsed = check(write(tmp_path, "bomb.yaml", text))
    assert any("alias bomb" in p for p in problems)
    assert elapsed < FAST


def test_recursive_alias_is_refused(tmp_path):
    problems, elapsed = check(write(tmp_path, "loop.yaml", "a: &loop [1, *loop]\n"))
    assert problems == [
        f"{tmp_path / 'loop.yaml'}:1:4: recursive alias: this value contains itself"
    ]
    assert elapsed < FAST


def test_file_over_1mb_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, "big.yaml", "a: " + "x" * MAX_TEMPLATE_BYTES + "\n")
    problems, elapsed = check(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:1:1: file is too large")
    assert "1 MB" in problems[0]
    assert elapsed < FAST


def test_huge_sparse_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as handle:
        handle.truncate(4 * 1024**3)  # 4 GB of holes: reading it would take a while
    problems, elapsed = check(path)
    assert "file is too large" in problems[0]
    assert elapsed < FAST


def test_exactly_1mb_is_allowed_through_to_validation(tmp_path):
    text = "# " + "x" * (MAX_TEMPLATE_BYTES - 3) + "\n"
    assert len(text.encode()) == MAX_TEMPLATE_BYTES
    problems, _ = check(write(tmp_path, "edge.yaml", text))
    assert problems and "the file is empty" in problems[0]


def test_parse_template_refuses_huge_text_too():
    with pytest.raises(TemplateError) as caught:
        parse_template("a: " + "x" * (MAX_TEMPLATE_BYTES + 1), "big.yaml")
    assert "file is too large" in str(caught.value)


def test_binary_file(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    path = write(tmp_path, "image.yaml", data)
    problems, _ = check(path)
    assert problems == [
        f"{path}:3:1: binary file (found a NUL byte); a template is a UTF-8 text file"
    ]


def test_random_binary_never_crashes(tmp_path):
    generator = random.Random(20230920)
    for number in range(50):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 400)))
        problems, _ = check(write(tmp_path, f"r{number}.yaml", data))
        assert problems, data


def test_invalid_utf8_names_line_and_column(tmp_path):
    path = write(tmp_path, "latin1.yaml", "id: x\ntitle: Vårdcentral\n".encode("latin-1"))
    problems, _ = check(path)
    assert problems == [
        f"{path}:2:9: invalid UTF-8 (byte 0xe5); save the file as UTF-8 "
        "(it may be Latin-1 or Windows-1252)"
    ]


def test_invalid_utf8_column_counts_characters_before_it(tmp_path):
    path = write(tmp_path, "mixed.yaml", b"title: \xc3\xa5\xc3\xa4 \xff\n")
    problems, _ = check(path)
    assert problems[0].startswith(f"{path}:1:11: invalid UTF-8 (byte 0xff)")


def test_utf16_is_named(tmp_path):
    path = write(tmp_path, "utf16.yaml", "id: x\n".encode("utf-16"))
    problems, _ = check(path)
    assert problems == [f"{path}:1:1: file is UTF-16 encoded; save it as UTF-8"]


def test_raw_control_character_in_file(tmp_path):
    path = write(tmp_path, "ctl.yaml", "id: x\ntitle: a\x01b\n")
    problems, _ = check(path)
    assert problems == [f"{path}:2:9: character U+0001 is not allowed in a YAML file"]


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "- " * 50_000 + "x", "{a: " * 20_000],
    ids=["flow-lists", "block-lists", "flow-mappings"],
)
def test_deep_nesting_is_a_problem_not_a_crash(tmp_path, text):
    problems, elapsed = check(write(tmp_path, "deep.yaml", text))
    assert problems and "malformed YAML" in problems[0]
    assert elapsed < FAST


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    problems, elapsed = check(fifo)
    assert problems == [f"{fifo}:1:1: not a regular file; expected a template file (.yaml)"]
    assert elapsed < FAST


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "secret.yaml", "id: x\n")
    path.chmod(0)
    problems, _ = check(path)
    assert problems[0].startswith(f"{path}:1:1: cannot read the file")


def test_mutated_templates_only_ever_produce_problems(tmp_path):
    """A small fuzz: cut, duplicate and corrupt the shipped template; never an exception."""
    original = (shipped_templates_dir() / "batalden-primary-care.yaml").read_bytes()
    generator = random.Random(45)
    path = tmp_path / "fuzz.yaml"
    for _ in range(300):
        data = bytearray(original)
        for _ in range(generator.randrange(1, 6)):
            at = generator.randrange(len(data))
            action = generator.randrange(4)
            if action == 0:
                del data[at : at + generator.randrange(1, 40)]
            elif action == 1:
                data[at:at] = data[at : at + generator.randrange(1, 40)]
            elif action == 2:
                data[at] = generator.choice(b" \t\n:-[]{}&*!|>'\"#%@`,?\\")
            else:
                data[at:at] = generator.choice([b"\n  ", b"\n- ", b": ", b"*a", b"&a ", b"!!"])
        path.write_bytes(bytes(data))
        problems = validate_template_file(path)
        assert isinstance(problems, list)
        for problem in problems:
            assert problem.line >= 1 and problem.column >= 1


FALLBACK_SCRIPT = """
import sys, time, yaml
del yaml.CSafeLoader  # as on a system where PyYAML was built without libyaml
from coprod_tui.core import template
from coprod_tui.core.template import reader
from coprod_tui.core.template.registry import shipped_templates_dir
assert not reader._LIBYAML
sentinel, bomb = sys.argv[1], sys.argv[2]
loaded = template.load_template(shipped_templates_dir() / "batalden-primary-care.yaml")
assert sum(len(s.questions) for s in loaded.sections) == 45
texts = [
    "id: !!python/object/apply:os.system ['touch " + sentinel + "']\\n",
    open(bomb, encoding="utf-8").read(),
    "[" * 100000,
    "- " * 50000 + "x",
    "a:\\n" + "".join(" " * i + "b:\\n" for i in range(1, 1300)),
]
for text in texts:
    started = time.perf_counter()
    try:
        template.parse_template(text, "f.yaml")
    except template.TemplateError as error:
        print(round(time.perf_counter() - started, 3), " | ".join(str(error).splitlines()))
    else:
        raise AssertionError("accepted: " + text[:40])
"""


def test_pure_python_fallback_is_just_as_safe(tmp_path):
    """Without libyaml the pure-Python parser is used; it must refuse the same things."""
    import subprocess

    sentinel = tmp_path / "pwned"
    bomb = write(tmp_path, "bomb.yaml", billion_laughs())
    result = subprocess.run(
        [sys.executable, "-c", FALLBACK_SCRIPT, str(sentinel), str(bomb)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert not sentinel.exists()
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert "unsupported tag '!!python/object/apply:os.system'" in lines[0]
    assert "alias bomb" in lines[1]
    assert all("nesting is too deep" in line for line in lines[2:])
    assert all(float(line.split()[0]) < FAST for line in lines)
