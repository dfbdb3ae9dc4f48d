"""The real-world schema corpus (tests/realworld/manifest.json) is there and sound.

The schemas come from pip packages (the ``[test]`` extra of pyproject.toml), never from this
repository. With fewer than MIN_INSTALLED of them installed the corpus tests are skipped
with the list of what is missing, or fail when RTSCHEMA_REQUIRE_REALWORLD=1 (CI).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from jsonschema import exceptions as js_exceptions
from jsonschema import validators as js_validators

from realworld_corpus import (
    MANIFEST,
    RealWorldSchema,
    base_uri,
    instances,
    load_corpus,
    offline_registry,
    parse_file,
    read_manifest,
)

MIN_ENTRIES = 50
MIN_INSTALLED = 50
REQUIRE = os.environ.get("RTSCHEMA_REQUIRE_REALWORLD") == "1"
PYPROJECT = MANIFEST.parent.parent.parent / "pyproject.toml"

ENTRIES = read_manifest()
CORPUS, MISSING = load_corpus()
BY_NAME = {schema.name: schema for schema in CORPUS}
FIELDS = {"name", "what", "package", "import", "path", "dialect", "licence", "notes"}


def _missing_message() -> str:
    packages = sorted(
        {line.split("package ", 1)[1].split(" ", 1)[0] for line in MISSING if "package " in line}
    )
    return (
        f"only {len(CORPUS)} of {len(ENTRIES)} real-world schemas are installed (need {MIN_INSTALLED}); "
        f"missing packages: {', '.join(packages) or 'none'}; "
        "install them with: python -m pip install -e '.[test]'\n" + "\n".join(MISSING)
    )


def _installed(name: str) -> RealWorldSchema:
    schema = BY_NAME.get(name)
    if schema is None:
        # Only the count is enforced (test_enough_schemas_are_installed): one entry may
        # go missing when its package moves a file.
        pytest.skip(next((line for line in MISSING if line.startswith(name + ":")), name))
    return schema


# --------------------------------------------------------------------------- manifest


def test_manifest_has_enough_well_formed_entries() -> None:
    assert len(ENTRIES) >= MIN_ENTRIES
    names = [entry["name"] for entry in ENTRIES]
    assert len(names) == len(set(names)), "duplicate names"
    paths = [(entry["package"], entry["path"]) for entry in ENTRIES]
    assert len(paths) == len(set(paths)), "the same file twice"
    for entry in ENTRIES:
        assert entry.keys() >= FIELDS, (entry["name"], FIELDS - entry.keys())
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", entry["name"]), entry["name"]
        assert not Path(entry["path"]).is_absolute() and ".." not in Path(entry["path"]).parts
        dialect = entry["dialect"]
        assert (
            dialect is None
            or dialect in ("openapi-3.0", "openapi-3.1")
            or "json-schema.org" in dialect
        )
        for uri, local in entry.get("ref_maps", []):
            assert re.match(r"https?://", uri) and not Path(local).is_absolute(), (uri, local)


def test_every_package_is_a_test_dependency() -> None:
    """The packages are installed by the project's ``[test]`` extra (CI installs it)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    extra = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["optional-dependencies"]["test"]
    listed = {re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0].lower() for line in extra}
    wanted = {entry["package"].lower() for entry in ENTRIES}
    assert wanted <= listed, wanted - listed


def test_enough_schemas_are_installed() -> None:
    if len(CORPUS) >= MIN_INSTALLED:
        return
    if REQUIRE:
        pytest.fail(_missing_message())
    pytest.skip(_missing_message())


# --------------------------------------------------------------------------- schemas


def _check_openapi(schema: RealWorldSchema, document: Any) -> None:
    version = document.get("openapi")
    assert isinstance(version, str), f"{schema.name}: no openapi version string"
    assert version.startswith(("3.0.", "3.1.")), version
    assert schema.dialect == "openapi-" + version[:3], (schema.dialect, version)
    components = document.get("components", {}).get("schemas")
    assert isinstance(components, dict) and components, f"{schema.name}: no components.schemas"


