"""The shape of the fast path (``_v_*``, what ``is_valid`` runs): the rewrites that make
it cheaper per payload, each with the verdicts it must keep (the reference validator's)."""

from __future__ import annotations

import inspect
import json
from itertools import count
from pathlib import Path
from typing import Any

from rtschema.generate import generate_package

from reference import reference_validator
from support import import_fresh

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_PACKAGES = count()


def _schema_file(tmp_path: Path, defs: dict[str, Any]) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"$schema": DRAFT, "$defs": defs}), "utf-8")
    return path


def _package(tmp_path: Path, defs: dict[str, Any]) -> Any:
    name = f"fast_path_{next(_PACKAGES)}"
    generate_package(str(_schema_file(tmp_path, defs)), str(tmp_path), name)
    return import_fresh(tmp_path, name)


def _agrees(package: Any, path: Path, name: str, payloads: list[Any]) -> None:
    """``is_valid`` gives jsonschema's verdict on every payload."""
    reference = reference_validator(str(path), name)
    for payload in payloads:
        expected = reference.is_valid(payload)
        assert package.is_valid(payload, name) is expected, payload


# --------------------------------------------------------------------------- properties


def test_an_optional_property_is_a_containment_test(tmp_path: Path) -> None:
    defs = {
        "T": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
            "required": ["a"],
        }
    }
    package = _package(tmp_path, defs)
    source = inspect.getsource(package.validators._v_T)
    assert '"b" in x' in source and 'x["b"]' in source
    assert 'x.get("b"' not in source
    payloads: list[Any] = [
        {"a": "x"},
        {"a": "x", "b": 1},
        {"a": "x", "b": "1"},
        {"a": "x", "b": None},
        {"b": 1},
        {"a": 1},
        {},
        [],
        None,
    ]
    _agrees(package, tmp_path / "schema.json", "T", payloads)
