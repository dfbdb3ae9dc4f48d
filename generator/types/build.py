"""Step 2 of the pipeline: turn a checked schema document into the IR of ``ir``.

* ``$ref`` is resolved with ``referencing`` (see ``load``); every ``$defs``/``definitions``
  entry, and every other place a ``$ref`` points to, becomes a :class:`NamedType`.
* ``allOf`` is merged into one node when that keeps its meaning exactly (properties are
  combined, limits intersected); otherwise it stays an :class:`AllOfNode`.
* ``anyOf``/``oneOf`` become a :class:`UnionNode`; ``anyOf: [X, {"type": "null"}]`` on a
  named type is unwrapped to a nullable named type.
* Keywords the IR cannot express leave a note on the node (a comment in the output) and
  a warning, and the node is looser than the schema (documented fallback).
* A ``$ref`` cycle that never descends into a property or an item, or a type no finite
  value can satisfy, is an error.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from referencing.exceptions import Unresolvable, Unretrievable

from . import ir
from .errors import InputError, join_pointer
from .load import Loaded
from .naming import pascal

__all__ = ["build_schema", "node_types"]

_ANNOTATION_KEYS = {
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$defs",
    "definitions",
    "$vocabulary",
    "format",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "discriminator",
    "xml",
    "externalDocs",
    "nullable",
}
_STRING_KEYS = {"minLength", "maxLength", "pattern"}
_NUMBER_KEYS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
_ARRAY_KEYS = {"items", "minItems", "maxItems", "uniqueItems"}
_OBJECT_KEYS = {"properties", "required", "additionalProperties", "minProperties", "maxProperties"}
_UNSUPPORTED = {
    "not",
    "if",
    "then",
    "else",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "patternProperties",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "additionalItems",
    "$dynamicRef",
    "$recursiveRef",
}


@dataclass
class _Ctx:
    """Where a schema sits: its document, its pointer, and its resolver."""

    file: str
    pointer: str
    resolver: Any
    #: The object or named type an inline object is named after, and the name parts after it.
    owner: ir.ObjectNode | ir.NamedType | None = None
    parts: tuple[tuple[str, str], ...] = ()

    def at(self, *tokens: str | int) -> _Ctx:
        return _Ctx(
            self.file, join_pointer(self.pointer, *tokens), self.resolver, self.owner, self.parts
        )

    def named(self, *part: tuple[str, str]) -> _Ctx:
        return _Ctx(self.file, self.pointer, self.resolver, self.owner, self.parts + part)


@dataclass
class _Pending:
    named: ir.NamedType
    schema: Any
    ctx: _Ctx


@dataclass
class _Builder:
    loaded: Loaded
    types: list[ir.NamedType] = field(default_factory=list)
    by_id: dict[int, ir.NamedType] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    warnings: list[ir.Warning_] = field(default_factory=list)
    #: Resolved ``$ref``s by (document, reference): big schemas repeat the same ones.
    ref_cache: dict[tuple[str, str], tuple[ir.NamedType | ir.Node, Any]] = field(
        default_factory=dict
    )

    @property
    def draft7(self) -> bool:
        return self.loaded.dialect in ("draft-07", "draft-06")

    def error(self, message: str, ctx: _Ctx) -> InputError:
        return InputError(message, file=ctx.file, pointer=self.loaded.source_pointer(ctx.pointer))

    def warn(self, node: ir.Node, ctx: _Ctx, message: str) -> None:
        node.notes.append(message)
        self.warnings.append(ir.Warning_(self.loaded.source_pointer(ctx.pointer), message))

    # ----------------------------------------------------------------- named types

    def register(self, key: str, schema: Any, ctx: _Ctx) -> ir.NamedType:
        named = ir.NamedType(key=key, pointer=ctx.pointer)
        if isinstance(schema, dict):
            named.description = _text(schema.get("description"))
            named.title = _text(schema.get("title"))
            self.by_id[id(schema)] = named
        self.types.append(named)
        self.pending.append(_Pending(named, schema, ctx))
        return named

    def resolve_ref(self, ref: Any, ctx: _Ctx) -> tuple[ir.NamedType | ir.Node, Any]:
        if not isinstance(ref, str):
            raise self.error("$ref must be a string", ctx.at("$ref"))
        cacheable = ref.startswith("#")
        if cacheable and (ctx.file, ref) in self.ref_cache:
            return self.ref_cache[(ctx.file, ref)]
        found = self._resolve_ref(ref, ctx)
        if cacheable:
            self.ref_cache[(ctx.file, ref)] = found
        return found

    def _resolve_ref(self, ref: str, ctx: _Ctx) -> tuple[ir.NamedType | ir.Node, Any]:
        try:
            resolved = ctx.resolver.lookup(ref)
        except (Unresolvable, InputError) as exc:
            # referencing wraps the retriever's own error (Unresolvable from
            # Unretrievable from InputError): report that one when there is one.
            cause: BaseException | None = exc
            while cause is not None and not isinstance(cause, InputError):
                cause = cause.__cause__
            if isinstance(cause, InputError):
                raise self.error(cause.message, ctx.at("$ref")) from None
            if isinstance(exc, Unretrievable) or isinstance(exc.__cause__, Unretrievable):
                raise self.error(f"cannot retrieve $ref {ref!r}", ctx.at("$ref")) from None
            raise self.error(f"unresolvable $ref {ref!r}", ctx.at("$ref")) from None
        target = resolved.contents
        if isinstance(target, bool):
            return (ir.AnyNode() if target else ir.NeverNode()), None
        if not isinstance(target, dict):
            raise self.error(f"$ref {ref!r} does not point to a schema", ctx.at("$ref"))
        named = self.by_id.get(id(target))
        if named is None:
            url, fragment = urldefrag(ref)
            token = fragment.rsplit("/", 1)[-1] if fragment else Path(url).stem
            token = token.replace("~1", "/").replace("~0", "~") or "Root"
            file = Path(url).name if url else ctx.file
            named = self.register(token, target, _Ctx(file, fragment, resolved.resolver))
        return named, target

    # ----------------------------------------------------------------- nodes

    def node(self, schema: Any, ctx: _Ctx) -> ir.Node:
        if schema is True:
            return ir.AnyNode(pointer=ctx.pointer)
        if schema is False:
            return ir.NeverNode(pointer=ctx.pointer)
        if not isinstance(schema, dict):
            raise self.error("a schema must be an object or a boolean", ctx)
        node = self._node(schema, ctx)
        self._annotate(node, schema, ctx)
        return node

    def _annotate(self, node: ir.Node, schema: dict[str, Any], ctx: _Ctx) -> None:
        node.pointer = node.pointer or ctx.pointer
        if schema.get("description") is not None and node.description is None:
            node.description = _text(schema.get("description"))
        if schema.get("title") is not None and node.title is None:
            node.title = _text(schema.get("title"))
        if "default" in schema and node.default is ir.NO_DEFAULT:
            node.default = schema["default"]
        if isinstance(schema.get("examples"), list) and not node.examples:
            node.examples = tuple(schema["examples"])
        if schema.get("deprecated") is True:
            node.deprecated = True
        comment = schema.get("$comment")
        if isinstance(comment, str) and comment.strip():
            node.notes.append(" ".join(comment.split()))

    def _node(self, schema: dict[str, Any], ctx: _Ctx) -> ir.Node:
        keys = set(schema)
        unsupported = sorted(keys & _UNSUPPORTED)
        if "$ref" in schema:
            return self._ref(schema, ctx)
        if "allOf" in schema:
            return self._all_of(schema, ctx)
        if "anyOf" in schema or "oneOf" in schema:
            return self._union(schema, ctx)
        if unsupported:
            rest = {k: v for k, v in schema.items() if k not in _UNSUPPORTED}
            node = self._typed(rest, ctx)
            self.warn(
                node,
                ctx,
                f"{', '.join(unsupported)} {'is' if len(unsupported) == 1 else 'are'} not supported: "
                "not checked by the generated code, which is looser than the schema here",
            )
            return node
        return self._typed(schema, ctx)

    def _ref(self, schema: dict[str, Any], ctx: _Ctx) -> ir.Node:
        target, _ = self.resolve_ref(schema["$ref"], ctx)
        siblings = {k: v for k, v in schema.items() if k != "$ref" and k not in _ANNOTATION_KEYS}
        if isinstance(target, ir.Node):
            ref_node: ir.Node = target
        else:
            ref_node = ir.RefNode(pointer=ctx.pointer, target=target)
        if not siblings:
            return ref_node
        if self.draft7:
            self.warn(ref_node, ctx, "keywords beside $ref are ignored in draft-07")
            return ref_node
        return self._all_of({"allOf": [{"$ref": schema["$ref"]}, siblings]}, ctx)

    # ----------------------------------------------------------------- typed schemas

    def _typed(self, schema: dict[str, Any], ctx: _Ctx) -> ir.Node:
        declared = schema.get("type")
        types: list[str] | None
        if declared is None:
            types = None
        elif isinstance(declared, str):
            types = [declared]
        else:
            types = list(dict.fromkeys(declared))
        if "enum" in schema or "const" in schema:
            return self._literal(schema, types, ctx)
        if types is None:
            families = [
                name
                for name, family in (
                    ("string", _STRING_KEYS),
                    ("number", _NUMBER_KEYS),
                    ("array", _ARRAY_KEYS),
                    ("object", _OBJECT_KEYS),
                )
                if family & set(schema)
            ]
            if not families:
                return ir.AnyNode()
            if len(families) > 1:
                node = ir.AnyNode()
                self.warn(node, ctx, "keywords for several types without 'type' are not checked")
                return node
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
        return ir.UnionNode(variants=nodes, types=frozenset(_expand(types)), by_type=True)

    def _single(self, name: str, schema: dict[str, Any], ctx: _Ctx) -> ir.Node:
        types = frozenset(_expand([name]))
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
            return ir.NumberNode(
                types=types,
                integer=name == "integer",
                minimum=schema.get("minimum"),
                maximum=schema.get("maximum"),
                exclusive_minimum=schema.get("exclusiveMinimum"),
                exclusive_maximum=schema.get("exclusiveMaximum"),
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
            if isinstance(items, list):  # draft-07 tuple form
                self.warn(node, ctx, "tuple-form items is not supported: items are not checked")
            else:
                node.items = self.node(items, ctx.at("items").named(("item", "")))
            return node
        return self._object(schema, types, ctx)

    def _object(self, schema: dict[str, Any], types: frozenset[str], ctx: _Ctx) -> ir.Node:
        props = schema.get("properties") or {}
        required = list(dict.fromkeys(schema.get("required") or []))
        extra_schema = schema.get("additionalProperties", True)
        if not props and not required:
            values = self.node(extra_schema, ctx.at("additionalProperties").named(("value", "")))
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
        inner = _Ctx(ctx.file, ctx.pointer, ctx.resolver, obj, ())
        for key, sub in props.items():
            node = self.node(sub, inner.at("properties", key).named(("prop", key)))
            obj.fields.append(ir.Field(key=key, node=node, required=key in required))
        for key in required:
            if key not in props:
                obj.fields.append(ir.Field(key=key, node=ir.AnyNode(), required=True))
        if extra_schema is False:
            obj.extra = None
        elif extra_schema is True or extra_schema == {}:
            obj.extra = ir.AnyNode()
        else:
            obj.extra = self.node(
                extra_schema, inner.at("additionalProperties").named(("value", ""))
            )
        return obj

    def _literal(self, schema: dict[str, Any], types: list[str] | None, ctx: _Ctx) -> ir.Node:
        if "const" in schema:
            values = [schema["const"]]
            if "enum" in schema:
                values = [v for v in values if any(_json_equal(v, e) for e in schema["enum"])]
        else:
            values = list(schema["enum"])
        if types is not None:
            allowed = set(_expand(types))
            values = [
                v
                for v in values
                if ir.json_type_of(v) in allowed
                or (ir.json_type_of(v) == "integer" and "number" in allowed)
            ]
        unique: list[Any] = []
        for value in values:
            if not any(_json_equal(value, seen) for seen in unique):
                unique.append(value)
        if not unique:
            return ir.NeverNode()
        node = ir.LiteralNode(
            values=tuple(unique),
            types=frozenset(_expand(types)) if types else None,
            const="const" in schema,
        )
        # Other keywords of the schema (minLength beside an enum, ...) are implied or moot.
        return node

    # ----------------------------------------------------------------- combinators

    def _union(self, schema: dict[str, Any], ctx: _Ctx) -> ir.Node:
        if "anyOf" in schema and "oneOf" in schema:
            any_part = self._union({k: v for k, v in schema.items() if k != "oneOf"}, ctx)
            one_part = self._union({"oneOf": schema["oneOf"]}, ctx)
            node = ir.AllOfNode(parts=[any_part, one_part])
            self.warn(node, ctx, "anyOf beside oneOf: both are checked, typed as any value")
            return node
        key = "oneOf" if "oneOf" in schema else "anyOf"
        branches = schema[key]
        rest = {k: v for k, v in schema.items() if k != key and k not in _ANNOTATION_KEYS}
        outer: frozenset[str] | None = None
        if set(rest) == {"type"}:
            declared = rest["type"]
            outer = frozenset(_expand([declared] if isinstance(declared, str) else declared))
            rest = {}
        if rest:
            # {properties: P, oneOf: [A, B]} means oneOf: [allOf[P, A], allOf[P, B]].
            variants = [
                self.node({"allOf": [rest, b]}, ctx.at(key, i).named(*_variant_part(b)))
                for i, b in enumerate(branches)
            ]
        else:
            variants = [
                self.node(b, ctx.at(key, i).named(*_variant_part(b)))
                for i, b in enumerate(branches)
            ]
        hint = schema.get("discriminator")
        return ir.UnionNode(
            variants=variants,
            one_of=key == "oneOf",
            outer_types=outer,
            tag_hint=hint.get("propertyName") if isinstance(hint, dict) else None,
        )

    def _all_of(self, schema: dict[str, Any], ctx: _Ctx) -> ir.Node:
        parts = schema["allOf"]
        outer = {k: v for k, v in schema.items() if k != "allOf"}
        meaningful = [p for p in parts if not (isinstance(p, dict) and set(p) <= _ANNOTATION_KEYS)]
        if not set(outer) - _ANNOTATION_KEYS and len(meaningful) == 1:
            # Only one part constrains anything (allOf: [{$ref: X}] attaching annotations
            # to a reference, say): it is the type, and a reference stays one.
            return self.node(meaningful[0], ctx.at("allOf", parts.index(meaningful[0])))
        expanded: list[dict[str, Any]] = []
        pending = [*([outer] if set(outer) - _ANNOTATION_KEYS else []), *parts]
        guard = 0
        while pending:
            guard += 1
            if guard > 500:
                raise self.error("allOf refers to itself without end", ctx)
            part = pending.pop(0)
            if part is True:
                continue
            if part is False or not isinstance(part, dict):
                return ir.NeverNode() if part is False else self.node(part, ctx)
            if "$ref" in part:
                target, contents = self.resolve_ref(part["$ref"], ctx)
                if contents is None:
                    if isinstance(target, ir.NeverNode):
                        return target
                    continue
                rest = {k: v for k, v in part.items() if k != "$ref"}
                pending = [contents, *([rest] if rest else []), *pending]
                continue
            if "allOf" in part:
                rest = {k: v for k, v in part.items() if k != "allOf"}
                pending = [*([rest] if rest else []), *part["allOf"], *pending]
                continue
            expanded.append(part)
        merged = _merge(expanded)
        if merged is None:
            nodes = [self.node(p, ctx.at("allOf", i)) for i, p in enumerate(parts)]
            node = ir.AllOfNode(parts=nodes)
            self.warn(
                node, ctx, "allOf parts could not be merged into one type: typed as any value"
            )
            return node
        for key in ("title", "description", "default", "examples"):
            if key in outer:
                merged[key] = outer[key]
        return self._node(merged, ctx)

    # ----------------------------------------------------------------- whole schema

    def build(self) -> ir.Schema:
        document = self.loaded.document
        resolver = self.loaded.registry.resolver(self.loaded.base_uri)
        top = _Ctx(self.loaded.label, "", resolver)
        seen_keys: dict[str, str] = {}
        for container in ("$defs", "definitions"):
            defs = document.get(container)
            if not isinstance(defs, dict):
                continue
            for key, schema in defs.items():
                where = join_pointer("", container, key)
                if key in seen_keys:
                    raise self.error(
                        f"duplicate type name {key!r}: also defined at {seen_keys[key]}",
                        top.at(container, key),
                    )
                seen_keys[key] = where
                self.register(key, schema, top.at(container, key))
        root_keys = set(document) - _ANNOTATION_KEYS
        root_named: ir.NamedType | None = None
        root: ir.Node | None = None
        if root_keys and root_keys != {"$ref"}:
            title = _text(document.get("title"))
            stem = pascal(title or "") or pascal(Path(self.loaded.label).stem) or "Root"
            root_named = self.register(stem, document, top)
        while self.pending:
            item = self.pending.pop(0)
            self._build_named(item)
        if root_named is not None:
            root = ir.RefNode(target=root_named)
        elif "$ref" in document:
            root = self._ref({"$ref": document["$ref"]}, top)
        schema = ir.Schema(
            types=self.types,
            root=root,
            document=document,
            label=self.loaded.label,
            title=_text(document.get("title")),
            description=_text(document.get("description")),
            schema_id=document.get("$id") if isinstance(document.get("$id"), str) else None,
            warnings=self.warnings,
        )
        _check_cycles(schema, self)
        _settle_union_types(schema)
        if _unwrap_nullable(schema):
            _settle_union_types(schema)
        _open_enums(schema)
        _analyse_unions(schema)
        _check_inhabited(schema, self)
        return schema

    def _build_named(self, item: _Pending) -> None:
        named, schema, ctx = item.named, item.schema, item.ctx
        ctx = _Ctx(ctx.file, ctx.pointer, ctx.resolver, named, ())
        if isinstance(schema, dict) and schema is self.loaded.document:
            schema = {k: v for k, v in schema.items() if k not in ("$defs", "definitions")}
        node = self.node(schema, ctx)
        if isinstance(node, ir.ObjectNode) and node.named is None and node.owner is named:
            node.named = named
        named.node = node


def _variant_part(branch: Any) -> tuple[tuple[str, str], ...]:
    """How a union variant is named: by its title, else by its tag value."""
    if not isinstance(branch, dict):
        return (("variant", ""),)
    title = branch.get("title")
    if isinstance(title, str) and title.strip():
        return (("title", title),)
    props = branch.get("properties")
    if isinstance(props, dict):
        tag = props.get("type")
        if isinstance(tag, dict) and isinstance(tag.get("const"), str):
            return (("tag", tag["const"]),)
        if isinstance(tag, dict) and isinstance(tag.get("enum"), list) and len(tag["enum"]) == 1:
            return (("tag", str(tag["enum"][0])),)
    return (("variant", ""),)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _expand(types: list[str]) -> list[str]:
    out: list[str] = []
    for name in types:
        out.extend(["integer", "number"] if name == "number" else [name])
    return out


def _json_equal(a: Any, b: Any) -> bool:
    """JSON equality: ``1 == 1.0`` but ``True != 1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


