"""Named passes over the IR, run in this order by :func:`run_passes` once every type is
built: work out the JSON types of unions, unwrap nullable named types, turn
``anyOf: [string, enum]`` into open enums, then find the tags of tagged unions."""

from __future__ import annotations

from . import ir
from .query import find_tag, node_types

__all__ = ["analyse_unions", "open_enums", "run_passes", "settle_union_types", "unwrap_nullable"]


def run_passes(schema: ir.Schema) -> None:
    settle_union_types(schema)
    if unwrap_nullable(schema):
        settle_union_types(schema)
    open_enums(schema)
    analyse_unions(schema)


def unwrap_nullable(schema: ir.Schema) -> bool:
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


def settle_union_types(schema: ir.Schema) -> None:
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


def open_enums(schema: ir.Schema) -> None:
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
            "location",
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


def analyse_unions(schema: ir.Schema) -> None:
    """Tags and redundant outer ``type`` of every union, once all types exist."""
    unions = [n for n in schema.walk() if isinstance(n, ir.UnionNode)]
    settle_union_types(schema)
    for union in unions:
        union.tag, union.tag_map = find_tag(union.variants, union.tag_hint)
        kinds = [node_types(v) for v in union.variants]
        if union.outer_types is not None and all(
            k is not None and k <= union.outer_types for k in kinds
        ):
            union.outer_types = None
