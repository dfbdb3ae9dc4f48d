"""What a new user hit first (issue 13): the CLI, output folders, errors, packaging.

Each test names the point of the issue it shows; each failed before its fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rtschema import cli

PETS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Pet": {
            "type": "object",
            "properties": {"kind": {"enum": ["cat", "dog"]}, "name": {"type": "string"}},
            "required": ["kind"],
        }
    },
}

PETS_OPENAPI_YAML = """\
openapi: 3.1.0
info: {title: pets, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        kind: {enum: [cat, dog]}
      required: [kind]
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ 1. export --schema


@pytest.mark.parametrize("kind", ["json", "openapi-yaml"])
def test_1_export_a_type_of_another_schema(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if kind == "json":
        schema = tmp_path / "pets.schema.json"
        schema.write_text(json.dumps(PETS))
    else:
        schema = tmp_path / "pets.yaml"
        schema.write_text(PETS_OPENAPI_YAML)
    code, out, err = run(["export", "Pet", "--schema", str(schema)], capsys)
    assert code == 0, err
    exported = json.loads(out)
    assert exported["$ref"] == "#/$defs/Pet"
    assert exported["$defs"]["Pet"]["required"] == ["kind"]
    target = tmp_path / "pet.json"
    code, _, err = run(["export", "Pet", "--schema", str(schema), "-o", str(target)], capsys)
    assert code == 0, err
    assert json.loads(target.read_text()) == exported