# --------------------------------------------------------------------------- node facts


def node_types(node: ir.Node) -> frozenset[str] | None:
    """The JSON types a node's ``type`` keywords allow (``None``: not restricted)."""
    if isinstance(node, ir.RefNode):
        inner = node_types(node.target.node)
        if inner is None:
            return None
        return inner | {"null"} if node.target.nullable else inner
    if isinstance(node, ir.UnionNode):
        return node.types  # settled by _settle_union_types
    if isinstance(node, ir.AllOfNode):
        result: frozenset[str] | None = None
        for part in node.parts:
            kinds = node_types(part)
            if kinds is not None:
                result = kinds if result is None else result & kinds
        return result
    if isinstance(node, ir.OpenEnumNode):
        return frozenset({"string"})
    if isinstance(node, ir.NeverNode):
        return frozenset()
    return node.types


def deref(node: ir.Node) -> ir.Node:
    seen = 0
    while isinstance(node, ir.RefNode) and seen < 100:
        node = node.target.node
        seen += 1
    return node


def _find_tag(variants: list[ir.Node], preferred: Any) -> tuple[str | None, dict[str, list[int]]]:
    """The property telling object variants apart, if every one requires it as a constant."""
    takers = [i for i, v in enumerate(variants) if (t := node_types(v)) is None or "object" in t]
    if not takers:
        return None, {}
    consts: list[dict[str, str]] = []
    for index in takers:
        variant = variants[index]
        obj = deref(variant)
        if not isinstance(obj, ir.ObjectNode) or obj.types is None:
            return None, {}
        found = {}
        for f in obj.fields:
            lit = deref(f.node)
            if (
                f.required
                and isinstance(lit, ir.LiteralNode)
                and len(lit.values) == 1
                and isinstance(lit.values[0], str)
            ):
                found[f.key] = lit.values[0]
        consts.append(found)
    common = set(consts[0]).intersection(*consts[1:]) if consts else set()
    if not common:
        return None, {}
    order = [preferred] if isinstance(preferred, str) else []
    order += ["type", *sorted(common)]
    tag = next(name for name in order if name in common)
    mapping: dict[str, list[int]] = {}
    for index, found in zip(takers, consts, strict=False):
        mapping.setdefault(found[tag], []).append(index)
    return tag, mapping