def _check_json_schema(schema: RealWorldSchema, document: Any) -> None:
    assert isinstance(document, dict), schema.name
    assert document.get("$schema") == schema.dialect, (
        "the manifest's dialect is not the file's $schema"
    )
    cls = js_validators.validator_for(document, default=js_validators.Draft202012Validator)
    try:
        cls.check_schema(document)  # with the dialect's format checks (regex, uri-reference, ...)
    except js_exceptions.SchemaError as exc:
        where = "".join(f"/{part}" for part in exc.absolute_path)
        detail = f"{schema.name}: {exc.validator!r} fails at {where or '/'}: {exc.message[:300]}"
        assert schema.format_issues, detail
        # A known quirk of the real schema (an ECMA-262-only regex, a $ref that is not a
        # strict URI reference): it must be valid without format assertions, so formats
        # are all that fails. (Which error jsonschema reports first varies: a format
        # error, or an anyOf whose branches fail on one.)
        cls.check_schema(document, format_checker=None)


@pytest.mark.parametrize("name", [entry["name"] for entry in ENTRIES])
def test_schema_parses_and_is_valid_for_its_dialect(name: str) -> None:
    schema = _installed(name)
    document = parse_file(schema.path)
    if isinstance(document, dict) and "openapi" in document:
        _check_openapi(schema, document)
    else:
        _check_json_schema(schema, document)


def _refs(node: Any, base: str, draft4: bool, out: set[tuple[str, str]]) -> None:
    """Every (base URI, $ref) pair in a schema document, following $id scopes."""
    if isinstance(node, dict):
        key = "id" if draft4 else "$id"
        scope = node.get(key)
        if isinstance(scope, str) and scope and not scope.startswith("#"):
            base = urljoin(base, scope)
        ref = node.get("$ref")
        if isinstance(ref, str):
            out.add((base, ref))
        for k, value in node.items():
            if k not in ("enum", "const", "default", "examples", "example"):
                _refs(value, base, draft4, out)
    elif isinstance(node, list):
        for value in node:
            _refs(value, base, draft4, out)


@pytest.mark.parametrize("name", [entry["name"] for entry in ENTRIES])
def test_every_ref_resolves_offline(name: str) -> None:
    """Local pointers exist, and other documents come from beside the schema or from its
    ref_maps, transitively; only the manifest's unresolved_refs may fail."""
    schema = _installed(name)
    document = parse_file(schema.path)
    registry = offline_registry(schema, document).crawl()
    base = base_uri(schema, document)
    todo, seen, unresolved = [(document, base)], {base}, set()
    while todo:
        doc, doc_base = todo.pop()
        pairs: set[tuple[str, str]] = set()
        draft4 = isinstance(doc, dict) and "draft-04" in str(doc.get("$schema", ""))
        _refs(doc, doc_base, draft4, pairs)
        for ref_base, ref in sorted(pairs):
            target = urljoin(ref_base, ref).split("#", 1)[0]
            try:
                registry.resolver(base_uri=ref_base).lookup(ref)
                if target in seen:
                    continue
                retrieved = registry.get_or_retrieve(target)
            except Exception as exc:
                if target in schema.unresolved_refs:
                    unresolved.add(target)
                    continue
                raise AssertionError(
                    f"{name}: $ref {ref!r} (base {ref_base}) does not resolve offline: {exc!r}"
                ) from None
            seen.add(target)
            registry = retrieved.registry.crawl()
            todo.append((retrieved.value.contents, target))
    assert unresolved == set(schema.unresolved_refs), "the manifest's unresolved_refs are stale"


# --------------------------------------------------------------------------- instances


WITH_INSTANCES = [entry["name"] for entry in ENTRIES if instances(entry["name"])]


def test_some_schemas_have_instances() -> None:
    if len(CORPUS) < MIN_INSTALLED and not REQUIRE:
        pytest.skip(_missing_message())
    assert len(WITH_INSTANCES) >= 8, WITH_INSTANCES


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


@pytest.mark.parametrize("name", WITH_INSTANCES)
def test_instances_get_the_expected_verdict(name: str) -> None:
    schema = _installed(name)
    document = parse_file(schema.path)
    cls = js_validators.validator_for(document, default=js_validators.Draft202012Validator)
    validator = cls(document, registry=offline_registry(schema, document))
    for instance in instances(schema):
        errors = list(validator.iter_errors(instance.document))  # resolves every $ref it meets
        if instance.valid is True:
            assert not errors, (
                instance.label,
                [(_pointer(e.absolute_path), e.message[:200]) for e in errors[:3]],
            )
        elif instance.valid is False:
            assert errors, f"{instance.label}: expected to be invalid"
            if instance.pointer is not None:
                pointers = {_pointer(e.absolute_path) for e in errors}
                assert instance.pointer in pointers, (instance.label, pointers)
