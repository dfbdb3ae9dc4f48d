"""Turn an OpenAPI 3.0/3.1 document's component schemas into a JSON Schema 2020-12 bundle.

Used by ``rtschema import-openapi`` (a chosen set of roots and everything they
reference) and by the generator when it is given an OpenAPI document (all components).

Translation rules, applied to every schema object:

* ``$ref: "#/components/schemas/X..."`` becomes ``"#/$defs/X..."``. Any other reference
  is an error: a bundle must be self-contained.
* ``nullable: true`` (OpenAPI 3.0; some 3.1 documents still use it) allows ``null``:
  ``"null"`` joins ``type`` and ``enum`` when the schema has them, otherwise the schema
  is wrapped as ``anyOf: [<schema>, {"type": "null"}]`` with its annotations kept on
  the wrapper. ``nullable: false`` is dropped.
* OpenAPI 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` become the numeric
  2020-12 form.
* ``example`` becomes ``examples: [example]``.
* ``discriminator`` is kept (2020-12 tolerates it as an annotation; the generator reads
  it as a hint), with its ``mapping`` rewritten to ``$defs`` references.
* ``$recursiveRef: "#"`` (2019-09) becomes a ``$ref`` to the component it sits in;
  ``$recursiveAnchor`` is dropped.
* Repeated names in ``required`` are dropped (they mean nothing, and 2020-12 forbids
  them; real-world documents have them).
* ``x-stainless-const: true`` on a one-value ``enum`` becomes ``const``. Every other
  ``x-`` extension, ``xml`` and ``externalDocs`` are dropped.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from .errors import InputError, escape_pointer, join_pointer
from .load import DRAFT_2020_12
from .schemawalk import map_subschemas, ordered

__all__ = ["closure", "to_bundle", "translate"]

_COMPONENTS = "#/components/schemas/"
_ANNOTATIONS = ("title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "$comment")


def _rewrite_ref(ref: Any, label: str, pointer: str) -> str:
    if not isinstance(ref, str):
        raise InputError("$ref must be a string", file=label, pointer=pointer)
    if ref.startswith(_COMPONENTS):
        return "#/$defs/" + ref[len(_COMPONENTS) :]
    raise InputError(
        f"$ref {ref!r} is not a reference to #/components/schemas; the bundle must be self-contained",
        file=label,
        pointer=pointer,
    )


def translate(schema: Any, label: str, pointer: str, component: str) -> Any:
    """Translate one OpenAPI schema object (and its subschemas) to JSON Schema 2020-12.

    ``component`` names the component schema being translated: ``$recursiveRef: "#"``
    inside it refers back to it.
    """
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict):
        raise InputError("a schema must be an object or a boolean", file=label, pointer=pointer)

    out = map_subschemas(schema, lambda child, where: translate(child, label, where, component), pointer)
    result: dict[str, Any] = {}
    nullable = False
    for key, value in out.items():
        if key == "$ref":
            result[key] = _rewrite_ref(value, label, join_pointer(pointer, key))
        elif key == "$recursiveRef":
            if value != "#":
                raise InputError(
                    f"$recursiveRef {value!r} is not supported; only '#' is",
                    file=label,
                    pointer=join_pointer(pointer, key),
                )
            result["$ref"] = "#/$defs/" + escape_pointer(component)
        elif key == "$recursiveAnchor":
            continue
        elif key == "nullable":
            nullable = value is True
        elif key == "example":
            if "examples" not in out:
                result["examples"] = [value]
        elif key in ("xml", "externalDocs") or key.startswith("x-"):
            continue
        elif key == "discriminator" and isinstance(value, dict):
            disc = dict(value)
            mapping = disc.get("mapping")
            if isinstance(mapping, dict):
                disc["mapping"] = {
                    tag: _rewrite_ref(
                        target if str(target).startswith("#") else _COMPONENTS + str(target),
                        label,
                        join_pointer(pointer, "discriminator", "mapping", tag),
                    )
                    for tag, target in mapping.items()
                }
            result[key] = disc
        else:
            result[key] = value

    required = result.get("required")
    if isinstance(required, list) and len(set(map(str, required))) != len(required):
        result["required"] = list(dict.fromkeys(required))

    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(result.get(bound), bool):
            if result.pop(bound) and limit in result:
                result[bound] = result.pop(limit)

    enum = result.get("enum")
    if (
        schema.get("x-stainless-const") is True
        and isinstance(enum, list)
        and len(enum) == 1
        and "const" not in result
    ):
        result["const"] = enum[0]
        del result["enum"]

    if nullable:
        result = _allow_null(result)
    return result


def _allow_null(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema = {**schema, "type": [kind, "null"]}
    elif isinstance(kind, list):
        schema = {**schema, "type": kind if "null" in kind else [*kind, "null"]}
    else:
        keep = {k: v for k, v in schema.items() if k in _ANNOTATIONS}
        rest = {k: v for k, v in schema.items() if k not in _ANNOTATIONS}
        return {**keep, "anyOf": [rest, {"type": "null"}]}
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    if "const" in schema:
        const = schema.pop("const")
        schema["enum"] = [const, None]
    return schema


def _components(document: dict[str, Any], label: str) -> dict[str, Any]:
    components = document.get("components", {})
    if not isinstance(components, dict):
        raise InputError("components must be an object", file=label, pointer="/components")
    schemas = components.get("schemas", {})
    if not isinstance(schemas, dict):
        raise InputError("components.schemas must be an object", file=label, pointer="/components/schemas")
    return schemas


def _refs(schema: Any) -> list[str]:
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            disc = node.get("discriminator")
            if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
                found.extend(v for v in disc["mapping"].values() if isinstance(v, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def closure(defs: dict[str, Any], roots: list[str], label: str) -> list[str]:
    """Names of ``roots`` and every ``$defs`` entry they reach, in a stable order."""
    seen: list[str] = []
    queue = deque(roots)
    while queue:
        name = queue.popleft()
        if name in seen:
            continue
        seen.append(name)
        for ref in _refs(defs[name]):
            target = ref[len("#/$defs/") :].split("/", 1)[0]
            target = target.replace("~1", "/").replace("~0", "~")
            if target not in defs:
                raise InputError(
                    f"$ref {ref!r} points to no component schema",
                    file=label,
                    pointer=join_pointer("/components/schemas", name),
                )
            queue.append(target)
    return seen


def to_bundle(document: dict[str, Any], label: str, roots: list[str] | None = None) -> dict[str, Any]:
    """Build the 2020-12 bundle of ``roots`` (default: every component) and their closure."""
    schemas = _components(document, label)
    defs = {
        name: translate(schema, label, "/components/schemas/" + escape_pointer(name), name)
        for name, schema in schemas.items()
    }
    if roots is None:
        names = list(defs)
        closure(defs, names, label)  # reports dangling references
    else:
        missing = [r for r in roots if r not in defs]
        if missing:
            raise InputError(
                f"no component schema named {', '.join(repr(m) for m in missing)}",
                file=label,
                pointer="/components/schemas",
            )
        names = closure(defs, roots, label)
    bundle: dict[str, Any] = {"$schema": DRAFT_2020_12}
    info = document.get("info")
    if isinstance(info, dict) and isinstance(info.get("title"), str):
        version = info.get("version")
        bundle["$comment"] = f"Imported from the OpenAPI document {info['title']!r}" + (
            f", version {version}" if isinstance(version, str) else ""
        )
    bundle["$defs"] = {name: defs[name] for name in names}
    return ordered(bundle)  # type: ignore[no-any-return]