def _unwrap_nullable(schema: ir.Schema) -> bool:
    """A named ``anyOf``/``oneOf`` of X and null, where X rejects null, is a nullable X."""
    changed = True
    unwrapped = False
    while changed:
        changed = False
        for named in schema.types:
            node = named.node
            if not isinstance(node, ir.UnionNode) or len(node.variants) != 2 or node.outer_types:
                continue
            nulls = [v for v in node.variants if isinstance(v, ir.NullNode)]
            inner = next((v for v in node.variants if not isinstance(v, ir.NullNode)), None)
            kinds = node_types(inner) if inner is not None else None
            if len(nulls) != 1 or inner is None or kinds is None or "null" in kinds:
                continue
            for attr in ("description", "title"):
                if getattr(inner, attr) is None:
                    setattr(inner, attr, getattr(node, attr))
            if inner.default is ir.NO_DEFAULT:
                inner.default = node.default
            inner.notes.extend(n for n in node.notes if n not in inner.notes)
            if isinstance(inner, ir.ObjectNode) and inner.named is None and inner.owner is named:
                inner.named = named
            named.nullable = True
            named.node = inner
            changed = unwrapped = True
    return unwrapped


def _settle_union_types(schema: ir.Schema) -> None:
    """The JSON types each union allows, bottom-up (cycles were ruled out before)."""
    unions = [n for n in schema.walk() if isinstance(n, ir.UnionNode)]
    for union in unions:
        union.types = None
    memo: dict[int, frozenset[str] | None] = {}
    for union in unions:
        union.types = _union_types(union, memo)


