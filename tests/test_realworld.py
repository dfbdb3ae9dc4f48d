"""Real-world schemas: every one generates, imports, passes ``mypy --strict``, and its
validators agree with jsonschema on drawn and mutated instances.

The corpus (``tests/realworld/manifest.json``, loaded by ``realworld_corpus``) is made of
widely used public schemas read from installed pip packages: CI and workflow configs,
package manifests, editor and linter configs, container and deployment files, notebooks
and data formats, OpenAPI documents and meta-schemas. A schema may fail to generate
only when it references a file that does not exist locally (one clear line).

Agreement: for the document's root and for a few of its named types, instances drawn by
``schema_strategies.instances`` (directed at the schema, mutated, hinted, arbitrary) get
the same verdict and the same error locations from the generated validators as from
jsonschema (``reference``), read in the same dialect. Instances that make jsonschema
itself fail (its regular expressions are Python's, and some schemas use ECMA-262
syntax Python lacks, like ``\\p{Cc}``) are counted and skipped.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from rtschema.errors import InputError, escape_pointer
from rtschema.generate import compile_schema, generate_packages
from rtschema.source.remote import RefMap, parse_ref_map

from realworld_corpus import RealWorldSchema, load_corpus
from reference import reference_pointers, reference_validator
from schema_strategies import instances
from support import import_fresh, mypy_strict

CORPUS, MISSING = load_corpus()
MINIMUM = 50
#: Named types checked per schema besides the root (the first ones, by name).
NAMED_PER_SCHEMA = 2
EXAMPLES = max(10, settings.default.max_examples // 8)
COMPARED: Counter[str] = Counter()


def _package(entry: RealWorldSchema) -> str:
    return "rw_" + re.sub(r"\W", "_", entry.name)


def _maps(entry: RealWorldSchema) -> tuple[RefMap, ...]:
    return tuple(parse_ref_map(f"{uri}={path}") for uri, path in entry.ref_maps)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """All schemas generated into one folder (formatted in one run of ruff); the
    one-line errors of those that cannot be, by name."""
    if len(CORPUS) < MINIMUM:
        message = f"only {len(CORPUS)} real-world schemas are installed: {MISSING}"
        if os.environ.get("RTSCHEMA_REQUIRE_REALWORLD") == "1":
            pytest.fail(message)
        pytest.skip(message + " (pip install -r tests/realworld/requirements.txt)")
    out = tmp_path_factory.mktemp("realworld")
    refused: dict[str, str] = {}
    jobs: list[tuple[str, str]] = []
    maps: dict[str, RefMap] = {}
    with redirect_stderr(io.StringIO()):  # name collisions and legacy patterns warn
        for entry in CORPUS:
            try:
                compile_schema(str(entry.path), _maps(entry))
            except InputError as exc:
                refused[entry.name] = str(exc)
                continue
            jobs.append((str(entry.path), _package(entry)))
            maps.update({m.prefix: m for m in _maps(entry)})
        generate_packages(jobs, str(out), ref_maps=tuple(maps.values()))
    return out, refused


def test_every_schema_generates_or_names_a_missing_file(
    generated: tuple[Path, dict[str, str]],
) -> None:
    _, refused = generated
    by_name = {entry.name: entry for entry in CORPUS}
    for name, message in refused.items():
        assert by_name[name].unresolved_refs, f"{name}: {message}"
        assert "no such file" in message and "\n" not in message, message
    assert len(CORPUS) - len(refused) >= MINIMUM


def test_generated_packages_import_and_pass_mypy(generated: tuple[Path, dict[str, str]]) -> None:
    out, refused = generated
    packages = [_package(e) for e in CORPUS if e.name not in refused]
    for package in packages:
        module = import_fresh(out, package)
        assert module.TYPES is not None
    mypy_strict(packages, cwd=out)


def _targets(entry: RealWorldSchema) -> list[str | None]:
    """The root and the first named types of a schema."""
    from rtschema.schema.index import build_index
    from rtschema.source.load import load_schema

    document = build_index(load_schema(str(entry.path), _maps(entry))).root.schema
    names: list[str] = []
    if isinstance(document, dict):
        for container in ("$defs", "definitions"):
            defs = document.get(container)
            if isinstance(defs, dict):
                names += sorted(k for k, v in defs.items() if isinstance(v, (dict, bool)))
    return [None, *names[:NAMED_PER_SCHEMA]]


def _drawing_schema(document: Any, target: str | None) -> Any:
    if target is None or not isinstance(document, dict):
        return document
    container = "$defs" if target in (document.get("$defs") or {}) else "definitions"
    body = {k: v for k, v in document.items() if k not in ("$ref",)}
    return {**body, "$ref": f"#/{container}/{quote(escape_pointer(target))}"}


@pytest.mark.parametrize("entry", CORPUS, ids=[e.name for e in CORPUS])
def test_validators_agree_with_jsonschema(
    generated: tuple[Path, dict[str, str]], entry: RealWorldSchema
) -> None:
    out, refused = generated
    if entry.name in refused:
        pytest.skip(f"not generated: {refused[entry.name]}")
    from rtschema.source.load import load_schema

    module = import_fresh(out, _package(entry))
    document = load_schema(str(entry.path), _maps(entry)).document
    for target in _targets(entry):
        _agree(module, entry, target, _drawing_schema(document, target))


def _agree(module: Any, entry: RealWorldSchema, target: str | None, schema: Any) -> None:
    """Drawn and mutated instances of ``target`` get jsonschema's verdicts and errors."""
    reference = reference_validator(str(entry.path), target, _maps(entry))

    @settings(
        max_examples=EXAMPLES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        # Big schemas make shrinking very slow: a failure shows the example as drawn.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(instances(schema, reference))
    def agree(payload: Any) -> None:
        try:
            expected = reference.is_valid(payload)
            pointers = reference_pointers(reference, payload) if not expected else set()
        except re.error:
            COMPARED["skipped: jsonschema cannot read a pattern"] += 1
            return
        COMPARED["valid" if expected else "invalid"] += 1
        assert module.is_valid(payload, target) is expected, (entry.name, target, payload)
        ours = {e.path for e in module.iter_errors(payload, target)}
        assert ours == pointers, (entry.name, target, payload, ours, pointers)

    agree()


def test_enough_real_world_payloads_were_compared(request: pytest.FixtureRequest) -> None:
    ran = [
        i for i in request.session.items if i.module is not None and i.module.__name__ == __name__
    ]
    if len(ran) < len(CORPUS):
        pytest.skip("only part of this module ran; the count covers full runs")
    total = COMPARED["valid"] + COMPARED["invalid"]
    print(f"\nreal-world payloads compared with jsonschema: {dict(COMPARED)}")
    assert total >= 2_000, dict(COMPARED)
    assert COMPARED["valid"] >= total // 10, dict(COMPARED)
