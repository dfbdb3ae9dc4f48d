"""Where subschemas live inside a JSON Schema object, and a stable key order for output.

Shared by the OpenAPI importer, the schema layer and the IR builder so that each knows
the same set of applicator keywords.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import join_pointer

__all__ = [
    "ANNOTATIONS",
    "DRAFT_2020_12",
    "KEY_ORDER",
    "dump_json",
    "map_subschemas",
    "ordered",
    "subschemas",
]

#: The dialect every bundle rtschema writes declares.
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: Keywords whose value is one subschema.
SINGLE = (
    "additionalProperties",
    "items",
    "additionalItems",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "if",
    "then",
    "else",
    "not",
)
#: Keywords whose value is a list of subschemas.
LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
#: Keywords whose value maps names to subschemas.
MAPS = ("$defs", "definitions", "properties", "patternProperties", "dependentSchemas")

#: The order keywords are written in; anything else follows, sorted.
KEY_ORDER = (
    "$schema",
    "$id",
    "$anchor",
    "$ref",
    "$dynamicRef",
    "title",
    "description",
    "$comment",
    "type",
    "const",
    "enum",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "multipleOf",
    "required",
    "properties",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "items",
    "prefixItems",
    "additionalItems",
    "contains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "discriminator",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$defs",
    "definitions",
)
_RANK = {key: index for index, key in enumerate(KEY_ORDER)}


#: Keywords that describe a schema without constraining values.
ANNOTATIONS = (
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
)


def subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(pointer, subschema)`` for every direct subschema of ``schema``."""
    if not isinstance(schema, dict):
        return
    for key in SINGLE:
        if key in schema:
            value = schema[key]
            if key == "items" and isinstance(value, list):  # draft-07 tuple form
                for index, item in enumerate(value):
                    yield join_pointer(pointer, key, index), item
            else:
                yield join_pointer(pointer, key), value
    for key in LISTS:
        value = schema.get(key)
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield join_pointer(pointer, key, index), item
    for key in MAPS:
        value = schema.get(key)
        if isinstance(value, dict):
            for name, item in value.items():
                yield join_pointer(pointer, key, name), item
    deps = schema.get("dependencies")  # draft-07: schema or list of names
    if isinstance(deps, dict):
        for name, item in deps.items():
            if isinstance(item, (dict, bool)):
                yield join_pointer(pointer, "dependencies", name), item


def map_subschemas(schema: Any, fn: Callable[[Any, str], Any], pointer: str = "") -> Any:
    """Return a copy of ``schema`` with ``fn(subschema, its_pointer)`` applied to each
    direct subschema."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for key in SINGLE:
        if key in out:
            value = out[key]
            if key == "items" and isinstance(value, list):
                out[key] = [fn(item, join_pointer(pointer, key, i)) for i, item in enumerate(value)]
            else:
                out[key] = fn(value, join_pointer(pointer, key))
    for key in LISTS:
        if isinstance(out.get(key), list):
            out[key] = [fn(item, join_pointer(pointer, key, i)) for i, item in enumerate(out[key])]
    for key in MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {
                name: fn(item, join_pointer(pointer, key, name)) for name, item in out[key].items()
            }
    if isinstance(out.get("dependencies"), dict):
        out["dependencies"] = {
            name: fn(item, join_pointer(pointer, "dependencies", name))
            if isinstance(item, (dict, bool))
            else item
            for name, item in out["dependencies"].items()
        }
    return out


def ordered(schema: Any) -> Any:
    """Return ``schema`` with keywords in :data:`KEY_ORDER` and ``$defs`` sorted by name.

    Property order is kept: it is meaningful (it becomes field order in generated code).
    Data values (``default``, ``const``, ``enum``, ``examples``) are left as they are.
    """
    if not isinstance(schema, dict):
        return schema
    mapped = map_subschemas(schema, lambda child, _: ordered(child))
    for key in ("$defs", "definitions"):
        if isinstance(mapped.get(key), dict):
            mapped[key] = dict(sorted(mapped[key].items()))
    return dict(sorted(mapped.items(), key=lambda kv: (_RANK.get(kv[0], len(_RANK)), kv[0])))


def dump_json(data: Any) -> str:
    """Serialise ``data`` the one way this project writes JSON files: UTF-8 text, except
    that a document holding lone surrogates (legal in JSON strings, not in UTF-8) is
    written with ASCII escapes throughout."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    return text
