"""Helpers for schema documents as plain data (the layer works on the imported bundle
before it is a schema rtschema reads): walking, resolving local references, and
whether a schema accepts ``null``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import join_pointer
from ..source import openapi
from ..source.keywords import ANNOTATIONS, subschemas


def _walk(schema: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object under ``schema`` (itself included), depth first."""
    stack = [(pointer, schema)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            yield here, node
            stack.extend(reversed(list(subschemas(node, here))))


def _resolve(doc: Any, pointer: str) -> Any:
    node = doc
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    head, _, last = pointer.rpartition("/")
    return _resolve(doc, head), last.replace("~1", "/").replace("~0", "~")


def _def_name(pointer: str) -> str:
    return pointer.split("/")[2].replace("~1", "/").replace("~0", "~")


def _properties(defs: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``(pointer of the property schema, owning object, property name)`` everywhere."""
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            props = node.get("properties")
            if isinstance(props, dict):
                for prop in list(props):
                    yield join_pointer(pointer, "properties", prop), node, prop


def _target(defs: dict[str, Any], schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 50:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            break
        schema = _resolve({"$defs": defs}, ref[1:])
        seen += 1
    return schema


def accepts_null(defs: dict[str, Any], schema: Any) -> bool:
    """Does ``schema`` let ``null`` through (by its type, enum, const or a branch)?"""
    schema = _target(defs, schema)
    if schema is True or schema == {}:
        return True
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if "null" not in kinds:
            return False
    if "enum" in schema and None not in schema["enum"]:
        return False
    if "const" in schema and schema["const"] is not None:
        return False
    for key in ("anyOf", "oneOf"):
        if key in schema and not any(accepts_null(defs, s) for s in schema[key]):
            return False
    return kind is not None or any(k in schema for k in ("anyOf", "oneOf", "enum", "const"))


def allow_null(defs: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Return ``schema`` changed to accept ``null`` as well, keeping annotations outside."""
    kind = schema.get("type")
    if (
        isinstance(kind, (str, list))
        and "$ref" not in schema
        and not ({"anyOf", "oneOf", "allOf"} & schema.keys())
    ):
        out = dict(schema)
        kinds = kind if isinstance(kind, list) else [kind]
        out["type"] = [*kinds, "null"]
        if isinstance(out.get("enum"), list):
            out["enum"] = [*out["enum"], None]
        if "const" in out:
            out["enum"] = [out.pop("const"), None]
        return out
    if "anyOf" in schema and len(schema) - sum(k in schema for k in ANNOTATIONS) == 1:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    keep = {k: v for k, v in schema.items() if k in ANNOTATIONS}
    rest = {k: v for k, v in schema.items() if k not in ANNOTATIONS}
    return {**keep, "anyOf": [rest, {"type": "null"}]}


def _reachable(defs: dict[str, Any], roots: list[str]) -> set[str]:
    return set(openapi.closure(defs, roots, "layer"))


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
