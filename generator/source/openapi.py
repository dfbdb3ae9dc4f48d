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
  it as a hint), with its ``mapping`` (full references or bare component names)
  rewritten to ``$defs`` references and sorted by tag.
* ``$recursiveRef: "#"`` (2019-09) becomes a ``$ref`` to the component it sits in;
  ``$recursiveAnchor`` is dropped.
* Repeated names in ``required`` are dropped (they mean nothing, and 2020-12 forbids
  them; real-world documents have them).
* ``x-stainless-const: true`` on a one-value ``enum`` becomes ``const``. Every other
  ``x-`` extension, ``xml`` and ``externalDocs`` are dropped: they carry nothing a
  validator or a generated type can use, and a bundle must not depend on a vendor.

The output is deterministic: ``$defs`` and keywords in a fixed order; the order of
``properties`` (the field order of generated types) and of lists is kept.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ..errors import InputError, escape_pointer, join_pointer
from .keywords import ANNOTATIONS, DRAFT_2020_12, map_subschemas, ordered, subschemas
from .read import parse_document, read_text

__all__ = ["closure", "read_document", "to_bundle", "translate"]

_COMPONENTS = "#/components/schemas/"


def read_document(path: str) -> dict[str, Any]:
    """Read and parse an OpenAPI 3.0/3.1 document (JSON or YAML)."""
    document = parse_document(read_text(path), path)
    if not isinstance(document, dict) or "openapi" not in document:
        raise InputError("not an OpenAPI document (no 'openapi' field)", file=path)
    check_version(document, path)
    return document


def check_version(document: dict[str, Any], label: str) -> str:
    """The document's OpenAPI version, ``3.0`` or ``3.1``; anything else is an error."""
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith(("3.0", "3.1")):
        raise InputError(
            f"unsupported OpenAPI version {version!r}; use 3.0 or 3.1",
            file=label,
            pointer="/openapi",
        )
    return version[:3]


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

    out = map_subschemas(
        schema, lambda child, where: translate(child, label, where, component), pointer
    )
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
            # propertyName, then mapping sorted by tag; extensions dropped.
            disc = {k: value[k] for k in ("propertyName", "mapping") if k in value}
            mapping = disc.get("mapping")
            if isinstance(mapping, dict):
                disc["mapping"] = {
                    tag: _rewrite_ref(
                        target if str(target).startswith("#") else _COMPONENTS + str(target),
                        label,
                        join_pointer(pointer, "discriminator", "mapping", tag),
                    )
                    for tag, target in sorted(mapping.items(), key=lambda item: str(item[0]))
                }
            result[key] = disc
        else:
            result[key] = value

    required = result.get("required")
    if isinstance(required, list) and len(set(map(str, required))) != len(required):
        result["required"] = list(dict.fromkeys(required))

    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(result.get(bound), bool) and result.pop(bound) and limit in result:
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
        keep = {k: v for k, v in schema.items() if k in ANNOTATIONS}
        rest = {k: v for k, v in schema.items() if k not in ANNOTATIONS}
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
        raise InputError(
            "components.schemas must be an object", file=label, pointer="/components/schemas"
        )
    return schemas


def _references(schema: Any, prefix: str, pointer: str) -> list[tuple[str, str, str]]:
    """``(target name, pointer, reference text)`` for every reference in ``schema``.

    References are ``$ref`` values under ``prefix`` (others are left to ``translate``),
    discriminator mapping values (bare names count) and ``$recursiveRef`` (skipped: it
    names the schema it sits in).
    """
    found: list[tuple[str, str, str]] = []
    stack: list[tuple[Any, str]] = [(schema, pointer)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix):
                found.append((_name(ref[len(prefix) :]), join_pointer(where, "$ref"), ref))
            disc = node.get("discriminator")
            if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
                for tag, target in disc["mapping"].items():
                    if not isinstance(target, str):
                        continue
                    at = join_pointer(where, "discriminator", "mapping", tag)
                    if target.startswith(prefix):
                        found.append((_name(target[len(prefix) :]), at, target))
                    elif not target.startswith("#") and "/" not in target:
                        found.append((target, at, target))
            stack.extend((child, at) for at, child in subschemas(node, where))
    found.reverse()
    return found


def _name(pointer_tail: str) -> str:
    return pointer_tail.split("/", 1)[0].replace("~1", "/").replace("~0", "~")


def _closure(
    schemas: dict[str, Any], roots: list[str], prefix: str, base: str, label: str
) -> list[str]:
    seen: list[str] = []
    queue = deque(roots)
    while queue:
        name = queue.popleft()
        if name in seen:
            continue
        seen.append(name)
        for target, pointer, ref in _references(schemas[name], prefix, base + escape_pointer(name)):
            if target not in schemas:
                raise InputError(
                    f"reference {ref!r} points to no component schema", file=label, pointer=pointer
                )
            queue.append(target)
    return seen


def closure(defs: dict[str, Any], roots: list[str], label: str) -> list[str]:
    """Names of ``roots`` and every ``$defs`` entry they reach, in a stable order."""
    return _closure(defs, roots, "#/$defs/", "/$defs/", label)


def to_bundle(
    document: dict[str, Any], label: str, roots: list[str] | None = None
) -> dict[str, Any]:
    """Build the 2020-12 bundle of ``roots`` (default: every component) and their closure.

    Only the components reached are translated, so a broken component nobody uses
    does not stop an import; a dangling reference is an error with its exact pointer.
    """
    schemas = _components(document, label)
    if roots is None:
        roots = list(schemas)
    missing = [r for r in roots if r not in schemas]
    if missing:
        raise InputError(
            f"no component schema named {', '.join(repr(m) for m in missing)}",
            file=label,
            pointer="/components/schemas",
        )
    names = _closure(schemas, roots, _COMPONENTS, "/components/schemas/", label)
    defs = {
        name: translate(schemas[name], label, "/components/schemas/" + escape_pointer(name), name)
        for name in names
    }
    bundle: dict[str, Any] = {"$schema": DRAFT_2020_12}
    info = document.get("info")
    if isinstance(info, dict) and isinstance(info.get("title"), str):
        version = info.get("version")
        bundle["$comment"] = f"Imported from the OpenAPI document {info['title']!r}" + (
            f", version {version}" if isinstance(version, str) else ""
        )
    bundle["$defs"] = defs
    return ordered(bundle)  # type: ignore[no-any-return]
