"""Facts about IR nodes that every output asks (types, docs, schema diffs)."""

from __future__ import annotations

from typing import Any

from . import ir

__all__ = [
    "accepts_null",
    "const_tags",
    "deref",
    "describe_limits",
    "field_default",
    "find_tag",
    "node_types",
]


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


def find_tag(variants: list[ir.Node], preferred: Any) -> tuple[str | None, dict[str, list[int]]]:
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
        consts.append({k: v for k, v in const_tags(obj).items() if isinstance(v, str)})
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


def const_tags(obj: ir.ObjectNode) -> dict[str, Any]:
    """Required properties of ``obj`` that hold one constant (its tags), by key."""
    found: dict[str, Any] = {}
    for f in obj.fields:
        lit = deref(f.node)
        if f.required and isinstance(lit, ir.LiteralNode) and len(lit.values) == 1:
            found[f.key] = lit.values[0]
    return found


def field_default(f: ir.Field) -> Any:
    """The default of a field, from the field's schema or its reference's target."""
    default = f.node.default
    if default is ir.NO_DEFAULT and isinstance(f.node, ir.RefNode):
        default = f.node.target.node.default
    return default


def describe_limits(node: ir.Node) -> list[str]:
    """Human-readable limits of a node, for docstrings and docs."""
    node = deref(node)
    out: list[str] = []
    if isinstance(node, ir.UnionNode):
        for variant in node.variants:
            out.extend(describe_limits(variant))
        return out
    if isinstance(node, ir.StringNode):
        if node.min_length is not None:
            out.append(f"at least {node.min_length} characters")
        if node.max_length is not None:
            out.append(f"at most {node.max_length} characters")
        if node.pattern is not None:
            out.append(f"matches the pattern {node.pattern}")
        if node.format:
            out.append(f"format {node.format}")
    elif isinstance(node, ir.NumberNode):
        if node.minimum is not None:
            out.append(f"minimum {node.minimum}")
        if node.exclusive_minimum is not None:
            out.append(f"greater than {node.exclusive_minimum}")
        if node.maximum is not None:
            out.append(f"maximum {node.maximum}")
        if node.exclusive_maximum is not None:
            out.append(f"less than {node.exclusive_maximum}")
        if node.multiple_of is not None:
            out.append(f"a multiple of {node.multiple_of}")
    elif isinstance(node, ir.ArrayNode):
        if node.min_items is not None:
            out.append(f"at least {node.min_items} items")
        if node.max_items is not None:
            out.append(f"at most {node.max_items} items")
        if node.unique_items:
            out.append("items are unique")
    elif isinstance(node, (ir.MapNode, ir.ObjectNode)):
        if node.min_properties is not None:
            out.append(f"at least {node.min_properties} properties")
        if node.max_properties is not None:
            out.append(f"at most {node.max_properties} properties")
    return out


def accepts_null(node: ir.Node) -> bool:
    """Can the value be ``null``? (A node with no ``type`` accepts anything.)"""
    types = node_types(node)
    return types is None or "null" in types
