"""Broken schemas: one line naming the file and the JSON Pointer, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rtschema import cli
from rtschema.write import read_tree

D = "https://json-schema.org/draft/2020-12/schema"


def _deep(levels: int) -> str:
    return (
        '{"$defs": {"A": '
        + '{"type": "object", "properties": {"p": ' * levels
        + "{}"
        + "}}" * levels
        + "}}"
    )


BILLION_LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    + ["$defs: {A: {type: object, default: *i}}"]
)

#: name → (files to write, the file to give as --schema, expected message, expected pointer or None)
CASES: dict[str, tuple[dict[str, str | bytes], str, str, str | None]] = {
    "invalid-json": ({"s.json": '{"$defs": {'}, "s.json", "invalid JSON", None),
    "empty-file": ({"s.json": ""}, "s.json", "no JSON document (the file is empty or blank)", None),
    "blank-file": ({"s.json": "\n  \n"}, "s.json", "no JSON document", None),
    "empty-yaml": (
        {"s.yaml": "\n"},
        "s.yaml",
        "no YAML document (the file is empty or blank)",
        None,
    ),
    "not-utf8": ({"s.json": b"\xff\xfe{}"}, "s.json", "not UTF-8", None),
    "nan": (
        {"s.json": '{"$defs": {"A": {"default": NaN}}}'},
        "s.json",
        "NaN is not valid JSON",
        None,
    ),
    "invalid-yaml": ({"s.yaml": "$defs: [1, 2\n"}, "s.yaml", "invalid YAML", None),
    "yaml-key-not-string": (
        {"s.yaml": "$defs:\n  A:\n    type: object\n    properties:\n      on: {type: string}\n"},
        "s.yaml",
        "is not a string",
        "/$defs/A/properties",
    ),
    "yaml-billion-laughs": ({"s.yaml": BILLION_LAUGHS}, "s.yaml", "expands to more than", None),
    "yaml-recursive-alias": (
        {"s.yaml": "a: &a [1, *a]\n$defs: {}\n"},
        "s.yaml",
        "refers to itself",
        None,
    ),
    "not-an-object": ({"s.json": "[1, 2]"}, "s.json", "must be a JSON object or a boolean", None),
    "meta-schema": (
        {"s.json": json.dumps({"$defs": {"A": {"type": 5}}})},
        "s.json",
        "not a valid schema",
        "/$defs/A/type",
    ),
    "unsupported-dialect": (
        {"s.json": json.dumps({"$schema": "http://json-schema.org/draft-03/schema#"})},
        "s.json",
        "unsupported $schema",
        "/$schema",
    ),
    "swagger-2": ({"s.json": json.dumps({"swagger": "2.0"})}, "s.json", "Swagger 2.0", None),
    "unresolvable-ref": (
        {"s.json": json.dumps({"$defs": {"A": {"$ref": "#/$defs/Nope"}}})},
        "s.json",
        "unresolvable $ref",
        "/$defs/A/$ref",
    ),
    "remote-https-ref": (
        {"s.json": json.dumps({"$defs": {"A": {"$ref": "https://example.com/s.json"}}})},
        "s.json",
        "remote $ref",
        "/$defs/A/$ref",
    ),
    "remote-http-ref": (
        {
            "s.json": json.dumps(
                {"$defs": {"A": {"properties": {"x": {"$ref": "http://example.com/x#/a"}}}}}
            )
        },
        "s.json",
        "remote $ref",
        "/$defs/A/properties/x/$ref",
    ),
    "ref-outside-folder": (
        {
            "sub/s.json": json.dumps({"$defs": {"A": {"$ref": "../outside.json"}}}),
            "outside.json": "{}",
        },
        "sub/s.json",
        "outside the schema's folder",
        "/$defs/A/$ref",
    ),
    "ref-to-missing-file": (
        {"s.json": json.dumps({"$defs": {"A": {"$ref": "other.json#/$defs/B"}}})},
        "s.json",
        "no such file",
        "/$defs/A/$ref",
    ),
    "ref-cycle": (
        {"s.json": json.dumps({"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}})},
        "s.json",
        "$ref cycle",
        "/$defs/",
    ),
    "self-ref": (
        {
            "s.json": json.dumps(
                {"$defs": {"A": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}}}
            )
        },
        "s.json",
        "$ref cycle",
        "/$defs/A",
    ),
    "allof-self-ref": (
        {"s.json": json.dumps({"$defs": {"A": {"allOf": [{"$ref": "#/$defs/A"}]}}})},
        "s.json",
        "refers to itself",
        "/$defs/A",
    ),
    "duplicate-json-key": (
        {"s.json": '{"$defs": {"A": {"type": "string"}, "A": {"type": "integer"}}}'},
        "s.json",
        "duplicate key 'A'",
        "/$defs",
    ),
    "duplicate-type-name": (
        {"s.json": json.dumps({"$defs": {"A": {}}, "definitions": {"A": {}}})},
        "s.json",
        "duplicate type name 'A'",
        "/definitions/A",
    ),
    "nested-too-deep": ({"s.json": _deep(5000)}, "s.json", "nested", None),
    "nested-past-the-limit": (
        {"s.json": _deep(200)},
        "s.json",
        "nested deeper than",
        "/$defs/A/properties/p",
    ),
    "bad-pattern": (
        {"s.json": json.dumps({"$defs": {"A": {"type": "string", "pattern": "(unclosed"}}})},
        "s.json",
        "not a valid regular expression",
        "/$defs/A",
    ),
    "openapi-external-ref": (
        {
            "s.json": json.dumps(
                {
                    "openapi": "3.1.0",
                    "info": {"title": "t", "version": "1"},
                    "components": {"schemas": {"A": {"$ref": "other.yaml#/B"}}},
                }
            )
        },
        "s.json",
        "not a reference to #/components/schemas",
        "/components/schemas/A/$ref",
    ),
    "openapi-dangling-ref": (
        {
            "s.json": json.dumps(
                {
                    "openapi": "3.0.3",
                    "info": {"title": "t", "version": "1"},
                    "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}}},
                }
            )
        },
        "s.json",
        "points to no component schema",
        "/components/schemas/A",
    ),
    "directory": ({"d/x.txt": "x"}, "d", "is a directory", None),
}


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_schema(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    files, schema, message, pointer = CASES[case]
    _write(tmp_path / "in", files)
    out = tmp_path / "out"
    (out / "pkg").mkdir(parents=True)
    (out / "pkg" / "keep.txt").write_text("existing output")
    before = read_tree(out)
    path = str(tmp_path / "in" / schema)
    code = cli.main(["generate", "--schema", path, "--out", str(out), "--package", "pkg"])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if not line.startswith("rtschema: warning:")]
    assert code == 2, err
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("rtschema: error: ") and "Traceback" not in err
    assert message in line, line
    assert path in line or Path(path).name in line, line
    if pointer is not None:
        assert f"#{pointer}" in line, line
    assert read_tree(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["pkg"]  # no temporary folders left


@pytest.mark.parametrize("command", ["docs", "validate", "export"])
def test_other_commands_refuse_broken_schemas_the_same_way(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps({"$defs": {"A": {"$ref": "#/$defs/Nope"}}}))
    payload = tmp_path / "p.json"
    payload.write_text("{}")
    argv = {
        "docs": ["docs", "--schema", str(schema), "--out", str(tmp_path / "docs")],
        "validate": ["validate", str(payload), "--type", "A", "--schema", str(schema)],
        "export": ["export", "A", "--schema", str(schema), "-o", str(tmp_path / "a.json")],
    }[command]
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and f"{schema}#/$defs/A/$ref" in err
    assert not (tmp_path / "docs").exists() and not (tmp_path / "a.json").exists()


def test_a_schema_no_finite_value_satisfies_still_generates(tmp_path: Path) -> None:
    """An object that requires itself has no finite instance; that is a valid schema,
    whose validators reject every value (it used to be refused)."""
    from support import import_fresh

    schema = {
        "$defs": {
            "A": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/$defs/A"}}}
        }
    }
    _write(tmp_path / "in", {"s.json": json.dumps(schema)})
    out = tmp_path / "out"
    code = cli.main(
        [
            "generate",
            "--schema",
            str(tmp_path / "in" / "s.json"),
            "--out",
            str(out),
            "--package",
            "nofinite",
        ]
    )
    assert code == 0
    module = import_fresh(out, "nofinite")
    for value in ({}, {"a": {}}, {"a": {"a": {}}}, None, 1):
        assert not module.is_valid(value, "A")
        assert list(module.iter_errors(value, "A"))
