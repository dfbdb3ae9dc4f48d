"""Typed schemas as IR nodes: ``type`` with the keywords of each type (strings, numbers,
arrays, objects) and ``enum``/``const``. ``ShapeBuilder`` is the part of the type builder
(``build``) that needs no references or combinators; ``build`` adds those."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError, join_pointer
from ..schema.index import Location
from . import ir
from .merge import expand_types, json_equal

__all__ = ["Ctx", "ShapeBuilder", "text"]

STRING_KEYS = {"minLength", "maxLength", "pattern"}
NUMBER_KEYS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
ARRAY_KEYS = {"items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"}
OBJECT_KEYS = {
    "properties", "required", "additionalProperties", "patternProperties", "minProperties",
    "maxProperties", "propertyNames",
}  # fmt: skip


@dataclass
class Ctx:
    """Where a schema sits: its pointer, the real location its references resolve
    against, and what an inline object there is named after."""

    file: str
    pointer: str
    base: Location
    #: The object or named type an inline object is named after, and the name parts after it.
    owner: ir.ObjectNode | ir.NamedType | None = None
    parts: tuple[tuple[str, str], ...] = ()

    def at(self, *tokens: str | int) -> Ctx:
        return Ctx(
            self.file, join_pointer(self.pointer, *tokens), self.base, self.owner, self.parts
        )

    def named(self, *part: tuple[str, str]) -> Ctx:
        return Ctx(self.file, self.pointer, self.base, self.owner, self.parts + part)


class ShapeBuilder:
    """Builds the IR nodes of typed schemas; ``node`` (the builder's) builds subschemas."""

    def node(self, schema: Any, ctx: Ctx, location: Location | None = None) -> ir.Node:
        raise NotImplementedError

    def error(self, message: str, ctx: Ctx) -> InputError:
        return ctx.base.document.error(message, ctx.pointer)

    def _typed(self, schema: dict[str, Any], ctx: Ctx) -> ir.Node:
        declared = schema.get("type")
        types: list[str] | None
        if declared is None:
            types = None
        elif isinstance(declared, str):
            types = [declared]
        else:
            types = list(dict.fromkeys(declared))
        if "enum" in schema or "const" in schema:
            return self._literal(schema, types)
        if types is None:
            families = [
                name
                for name, family in (
                    ("string", STRING_KEYS),
                    ("number", NUMBER_KEYS),
                    ("array", ARRAY_KEYS),
                    ("object", OBJECT_KEYS),
                )
                if family & set(schema)
            ]
            if len(families) != 1:
                return ir.AnyNode()  # any value (keywords of several types apply per type)
            single = self._single(families[0], schema, ctx)
            single.types = None  # the keywords apply only to values of that type
            return single
        if not types:
            return ir.NeverNode()
        nodes = []
        for name in types:
            if name == "integer" and "number" in types:
                continue  # "number" already allows integers
            nodes.append(self._single(name, schema, ctx))
        if len(nodes) == 1:
            return nodes[0]
        return ir.UnionNode(variants=nodes, types=frozenset(expand_types(types)), by_type=True)

    def _single(self, name: str, schema: dict[str, Any], ctx: Ctx) -> ir.Node:
        types = frozenset(expand_types([name]))
        if name == "null":
            return ir.NullNode(types=types)
        if name == "boolean":
            return ir.BoolNode(types=types)
        if name == "string":
            return ir.StringNode(
                types=types,
                min_length=schema.get("minLength"),
                max_length=schema.get("maxLength"),
                pattern=schema.get("pattern"),
                format=schema.get("format") if isinstance(schema.get("format"), str) else None,
            )
        if name in ("integer", "number"):
            low, high = schema.get("minimum"), schema.get("maximum")
            low_x, high_x = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
            if isinstance(low_x, bool):  # draft-04: a flag on minimum
                low, low_x = (None, low) if low_x else (low, None)
            if isinstance(high_x, bool):
                high, high_x = (None, high) if high_x else (high, None)
            return ir.NumberNode(
                types=types,
                integer=name == "integer",
                minimum=low,
                maximum=high,
                exclusive_minimum=low_x,
                exclusive_maximum=high_x,
                multiple_of=schema.get("multipleOf"),
                format=schema.get("format") if isinstance(schema.get("format"), str) else None,
            )
        if name == "array":
            items = schema.get("items", True)
            node = ir.ArrayNode(
                types=types,
                min_items=schema.get("minItems"),
                max_items=schema.get("maxItems"),
                unique_items=schema.get("uniqueItems") is True,
            )
            if isinstance(items, list) or "prefixItems" in schema:
                node.items = ir.AnyNode()  # items differ by position: any value
            else:
                node.items = self.node(items, ctx.at("items").named(("item", "")))
            return node
        if name == "object":
            return self._object(schema, types, ctx)
        return ir.AnyNode()  # an unknown type name (the validator rejects every value)

    def _object(self, schema: dict[str, Any], types: frozenset[str], ctx: Ctx) -> ir.Node:
        props = schema.get("properties") or {}
        required = list(dict.fromkeys(schema.get("required") or []))
        extra_schema = schema.get("additionalProperties", True)
        # Keys that other keywords admit make the object open (nothing is dropped).
        open_keys = bool(schema.get("patternProperties")) or "unevaluatedProperties" in schema
        if not props and not required:
            values = (
                ir.AnyNode()
                if open_keys
                else self.node(extra_schema, ctx.at("additionalProperties").named(("value", "")))
            )
            return ir.MapNode(
                types=types,
                values=values,
                min_properties=schema.get("minProperties"),
                max_properties=schema.get("maxProperties"),
            )
        obj = ir.ObjectNode(
            types=types,
            min_properties=schema.get("minProperties"),
            max_properties=schema.get("maxProperties"),
            owner=ctx.owner,
            name_parts=ctx.parts,
        )
        inner = Ctx(ctx.file, ctx.pointer, ctx.base, obj, ())
        for key, sub in props.items():
            node = self.node(sub, inner.at("properties", key).named(("prop", key)))
            obj.fields.append(ir.Field(key=key, node=node, required=key in required))
        for key in required:
            if key not in props:
                obj.fields.append(ir.Field(key=key, node=ir.AnyNode(), required=True))
        if open_keys:
            obj.extra = ir.AnyNode()
        elif extra_schema is False:
            obj.extra = None
        elif extra_schema is True or extra_schema == {}:
            obj.extra = ir.AnyNode()
        else:
            obj.extra = self.node(
                extra_schema, inner.at("additionalProperties").named(("value", ""))
            )
        return obj

    def _literal(self, schema: dict[str, Any], types: list[str] | None) -> ir.Node:
        if "const" in schema:
            values = [schema["const"]]
            if isinstance(schema.get("enum"), list):
                values = [v for v in values if any(json_equal(v, e) for e in schema["enum"])]
        else:
            values = list(schema["enum"])
        if types is not None:
            allowed = set(expand_types(types))
            values = [
                v
                for v in values
                if ir.json_type_of(v) in allowed
                or (ir.json_type_of(v) == "integer" and "number" in allowed)
            ]
        unique: list[Any] = []
        for value in values:
            if not any(json_equal(value, seen) for seen in unique):
                unique.append(value)
        if not unique:
            return ir.NeverNode()
        # Other keywords beside an enum (minLength, ...) narrow it further: the
        # validator checks them; the type lists the values.
        return ir.LiteralNode(
            values=tuple(unique),
            types=frozenset(expand_types(types)) if types else None,
            const="const" in schema,
        )


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
