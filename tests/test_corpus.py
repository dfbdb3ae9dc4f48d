"""The feature corpus: small schemas, one per feature, generated, imported and exercised.

Each case in ``tests/corpus/features/<case>/`` has a ``schema.json``/``schema.yaml``
(JSON Schema 2020-12 or draft-07, or OpenAPI 3.0/3.1) and a ``cases.json`` with valid
payloads and invalid ones (with the JSON Pointer where each fails) by type name. For
every case: the package generates and imports, valid payloads round-trip exactly
through the dataclasses, and verdicts and error pointers agree with jsonschema. Then
mypy --strict and ruff run over all the generated packages at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rtschema.generate import generate_package
from rtschema.write import read_tree

from support import (
    CORPUS,
    import_fresh,
    load_json,
    mypy_strict,
    reference_pointers,
    reference_validator,
    ruff_clean,
    schema_file,
)

FEATURES = CORPUS / "features"
CASES = sorted(p.name for p in FEATURES.iterdir() if (p / "cases.json").is_file())


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    for case in CASES:
        generate_package(str(schema_file(FEATURES / case)), str(out), f"corpus_{case}")
    return out


def _module(out: Path, case: str) -> Any:
    return import_fresh(out, f"corpus_{case}")


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_valid_payloads_round_trip(corpus_out: Path, case: str) -> None:
    module = _module(corpus_out, case)
    cases = load_json(FEATURES / case / "cases.json")
    path = str(schema_file(FEATURES / case))
    for type_name, payloads in cases["valid"].items():
        reference = reference_validator(path, type_name)
        for payload in payloads:
            assert reference.is_valid(payload), (type_name, payload)
            assert module.is_valid(payload, type_name), (type_name, payload)
            assert list(module.iter_errors(payload, type_name)) == []
            value = module.parse(payload, type_name)
            dumped = value.to_dict() if hasattr(value, "to_dict") else module._runtime._dump(value)
            assert dumped == payload, (type_name, payload)


@pytest.mark.parametrize("case", CASES)
def test_invalid_payloads_fail_where_jsonschema_says(corpus_out: Path, case: str) -> None:
    module = _module(corpus_out, case)
    cases = load_json(FEATURES / case / "cases.json")
    path = str(schema_file(FEATURES / case))
    for type_name, samples in cases["invalid"].items():
        reference = reference_validator(path, type_name)
        for sample in samples:
            payload, pointer = sample["payload"], sample["pointer"]
            expected = reference_pointers(reference, payload)
            assert pointer in expected, (type_name, payload, expected)
            assert not module.is_valid(payload, type_name), (type_name, payload)
            with pytest.raises(module.ValidationError) as raised:
                module.parse(payload, type_name)
            ours = {error.path for error in raised.value.errors}
            assert ours == expected, (type_name, payload)


def test_no_keyword_is_left_unchecked(corpus_out: Path) -> None:
    """Every validation keyword is enforced: no generated module says otherwise."""
    for case in CASES:
        for source in (corpus_out / f"corpus_{case}").glob("*.py"):
            assert "not supported" not in source.read_text("utf-8"), source


def test_generation_is_deterministic(tmp_path: Path) -> None:
    for case in ("recursion", "names", "openapi30"):
        schema = str(schema_file(FEATURES / case))
        generate_package(schema, str(tmp_path / "a"), "pkg")
        generate_package(schema, str(tmp_path / "b"), "pkg")
        assert read_tree(tmp_path / "a" / "pkg") == read_tree(tmp_path / "b" / "pkg")


def test_names_are_safe_and_keys_exact(corpus_out: Path) -> None:
    module = _module(corpus_out, "names")
    cls = module.models.WeirdName
    fields = {f.name for f in __import__("dataclasses").fields(cls)}
    assert {
        "from_",
        "class_",
        "field_2fast",
        "a_b",
        "a_b_",
        "field_init__",
        "to_dict_",
        "extra_properties_",
    } <= fields
    assert {"str_", "object", "field_", "self", "cls", "data"} <= fields
    assert (
        hasattr(module.models, "Str")
        and hasattr(module.models, "UNSET_")
        and hasattr(module.models, "Private")
    )
    assert hasattr(module.models, "ClassInner_")  # the inline Class.inner yields to the $defs name


def test_generated_corpus_passes_mypy_and_ruff(corpus_out: Path) -> None:
    packages = [str(corpus_out / f"corpus_{case}") for case in CASES]
    mypy_strict(packages, cwd=corpus_out)
    ruff_clean(packages, formatted=True)
