"""The plan of event dispatch: which type checks a payload, chosen by its tag.

A document whose root is a tagged union of named types (or a union of such unions, each
one an interface of a protocol: ``x-api: ga``, ``beta``, ...) gets ``validate_event``:
the payload's tag (``type``) selects the candidate types. Where several candidates share
a tag value (``session.update`` in the GA, beta and translation interfaces), the payload's
*shape* decides, never "the first whose open type lets it through": this module finds,
for each shared tag value, one place (``session.type``) whose allowed constants tell the
candidates apart; the candidates that do not declare that place at all take the payloads
that leave it out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import ir
from .query import deref

__all__ = ["Events", "Shape", "plan_events"]

#: How deep below the event a telling place is looked for (``session`` → ``type``).
_DEPTH = 2


@dataclass
class Shape:
    """How the candidates of one tag value are told apart."""

    #: Property names from the event down to the telling place.
    path: tuple[str, ...]
    #: Per candidate (type key), the constants it allows there; ``None``: it does not
    #: declare that place, so it takes the payloads that leave it out.
    values: list[tuple[str, tuple[Any, ...] | None]]


@dataclass
class Events:
    """Event dispatch: the tag property and the types each tag value selects."""

    tag: str
    types: list[tuple[str, list[str]]]
    #: Interface label → the type keys of that interface, for ``api=`` restrictions.
    apis: list[tuple[str, list[str]]] = field(default_factory=list)
    #: Tag value → how its candidates are told apart (only for shared tag values).
    shapes: list[tuple[str, Shape]] = field(default_factory=list)


def _leaves(node: ir.Node, tag: str) -> Iterator[ir.NamedType] | None:
    """The named event types under ``node``: itself, or the members of the tagged
    unions it refers to (recursively); ``None`` when it is neither."""
    if not isinstance(node, ir.RefNode):
        return None
    target = node.target
    union = target.node
    if isinstance(union, ir.UnionNode) and union.tag == tag:
        found: list[ir.NamedType] = []
        for variant in union.variants:
            inner = _leaves(variant, tag)
            if inner is None:
                return None
            found.extend(inner)
        return iter(found)
    if isinstance(deref(node), ir.ObjectNode):
        return iter([target])
    return None


def _api_of(named: ir.NamedType) -> str | None:
    """The ``x-api`` annotation of a named type, read from its schema location."""
    schema = named.location.schema if named.location is not None else None
    api = schema.get("x-api") if isinstance(schema, dict) else None
    return api if isinstance(api, str) else None


def _constants(node: ir.Node) -> tuple[Any, ...] | None:
    """The constants a node allows, when it allows only constants (through unions)."""
    node = deref(node)
    if isinstance(node, ir.LiteralNode):
        return tuple(node.values)
    if isinstance(node, ir.UnionNode):
        found: list[Any] = []
        for variant in node.variants:
            values = _constants(variant)
            if values is None:
                return None
            found.extend(v for v in values if v not in found)
        return tuple(found)
    return None


def _places(node: ir.Node, depth: int) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """Every tag (a required property with one constant value) up to ``depth``
    properties down, with its constant; an object union contributes the tags all its
    object variants declare (with all their constants)."""
    node = deref(node)
    if isinstance(node, ir.UnionNode):
        objects = [deref(v) for v in node.variants]
        objects = [v for v in objects if not isinstance(v, ir.NullNode)]
        if not objects or not all(isinstance(v, ir.ObjectNode | ir.UnionNode) for v in objects):
            return {}
        parts = [_places(v, depth) for v in objects]
        shared = set(parts[0]).intersection(*parts[1:])
        return {
            path: tuple(dict.fromkeys(v for part in parts for v in part[path])) for path in shared
        }
    if not isinstance(node, ir.ObjectNode) or depth == 0:
        return {}
    found: dict[tuple[str, ...], tuple[Any, ...]] = {}
    for fld in node.fields:
        values = _constants(fld.node) if fld.required else None
        if values is not None and len(values) == 1:  # a tag: required, one constant
            found[(fld.key,)] = values
        for path, inner in _places(fld.node, depth - 1).items():
            place = (fld.key, *path)
            found[place] = inner
    return found


def _shape(candidates: list[ir.NamedType], tag: str) -> Shape | None:
    """The place that tells most of ``candidates`` apart (then the shallowest): those
    that declare it allow disjoint constants there; those that leave it out are tried
    in order on the payloads that leave it out."""
    places = {c.key: _places(c.node, _DEPTH) for c in candidates}
    best: tuple[tuple[int, int, tuple[str, ...]], Shape] | None = None
    for path in {p for found in places.values() for p in found if p != (tag,)}:
        values = [(c.key, places[c.key].get(path)) for c in candidates]
        declared = [set(v) for _, v in values if v is not None]
        if sum(len(v) for v in declared) != len(set().union(*declared)):
            continue  # two candidates allow the same constant: it tells nothing
        rank = (len(values) - len(declared), len(path), path)
        if best is None or rank < best[0]:
            best = (rank, Shape(path, values))
    return best[1] if best is not None else None


def plan_events(schema: ir.Schema) -> Events | None:
    """Event dispatch for ``schema``'s root, when the root is a tagged union of named
    object types or of such unions."""
    root = schema.root
    if not isinstance(root, ir.RefNode):
        return None
    union = root.target.node
    if not isinstance(union, ir.UnionNode):
        return None
    tag = union.tag
    if tag is None:  # a union of tagged unions: they must share the tag
        tags = {
            deref(v).tag if isinstance(deref(v), ir.UnionNode) else None  # type: ignore[attr-defined]
            for v in union.variants
        }
        if len(tags) != 1 or None in tags:
            return None
        (tag,) = tags
    assert tag is not None
    by_tag: dict[str, list[ir.NamedType]] = {}
    apis: dict[str, list[str]] = {}
    for variant in union.variants:
        members = _leaves(variant, tag)
        if members is None:
            return None
        api = _api_of(variant.target) if isinstance(variant, ir.RefNode) else None
        for named in members:
            values = _constants(next(f.node for f in _fields(named) if f.key == tag))
            for value in values or ():
                group = by_tag.setdefault(value, [])
                if named not in group:
                    group.append(named)
            if api is not None and named.key not in apis.setdefault(api, []):
                apis[api].append(named.key)
    shapes = []
    for value, group in by_tag.items():
        if len(group) > 1 and (shape := _shape(group, tag)) is not None:
            shapes.append((value, shape))
    return Events(
        tag,
        [(value, [n.key for n in group]) for value, group in by_tag.items()],
        sorted(apis.items()),
        shapes,
    )


def _fields(named: ir.NamedType) -> list[ir.Field]:
    node = deref(named.node)
    return node.fields if isinstance(node, ir.ObjectNode) else []
