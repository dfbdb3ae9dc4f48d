"""Schema evolution: ``import-openapi``, ``sync``, ``diff``, schema versions and the changelog."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from rtschema import cli
from rtschema.evolution import diff
from rtschema.evolution import layer as layer_mod
from rtschema.evolution.changelog import _version_key
from rtschema.generate import _distribution_version, generate_package, load_ir
from rtschema.python.package import schema_version

from support import CORPUS, ROOT, SESSION_ROOTS, import_fresh, load_json

OPENAPI = CORPUS / "openapi"
UPSTREAM = ROOT.parent / "shared" / "upstream" / "openai-openapi-2.3.0-schemas.json"
needs_upstream = pytest.mark.skipif(
    not UPSTREAM.is_file(), reason=f"optional: the upstream OpenAPI document is not at {UPSTREAM}"
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def walk(data: Any) -> list[Any]:
    """Every value in a JSON tree (keys and values alike are reachable from it)."""
    found = [data]
    stack = [data]
    while stack:
        node = stack.pop()
        children = (
            list(node.values())
            if isinstance(node, dict)
            else node
            if isinstance(node, list)
            else []
        )
        found.extend(children)
        stack.extend(children)
    return found


def all_keys(data: Any) -> set[str]:
    return {k for node in walk(data) if isinstance(node, dict) for k in node}


def all_refs(data: Any) -> set[str]:
    return {
        node["$ref"]
        for node in walk(data)
        if isinstance(node, dict) and isinstance(node.get("$ref"), str)
    }


def import_bundle(
    spec: Path, roots: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[dict[str, Any], str]:
    code, out, err = run(
        ["import-openapi", str(spec), *[a for r in roots for a in ("--root", r)]], capsys
    )
    assert code == 0, err
    return json.loads(out), out


# --------------------------------------------------------------------------- import-openapi


def test_import_takes_the_closure_of_the_roots_only(capsys: pytest.CaptureFixture[str]) -> None:
    bundle, _ = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    assert set(bundle["$defs"]) == {"Pet", "Cat", "Dog", "Owner"}  # not Unused
    assert bundle["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(bundle)


def test_import_rewrites_every_reference_to_defs(capsys: pytest.CaptureFixture[str]) -> None:
    bundle, text = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    refs = all_refs(bundle)
    assert refs == {"#/$defs/Cat", "#/$defs/Dog", "#/$defs/Owner"}
    assert "#/components" not in text


def test_import_translates_nullable(capsys: pytest.CaptureFixture[str]) -> None:
    bundle, _ = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    cat = bundle["$defs"]["Cat"]["properties"]
    dog = bundle["$defs"]["Dog"]["properties"]
    assert cat["nickname"] == {"type": ["string", "null"]}
    assert dog["size"] == {"type": ["string", "null"], "enum": ["small", "big", None]}
    # No type to extend: the schema is wrapped, the reference kept.
    assert cat["owner"] == {"anyOf": [{"allOf": [{"$ref": "#/$defs/Owner"}]}, {"type": "null"}]}
    assert "nullable" not in all_keys(bundle)


def test_import_translates_discriminator_mapping_and_keeps_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle, _ = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    pet = bundle["$defs"]["Pet"]
    # A mapping value may be a full reference or a bare component name ("dog: Dog").
    assert pet["discriminator"] == {
        "propertyName": "petType",
        "mapping": {"cat": "#/$defs/Cat", "dog": "#/$defs/Dog"},
    }
    assert pet["oneOf"] == [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}]


def test_import_drops_extensions_and_translates_openapi_only_keywords(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle, _ = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    keys = all_keys(bundle)
    assert not {k for k in keys if k.startswith("x-")}
    assert "externalDocs" not in keys and "example" not in keys
    cat = bundle["$defs"]["Cat"]
    assert cat["properties"]["petType"] == {"type": "string", "const": "cat"}  # x-stainless-const
    assert cat["properties"]["name"]["examples"] == ["Tom"]
    # OpenAPI 3.0's boolean exclusiveMinimum becomes the numeric 2020-12 form.
    assert cat["properties"]["lives"] == {"type": "integer", "exclusiveMinimum": 0, "maximum": 9}
    assert bundle["$defs"]["Dog"]["required"] == ["petType", "name"]  # duplicate dropped


def test_imported_bundle_generates_a_package_that_tells_the_variants_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    (tmp_path / "pets.json").write_text(text, "utf-8")
    generate_package(str(tmp_path / "pets.json"), str(tmp_path / "out"), "pets")
    pets = import_fresh(tmp_path / "out", "pets")
    cat = {"petType": "cat", "name": "Tom", "nickname": None, "owner": None, "lives": 9}
    assert pets.is_valid(cat, "Pet")
    assert type(pets.parse(cat, "Pet")).__name__ == "Cat"
    assert pets.parse(cat, "Pet").to_dict() == cat
    assert not pets.is_valid({**cat, "lives": 0}, "Pet")  # exclusive minimum
    assert not pets.is_valid({"petType": "dog", "name": "Rex", "size": "huge"}, "Pet")
    assert pets.is_valid({"petType": "dog", "name": "Rex", "size": None}, "Pet")


def test_import_follows_cycles_and_recursive_refs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, text = import_bundle(OPENAPI / "tree.json", ["Forest"], capsys)
    assert set(bundle["$defs"]) == {
        "Forest",
        "Node",
    }  # Broken is not reached, so it does not matter
    node = bundle["$defs"]["Node"]
    assert node["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert node["properties"]["parent"] == {"$ref": "#/$defs/Node"}  # from $recursiveRef: "#"
    assert "$recursiveAnchor" not in all_keys(bundle)

    (tmp_path / "tree.json").write_text(text, "utf-8")
    generate_package(str(tmp_path / "tree.json"), str(tmp_path / "out"), "trees")
    trees = import_fresh(tmp_path / "out", "trees")
    forest = {"trees": [{"label": "a", "children": [{"label": "b", "parent": {"label": "a"}}]}]}
    parsed = trees.parse(forest, "Forest")
    assert parsed.trees[0].children[0].parent.label == "a"
    assert parsed.to_dict() == forest
    assert not trees.is_valid({"trees": [{"children": [{"label": 1}]}]}, "Forest")


def test_import_is_deterministic_and_sorted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, first = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    _, again = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    assert first == again
    # The same document with its components and keys in reverse order, as JSON.
    document = yaml.safe_load((OPENAPI / "pets.yaml").read_text("utf-8"))

    def reverse(node: Any, keep: bool = False) -> Any:
        if isinstance(node, dict):
            pairs = list(node.items()) if keep else list(reversed(node.items()))
            return {k: reverse(v, keep=k == "properties") for k, v in pairs}
        if isinstance(node, list):
            return [reverse(v) for v in node]
        return node

    # Keywords and components reversed; the order of properties (field order) and of
    # lists (oneOf, enum) is meaning and kept.
    shuffled = reverse(document)
    (tmp_path / "pets.json").write_text(json.dumps(shuffled), "utf-8")
    _, reordered = import_bundle(tmp_path / "pets.json", ["Pet"], capsys)
    assert reordered == first
    assert list(json.loads(first)["$defs"]) == sorted(json.loads(first)["$defs"])


def test_import_writes_the_file_given_with_o(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = import_bundle(OPENAPI / "pets.yaml", ["Pet"], capsys)
    target = tmp_path / "bundle.json"
    code, out, err = run(
        ["import-openapi", str(OPENAPI / "pets.yaml"), "-r", "Pet", "-o", str(target)], capsys
    )
    assert code == 0 and out == ""
    assert target.read_text("utf-8") == text
    assert "4 types" in err


def test_import_several_roots(capsys: pytest.CaptureFixture[str]) -> None:
    bundle, _ = import_bundle(OPENAPI / "pets.yaml", ["Owner", "Unused"], capsys)
    assert set(bundle["$defs"]) == {"Owner", "Unused"}


def test_import_does_not_follow_refs_inside_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "A": {
                    "type": "object",
                    "default": {"$ref": "#/components/schemas/Nowhere"},
                    "examples": [{"$ref": "#/components/schemas/B"}],
                    "properties": {"$ref": {"type": "string"}},
                },
                "B": {"type": "string"},
            }
        },
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), "utf-8")
    bundle, _ = import_bundle(spec, ["A"], capsys)
    assert set(bundle["$defs"]) == {"A"}
    assert bundle["$defs"]["A"]["default"] == {
        "$ref": "#/components/schemas/Nowhere"
    }  # data, untouched


@pytest.mark.parametrize(
    ("roots", "message"),
    [
        (["Nope"], "tree.json#/components/schemas: no component schema named 'Nope'"),
        (["Forest", "Nope", "Gone"], "no component schema named 'Nope', 'Gone'"),
        (
            ["Broken"],
            "tree.json#/components/schemas/Broken/properties/x/$ref: "
            "reference '#/components/schemas/Nowhere' points to no component schema",
        ),
    ],
)
def test_missing_roots_and_dangling_refs_are_one_line_errors(
    roots: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    argv = ["import-openapi", str(OPENAPI / "tree.json"), "-o", str(target)]
    code, out, err = run([*argv, *[a for r in roots for a in ("--root", r)]], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"components": {"schemas": {"A": {}}}}, "not an OpenAPI document"),
        (
            {"openapi": "2.0", "components": {"schemas": {"A": {}}}},
            "spec.json#/openapi: unsupported OpenAPI version '2.0'",
        ),
        (
            {"openapi": "3.1.0", "components": {"schemas": {"A": {"$ref": "other.json#/B"}}}},
            "spec.json#/components/schemas/A/$ref: $ref 'other.json#/B' is not a reference to #/components/schemas",
        ),
        (
            {"openapi": "3.1.0", "components": {"schemas": {"A": {"$recursiveRef": "#/x"}}}},
            "$recursiveRef '#/x' is not supported",
        ),
        (
            {"openapi": "3.1.0", "components": {"schemas": []}},
            "spec.json#/components/schemas: components.schemas must be an object",
        ),
        (
            {
                "openapi": "3.1.0",
                "components": {"schemas": {"A": {"discriminator": {"mapping": {"b": "Missing"}}}}},
            },
            "spec.json#/components/schemas/A/discriminator/mapping/b: reference 'Missing' points to no component schema",
        ),
    ],
)
def test_bad_openapi_documents_are_one_line_errors(
    document: dict[str, Any], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), "utf-8")
    code, out, err = run(["import-openapi", str(spec), "--root", "A"], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err


# --------------------------------------------------------------------------- upstream


def _upstream_closure(document: dict[str, Any], roots: list[str]) -> set[str]:
    """An independent breadth-first closure: every "#/components/schemas/X" string anywhere."""
    schemas = document["components"]["schemas"]
    seen: set[str] = set()
    queue = list(roots)
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        for value in walk(schemas[name]):
            if isinstance(value, str) and value.startswith("#/components/schemas/"):
                queue.append(value.split("/")[3])
    return seen


@needs_upstream
def test_upstream_roots_import_exactly_their_closure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, _ = import_bundle(UPSTREAM, SESSION_ROOTS, capsys)
    expected = _upstream_closure(load_json(UPSTREAM), SESSION_ROOTS)
    assert len(expected) == 42
    assert set(bundle["$defs"]) == expected
    assert all(ref.startswith("#/$defs/") for ref in all_refs(bundle))
    Draft202012Validator.check_schema(bundle)


@needs_upstream
def test_the_canonical_schema_holds_every_realtime_component() -> None:
    """The whole protocol: every upstream component named Realtime* is a type of ours."""
    upstream = load_json(UPSTREAM)["components"]["schemas"]
    ours = load_json(ROOT / "schema" / "realtime.schema.json")["$defs"]
    missing = sorted(n for n in upstream if n.startswith("Realtime") and n not in ours)
    assert missing == []
    assert set(SESSION_ROOTS) <= set(ours)


@pytest.fixture
def scratch_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of this project's pyproject.toml and schema/, as the working directory."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@needs_upstream
def test_sync_against_upstream_changes_nothing(
    scratch_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["sync", "--check", str(UPSTREAM)], capsys)
    assert (code, err) == (0, ""), err
    before = {p: p.read_bytes() for p in (scratch_project / "schema").rglob("*") if p.is_file()}
    code, out, err = run(["sync", str(UPSTREAM)], capsys)
    assert (code, out, err) == (0, "nothing changed\n", "")
    after = {p: p.read_bytes() for p in (scratch_project / "schema").rglob("*") if p.is_file()}
    assert after == before


def _modified_upstream(folder: Path, change: Callable[[dict[str, Any]], None]) -> str:
    document = load_json(UPSTREAM)
    change(document["components"]["schemas"])
    path = folder / "upstream.json"
    path.write_text(json.dumps(document), "utf-8")
    return str(path)


@needs_upstream
def test_sync_shows_classified_changes_when_upstream_moves(
    scratch_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(schemas: dict[str, Any]) -> None:
        session = schemas["RealtimeSession"]["properties"]
        session["output_modalities"] = {
            "type": "array",
            "items": {"type": "string", "enum": ["text", "audio"]},
        }
        del session["expires_at"]

    spec = _modified_upstream(scratch_project, change)
    code, out, err = run(["sync", "--check", spec], capsys)
    assert code == 1 and "would change: schema/realtime.schema.json" in out
    code, out, err = run(["sync", spec], capsys)
    assert code == 0
    assert "BREAKING for readers   RealtimeSession.expires_at: field removed [response]" in out
    assert "compatible             RealtimeSession.output_modalities: optional field added" in out
    # Our description of the removed field is reported, and the new field lacks one of ours.
    assert "descriptions: /$defs/RealtimeSession/properties/expires_at no longer exists" in err
    assert "no description of ours at /$defs/RealtimeSession/properties/output_modalities" in err
    canonical = load_json(scratch_project / "schema" / "realtime.schema.json")
    assert "expires_at" not in canonical["$defs"]["RealtimeSession"]["properties"]
    assert "output_modalities" in canonical["$defs"]["RealtimeSession"]["properties"]


@needs_upstream
def test_sync_reports_layer_entries_that_no_longer_apply(
    scratch_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(schemas: dict[str, Any]) -> None:
        # Upstream fixes what one of our corrections fixes: the correction is now stale.
        props = schemas["RealtimeSessionCreateRequest"]["properties"]
        props["turn_detection"] = {"$ref": "#/components/schemas/RealtimeTurnDetection"}

    spec = _modified_upstream(scratch_project, change)
    stale = "beta-request-accepts-session-settings: /$defs/RealtimeSessionCreateRequest/properties/turn_detection"
    code, _, err = run(["sync", "--check", spec], capsys)
    assert code == 1 and stale in err
    code, _out, err = run(["sync", spec], capsys)
    assert code == 0 and f"rtschema: warning: layer no longer applies: {stale}" in err
    changes = (scratch_project / "schema" / "CHANGES.md").read_text("utf-8")
    assert "## Layer entries that no longer apply" in changes and stale in changes


@needs_upstream
def test_sync_reports_a_new_upstream_component_nothing_reaches(
    scratch_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(schemas: dict[str, Any]) -> None:
        event = copy.deepcopy(schemas["RealtimeBetaServerEventInputAudioBufferCleared"])
        event["properties"]["type"]["enum"] = ["input_audio_buffer.flushed"]
        schemas["RealtimeBetaServerEventInputAudioBufferFlushed"] = event

    spec = _modified_upstream(scratch_project, change)
    line = "bundle: upstream component 'RealtimeBetaServerEventInputAudioBufferFlushed'"
    code, _, err = run(["sync", "--check", spec], capsys)
    assert code == 1 and line in err


@needs_upstream
def test_layer_build_reports_every_correction_whose_target_is_gone() -> None:
    layer = layer_mod.load_layer(ROOT / "schema" / "layer")
    document = load_json(UPSTREAM)
    _, report = layer_mod.build(copy.deepcopy(document), "upstream", layer)
    assert report.stale == []
    del document["components"]["schemas"]["RealtimeSessionCreateRequest"]["properties"][
        "turn_detection"
    ]
    _, report = layer_mod.build(document, "upstream", layer)
    assert any(
        line.startswith("beta-request-accepts-session-settings:") and "turn_detection" in line
        for line in report.stale
    ), report.stale


# --------------------------------------------------------------------------- diff

#: A small schema with one request type (closed), one response type (open) and one type
#: both use. Each diff case changes one thing in it.
BASE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Request": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type"],
            "properties": {
                "type": {"const": "session.update"},
                "mode": {"type": "string", "enum": ["a", "b"]},
                "voice": {
                    "anyOf": [{"type": "string"}, {"type": "string", "enum": ["alloy", "echo"]}]
                },
                "temperature": {"type": "number", "minimum": 0.6, "maximum": 1.2},
                "count": {"type": "integer"},
                "ratio": {"type": "number"},
                "name": {"type": "string", "maxLength": 10},
                "label": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "detection": {
                    "anyOf": [{"$ref": "#/$defs/ServerVad"}, {"$ref": "#/$defs/SemanticVad"}]
                },
                "tracing": {"anyOf": [{"type": "string", "const": "auto"}, {"type": "null"}]},
                "prompt": {"type": "string"},
                "shared": {"$ref": "#/$defs/Shared"},
            },
        },
        "Response": {
            "type": "object",
            "required": ["id", "mode"],
            "properties": {
                "id": {"type": "string"},
                "mode": {"type": "string", "enum": ["a", "b"]},
                "voice": {
                    "anyOf": [{"type": "string"}, {"type": "string", "enum": ["alloy", "echo"]}]
                },
                "temperature": {"type": "number", "minimum": 0.6, "maximum": 1.2},
                "count": {"type": "integer"},
                "ratio": {"type": "number"},
                "detection": {
                    "anyOf": [{"$ref": "#/$defs/ServerVad"}, {"$ref": "#/$defs/SemanticVad"}]
                },
                "tracing": {"anyOf": [{"type": "string", "const": "auto"}, {"type": "null"}]},
                "prompt": {"type": "string"},
                "shared": {"$ref": "#/$defs/Shared"},
            },
        },
        "ServerVad": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"const": "server_vad"}, "threshold": {"type": "number"}},
        },
        "SemanticVad": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"const": "semantic_vad"}},
        },
        "Shared": {"type": "string", "enum": ["x", "y"]},
    },
}

Change = Callable[[dict[str, Any]], None]


def _at(type_name: str, change: Callable[[dict[str, Any]], None]) -> Change:
    return lambda defs: change(defs[type_name])


def _props(type_name: str, change: Callable[[dict[str, Any]], None]) -> Change:
    return lambda defs: change(defs[type_name]["properties"])


def _add_required(type_name: str) -> Change:
    def change(defs: dict[str, Any]) -> None:
        defs[type_name]["properties"]["session"] = {"type": "string"}
        defs[type_name]["required"].append("session")

    return change


def _add_variant(type_name: str) -> Change:
    def change(defs: dict[str, Any]) -> None:
        defs["NoVad"] = {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"const": "none"}},
        }
        defs[type_name]["properties"]["detection"]["anyOf"].append({"$ref": "#/$defs/NoVad"})

    return change


def _set(type_name: str, prop: str, value: Any) -> Change:
    return _props(type_name, lambda p: p.__setitem__(prop, value))


def _remove_shared(defs: dict[str, Any]) -> None:
    del (
        defs["Shared"],
        defs["Request"]["properties"]["shared"],
        defs["Response"]["properties"]["shared"],
    )


#: (case, change, expected (where, breaking) pairs). Request data: what narrows what a
#: sender may send breaks; response data: what widens what a reader may receive breaks.
DIFF_CASES: list[tuple[str, Change, set[tuple[str, bool]]]] = [
    # ---- requests (data a client sends)
    ("request: required field added", _add_required("Request"), {("Request.session", True)}),
    (
        "request: optional field added",
        _set("Request", "extra", {"type": "string"}),
        {("Request.extra", False)},
    ),
    (
        "request: field removed",
        _props("Request", lambda p: p.pop("label")),
        {("Request.label", True)},
    ),
    (
        "request: field becomes required",
        _at("Request", lambda t: t["required"].append("mode")),
        {("Request.mode", True)},
    ),
    (
        "request: field no longer required",
        _at("Request", lambda t: t["required"].clear()),
        {("Request.type", False)},
    ),
    (
        "request: enum value removed",
        _set("Request", "mode", {"type": "string", "enum": ["a"]}),
        {("Request.mode", True)},
    ),
    (
        "request: enum value added",
        _set("Request", "mode", {"type": "string", "enum": ["a", "b", "c"]}),
        {("Request.mode", False)},
    ),
    (
        "request: type narrowed",
        _set("Request", "ratio", {"type": "integer"}),
        {("Request.ratio", True)},
    ),
    (
        "request: type widened",
        _set("Request", "count", {"type": "number"}),
        {("Request.count", False)},
    ),
    (
        "request: type changed",
        _set("Request", "label", {"type": "boolean"}),
        {("Request.label", True)},
    ),
    (
        "request: tighter maximum",
        _set("Request", "temperature", {"type": "number", "minimum": 0.6, "maximum": 1.0}),
        {("Request.temperature", True)},
    ),
    (
        "request: tighter minimum",
        _set("Request", "temperature", {"type": "number", "minimum": 0.8, "maximum": 1.2}),
        {("Request.temperature", True)},
    ),
    (
        "request: new limit",
        _set("Request", "label", {"type": "string", "maxLength": 5}),
        {("Request.label", True)},
    ),
    (
        "request: looser limit",
        _set("Request", "name", {"type": "string", "maxLength": 20}),
        {("Request.name", False)},
    ),
    (
        "request: limit dropped",
        _set("Request", "name", {"type": "string"}),
        {("Request.name", False)},
    ),
    (
        "request: pattern added",
        _set("Request", "label", {"type": "string", "pattern": "^[a-z]+$"}),
        {("Request.label", True)},
    ),
    (
        "request: items must be unique",
        _set(
            "Request", "tags", {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
        ),
        {("Request.tags", True)},
    ),
    (
        "request: item type narrowed",
        _set("Request", "tags", {"type": "array", "items": {"type": "string", "enum": ["t"]}}),
        {("Request.tags.[]", True)},
    ),
    (
        "request: union variant removed",
        _props("Request", lambda p: p["detection"]["anyOf"].pop()),
        {("Request.detection", True)},
    ),
    (
        "request: union variant added",
        _add_variant("Request"),
        {("Request.detection", False), ("NoVad", False)},
    ),
    (
        "request: null no longer accepted",
        _set("Request", "tracing", {"type": "string", "const": "auto"}),
        {("Request.tracing", True)},
    ),
    (
        "request: null now accepted",
        _set("Request", "prompt", {"type": ["string", "null"]}),
        {("Request.prompt", False)},
    ),
    (
        "request: open enum closed",
        _set("Request", "voice", {"type": "string", "enum": ["alloy", "echo"]}),
        {("Request.voice", True)},
    ),
    (
        "request: open enum gains a known value",
        _set(
            "Request",
            "voice",
            {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["alloy", "echo", "sage"]}]},
        ),
        {("Request.voice", False)},
    ),
    (
        "request: unknown properties now accepted",
        _at("Request", lambda t: t.pop("additionalProperties")),
        {("Request", False)},
    ),
    (
        "request: nested field narrowed",
        _at("ServerVad", lambda t: t["properties"].__setitem__("threshold", {"type": "integer"})),
        {("ServerVad.threshold", True)},
    ),
    (
        "request: only a description changed",
        _set("Request", "label", {"type": "string", "description": "new words"}),
        set(),
    ),
    # ---- responses (data a client receives)
    (
        "response: field removed",
        _props("Response", lambda p: p.pop("prompt")),
        {("Response.prompt", True)},
    ),
    (
        "response: optional field added",
        _set("Response", "extra", {"type": "string"}),
        {("Response.extra", False)},
    ),
    ("response: required field added", _add_required("Response"), {("Response.session", False)}),
    (
        "response: field no longer required",
        _at("Response", lambda t: t["required"].remove("mode")),
        {("Response.mode", True)},
    ),
    (
        "response: field becomes required",
        _at("Response", lambda t: t["required"].append("count")),
        {("Response.count", False)},
    ),
    (
        "response: enum widened",
        _set("Response", "mode", {"type": "string", "enum": ["a", "b", "c"]}),
        {("Response.mode", True)},
    ),
    (
        "response: enum value removed",
        _set("Response", "mode", {"type": "string", "enum": ["a"]}),
        {("Response.mode", False)},
    ),
    (
        "response: union variant added",
        _add_variant("Response"),
        {("Response.detection", True), ("NoVad", False)},
    ),
    (
        "response: union variant removed",
        _props("Response", lambda p: p["detection"]["anyOf"].pop()),
        {("Response.detection", False)},
    ),
    (
        "response: type widened",
        _set("Response", "count", {"type": "number"}),
        {("Response.count", True)},
    ),
    (
        "response: type narrowed",
        _set("Response", "ratio", {"type": "integer"}),
        {("Response.ratio", False)},
    ),
    (
        "response: looser limit",
        _set("Response", "temperature", {"type": "number", "minimum": 0.0, "maximum": 1.2}),
        {("Response.temperature", True)},
    ),
    (
        "response: tighter limit",
        _set("Response", "temperature", {"type": "number", "minimum": 0.6, "maximum": 1.0}),
        {("Response.temperature", False)},
    ),
    (
        "response: now nullable",
        _set("Response", "prompt", {"type": ["string", "null"]}),
        {("Response.prompt", True)},
    ),
    (
        "response: no longer nullable",
        _set("Response", "tracing", {"type": "string", "const": "auto"}),
        {("Response.tracing", False)},
    ),
    (
        "response: closed enum opened",
        _set(
            "Response",
            "mode",
            {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["a", "b"]}]},
        ),
        {("Response.mode", True)},
    ),
    (
        "response: open enum gains a known value",
        _set(
            "Response",
            "voice",
            {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["alloy", "echo", "sage"]}]},
        ),
        {("Response.voice", False)},
    ),
    (
        "response: unknown properties now rejected",
        _at("Response", lambda t: t.__setitem__("additionalProperties", False)),
        {("Response", False)},
    ),
    # ---- a type both use: a change that breaks either side breaks
    ("both: enum value added", _at("Shared", lambda t: t["enum"].append("z")), {("Shared", True)}),
    (
        "both: enum value removed",
        _at("Shared", lambda t: t["enum"].remove("y")),
        {("Shared", True)},
    ),
    (
        "both: description changed",
        _at("Shared", lambda t: t.__setitem__("description", "x or y")),
        set(),
    ),
    # ---- whole types
    ("type added", lambda defs: defs.__setitem__("Extra", {"type": "string"}), {("Extra", False)}),
    (
        "type removed",
        _remove_shared,
        {("Shared", True), ("Request.shared", True), ("Response.shared", True)},
    ),
]


def _load(tmp_path: Path, name: str, document: dict[str, Any]) -> Any:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document), "utf-8")
    schema, _ = load_ir(str(path))
    return schema


@pytest.mark.parametrize(("case", "change", "expected"), DIFF_CASES, ids=[c[0] for c in DIFF_CASES])
def test_diff_classifies(
    case: str, change: Change, expected: set[tuple[str, bool]], tmp_path: Path
) -> None:
    new = copy.deepcopy(BASE)
    change(new["$defs"])
    changes = diff.diff_schemas(_load(tmp_path, "old", BASE), _load(tmp_path, "new", new))
    found = {(c.where, c.breaking) for c in changes}
    assert found == expected, [f"{c.where}: {c.what} ({c.direction})" for c in changes]


def test_directions_follow_use(tmp_path: Path) -> None:
    dirs = diff.directions(_load(tmp_path, "base", BASE))
    assert dirs["Request"] == "request" and dirs["Response"] == "response"
    # Used by a request and a response: both sides count.
    assert dirs["Shared"] == "both" and dirs["ServerVad"] == "both"


def test_directions_of_the_canonical_schema() -> None:
    schema, _ = load_ir(str(ROOT / "schema" / "realtime.schema.json"))
    dirs = diff.directions(schema)
    layer = layer_mod.load_layer(ROOT / "schema" / "layer").bundle
    assert {t: dirs[t] for t in layer["roots"]["request"]} == {
        t: "request" for t in layer["roots"]["request"]
    }
    assert {t: dirs[t] for t in layer["roots"]["response"]} == {
        t: "response" for t in layer["roots"]["response"]
    }
    assert dirs["RealtimeEvent"] == "both"  # nothing uses it; it holds events of both kinds
    assert (
        dirs["RealtimeTurnDetection"] == "response"
        and dirs["RealtimeTurnDetectionParam"] == "request"
    )
    assert dirs["VoiceIdsShared"] == "both"  # requests and responses share the voice names


def test_diff_of_a_schema_with_itself_is_empty(tmp_path: Path) -> None:
    canonical = ROOT / "schema" / "realtime.schema.json"
    schema, _ = load_ir(str(canonical))
    again, _ = load_ir(str(canonical))
    assert diff.diff_schemas(schema, again) == []


def _diff_files(tmp_path: Path, change: Change) -> tuple[str, str]:
    new = copy.deepcopy(BASE)
    change(new["$defs"])
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_path.write_text(json.dumps(BASE), "utf-8")
    new_path.write_text(json.dumps(new), "utf-8")
    return str(old_path), str(new_path)


def test_diff_cli_exits_1_on_a_breaking_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _diff_files(tmp_path, _add_required("Request"))
    code, out, err = run(["diff", old, new], capsys)
    assert code == 1 and err == ""
    assert "BREAKING for senders   Request.session: required field added [request]" in out
    assert out.rstrip().endswith("1 breaking, 0 compatible")


def test_diff_cli_exits_0_on_compatible_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _diff_files(tmp_path, _set("Response", "extra", {"type": "string"}))
    code, out, _ = run(["diff", old, new], capsys)
    assert code == 0
    assert "compatible             Response.extra: optional field added [response]" in out
    code, out, _ = run(["diff", old, old], capsys)
    assert code == 0 and out.rstrip().endswith("0 breaking, 0 compatible")


def test_diff_cli_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _diff_files(
        tmp_path, _set("Response", "mode", {"type": "string", "enum": ["a", "b", "c"]})
    )
    code, out, _ = run(["diff", old, new, "--format", "json"], capsys)
    assert code == 1
    report = json.loads(out)
    assert report["summary"] == {"breaking": 1, "compatible": 0}
    assert report["changes"] == [
        {
            "type": "Response",
            "path": "mode",
            "what": 'value "c" added',
            "senders": False,
            "readers": True,
            "direction": "response",
            "breaking": True,
            "breaks": ["readers"],
        }
    ]


def test_diff_cli_reads_openapi_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = yaml.safe_load((OPENAPI / "pets.yaml").read_text("utf-8"))
    document["components"]["schemas"]["Dog"]["properties"]["size"]["enum"].append("medium")
    new = tmp_path / "pets2.yaml"
    new.write_text(yaml.safe_dump(document), "utf-8")
    code, out, _ = run(["diff", str(OPENAPI / "pets.yaml"), str(new)], capsys)
    assert code == 1 and 'BREAKING for readers   Dog.size: value "medium" added [response]' in out


def test_diff_cli_bad_input_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"$defs": {"A": {"$ref": "#/$defs/Nope"}}}', "utf-8")
    code, out, err = run(
        ["diff", str(ROOT / "schema" / "realtime.schema.json"), str(broken)], capsys
    )
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and str(broken) in err
    code, out, err = run(["diff", str(tmp_path / "missing.json"), str(broken)], capsys)
    assert code == 2 and "missing.json" in err


# --------------------------------------------------------------------------- versions and changelog


def test_generated_package_records_the_schema_version() -> None:
    canonical = load_json(ROOT / "schema" / "realtime.schema.json")
    version = schema_version(canonical["$id"])
    assert version == "2.3.0-r2"
    package = import_fresh(ROOT / "generated", "realtime_schema")
    assert version == package.SCHEMA_VERSION
    assert canonical["$id"] == package.SCHEMA_ID
    pyproject = (ROOT / "generated" / "pyproject.toml").read_text("utf-8")
    assert re.search(r'^version = "2\.3\.0\.post2"$', pyproject, re.M)


@pytest.mark.parametrize(
    ("schema_id", "version", "distribution"),
    [
        ("https://example.org/x/2.3.0-r1/realtime.schema.json", "2.3.0-r1", "2.3.0.post1"),
        ("https://example.org/v4.1/s.json", "4.1", "4.1"),
        ("https://example.org/s.json", None, "0.0.0"),
        (None, None, "0.0.0"),
    ],
)
def test_schema_versions(schema_id: str | None, version: str | None, distribution: str) -> None:
    assert schema_version(schema_id) == version
    assert _distribution_version(version) == distribution


def test_release_names_sort_as_versions() -> None:
    names = ["2.3.0-r10", "2.10.0-r1", "2.3.0-r2", "2.3.0-r1"]
    assert sorted(names, key=_version_key) == ["2.3.0-r1", "2.3.0-r2", "2.3.0-r10", "2.10.0-r1"]


def test_current_release_is_recorded() -> None:
    releases = sorted(
        (ROOT / "schema" / "releases").glob("*.json"), key=lambda p: _version_key(p.stem)
    )
    canonical = load_json(ROOT / "schema" / "realtime.schema.json")
    assert releases and releases[-1].stem == schema_version(canonical["$id"])
    index = (ROOT / "generated" / "docs" / "index.md").read_text("utf-8")
    assert "## Changes" in index and f"### {releases[-1].stem}" in index
    # A released schema is frozen: changing the schema means a new version in its $id.
    current = (ROOT / "schema" / "realtime.schema.json").read_bytes()
    assert releases[-1].read_bytes() == current, "schema changed without a new version"


def _versioned(document: dict[str, Any], version: str) -> dict[str, Any]:
    return {**document, "$id": f"https://example.org/demo/{version}/schema.json"}


def test_docs_changelog_is_the_diff_between_releases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.rtschema]\nschema = "schema.json"\nout = "gen"\npackage = "demo"\nreleases = "releases"\n',
        "utf-8",
    )
    releases = tmp_path / "releases"
    releases.mkdir()
    v1 = _versioned(BASE, "1.0")
    v2 = copy.deepcopy(_versioned(BASE, "1.1"))
    v2["$defs"]["Request"]["properties"]["mode"]["enum"] = ["a"]  # breaking for senders
    v3 = copy.deepcopy(_versioned(v2, "1.2"))
    v3["$defs"]["Response"]["properties"]["extra"] = {
        "type": "string",
        "description": "<b>new</b> *field*",
    }
    (releases / "1.0.json").write_text(json.dumps(v1), "utf-8")
    (releases / "1.1.json").write_text(json.dumps(v2), "utf-8")
    (tmp_path / "schema.json").write_text(json.dumps(v3), "utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["generate"], capsys)
    assert code == 0, err
    index = (tmp_path / "gen" / "docs" / "index.md").read_text("utf-8")
    changes = index[index.index("## Changes") :]
    # Newest first: the current schema (1.2, not yet a release), then 1.1, then 1.0.
    assert changes.index("### 1.2") < changes.index("### 1.1") < changes.index("### 1.0")
    assert "Since 1.1:\n\n- Compatible: `Response.extra`: optional field added." in changes
    assert '`Request.mode`: value "a" \\| "b" -> ' not in changes
    assert re.search(
        r"- \*\*Breaking\*\* for senders: `Request\.mode`: value \"b\" removed\.", changes
    )
    assert "The first release." in changes
    html = (tmp_path / "gen" / "docs" / "reference.html").read_text("utf-8")
    assert "Request.mode" in html and "<b>new</b>" not in html
    package = import_fresh(tmp_path / "gen", "demo")
    assert package.SCHEMA_VERSION == "1.2"
    code, out, _ = run(["check"], capsys)
    assert code == 0, out