def _union_types(
    union: ir.UnionNode, memo: dict[int, frozenset[str] | None]
) -> frozenset[str] | None:
    key = id(union)
    if key in memo:
        return memo[key]
    kinds = []
    for variant in union.variants:
        inner = variant
        nullable = False
        while isinstance(inner, ir.RefNode):
            nullable = nullable or inner.target.nullable
            inner = inner.target.node
        kind = _union_types(inner, memo) if isinstance(inner, ir.UnionNode) else node_types(inner)
        if kind is not None and nullable:
            kind = kind | {"null"}
        kinds.append(kind)
    types = None if any(k is None for k in kinds) else frozenset().union(*kinds)  # type: ignore[arg-type]
    if union.outer_types is not None:
        types = union.outer_types if types is None else types & union.outer_types
    memo[key] = types
    return types


def _open_enums(schema: ir.Schema) -> None:
    """``anyOf: [{type: string}, {type: string, enum: [...]}]`` is a string with known values."""

    def opened(node: ir.Node) -> ir.Node:
        if (
            not isinstance(node, ir.UnionNode)
            or node.one_of
            or node.outer_types
            or len(node.variants) != 2
        ):
            return node
        strings = [v for v in node.variants if isinstance(v, ir.StringNode) and v.types is not None]
        known = [v for v in node.variants if isinstance(v, ir.LiteralNode) and v.strings_only]
        if len(strings) != 1 or len(known) != 1:
            return node
        string = strings[0]
        if string.notes or known[0].notes:
            return node
        out = ir.OpenEnumNode(
            known=tuple(known[0].values), string=string, types=frozenset({"string"})
        )
        for attr in (
            "pointer",
            "description",
            "title",
            "default",
            "examples",
            "deprecated",
            "notes",
        ):
            setattr(out, attr, getattr(node, attr))
        if out.description is None:
            out.description = known[0].description or string.description
        return out

    for named in schema.types:
        named.node = opened(named.node)
    for node in list(schema.walk()):
        if isinstance(node, ir.ObjectNode):
            for f in node.fields:
                f.node = opened(f.node)
        elif isinstance(node, ir.ArrayNode):
            node.items = opened(node.items)
        elif isinstance(node, ir.MapNode):
            node.values = opened(node.values)
        elif isinstance(node, ir.UnionNode):
            node.variants = [opened(v) for v in node.variants]


