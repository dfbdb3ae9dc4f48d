"""Build the validation plan of every location reachable from the roots.

One table per dialect maps each keyword to the function that plans it (the way
python-jsonschema keeps one function per keyword and fastjsonschema one generator method
per keyword); later dialects copy the table of the one before and change what changed.
Keywords that only mean something with a partner (``then`` with ``if``, ``minContains``
with ``contains``, ``additionalItems`` with tuple ``items``) are planned by the partner.
Unknown keywords are ignored, as the specification says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import join_pointer
from ..runtime import ecma
from ..schema.index import Index, Location
from ..schema.uri import pointer_tokens, split_fragment
from . import plan as p

__all__ = ["Planner"]

#: ``planner(self, location, schema) -> checks``: one keyword's checks.
KeywordPlanner = Callable[["Planner", Location, dict[str, Any]], list[p.Check]]


def _int(value: Any) -> Any:
    """Integral floats (``2.0``) used as counts become ints."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


class Planner:
    """Plans nodes on demand; :meth:`finish` plans everything they reach."""

    def __init__(self, index: Index, *, format_assert: bool = False) -> None:
        self.index = index
        self.format_assert = format_assert
        self.nodes: dict[int, p.Node] = {}
        self._queue: list[p.Node] = []
        self._dynamic: list[tuple[p.DynamicRef, str | None]] = []
        self._regexes: dict[str, p.Regex] = {}
        #: Things the user should know: (location, pointer, message).
        self.warnings: list[tuple[Location, str, str]] = []

    # ------------------------------------------------------------------ nodes

    def node(self, location: Location) -> p.Node:
        """The node of ``location`` (planned by :meth:`finish`)."""
        found = self.nodes.get(id(location))
        if found is None:
            found = p.Node(location)
            self.nodes[id(location)] = found
            self._queue.append(found)
        return found

    def child(self, location: Location, *tokens: str | int) -> p.Node:
        return self.node(self.index.child(location, *tokens))

    def finish(self) -> list[p.Node]:
        """Plan every queued node and what it reaches; return all nodes in order."""
        while self._queue or self._dynamic:
            while self._queue:
                self._plan(self._queue.pop(0))
            pending, self._dynamic = self._dynamic, []
            for check, name in pending:
                self._fill_dynamic(check, name)
        return sorted(self.nodes.values(), key=lambda n: n.location.number)

    def _plan(self, node: p.Node) -> None:
        schema = node.location.schema
        if isinstance(schema, bool):
            node.constant = schema
            return
        if not isinstance(schema, dict):
            raise node.location.error("a schema must be an object or a boolean")
        dialect = node.location.dialect
        table = TABLES[dialect.name]
        if dialect.ref_overrides and "$ref" in schema:
            node.checks = _ref(self, node.location, schema)
            return
        checks: list[p.Check] = []
        last: list[p.Check] = []
        for keyword in schema:
            planner = table.get(keyword)
            if planner is None or not dialect.active(keyword):
                continue
            for check in planner(self, node.location, schema):
                (last if isinstance(check, p.Unevaluated) else checks).append(check)
        node.checks = checks + last

    # ------------------------------------------------------------------ helpers

    def regex(self, pattern: Any, location: Location, *tokens: str | int) -> p.Regex:
        if not isinstance(pattern, str):
            raise location.error("a pattern must be a string", *tokens)
        found = self._regexes.get(pattern)
        if found is None:
            try:
                found = p.Regex(pattern, ecma.translate(pattern))
            except ecma.RegexError as exc:
                found = p.Regex(pattern, self._legacy_regex(pattern, exc, location, tokens))
            self._regexes[pattern] = found
        return found

    def _legacy_regex(
        self, pattern: str, error: Exception, location: Location, tokens: tuple[str | int, ...]
    ) -> str:
        """Many published schemas write patterns that only the non-Unicode ECMA-262
        syntax allows (``\\:``, a lone ``]``): read them so, and say so."""
        try:
            translated = ecma.translate(pattern, legacy=True)
        except ecma.RegexError:
            raise location.error(
                f"pattern {pattern!r} is not a valid regular expression: {error}", *tokens
            ) from None
        self.warnings.append(
            (
                location,
                join_pointer(location.pointer, *tokens),
                f"pattern {pattern!r} is not valid with the Unicode flag JSON Schema uses "
                f"({error}); read with the non-Unicode syntax",
            )
        )
        return translated

    def dynamic(self, check: p.DynamicRef, anchor: str | None) -> None:
        """Fill ``check.candidates`` once every document is indexed."""
        self._dynamic.append((check, anchor))

    def _fill_dynamic(self, check: p.DynamicRef, anchor: str | None) -> None:
        found = (
            self.index.recursive_anchor_locations()
            if anchor is None
            else self.index.dynamic_anchor_locations(anchor)
        )
        check.candidates = {number: self.node(loc) for number, loc in sorted(found.items())}


# --------------------------------------------------------------------------- any value


