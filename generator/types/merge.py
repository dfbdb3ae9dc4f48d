"""``allOf`` as one schema: properties combined, limits intersected, where that keeps
the meaning for types. (Validators check ``allOf`` itself, part by part; this only
decides what one type can describe all the parts.)"""

from __future__ import annotations

from typing import Any

__all__ = ["ANNOTATION_KEYS", "expand_types", "json_equal", "merge"]

#: Keywords that say nothing about which values a schema accepts, for the type builder.
ANNOTATION_KEYS = frozenset(
    {
        "title", "description", "default", "examples", "example", "deprecated", "readOnly",
        "writeOnly", "$comment", "$schema", "$id", "$anchor", "$dynamicAnchor", "$defs",
        "definitions", "$vocabulary", "format", "contentMediaType", "contentEncoding",
        "contentSchema", "discriminator", "xml", "externalDocs", "nullable",
        "$recursiveAnchor",
    }
)  # fmt: skip


def expand_types(types: list[str]) -> list[str]:
    out: list[str] = []
    for name in types:
        out.extend(["integer", "number"] if name == "number" else [name])
    return out


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: ``1 == 1.0`` but ``True != 1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


_MIN_KEYS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_MAX_KEYS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


def merge(parts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One schema that describes the values of ``allOf: parts`` as a type, or ``None``
    when the parts do not combine. Subschemas are shared with the parts, never copied
    or changed (the type builder finds their locations by identity)."""
    merged: dict[str, Any] = {}
    closed_sets: list[set[str]] = []
    extra_schemas: list[tuple[set[str], Any]] = []
    for part in parts:
        if isinstance(part.get("items"), list):
            return None  # tuple-form items: item types differ by position
        props = part.get("properties") or {}
        extra = part.get("additionalProperties")
        if extra is False:
            closed_sets.append(set(props))
        elif extra is not None and extra is not True:
            extra_schemas.append((set(props), extra))
        for key, value in part.items():
            if key == "additionalProperties":
                continue
            if key not in merged:
                merged[key] = dict(value) if key == "properties" else value
                continue
            current = merged[key]
            if key in ANNOTATION_KEYS:
                continue
            if key == "type":
                a = set(expand_types([current] if isinstance(current, str) else current))
                b = set(expand_types([value] if isinstance(value, str) else value))
                both = a & b
                if "integer" in both and "number" in both:
                    both.discard("integer")  # "number" covers integers
                merged[key] = sorted(both) if len(both) != 1 else next(iter(both))
            elif key == "properties":
                for name, sub in value.items():
                    current[name] = {"allOf": [current[name], sub]} if name in current else sub
            elif key == "required":
                merged[key] = list(dict.fromkeys([*current, *value]))
            elif key in _MIN_KEYS:
                merged[key] = max(current, value)
            elif key in _MAX_KEYS:
                merged[key] = min(current, value)
            elif key == "enum":
                merged[key] = [v for v in current if any(json_equal(v, w) for w in value)]
            elif key == "items":
                merged[key] = {"allOf": [current, value]}
            elif key == "uniqueItems":
                merged[key] = bool(current) or bool(value)
            elif json_equal(current, value):
                continue
            else:
                return None
    props = merged.get("properties") or {}
    if closed_sets:
        allowed = set.intersection(*closed_sets)
        for name in list(props):
            if name not in allowed:
                props[name] = False
        merged["additionalProperties"] = False
        for name in merged.get("required", []):
            if name not in allowed:
                return None
        if extra_schemas:
            return None
    elif extra_schemas:
        if len(extra_schemas) > 1:
            return None
        own, extra = extra_schemas[0]
        for name in list(props):
            if name not in own:
                props[name] = {"allOf": [props[name], extra]}
        merged["additionalProperties"] = extra
    return merged
