"""Hypothesis strategies that draw payloads for a schema's types, from the generator's IR.

They are fast (plain hypothesis strategies, no schema canonicalisation), so they can
supply the volume of the property tests. They aim at valid payloads but need not hit
them: every payload is judged by jsonschema, the independent reference, so a mistake
in the IR shows up as a disagreement instead of hiding. hypothesis-jsonschema remains
the second, independent source (with fewer examples: it is slow on these schemas).
"""

from __future__ import annotations

import math
import re
from typing import Any

from hypothesis import strategies as st
from rtschema.generate import load_ir
from rtschema.types import ir

KEYS = st.text(min_size=0, max_size=12)
JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=12,
)


class Strategies:
    """``Strategies(path).for_type(name)``: payloads for a named type of a schema."""

    def __init__(self, schema_path: str) -> None:
        self.schema, _ = load_ir(schema_path)
        self.named = {t.key: t for t in self.schema.types}
        self._deferred: dict[int, st.SearchStrategy[Any]] = {}

    def for_type(self, key: str) -> st.SearchStrategy[Any]:
        named = self.named[key]
        return self._named(named)

    def _named(self, named: ir.NamedType) -> st.SearchStrategy[Any]:
        key = id(named)
        if key not in self._deferred:
            self._deferred[key] = st.deferred(lambda: self._build_named(named))
        return self._deferred[key]

    def _build_named(self, named: ir.NamedType) -> st.SearchStrategy[Any]:
        inner = self.node(named.node)
        return st.none() | inner if named.nullable else inner

    def node(self, node: ir.Node) -> st.SearchStrategy[Any]:
        if isinstance(node, ir.RefNode):
            return self._named(node.target)
        if isinstance(node, (ir.AnyNode, ir.AllOfNode)):
            return JSON
        if isinstance(node, ir.NeverNode):
            return st.nothing()
        if isinstance(node, ir.NullNode):
            return st.none()
        if isinstance(node, ir.BoolNode):
            return st.booleans()
        if isinstance(node, ir.LiteralNode):
            return st.sampled_from(node.values)
        if isinstance(node, ir.OpenEnumNode):
            return st.sampled_from(node.known) | self.node(node.string)
        if isinstance(node, ir.StringNode):
            return self.string(node)
        if isinstance(node, ir.NumberNode):
            return self.number(node)
        if isinstance(node, ir.ArrayNode):
            low = node.min_items or 0
            high = min(node.max_items if node.max_items is not None else low + 3, low + 3)
            items = self.node(node.items)
            if node.unique_items:
                return st.lists(items, min_size=low, max_size=high, unique_by=repr)
            return st.lists(items, min_size=low, max_size=high)
        if isinstance(node, ir.MapNode):
            low = node.min_properties or 0
            high = min(node.max_properties if node.max_properties is not None else low + 3, low + 3)
            return st.dictionaries(KEYS, self.node(node.values), min_size=low, max_size=high)
        if isinstance(node, ir.ObjectNode):
            return self.obj(node)
        if isinstance(node, ir.UnionNode):
            return st.one_of([self.node(v) for v in node.variants])
        raise AssertionError(node.kind)

    def string(self, node: ir.StringNode) -> st.SearchStrategy[str]:
        low = node.min_length or 0
        high = node.max_length if node.max_length is not None else low + 24
        if node.pattern is not None:
            pattern = re.compile(node.pattern)
            return st.from_regex(pattern).filter(lambda s: low <= len(s) <= high)
        boundary = [x for x in {low, high} if x <= 600]
        exact = (
            st.sampled_from(boundary).flatmap(lambda n: st.text(min_size=n, max_size=n))
            if boundary
            else st.nothing()
        )
        return st.text(min_size=low, max_size=min(high, low + 24)) | exact

    def number(self, node: ir.NumberNode) -> st.SearchStrategy[Any]:
        low = node.minimum if node.minimum is not None else node.exclusive_minimum
        high = node.maximum if node.maximum is not None else node.exclusive_maximum
        edges = [x for x in (low, high) if x is not None]
        if node.integer:
            lo = None if low is None else math.ceil(low)
            hi = None if high is None else math.floor(high)
            base = st.integers(min_value=lo, max_value=hi)
            if node.multiple_of:
                step = node.multiple_of
                base = base.map(lambda x: (x // step) * step if isinstance(step, int) else x)
            extra = st.sampled_from([int(e) for e in edges]) if edges else st.nothing()
            return base | extra | base.map(float)
        base = st.floats(
            min_value=low,
            max_value=high,
            exclude_min=node.exclusive_minimum is not None and node.minimum is None,
            exclude_max=node.exclusive_maximum is not None and node.maximum is None,
            allow_nan=False,
            allow_infinity=False,
        )
        ints = st.integers(
            min_value=None if low is None else math.ceil(low),
            max_value=None if high is None else math.floor(high),
        )
        return base | ints | (st.sampled_from(edges) if edges else st.nothing())

    def obj(self, node: ir.ObjectNode) -> st.SearchStrategy[dict[str, Any]]:
        required = {f.key: self.node(f.node) for f in node.fields if f.required}
        optional = {f.key: self.node(f.node) for f in node.fields if not f.required}
        base = st.fixed_dictionaries(required, optional=optional)
        if node.open:
            declared = {f.key for f in node.fields}
            extras = st.dictionaries(KEYS.filter(lambda k: k not in declared), JSON, max_size=2)
            return st.tuples(base, extras).map(lambda pair: {**pair[1], **pair[0]})
        return base