def _type(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    value = schema["type"]
    names = [value] if isinstance(value, str) else list(value)
    return [p.Type("type", frozenset(names), whole_floats=loc.dialect.name != "draft-04")]


def _const(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    return [p.Const("const", schema["const"])]


def _enum(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    return [p.Enum("enum", tuple(schema["enum"]))]


def _in_place_list(kind: type[p.AllOf] | type[p.AnyOf], keyword: str) -> KeywordPlanner:
    def plan(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
        nodes = [self.child(loc, keyword, i) for i in range(len(schema[keyword]))]
        return [kind(keyword, nodes)]

    return plan


def _not(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    return [p.Not("not", self.child(loc, "not"))]


def _if(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    then = self.child(loc, "then") if "then" in schema else None
    otherwise = self.child(loc, "else") if "else" in schema else None
    # ``if`` alone asserts nothing, but ``unevaluated*`` sees its annotations.
    return [p.If("if", self.child(loc, "if"), then, otherwise)]


def _ref(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    target = self.index.resolve(schema["$ref"], loc, "$ref")
    return [p.Ref("$ref", self.node(target))]


def _dynamic_ref(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    value = schema["$dynamicRef"]
    target = self.index.resolve(value, loc, "$dynamicRef")
    fragment = split_fragment(value)[1]
    anchored = (
        pointer_tokens(fragment) is None and target.resource.dynamic_anchors.get(fragment) is target
    )
    if not anchored:  # no $dynamicAnchor at the target: an ordinary reference
        return [p.Ref("$dynamicRef", self.node(target))]
    check = p.DynamicRef("$dynamicRef", self.node(target), {})
    self.dynamic(check, fragment)
    return [check]


def _recursive_ref(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    target = self.index.resolve(schema["$recursiveRef"], loc, "$recursiveRef")
    if not target.resource.recursive_anchor or not target.is_resource_root:
        return [p.Ref("$recursiveRef", self.node(target))]
    check = p.DynamicRef("$recursiveRef", self.node(target), {})
    self.dynamic(check, None)
    return [check]


# --------------------------------------------------------------------------- scalars


def _compare(keyword: str, bad_op: str) -> KeywordPlanner:
    def plan(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
        return [p.Compare(keyword, bad_op, schema[keyword])]

    return plan


def _compare_draft4(keyword: str, bad_op: str, exclusive: str) -> KeywordPlanner:
    """draft-04: ``exclusiveMinimum``/``exclusiveMaximum`` are booleans that make
    ``minimum``/``maximum`` exclusive."""

    def plan(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
        op = bad_op + "=" if schema.get(exclusive) is True else bad_op
        return [p.Compare(keyword, op, schema[keyword])]

    return plan


def _multiple_of(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    return [p.MultipleOf("multipleOf", schema["multipleOf"])]


def _length(keyword: str) -> KeywordPlanner:
    def plan(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
        return [p.Length(keyword, _int(schema[keyword]))]

    return plan


def _pattern(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    return [p.Pattern("pattern", self.regex(schema["pattern"], loc, "pattern"))]


def _format(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    from ..runtime.formats import CHECKERS

    name = schema["format"]
    vocabularies = loc.dialect.vocabularies
    asserted = self.format_assert or (
        vocabularies is not None and "format-assertion" in vocabularies
    )
    if not asserted or not isinstance(name, str) or name not in CHECKERS:
        return []  # an annotation (unknown formats are ignored, as the spec says)
    return [p.Format("format", name)]


# --------------------------------------------------------------------------- arrays


def _size(keyword: str, family: str) -> KeywordPlanner:
    def plan(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
        return [p.Size(keyword, family, _int(schema[keyword]))]

    return plan


def _unique(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    return [p.Unique("uniqueItems")] if schema["uniqueItems"] is True else []


def _prefix_items(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    count = len(schema["prefixItems"])
    return [p.PrefixItems("prefixItems", [self.child(loc, "prefixItems", i) for i in range(count)])]


def _items(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    prefix = schema.get("prefixItems")
    start = len(prefix) if isinstance(prefix, list) else 0
    return [p.Items("items", self.child(loc, "items"), start)]


def _items_tuple(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    """``items`` before 2020-12: one schema for every item, or a tuple of schemas
    (then ``additionalItems`` governs the rest)."""
    items = schema["items"]
    if not isinstance(items, list):
        return [p.Items("items", self.child(loc, "items"), 0, each=True)]
    checks: list[p.Check] = [
        p.PrefixItems("items", [self.child(loc, "items", i) for i in range(len(items))])
    ]
    if "additionalItems" in schema and loc.dialect.active("additionalItems"):
        checks.append(p.Items("additionalItems", self.child(loc, "additionalItems"), len(items)))
    return checks


def _contains(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    minimum, maximum = 1, None
    if loc.dialect.modern:
        minimum = _int(schema.get("minContains", 1))
        maximum = _int(schema.get("maxContains")) if "maxContains" in schema else None
    return [p.Contains("contains", self.child(loc, "contains"), minimum, maximum)]


# --------------------------------------------------------------------------- objects


def _required(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    names = tuple(dict.fromkeys(schema["required"]))
    if not names:
        return []
    props = schema.get("properties")
    props = props if isinstance(props, dict) else {}
    tags = frozenset(n for n in names if isinstance(props.get(n), dict) and "const" in props[n])
    return [p.Required("required", names, tags)]


def _dependent_required(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    deps = tuple((k, tuple(v)) for k, v in schema["dependentRequired"].items() if v)
    return [p.DependentRequired("dependentRequired", deps)] if deps else []


def _dependent_schemas(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    deps = [(k, self.child(loc, "dependentSchemas", k)) for k in schema["dependentSchemas"]]
    return [p.DependentSchemas("dependentSchemas", deps)] if deps else []


def _dependencies(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    """draft-07 ``dependencies``: lists of names, or schemas."""
    names: list[tuple[str, tuple[str, ...]]] = []
    schemas: list[tuple[str, p.Node]] = []
    for key, value in schema["dependencies"].items():
        if isinstance(value, list):
            if value:
                names.append((key, tuple(value)))
        else:
            schemas.append((key, self.child(loc, "dependencies", key)))
    checks: list[p.Check] = []
    if names:
        checks.append(p.DependentRequired("dependencies", tuple(names)))
    if schemas:
        checks.append(p.DependentSchemas("dependencies", schemas))
    return checks


def _properties(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    nodes = {k: self.child(loc, "properties", k) for k in schema["properties"]}
    return [p.Properties("properties", nodes)] if nodes else []


def _pattern_properties(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    patterns = [
        (self.regex(k, loc, "patternProperties", k), self.child(loc, "patternProperties", k))
        for k in schema["patternProperties"]
    ]
    return [p.PatternProperties("patternProperties", patterns)] if patterns else []


def _additional_properties(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    props = schema.get("properties")
    patterns = schema.get("patternProperties")
    names = tuple(props) if isinstance(props, dict) else ()
    regexes = tuple(
        self.regex(k, loc, "patternProperties", k)
        for k in (patterns if isinstance(patterns, dict) else ())
    )
    node = self.child(loc, "additionalProperties")
    return [p.AdditionalProperties("additionalProperties", node, names, regexes)]


def _property_names(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
    return [p.PropertyNames("propertyNames", self.child(loc, "propertyNames"))]


def _unevaluated(keyword: str) -> KeywordPlanner:
    def plan(self: Planner, loc: Location, schema: dict[str, Any]) -> list[p.Check]:
        return [p.Unevaluated(keyword, self.child(loc, keyword))]

    return plan


# --------------------------------------------------------------------------- tables

_COMMON: dict[str, KeywordPlanner] = {
    "$ref": _ref,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "multipleOf": _multiple_of,
    "maximum": _compare("maximum", ">"),
    "exclusiveMaximum": _compare("exclusiveMaximum", ">="),
    "minimum": _compare("minimum", "<"),
    "exclusiveMinimum": _compare("exclusiveMinimum", "<="),
    "maxLength": _length("maxLength"),
    "minLength": _length("minLength"),
    "pattern": _pattern,
    "format": _format,
    "maxItems": _size("maxItems", "array"),
    "minItems": _size("minItems", "array"),
    "uniqueItems": _unique,
    "items": _items_tuple,
    "contains": _contains,
    "maxProperties": _size("maxProperties", "object"),
    "minProperties": _size("minProperties", "object"),
    "required": _required,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
    "allOf": _in_place_list(p.AllOf, "allOf"),
    "anyOf": _in_place_list(p.AnyOf, "anyOf"),
    "oneOf": _in_place_list(p.OneOf, "oneOf"),
    "not": _not,
}

DRAFT4_TABLE = {
    **{
        k: v
        for k, v in _COMMON.items()
        if k not in ("const", "contains", "propertyNames", "exclusiveMinimum", "exclusiveMaximum")
    },
    "minimum": _compare_draft4("minimum", "<", "exclusiveMinimum"),
    "maximum": _compare_draft4("maximum", ">", "exclusiveMaximum"),
    "dependencies": _dependencies,
}
DRAFT6_TABLE = {**_COMMON, "dependencies": _dependencies}
DRAFT7_TABLE = {**DRAFT6_TABLE, "if": _if}
DRAFT201909_TABLE = {
    **{k: v for k, v in DRAFT7_TABLE.items() if k != "dependencies"},
    "dependentRequired": _dependent_required,
    "dependentSchemas": _dependent_schemas,
    "$recursiveRef": _recursive_ref,
    "unevaluatedItems": _unevaluated("unevaluatedItems"),
    "unevaluatedProperties": _unevaluated("unevaluatedProperties"),
}
DRAFT202012_TABLE = {
    **{k: v for k, v in DRAFT201909_TABLE.items() if k != "$recursiveRef"},
    "$dynamicRef": _dynamic_ref,
    "prefixItems": _prefix_items,
    "items": _items,
}

#: The keyword table of each dialect, by dialect name.
TABLES: dict[str, dict[str, KeywordPlanner]] = {
    "draft-04": DRAFT4_TABLE,
    "draft-06": DRAFT6_TABLE,
    "draft-07": DRAFT7_TABLE,
    "2019-09": DRAFT201909_TABLE,
    "2020-12": DRAFT202012_TABLE,
}