def _analyse_unions(schema: ir.Schema) -> None:
    """Tags and redundant outer ``type`` of every union, once all types exist."""
    unions = [n for n in schema.walk() if isinstance(n, ir.UnionNode)]
    _settle_union_types(schema)
    for union in unions:
        union.tag, union.tag_map = _find_tag(union.variants, union.tag_hint)
        kinds = [node_types(v) for v in union.variants]
        if union.outer_types is not None and all(
            k is not None and k <= union.outer_types for k in kinds
        ):
            union.outer_types = None


# --------------------------------------------------------------------------- allOf


_MIN_KEYS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_MAX_KEYS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One schema with exactly the meaning of ``allOf: parts``, or ``None``."""
    merged: dict[str, Any] = {}
    closed_sets: list[set[str]] = []
    extra_schemas: list[tuple[set[str], Any]] = []
    for part in parts:
        part = copy.deepcopy(part)
        props = part.get("properties") or {}
        extra = part.get("additionalProperties")
        if extra is False:
            closed_sets.append(set(props))
        elif extra is not None and extra is not True:
            extra_schemas.append((set(props), extra))
        for key, value in part.items():
            if key in ("additionalProperties",):
                continue
            if key not in merged:
                merged[key] = value
                continue
            current = merged[key]
            if key in _ANNOTATION_KEYS:
                continue
            if key == "type":
                a = set(_expand([current] if isinstance(current, str) else current))
                b = set(_expand([value] if isinstance(value, str) else value))
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
                merged[key] = [v for v in current if any(_json_equal(v, w) for w in value)]
            elif key == "items":
                merged[key] = {"allOf": [current, value]}
            elif key == "uniqueItems":
                merged[key] = bool(current) or bool(value)
            elif _json_equal(current, value):
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


# --------------------------------------------------------------------------- checks


def _same_instance_edges(node: ir.Node) -> Iterator[ir.Node]:
    """Nodes checked against the same value as ``node`` (no property or item between)."""
    if isinstance(node, ir.RefNode):
        yield node.target.node
    elif isinstance(node, ir.UnionNode):
        yield from node.variants
    elif isinstance(node, ir.AllOfNode):
        yield from node.parts


def _check_cycles(schema: ir.Schema, builder: _Builder) -> None:
    """A ``$ref`` chain back to itself without descending into the value never ends."""
    state: dict[int, int] = {}
    for named in schema.types:
        stack: list[tuple[ir.Node, Iterator[ir.Node]]] = [
            (named.node, _same_instance_edges(named.node))
        ]
        if state.get(id(named.node)) == 2:
            continue
        state[id(named.node)] = 1
        while stack:
            node, edges = stack[-1]
            nxt = next(edges, None)
            if nxt is None:
                state[id(node)] = 2
                stack.pop()
                continue
            mark = state.get(id(nxt))
            if mark == 1:
                raise InputError(
                    f"$ref cycle through {named.key!r} never reaches a value: it refers to itself "
                    "without going through a property or an array item",
                    file=builder.loaded.label,
                    pointer=builder.loaded.source_pointer(named.pointer),
                )
            if mark is None:
                state[id(nxt)] = 1
                stack.append((nxt, _same_instance_edges(nxt)))


def _check_inhabited(schema: ir.Schema, builder: _Builder) -> None:
    """Every named type must allow at least one finite JSON value."""
    nodes = list(schema.walk())
    alive: set[int] = set()

    def ok(node: ir.Node) -> bool:
        if isinstance(node, ir.NeverNode):
            return False
        if isinstance(node, ir.RefNode):
            return node.target.nullable or id(node.target.node) in alive
        if isinstance(node, ir.ObjectNode):
            return all(id(f.node) in alive for f in node.fields if f.required)
        if isinstance(node, ir.ArrayNode):
            return not node.min_items or id(node.items) in alive
        if isinstance(node, ir.MapNode):
            return not node.min_properties or id(node.values) in alive
        if isinstance(node, ir.UnionNode):
            return any(id(v) in alive for v in node.variants)
        if isinstance(node, ir.AllOfNode):
            return all(id(p) in alive for p in node.parts)
        return True

    changed = True
    while changed:
        changed = False
        for node in nodes:
            if id(node) not in alive and ok(node):
                alive.add(id(node))
                changed = True
    for named in schema.types:
        if id(named.node) not in alive and not named.nullable:
            raise InputError(
                f"type {named.key!r} describes no finite value (its required properties "
                "refer back to it, or it can never be satisfied)",
                file=builder.loaded.label,
                pointer=builder.loaded.source_pointer(named.pointer),
            )


def build_schema(loaded: Loaded) -> ir.Schema:
    """Build the IR of a loaded schema (``load.load_schema``)."""
    return _Builder(loaded).build()
