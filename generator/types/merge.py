"""``allOf`` as one schema: properties combined, limits intersected, where that keeps
the meaning for types. (Validators check ``allOf`` itself, part by part; this only
decides what one type can describe all the parts.)"""

from __future__ import annotations

import re
from typing import Any

from ..runtime import ecma

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
    closing: list[_Extra] = []  # the parts with an additionalProperties other than true
    for part in parts:
        if isinstance(part.get("items"), list):
            return None  # tuple-form items: item types differ by position
        extra = part.get("additionalProperties")
        if extra is not None and extra is not True:
            found = _Extra.of(part, extra)
            if found is None:
                return None
            closing.append(found)
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
    closed = [c for c in closing if c.schema is False]
    schemas = [c for c in closing if c.schema is not False]
    if closed:
        for name in list(props):
            if any(c.applies(name) for c in closed):
                props[name] = False
        merged["additionalProperties"] = False
        if any(c.applies(name) for c in closed for name in merged.get("required", [])):
            return None
        if schemas:
            return None
    elif schemas:
        if len(schemas) > 1:
            return None
        (extra,) = schemas
        for name in list(props):
            if extra.applies(name):
                props[name] = {"allOf": [props[name], extra.schema]}
        merged["additionalProperties"] = extra.schema
    return merged


class _Extra:
    """A part's ``additionalProperties`` (``schema``) and the names it leaves alone: the
    part's own ``properties`` and the names its ``patternProperties`` match."""

    def __init__(self, schema: Any, names: set[str], patterns: list[re.Pattern[str]]) -> None:
        self.schema = schema
        self.names = names
        self.patterns = patterns

    @classmethod
    def of(cls, part: dict[str, Any], schema: Any) -> _Extra | None:
        """``None`` when a pattern cannot be read (the parts then stay apart)."""
        patterns: list[re.Pattern[str]] = []
        for pattern in part.get("patternProperties") or {}:
            try:
                patterns.append(re.compile(_translate(pattern)))
            except ecma.RegexError:
                return None
        return cls(schema, set(part.get("properties") or {}), patterns)

    def applies(self, name: str) -> bool:
        """Is a property ``name`` (of another part) additional in this part?"""
        return name not in self.names and not any(p.search(name) for p in self.patterns)


def _translate(pattern: str) -> str:
    """``pattern`` as the validators read it (the non-Unicode syntax when only it fits)."""
    try:
        return ecma.translate(pattern)
    except ecma.RegexError:
        return ecma.translate(pattern, legacy=True)
