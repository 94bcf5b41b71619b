"""The JSON Schema for editors and the format's documentation agree with the validator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from coprod_tui.core.template import checker as template_module
from coprod_tui.core.template import parse_template
from coprod_tui.core.template.registry import shipped_templates_dir

SCHEMA_DIR = shipped_templates_dir()
SCHEMA = json.loads((SCHEMA_DIR / "template.schema.json").read_text(encoding="utf-8"))
README = (Path(__file__).resolve().parents[1] / "schema" / "README.md").read_text(encoding="utf-8")
SHIPPED = sorted(SCHEMA_DIR.glob("*.yaml"))


def readme_example() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", README, flags=re.DOTALL)
    return max(blocks, key=len)


def definition(name: str) -> dict:
    return SCHEMA["definitions"][name]


@pytest.mark.parametrize(
    ("schema_part", "keys"),
    [
        (SCHEMA, template_module._TOP_KEYS),
        (definition("perspective"), template_module._PERSPECTIVE_KEYS),
        (definition("field"), template_module._FIELD_KEYS),
        (definition("section"), template_module._SECTION_KEYS),
    ],
    ids=["template", "perspective", "field", "section"],
)
def test_schema_keys_match_the_validator(schema_part, keys):
    assert set(schema_part["properties"]) == set(keys)
    assert set(schema_part["required"]) == {key for key, required in keys.items() if required}
    assert schema_part["additionalProperties"] is False


def test_schema_id_and_language_patterns_match_the_validator():
    assert definition("id")["pattern"] == "^" + template_module._ID.pattern + "$"
    language = SCHEMA["properties"]["language"]["pattern"]
    assert re.fullmatch(language.strip("^$"), "sv-SE")
    assert definition("field")["properties"]["type"]["enum"] == list(template_module.FIELD_TYPES)


def test_readme_example_is_a_valid_template():
    template = parse_template(readme_example(), "README example")
    assert template.id == "practice-home-visits"
    assert template.section("lived-reality").renamed_from == ("home-life",)


def test_readme_documents_every_key():
    for keys in (
        template_module._TOP_KEYS,
        template_module._PERSPECTIVE_KEYS,
        template_module._FIELD_KEYS,
        template_module._SECTION_KEYS,
    ):
        for key in keys:
            assert f"`{key}`" in README, key


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip(
        "jsonschema", reason="jsonschema is not installed (coprod does not depend on it)"
    )
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    return jsonschema.Draft7Validator(SCHEMA)


@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_schema_accepts_the_shipped_templates(validator, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []


def test_schema_accepts_the_readme_example(validator):
    assert list(validator.iter_errors(yaml.safe_load(readme_example()))) == []


@pytest.mark.parametrize(
    "change",
    [
        {"version": "1"},
        {"id": "Not An Id"},
        {"language": "english"},
        {"sections": []},
        {"titel": "x"},
    ],
)
def test_schema_rejects_broken_templates(validator, change):
    data = yaml.safe_load(readme_example())
    data.update(change)
    assert list(validator.iter_errors(data))


def test_schema_is_plain_json_draft_07():
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert SCHEMA["type"] == "object"
