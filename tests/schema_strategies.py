"""Hypothesis strategies for random JSON Schema documents and for instances of them.

Not a test module: ``test_differential.py`` draws from here, and so may anything else
that wants random schemas. ``schemas(dialect)`` draws whole documents for JSON Schema
2020-12 or draft-07; ``instances(schema)`` draws JSON values for one document;
``simpler_schemas``/``simpler_instances`` list smaller variants, for minimizing.

How a schema document is drawn
------------------------------
* **Shape.** About 3 % are the boolean documents ``true``/``false``. About 10 % of the
  2020-12 documents are the specification's extensible tree: a ``tree`` resource with
  ``$dynamicAnchor: node`` whose children are ``{"$dynamicRef": "#node"}``, and a root
  that (mostly) takes over the dynamic anchor, ``$ref``s the tree and adds constraints
  (``unevaluatedProperties: false``, ``required``, ...) that then hold for every node.
  Everything else is a root body and 0 to 4 definitions (``$defs``/``definitions``). A
  definition is plain, or has an ``$anchor`` (draft-07: an ``$id`` of ``#name``), or its
  own relative ``$id`` (``def1.json``: a resource of its own), or nested definitions
  (``#/$defs/A/$defs/Inner``); one that nothing names gets a root property that
  ``$ref``s it, so that every definition counts. 40 % of the documents have an absolute
  root ``$id``; definition names include ``a/b``, ``p q`` and ``t~``, which references
  must escape.
* **References.** A ``$ref`` points at the root or a definition, written as a reader
  needs it from where it stands (``#/$defs/A``, ``#anchor1``, ``def1.json``,
  ``root.json#/$defs/A`` from inside another resource). Cycles only pass through a
  keyword that descends into the instance (``properties``, ``items``, ``contains``,
  ``unevaluated*``, ...): before descending, a reference may only point at a *later*
  definition, and at the root only after. So every cycle consumes instance depth and
  every validator terminates. At most 2 references per document close a cycle
  (jsonschema's time grows like their number to the power of the instance's depth).
  ``$ref`` often has sibling keywords (2020-12 applies them, draft-07 ignores them); a
  draft-07 node with an ``$id`` has no ``$ref`` (that would hide the ``$id``).
* **Subschemas.** A node is ``true`` (4 %), ``false`` (2 %), a bare ``$ref`` (24 % once
  descended, which makes recursion common; 10 % before; never the root body), or a
  keyword object with a *theme* (object, array, string, number, integer, enum, any; object
  and array weigh more away from the last levels): ``type`` (a name or a list) with
  probability 0.65, 1 to 3 keywords of the theme (``any``: of every theme) and 0 to 2
  generic ones: ``allOf``/``anyOf``/``oneOf`` (1 to 3 branches, mostly of the same theme;
  a third of the object unions tagged by a ``kind`` const), ``not``,
  ``if``/``then``/``else``, ``enum``, ``const``, ``$ref``, ``format``. A node with depth
  left and nothing to nest gets a nesting keyword with probability 0.75. Every keyword
  of the dialect is in some menu: ranges made of a few limits (ints and floats) and
  ``multipleOf`` from ``0.5, 2, 5, 0.1, ...``; lengths 0 to 6 and patterns from
  ``PATTERNS``; ``items``, ``prefixItems`` (draft-07: tuple ``items`` and
  ``additionalItems``), ``contains`` (2020-12: with ``minContains``/``maxContains``),
  counts, ``uniqueItems``; ``properties``, ``required``, ``additionalProperties`` (a
  boolean or a schema, often beside ``patternProperties``), ``propertyNames``, counts,
  ``dependentRequired``/``dependentSchemas`` (draft-07: ``dependencies``, names or
  schemas); and, in 2020-12, ``unevaluatedProperties``/``unevaluatedItems`` (a boolean or
  a schema), with probability 0.4 where an applicator, ``$ref``, ``dependentSchemas``,
  ``prefixItems`` or ``contains`` gives them annotations to see, else 0.1.
* **Size and depth.** 65 % of the documents are large: a depth budget of 3 to 5 levels
  for the root (2 to 4 for definitions) and 14 to 40 subschemas in all; the other 35 %
  are small (1 to 2 levels, 4 to 12 subschemas, at most 2 definitions), where a single
  keyword more often decides a verdict. At the last level only keywords without
  subschemas are drawn. About half of all documents nest 3 levels or more (an ``anyOf``
  inside ``properties`` inside ``items``; see ``depth_of``).
* **Never drawn:** a property, pattern or ``dependentSchemas`` key named
  ``"properties"``; patterns on which Python's ``re.search`` and ECMA-262 could differ
  for the strings drawn here (no ``$``, ``.``, ``\\d``, ``\\w``, ``\\s``, ``\\b``);
  non-finite numbers; two things the reference cannot take: a draft-07 ``dependencies``
  mixing both forms (``referencing`` 0.37 crashes crawling it) and a boolean ``items``
  beside ``additionalItems`` (jsonschema 4.26 crashes). ``format`` is an annotation: it
  must never change a verdict.

How instances are drawn
-----------------------
The heart is a *directed* value, built to satisfy the schema: the conjunction a value
must meet is collected through ``$ref``, ``$dynamicRef`` (resolved statically),
``allOf``, one ``anyOf``/``oneOf`` branch, ``then`` or ``else`` and sometimes a
``dependentSchemas`` entry (its key made required); then a JSON type all of it allows is
filled in: a ``const``/``enum`` value (or an alias: ``1.0`` for ``1``, ``1`` for
``true``), required and some optional properties (no unknown ones when closed, keys only
``patternProperties`` match), lengths and counts inside the limits, numbers in range and
multiples of ``multipleOf`` (``2.0`` for an integer now and then), strings matching the
patterns. It is a heuristic (``not`` is ignored, ``oneOf`` may match twice); jsonschema
decides. A directed value may also take one *edge* instead: a number on a limit or just
past it, a length or count on or past a limit (strings in 1-, 2- and 4-byte
characters), all items matching ``contains``, a duplicate (or alias) in a unique array, an
unmet dependency, an unknown key in a closed object, or aim at the subschema of a
``not``, at two ``oneOf`` branches, at ``then`` alone or at ``if`` alone.

Since a verdict shows a keyword's meaning only when that keyword decides it, most
instances are kept close to the boundary between valid and invalid, with jsonschema as
the judge (the first of three tries that has the wanted number of errors is kept).
Sources, by weight:

* 4, *edge inside*: a valid directed value with one part drawn again at an edge of the
  subschemas that apply there (one error wanted);
* 3, *valid*: a directed value (no error wanted);
* 3, *near miss*: a valid directed value with one change, chosen by the part's type: a key
  added or dropped, an item appended (often a copy or an alias) or dropped, a number
  moved to one of the schema's limits or by ±1, a string lengthened, shortened or written
  in wider characters, a value replaced by an alias, a const/enum value or another JSON
  type (one error wanted);
* 1 each: *edge* (a directed value with one edge), *mutated* (a directed value with one
  change), *hinted* (random JSON made of the schema's own names, values, limits and
  strings) and *arbitrary* (any JSON, finite numbers only).

About 35 to 40 % of the instances are valid, with both verdicts well represented for
every dialect.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from hypothesis import strategies as st
from jsonschema.validators import validator_for
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT7, DRAFT202012

from reference import pattern_search
from support import json_paths, json_replace

__all__ = [
    "DIALECTS",
    "KEYWORDS",
    "NAMES",
    "PATTERNS",
    "depth_of",
    "dialect_of",
    "instances",
    "keywords_of",
    "schemas",
    "simpler_instances",
    "simpler_schemas",
]

Draw = Callable[[st.SearchStrategy[Any]], Any]

DIALECTS = ("2020-12", "draft-07")
META_SCHEMAS = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "draft-07": "http://json-schema.org/draft-07/schema#",
}

#: Property names of schemas and instances: small, so that instances hit the schema's.
NAMES = ("a", "b", "c", "type", "kind", "x-y")
#: Patterns on which ``re.search`` and ECMA-262 agree for every string drawn here.
PATTERNS = ("^a", "b", "^[a-c]+", "x|y", "^(ab)*c?", "a{2}", "^[^a]", "-", "^(k|t)")
FORMATS = ("date", "email", "uri", "ipv4", "uuid", "date-time")
LIMITS = (-10, -2.5, -1, 0, 0.5, 1, 1.5, 2, 3, 5, 10, 100)
MULTIPLES = (2, 5, 0.5, 0.1, 1, 3, 0.25, 1.5)
TYPES = ("null", "boolean", "object", "array", "number", "string", "integer")
CONSTS: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    1.0,
    -1,
    2.5,
    "",
    "a",
    "blue",
    "kind",
    "x",
    [],
    [1, "a"],
    {},
    {"a": 1},
)
#: Strings instances are made of (with the schema's own and runs of "a" and "x").
STRINGS = (
    "",
    "a",
    "b",
    "c",
    "aa",
    "ab",
    "ba",
    "abc",
    "cab",
    "aab",
    "ababc",
    "bbb",
    "x",
    "y",
    "xy",
    "-",
    "x-y",
    "k",
    "t",
    "kind",
    "type",
    "blue",
    "é",
    "😀",
    "a\n",
    "\nb",
    "éé",
    "a😀",
    "😀😀",
    "2024-01-31",
    "a@b.c",
    "1.2.3.4",
)
DEF_NAMES = ("A", "B", "Cfg", "Node", "item", "a/b", "p q", "t~")
TAGS = ("x", "y", "z")
ROOT_ID = "https://example.com/schemas/root.json"
ROOT_NAME = "root.json"

#: The validation keywords each dialect draws from (for coverage reports).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "2020-12": (
        "type", "enum", "const", "multipleOf", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "minLength", "maxLength", "pattern", "format", "items",
        "prefixItems", "contains", "minContains", "maxContains", "minItems", "maxItems",
        "uniqueItems", "properties", "required", "additionalProperties",
        "patternProperties", "propertyNames", "minProperties", "maxProperties",
        "dependentRequired", "dependentSchemas", "allOf", "anyOf", "oneOf", "not", "if",
        "then", "else", "unevaluatedProperties", "unevaluatedItems", "$ref", "$defs", "$id",
        "$anchor", "$dynamicRef", "$dynamicAnchor",
    ),
    "draft-07": (
        "type", "enum", "const", "multipleOf", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "minLength", "maxLength", "pattern", "format", "items",
        "additionalItems", "contains", "minItems", "maxItems", "uniqueItems", "properties",
        "required", "additionalProperties", "patternProperties", "propertyNames",
        "minProperties", "maxProperties", "dependencies", "allOf", "anyOf", "oneOf", "not",
        "if", "then", "else", "$ref", "definitions", "$id",
    ),
}  # fmt: skip


def _weighted(draw: Draw, options: dict[str, int]) -> str:
    """One of ``options`` by weight; shrinks towards the first."""
    names = [name for name, weight in options.items() for _ in range(weight)]
    return str(draw(st.sampled_from(names)))


def _chance(draw: Draw, percent: int) -> bool:
    return bool(draw(st.integers(0, 99)) < percent)


def _freeze(value: Any) -> Any:
    """A hashable key with jsonschema's equality (``1 == 1.0``, ``True != 1``)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, list):
        return ("array", tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, _freeze(v)) for k, v in value.items()))
    return (type(value).__name__, value)


# ============================================================================ schemas


@dataclass(frozen=True)
class _Target:
    """Something a ``$ref`` can point at: the root or a definition."""

    #: Order of drawing; a not yet descended ``$ref`` only points at a later target.
    index: int
    #: ``#/$defs/A``-style fragment inside the root resource (``#`` for the root).
    pointer: str
    #: ``#anchor1`` when reachable through an anchor in the root resource.
    anchor: str | None = None
    #: ``def1.json`` when it is its own resource.
    uri: str | None = None


@dataclass
class _Document:
    """What every node of one document being drawn needs to know (mutable budget)."""

    dialect: str
    root_id: str | None
    targets: list[_Target]
    budget: int
    #: References that may close a cycle (to the root, or back to a definition) still
    #: to draw: jsonschema's time grows like (cycles per level) ** (instance depth).
    loops: int = 2


@dataclass(frozen=True)
class _Here:
    """Where a subschema is being drawn."""

    doc: _Document
    depth: int
    #: The target being drawn (-1: the root body).
    index: int = -1
    #: Has the instance been descended into since the target's top?
    guarded: bool = False
    #: Inside the root resource (no nested ``$id`` on the way)?
    in_root: bool = True
    #: May this very node have a ``$ref`` (not a draft-07 node with an ``$id``)?
    may_ref: bool = True

    @property
    def modern(self) -> bool:
        return self.doc.dialect == "2020-12"

    def child(self, *, descends: bool) -> _Here:
        return replace(self, depth=self.depth - 1, guarded=self.guarded or descends, may_ref=True)


def _ref_text(here: _Here, target: _Target) -> str | None:
    """How a ``$ref`` at ``here`` names ``target`` (None: it cannot from here)."""
    if target.uri is not None:
        return target.uri
    fragment = target.anchor or target.pointer
    if here.in_root:
        return fragment
    if here.doc.root_id is not None:
        return ROOT_NAME + fragment
    return None


def _ref_options(here: _Here) -> list[tuple[str, bool]]:
    """What a ``$ref`` here may say, and whether it may close a cycle."""
    if not here.may_ref:
        return []
    options = []
    for target in here.doc.targets:
        loop = target.index <= here.index
        if target.index > here.index or (here.guarded and here.doc.loops > 0):
            text = _ref_text(here, target)
            if text is not None:
                options.append((text, loop))
    return options


def _draw_ref(draw: Draw, here: _Here, options: list[tuple[str, bool]]) -> str:
    text, loop = draw(st.sampled_from(options))
    here.doc.loops -= loop
    return str(text)


def _pointer_segment(name: str) -> str:
    return quote(name.replace("~", "~0").replace("/", "~1"), safe="~")


def _defs_key(dialect: str) -> str:
    return "$defs" if dialect == "2020-12" else "definitions"


# ----------------------------------------------------------------------------- keywords
# Each builder adds one keyword (or a family of them) to ``node``.


def _type_names(draw: Draw, theme: str) -> Any:
    primary = theme if theme in TYPES else draw(st.sampled_from(TYPES))
    if _chance(draw, 75):
        return primary
    others = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))
    return [primary, *(t for t in others if t != primary)]


def _values_for(theme: str) -> tuple[Any, ...]:
    if theme == "string":
        return (*STRINGS[:12], "blue", "kind")
    if theme in ("number", "integer"):
        return (*LIMITS, 1.0, 2.0)
    return CONSTS


def _enum(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    pool = st.sampled_from(_values_for(theme)) | st.sampled_from(CONSTS)
    node["enum"] = draw(st.lists(pool, min_size=1, max_size=4, unique_by=_freeze))


def _const(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["const"] = draw(st.sampled_from(_values_for(theme)) | st.sampled_from(CONSTS))


def _range(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    low = draw(st.sampled_from(LIMITS))
    high = low + draw(st.sampled_from((0, 1, 2.5, 5, 20)))
    if _chance(draw, 70):
        node["exclusiveMinimum" if _chance(draw, 30) else "minimum"] = low
    if _chance(draw, 60):
        node["exclusiveMaximum" if _chance(draw, 30) else "maximum"] = high


def _multiple_of(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["multipleOf"] = draw(st.sampled_from(MULTIPLES))


def _lengths(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    low = draw(st.integers(0, 3))
    if _chance(draw, 60):
        node["minLength"] = low
    if _chance(draw, 60):
        node["maxLength"] = low + draw(st.integers(0, 3))


def _pattern(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["pattern"] = draw(st.sampled_from(PATTERNS))


def _format(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["format"] = draw(st.sampled_from(FORMATS))


def _items(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["items"] = draw(_subschema(here.child(descends=True)))


def _prefix_items(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    inner = here.child(descends=True)
    prefix = draw(st.lists(_subschema(inner), min_size=1, max_size=3))
    if here.modern:
        node["prefixItems"] = prefix
        if _chance(draw, 50):
            node["items"] = False if _chance(draw, 50) else draw(_subschema(inner))
    else:
        node["items"] = prefix
        if _chance(draw, 60):
            node["additionalItems"] = False if _chance(draw, 50) else draw(_subschema(inner))


def _additional_items(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    """draft-07 only: ``additionalItems`` beside a schema ``items`` or none (ignored)."""
    node["additionalItems"] = draw(_subschema(here.child(descends=True)))


def _contains(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["contains"] = draw(_subschema(here.child(descends=True)))
    if here.modern and _chance(draw, 60):
        low = draw(st.integers(0, 2))
        if _chance(draw, 60):
            node["minContains"] = low
        if _chance(draw, 60):
            node["maxContains"] = max(low, 1) + draw(st.integers(0, 2))


def _item_counts(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    low = draw(st.integers(0, 2))
    if _chance(draw, 60):
        node["minItems"] = low
    if _chance(draw, 60):
        node["maxItems"] = low + draw(st.integers(0, 3))


def _unique_items(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["uniqueItems"] = _chance(draw, 85)


def _properties(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    inner = here.child(descends=True)
    node["properties"] = {name: draw(_subschema(inner)) for name in names}


def _required(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    known = list(node.get("properties", {})) or list(NAMES)
    pool = st.sampled_from(known) | st.sampled_from(NAMES)
    node["required"] = draw(st.lists(pool, min_size=1, max_size=2, unique=True))


def _additional_properties(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    choice = _weighted(draw, {"false": 3, "schema": 3, "true": 1})
    if choice == "schema":
        node["additionalProperties"] = draw(_subschema(here.child(descends=True)))
    else:
        node["additionalProperties"] = choice == "true"


def _pattern_properties(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    patterns = draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2, unique=True))
    inner = here.child(descends=True)
    node["patternProperties"] = {p: draw(_subschema(inner)) for p in patterns}
    if "additionalProperties" not in node and _chance(draw, 50):  # what the patterns let in
        node["additionalProperties"] = False if _chance(draw, 60) else draw(_subschema(inner))


def _property_names(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["propertyNames"] = draw(_subschema(here.child(descends=False), "string"))


def _property_counts(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    low = draw(st.integers(0, 2))
    if _chance(draw, 60):
        node["minProperties"] = low
    if _chance(draw, 60):
        node["maxProperties"] = low + draw(st.integers(0, 3))


def _name_lists(draw: Draw) -> dict[str, list[str]]:
    keys = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True))
    names = st.lists(st.sampled_from(NAMES), max_size=2, unique=True)
    return {key: [n for n in draw(names) if n != key] for key in keys}


def _dependent_required(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["dependentRequired"] = _name_lists(draw)


def _dependent_schemas(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    keys = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True))
    inner = here.child(descends=False)
    node["dependentSchemas"] = {key: draw(_subschema(inner, "object")) for key in keys}


def _dependencies(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    """draft-07: lists of names or schemas, one form per keyword (``referencing`` 0.37,
    which jsonschema resolves with, crawls a mixed ``dependencies`` wrongly and crashes)."""
    groups = _name_lists(draw)
    if _chance(draw, 50):
        node["dependencies"] = groups
    else:
        inner = here.child(descends=False)
        node["dependencies"] = {key: draw(_subschema(inner, "object")) for key in groups}


def _unevaluated(keyword: str) -> Callable[[Draw, _Here, dict[str, Any], str], None]:
    def build(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
        choice = _weighted(draw, {"false": 4, "schema": 3, "true": 1})
        if choice == "schema":
            node[keyword] = draw(_subschema(here.child(descends=True)))
        else:
            node[keyword] = choice == "true"

    return build


def _branches(keyword: str) -> Callable[[Draw, _Here, dict[str, Any], str], None]:
    def build(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
        inner = here.child(descends=False)
        count = draw(st.integers(1, 3))
        if keyword != "allOf" and theme == "object" and _chance(draw, 35):
            node[keyword] = [_tagged(draw, inner, tag) for tag in TAGS[:count]]
            return
        node[keyword] = [
            draw(_subschema(inner, theme if _chance(draw, 60) else None)) for _ in range(count)
        ]

    return build


def _tagged(draw: Draw, here: _Here, tag: str) -> dict[str, Any]:
    """A union variant told apart by its ``kind``."""
    body = draw(_subschema(here, "object"))
    variant = dict(body) if isinstance(body, dict) else {}
    variant["properties"] = {**variant.get("properties", {}), "kind": {"const": tag}}
    variant["required"] = sorted({*variant.get("required", []), "kind"})
    return variant


def _not(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    node["not"] = draw(_subschema(here.child(descends=False), None if _chance(draw, 50) else theme))


def _conditional(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    inner = here.child(descends=False)
    node["if"] = draw(_subschema(inner, theme if _chance(draw, 50) else None))
    if _chance(draw, 80):
        node["then"] = draw(_subschema(inner, theme))
    if _chance(draw, 60):
        node["else"] = draw(_subschema(inner, theme))


def _ref(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    options = _ref_options(here)
    if options:
        node["$ref"] = _draw_ref(draw, here, options)


Builder = Callable[[Draw, _Here, dict[str, Any], str], None]

_THEME_KEYWORDS: dict[str, dict[str, dict[Builder, int]]] = {
    "2020-12": {
        "string": {_lengths: 3, _pattern: 3, _format: 1},
        "number": {_range: 3, _multiple_of: 2},
        "array": {
            _items: 4, _prefix_items: 2, _contains: 2, _item_counts: 2, _unique_items: 1,
            _unevaluated("unevaluatedItems"): 1,
        },
        "object": {
            _properties: 6, _required: 3, _additional_properties: 2, _pattern_properties: 2,
            _property_names: 1, _property_counts: 1, _dependent_required: 1,
            _dependent_schemas: 2, _unevaluated("unevaluatedProperties"): 1,
        },
    },
    "draft-07": {
        "string": {_lengths: 3, _pattern: 3, _format: 1},
        "number": {_range: 3, _multiple_of: 2},
        "array": {
            _items: 4, _prefix_items: 3, _contains: 2, _item_counts: 2, _unique_items: 1,
            _additional_items: 1,
        },
        "object": {
            _properties: 6, _required: 3, _additional_properties: 2, _pattern_properties: 2,
            _property_names: 1, _property_counts: 1, _dependencies: 3,
        },
    },
}  # fmt: skip
_THEME_KEYWORDS["2020-12"]["integer"] = _THEME_KEYWORDS["2020-12"]["number"]
_THEME_KEYWORDS["draft-07"]["integer"] = _THEME_KEYWORDS["draft-07"]["number"]
for _menus in _THEME_KEYWORDS.values():
    _menus["any"] = {b: w for menu in list(_menus.values()) for b, w in menu.items()}
    _menus["enum"] = {_enum: 3, _const: 1}

_GENERIC: dict[Builder, int] = {
    _branches("allOf"): 3,
    _branches("anyOf"): 3,
    _branches("oneOf"): 3,
    _not: 2,
    _conditional: 2,
    _ref: 4,
    _enum: 1,
    _const: 1,
    _format: 1,
}
#: Keywords without subschemas: what the last level of depth may use.
_LEAVES = {
    _lengths,
    _pattern,
    _format,
    _range,
    _multiple_of,
    _item_counts,
    _unique_items,
    _required,
    _property_counts,
    _dependent_required,
    _enum,
    _const,
    _ref,
}
_THEMES = {"object": 3, "array": 2, "string": 1, "number": 1, "integer": 1, "enum": 1, "any": 1}
#: Themes away from the last levels, where structure makes depth.
_DEEP_THEMES = {
    "object": 4,
    "array": 3,
    "any": 2,
    "string": 1,
    "number": 1,
    "integer": 1,
    "enum": 1,
}
#: Keywords next to which ``unevaluated*`` sees annotations from elsewhere.
_ANNOTATING_OBJECT = ("allOf", "anyOf", "oneOf", "if", "$ref", "dependentSchemas")
_ANNOTATING_ARRAY = ("allOf", "anyOf", "oneOf", "if", "$ref", "prefixItems", "contains")


def _pick(draw: Draw, menu: dict[Builder, int], count: int, leaf: bool) -> list[Builder]:
    options = [b for b, w in menu.items() for _ in range(w) if not leaf or b in _LEAVES]
    if not options or count == 0:
        return []
    return list(draw(st.lists(st.sampled_from(options), min_size=1, max_size=count, unique=True)))


@st.composite
def _subschema(draw: Draw, here: _Here, theme: str | None = None, *, top: bool = False) -> Any:
    """One subschema: boolean, a pure ``$ref`` or a themed keyword object (``top``: the
    root body, never boolean). The common outcome sits at roll 0, where hypothesis's
    draws cluster."""
    doc = here.doc
    leaf = here.depth <= 0 or doc.budget <= 0
    doc.budget -= 1
    roll = draw(st.integers(0, 99))
    if roll >= 96 and not top:
        return True
    if roll >= 94 and not top:
        return False
    refs = _ref_options(here)
    if refs and roll >= (70 if here.guarded else 84):
        return {"$ref": _draw_ref(draw, here, refs)}
    theme = theme or _weighted(draw, _DEEP_THEMES if here.depth >= 2 else _THEMES)
    node: dict[str, Any] = {}
    if theme not in ("any", "enum") and _chance(draw, 65):
        node["type"] = _type_names(draw, theme)
    menus = _THEME_KEYWORDS[doc.dialect]
    chosen = _pick(draw, menus[theme], draw(st.integers(1, 3)), leaf)
    chosen += _pick(draw, _GENERIC, draw(st.integers(0, 2)), leaf)
    if here.depth >= 2 and not leaf and not set(chosen) - _LEAVES and _chance(draw, 75):
        chosen += _pick(draw, _structure(doc.dialect, theme), 1, leaf)  # something to nest in
    for build in dict.fromkeys(chosen):
        build(draw, here, node, theme)
    if isinstance(node.get("items"), bool) and "additionalItems" in node:
        # jsonschema 4.26 crashes on a draft-07 boolean items beside additionalItems
        node["items"] = {} if node["items"] else {"not": {}}
    if here.modern and not leaf:
        _maybe_unevaluated(draw, here, node, theme)
    return node


def _structure(dialect: str, theme: str) -> dict[Builder, int]:
    """The keywords of a theme that nest subschemas (applicators for scalar themes)."""
    nesting = {b: w for b, w in _THEME_KEYWORDS[dialect][theme].items() if b not in _LEAVES}
    if theme in ("object", "array"):
        return nesting
    return {b: w for b, w in _GENERIC.items() if b not in _LEAVES}


def _maybe_unevaluated(draw: Draw, here: _Here, node: dict[str, Any], theme: str) -> None:
    """``unevaluated*`` where other keywords' annotations decide what it sees."""
    for keyword, annotating, themes in (
        ("unevaluatedProperties", _ANNOTATING_OBJECT, ("object", "any")),
        ("unevaluatedItems", _ANNOTATING_ARRAY, ("array", "any")),
    ):
        if keyword in node or theme not in themes:
            continue
        if _chance(draw, 40 if any(k in node for k in annotating) else 10):
            _unevaluated(keyword)(draw, here, node, theme)


# ----------------------------------------------------------------------------- documents


def _as_object(schema: Any) -> dict[str, Any]:
    """A subschema as an object, so that ``$id``/``$anchor`` can sit in it."""
    if isinstance(schema, dict):
        return schema
    return {} if schema else {"not": {}}


@st.composite
def _plain_document(draw: Draw, dialect: str) -> dict[str, Any]:
    """A root body and definitions referring to each other and to the root."""
    modern = dialect == "2020-12"
    small = _chance(draw, 35)  # where a single keyword decides more often
    root_id = ROOT_ID if _chance(draw, 40) else None
    budget = draw(st.integers(4, 12) if small else st.integers(14, 40))
    doc = _Document(dialect, root_id, [_Target(-1, "#")], budget, loops=draw(st.integers(1, 2)))
    names = draw(st.lists(st.sampled_from(DEF_NAMES), max_size=2 if small else 4, unique=True))
    defs_key = _defs_key(dialect)
    plans: list[tuple[str, _Target, str, str | None]] = []  # name, target, kind, inner name
    for name in names:
        index = len(doc.targets)
        pointer = f"#/{defs_key}/{_pointer_segment(name)}"
        kind = _weighted(draw, {"plain": 4, "anchor": 2, "id": 2, "nested": 1})
        target = _Target(index, pointer)
        if kind == "anchor":
            target = replace(target, anchor=f"#anchor{index}")
        elif kind == "id":
            target = replace(target, uri=f"def{index}.json")
        doc.targets.append(target)
        inner = None
        if kind == "nested":
            inner = "Inner"
            doc.targets.append(_Target(index + 1, f"{pointer}/{defs_key}/{inner}"))
        plans.append((name, target, kind, inner))

    definitions: dict[str, Any] = {}
    for name, target, kind, inner in plans:
        own_resource = kind == "id"
        # draft-07 ignores an $id beside a $ref, so such a node never has a $ref.
        may_ref = modern or kind not in ("id", "anchor")
        depth = draw(st.integers(1, 2) if small else st.integers(2, 4))
        here = _Here(doc, depth, target.index, in_root=not own_resource)
        body = draw(_subschema(replace(here, may_ref=may_ref)))
        if kind == "anchor" and target.anchor is not None:
            marker = {"$anchor": target.anchor[1:]} if modern else {"$id": target.anchor}
            body = marker | _as_object(body)
        elif kind == "id":
            body = {"$id": target.uri} | _as_object(body)
        elif kind == "nested" and inner is not None:
            nested_here = _Here(doc, draw(st.integers(1, 2)), target.index + 1)
            body = _as_object(body) | {defs_key: {inner: draw(_subschema(nested_here))}}
        definitions[name] = body

    depth = draw(st.integers(1, 2) if small else st.integers(3, 5))
    here = _Here(doc, depth, -1, may_ref=modern or root_id is None)
    root = _as_object(draw(_subschema(here, top=True)))
    _reach(draw, root, definitions, [t for _, t, _, _ in plans], here)
    document: dict[str, Any] = {"$schema": META_SCHEMAS[dialect]}
    if root_id is not None:
        document["$id"] = root_id
    document.update(root)
    if definitions:
        document[defs_key] = {**document.get(defs_key, {}), **definitions}
    return document


def _reach(
    draw: Draw,
    root: dict[str, Any],
    definitions: dict[str, Any],
    targets: list[_Target],
    here: _Here,
) -> None:
    """Make every definition count: one that no other part of the document names gets a
    root property of its own that ``$ref``s it (and the root admits objects)."""
    for name, target in zip(definitions, targets, strict=True):
        text = _ref_text(here, target)
        others = json.dumps([root, *(d for n, d in definitions.items() if n != name)])
        if text is None or f'"{text}"' in others:
            continue
        free = [n for n in NAMES if n not in root.get("properties", {})]
        if not free:
            continue
        root.setdefault("properties", {})[draw(st.sampled_from(free))] = {"$ref": text}
        if isinstance(root.get("type"), str) and root["type"] != "object":
            root["type"] = [root["type"], "object"]
        elif isinstance(root.get("type"), list) and "object" not in root["type"]:
            root["type"] = [*root["type"], "object"]


@st.composite
def _dynamic_tree(draw: Draw) -> dict[str, Any]:
    """2020-12's extensible tree: a ``tree`` whose children are ``$dynamicRef: "#node"``,
    and a root that ``$ref``s it and (mostly) takes over the dynamic anchor, adding a few
    constraints that then hold for every node: ``unevaluatedProperties: false`` (a child
    with a property the tree does not declare is invalid), ``required``, ... ."""
    data, children = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=2, unique=True))
    doc = _Document("2020-12", ROOT_ID, [], budget=8)
    reference = {"$dynamicRef": "#node"}
    if _chance(draw, 70):
        container = {"type": "array", "items": reference}
    else:
        container = {"type": "object", "additionalProperties": reference}
    tree: dict[str, Any] = {
        "$id": "tree.json",
        "$dynamicAnchor": "node",
        "type": "object",
        "properties": {data: draw(_subschema(_Here(doc, 1))), children: container},
    }
    root: dict[str, Any] = {"$schema": META_SCHEMAS["2020-12"], "$id": ROOT_ID}
    if _chance(draw, 75):
        root["$dynamicAnchor"] = "node"
    root["$ref"] = "tree.json"
    if _chance(draw, 60):
        root["unevaluatedProperties"] = False
    if _chance(draw, 30):
        root["required"] = [data]
    if _chance(draw, 30):
        root["properties"] = {data: draw(_subschema(_Here(doc, 1)))}
    if _chance(draw, 20):
        root["maxProperties"] = 2
    if _chance(draw, 20):
        extension = draw(_subschema(_Here(doc, 1), "object", top=True))
        root |= {k: v for k, v in extension.items() if k not in root}
    root["$defs"] = {"tree": tree}
    return root


@st.composite
def _document(draw: Draw, dialect: str) -> Any:
    shapes = {"plain": 87, "dynamic": 10 if dialect == "2020-12" else 0, "boolean": 3}
    shape = _weighted(draw, shapes)
    if shape == "boolean":
        return draw(st.booleans())
    if shape == "dynamic":
        return draw(_dynamic_tree())
    return draw(_plain_document(dialect))


def schemas(dialect: str) -> st.SearchStrategy[Any]:
    """Random schema documents of ``dialect`` (``"2020-12"`` or ``"draft-07"``)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    return _document(dialect)


# ----------------------------------------------------------------------------- introspection

_ONE = (
    "additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if",
    "then", "else", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "dependentSchemas")
_DEFS = ("$defs", "definitions")


def _children(schema: Any) -> Iterator[tuple[Any, bool]]:
    """Every direct subschema of ``schema``, and whether it is a definition."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        if key in _ONE or (key == "items" and not isinstance(value, list)):
            yield value, False
        elif key in _LIST or key == "items":
            yield from ((v, False) for v in value)
        elif key in _MAP or key == "dependencies":
            yield from ((v, False) for v in value.values() if not isinstance(v, list))
        elif key in _DEFS:
            yield from ((v, True) for v in value.values())


def _walk(schema: Any, depth: int = 0) -> Iterator[tuple[Any, int]]:
    yield schema, depth
    for child, definition in _children(schema):
        yield from _walk(child, 0 if definition else depth + 1)


def depth_of(schema: Any) -> int:
    """How deep subschemas nest (``{"items": {"anyOf": [...]}}``: 2); a definition's
    body counts from 0, like a root of its own."""
    return max(depth for _, depth in _walk(schema))


def keywords_of(schema: Any) -> set[str]:
    """The keywords used anywhere in ``schema`` (booleans: ``"true"``/``"false"``)."""
    found: set[str] = set()
    for node, _ in _walk(schema):
        if isinstance(node, bool):
            found.add(json.dumps(node))
        else:
            found.update(node)
    return found


def dialect_of(schema: Any) -> str:
    if isinstance(schema, dict) and "draft-07" in str(schema.get("$schema", "")):
        return "draft-07"
    return "2020-12"


# ============================================================================ instances


class _Scoped(NamedTuple):
    """A subschema and the resolver for the ``$ref``s in it."""

    schema: Any
    resolver: Any  # a referencing Resolver


@dataclass
class _Kit:
    """Everything drawn instances of one schema are made of."""

    schema: Any
    dialect: str
    root: _Scoped
    names: list[str]
    consts: list[Any]
    numbers: list[Any]
    strings: list[str]
    lengths: list[int]
    #: jsonschema's validator: it picks the valid values near misses are made from.
    validator: Any

    @classmethod
    def of(cls, schema: Any, validator: Any = None) -> _Kit:
        dialect = dialect_of(schema)
        spec = DRAFT7 if dialect == "draft-07" else DRAFT202012
        resource = spec.create_resource(schema)
        uri = resource.id() or ""
        resolver = Registry().with_resource(uri, resource).resolver(base_uri=uri)
        names, consts, numbers, lengths = list(NAMES), list(CONSTS), [], [0, 1, 2]
        for node, _ in _walk(schema):
            if not isinstance(node, dict):
                continue
            names += node.get("required", []) if isinstance(node.get("required"), list) else []
            for key in ("properties", "dependentRequired", "dependentSchemas", "dependencies"):
                names += list(node.get(key, {}))
            consts += node.get("enum", [])
            if "const" in node:
                consts.append(node["const"])
            for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                if key in node:
                    limit = node[key]
                    numbers += [limit, limit - 1, limit + 1, limit - 0.5, limit + 0.5, limit + 0.1]
            if "multipleOf" in node:
                step = node["multipleOf"]
                numbers += [step * k for k in (-2, 1, 2, 3, 7, 10)] + [step / 2, step * 3 + 1]
            for key in (
                "minLength", "maxLength", "minItems", "maxItems", "minProperties",
                "maxProperties", "minContains", "maxContains",
            ):  # fmt: skip
                if key in node:
                    lengths += [max(node[key] - 1, 0), node[key], node[key] + 1]
        numbers += [0, 1, 1.0, -1, 2.5, 0.1, 2**53 + 1, 1e300, 3.3046150374071972e38]
        strings = list(STRINGS) + [c for c in consts if isinstance(c, str)]
        strings += ["a" * n for n in lengths] + ["x" * n for n in lengths]
        return cls(
            schema,
            dialect,
            _Scoped(schema, resolver),
            [*sorted(set(names)), "zz"],
            consts,
            [n for n in numbers if math.isfinite(n)],
            sorted(set(strings)),
            sorted(set(lengths)),
            # Never the network: without a registry, jsonschema fetches remote refs.
            validator
            if validator is not None
            else validator_for(schema)(schema, registry=Registry()),
        )

    def enter(self, scoped: _Scoped) -> _Scoped:
        """The resolver inside ``scoped.schema`` (a new base URI if it has an ``$id``)."""
        schema, resolver = scoped
        if not isinstance(schema, dict) or not isinstance(schema.get("$id"), str):
            return scoped
        if self.dialect == "draft-07" and ("$ref" in schema or schema["$id"].startswith("#")):
            return scoped
        spec = DRAFT7 if self.dialect == "draft-07" else DRAFT202012
        return _Scoped(schema, resolver.in_subresource(spec.create_resource(schema)))

    def lookup(self, scoped: _Scoped, ref: str) -> _Scoped | None:
        try:
            resolved = scoped.resolver.lookup(ref)
        except Unresolvable:
            return None
        return self.enter(_Scoped(resolved.contents, resolved.resolver))

    def child(self, parent: _Scoped, schema: Any) -> _Scoped:
        return self.enter(_Scoped(schema, parent.resolver))


@dataclass
class _Edge:
    """How often (percent per decision) and how many more times to aim at an edge
    instead of at validity: on a limit, one past it, or where ``not``, ``oneOf`` or
    ``if`` decide. One edge per value, so that it is what decides the verdict."""

    percent: int = 0
    left: int = 0

    def take(self, draw: Draw) -> bool:
        if self.left > 0 and _chance(draw, self.percent):
            self.left -= 1
            return True
        return False


def _expand(draw: Draw, kit: _Kit, conjuncts: list[_Scoped], edge: _Edge) -> list[_Scoped] | None:
    """The keyword objects a value must satisfy at once (None: a ``false`` among them).

    At an ``edge``, aim where an applicator decides instead: at the subschema of a
    ``not``, at two ``oneOf`` branches, at ``then`` alone or at ``if`` alone."""
    out: list[_Scoped] = []
    stack = [kit.enter(c) for c in conjuncts]
    while stack and len(out) < 40:
        scoped = stack.pop()
        schema = scoped.schema
        if schema is True:
            continue
        if not isinstance(schema, dict):
            return None
        if "$ref" in schema:
            target = kit.lookup(scoped, schema["$ref"])
            if target is not None:
                stack.append(target)
            if kit.dialect == "draft-07":
                continue  # draft-07 ignores the keywords beside $ref
        if "$dynamicRef" in schema:
            target = kit.lookup(scoped, schema["$dynamicRef"])
            if target is not None:
                stack.append(target)
        out.append(scoped)
        stack += [kit.child(scoped, s) for s in schema.get("allOf", [])]
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword, [])
            if len(branches) > 1 and keyword == "oneOf" and edge.take(draw):
                two = draw(st.lists(st.sampled_from(branches), min_size=2, max_size=2))
                stack += [kit.child(scoped, b) for b in two]
            elif branches:
                stack.append(kit.child(scoped, draw(st.sampled_from(branches))))
        if "not" in schema and edge.take(draw):
            stack.append(kit.child(scoped, schema["not"]))
        if "if" in schema:
            aim = draw(st.sampled_from(("then", "else")))
            if edge.take(draw):
                aim = draw(st.sampled_from(("then only", "if only")))
            if aim in ("then", "if only"):
                stack.append(kit.child(scoped, schema["if"]))
            if aim in ("then", "then only"):
                stack.append(kit.child(scoped, schema.get("then", True)))
            if aim == "else":
                stack.append(kit.child(scoped, schema.get("else", True)))
        dependent = dict(schema.get("dependentSchemas", {}))
        dependent.update(
            {k: v for k, v in schema.get("dependencies", {}).items() if not isinstance(v, list)}
        )
        for key, sub in dependent.items():
            if _chance(draw, 40):
                stack += [kit.child(scoped, sub), _Scoped({"required": [key]}, scoped.resolver)]
            elif edge.take(draw):  # the key, without what it requires
                stack.append(_Scoped({"required": [key]}, scoped.resolver))
    return out


def _types_allowed(schemas: list[dict[str, Any]]) -> list[str]:
    allowed = set(TYPES)
    for schema in schemas:
        named = schema.get("type")
        if named is None:
            continue
        names = {named} if isinstance(named, str) else set(named)
        if "number" in names:
            names.add("integer")
        allowed &= names
    return [t for t in TYPES if t in allowed]


_HINTS = {
    "object": ("properties", "required", "additionalProperties", "patternProperties",
               "minProperties", "maxProperties", "propertyNames", "dependentRequired",
               "unevaluatedProperties", "dependencies", "dependentSchemas"),
    "array": ("items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems",
              "additionalItems", "unevaluatedItems"),
    "string": ("minLength", "maxLength", "pattern"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
}  # fmt: skip


def _alias(value: Any) -> Any:
    """A value jsonschema finds equal (``1`` and ``1.0``), or one it does not although
    Python does (``true`` for ``1``)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and abs(value) < 2**53:
        return float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list) and value:
        return [_alias(value[0]), *value[1:]]
    if isinstance(value, dict) and value:
        first = next(iter(value))
        return {**value, first: _alias(value[first])}
    return value


def _directed_value(
    draw: Draw, kit: _Kit, conjuncts: list[_Scoped], depth: int, edge: _Edge
) -> Any:
    """A value meant to satisfy every schema in ``conjuncts`` (often, not always), but
    for the ``edge`` it may take."""
    if depth < -1:
        return draw(st.sampled_from((None, 0, "", [], {})))
    flat = _expand(draw, kit, conjuncts, edge)
    if flat is None:
        return draw(_hinted(kit))
    schemas = [s.schema for s in flat]
    fixed = [s["const"] for s in schemas if "const" in s] or next(
        (list(s["enum"]) for s in schemas if "enum" in s), []
    )
    for schema in schemas:  # keep the values every const/enum allows
        if "const" in schema:
            fixed = [v for v in fixed if _freeze(v) == _freeze(schema["const"])]
        if "enum" in schema:
            members = {_freeze(e) for e in schema["enum"]}
            fixed = [v for v in fixed if _freeze(v) in members]
    if fixed and _chance(draw, 90):
        value = copy.deepcopy(draw(st.sampled_from(fixed)))
        return _alias(value) if _chance(draw, 20) else value
    allowed = _types_allowed(schemas)
    if not allowed:
        return draw(_hinted(kit))
    hinted = [t for t in allowed if any(k in s for s in schemas for k in _HINTS.get(t, ()))]
    if "integer" in allowed and any(k in s for s in schemas for k in _HINTS["number"]):
        hinted.append("integer")
    kind = draw(st.sampled_from(hinted if hinted and _chance(draw, 85) else allowed))
    if kind == "object":
        return _directed_object(draw, kit, flat, depth, edge)
    if kind == "array":
        return _directed_array(draw, kit, flat, depth, edge)
    if kind == "string":
        return _directed_string(draw, kit, schemas, edge)
    if kind in ("number", "integer"):
        return _directed_number(draw, kit, schemas, kind == "integer", edge)
    if kind == "boolean":
        return draw(st.booleans())
    return None


def _count(draw: Draw, low: int, high: int, edge: _Edge) -> int:
    """A size in ``[low, high]``, or (an ``edge``) one on or just past a limit."""
    if edge.take(draw):
        return int(draw(st.sampled_from([n for n in (low - 1, low, high, high + 1) if n >= 0])))
    return int(draw(st.integers(low, max(low, high))))


def _directed_object(
    draw: Draw, kit: _Kit, flat: list[_Scoped], depth: int, edge: _Edge
) -> dict[str, Any]:
    flat_schemas = [s.schema for s in flat]
    declared: dict[str, list[_Scoped]] = {}
    required: list[str] = []
    low, high = 0, 6
    limited = any("minProperties" in s or "maxProperties" in s for s in flat_schemas)
    for scoped in flat:
        schema = scoped.schema
        for name, sub in schema.get("properties", {}).items():
            declared.setdefault(name, []).append(kit.child(scoped, sub))
        required += [r for r in schema.get("required", []) if r not in required]
        low = max(low, schema.get("minProperties", 0))
        high = min(high, schema.get("maxProperties", high))
    closed: set[str] | None = None  # the names allowed when some conjunct is closed
    for scoped in flat:
        schema = scoped.schema
        if schema.get("additionalProperties") is False:
            names = set(schema.get("properties", {}))
            names |= {n for n in kit.names if _matches_any([schema], n)}
        elif schema.get("unevaluatedProperties") is False:
            names = set(declared) | {n for n in kit.names if _matches_any(flat_schemas, n)}
        else:
            continue
        closed = names if closed is None else closed & names
    optional = [n for n in declared if n not in required]
    keys = list(required) if depth <= 0 else required + [n for n in optional if _chance(draw, 50)]
    if depth > 0 and (_chance(draw, 25) if closed is None else edge.take(draw)):
        keys.append(draw(st.sampled_from(kit.names)))
    patterned = [n for n in kit.names if n not in declared and _matches_any(flat_schemas, n)]
    if depth > 0 and patterned and _chance(draw, 30):  # a key only patternProperties match
        keys.append(draw(st.sampled_from(patterned)))
    needs = []  # dependentRequired / dependencies (array form)
    for schema in flat_schemas:
        groups = dict(schema.get("dependentRequired", {}))
        groups.update(
            {k: v for k, v in schema.get("dependencies", {}).items() if isinstance(v, list)}
        )
        needs += [n for key, needed in groups.items() if key in keys for n in needed]
    if not (any(n not in keys for n in needs) and edge.take(draw)):  # else leave one unmet
        keys += needs
    if closed is not None:
        keys = [k for k in keys if k in closed or k in required or k not in declared]
    keys = list(dict.fromkeys(keys))
    spare = [n for n in (closed if closed is not None else kit.names) if n not in keys]
    if limited and edge.take(draw):
        size = _count(draw, low, high, _Edge(100, 1))  # on or just past a limit
    else:
        size = min(max(len(keys), low), max(high, len(required)))
    while len(keys) < size and spare:
        keys.append(spare.pop(0))
    del keys[size:]  # the required ones come first
    value: dict[str, Any] = {}
    for key in keys:
        conjuncts = _property_schemas(kit, flat, key)
        value[key] = _directed_value(draw, kit, conjuncts, depth - 1, edge)
    return value


def _matches_any(schemas: list[dict[str, Any]], name: str) -> bool:
    return any(pattern_search(p, name) for s in schemas for p in s.get("patternProperties", {}))


def _property_schemas(kit: _Kit, flat: list[_Scoped], key: str) -> list[_Scoped]:
    """What the value of property ``key`` must satisfy under each conjunct."""
    found: list[_Scoped] = []
    for scoped in flat:
        schema = scoped.schema
        matched = False
        if key in schema.get("properties", {}):
            found.append(kit.child(scoped, schema["properties"][key]))
            matched = True
        for pattern, sub in schema.get("patternProperties", {}).items():
            if pattern_search(pattern, key):
                found.append(kit.child(scoped, sub))
                matched = True
        extra = schema.get("additionalProperties")
        if not matched and extra is not None and extra is not False:
            found.append(kit.child(scoped, extra))
    return found


def _directed_array(
    draw: Draw, kit: _Kit, flat: list[_Scoped], depth: int, edge: _Edge
) -> list[Any]:
    low, high = 0, 4
    contains: list[_Scoped] = []
    unique = False
    limited = any("minItems" in s.schema or "maxItems" in s.schema for s in flat)
    for scoped in flat:
        schema = scoped.schema
        low = max(low, schema.get("minItems", 0))
        high = min(high, schema.get("maxItems", high))
        if "contains" in schema and schema.get("minContains", 1) > 0:
            contains.append(kit.child(scoped, schema["contains"]))
        unique = unique or schema.get("uniqueItems") is True
    size = low if depth <= 0 else _count(draw, low, high, edge if limited else _Edge())
    if contains and size == 0:
        size = 1
    everywhere = contains and edge.take(draw)  # many matches: maxContains decides
    items = []
    for index in range(size):
        conjuncts = _item_schemas(kit, flat, index) + (contains if everywhere else [])
        items.append(_directed_value(draw, kit, conjuncts, depth - 1, edge))
    if contains and not everywhere:
        index = draw(st.integers(0, size - 1))
        conjuncts = contains + _item_schemas(kit, flat, index)
        items[index] = _directed_value(draw, kit, conjuncts, depth - 1, edge)
    if unique:
        distinct = {_freeze(item): item for item in reversed(items)}
        items = list(reversed(distinct.values()))
        if items and edge.take(draw):  # an equal item, or one only Python finds equal
            items.append(_alias(copy.deepcopy(draw(st.sampled_from(items)))))
    return items


def _item_schemas(kit: _Kit, flat: list[_Scoped], index: int) -> list[_Scoped]:
    """What the item at ``index`` must satisfy under each conjunct."""
    found: list[_Scoped] = []
    for scoped in flat:
        schema = scoped.schema
        items = schema.get("items")
        if kit.dialect == "2020-12":
            prefix, rest = schema.get("prefixItems", []), items
        elif isinstance(items, list):
            prefix, rest = items, schema.get("additionalItems")
        else:
            prefix, rest = [], items
        sub = prefix[index] if index < len(prefix) else rest
        if sub is not None:
            found.append(kit.child(scoped, sub))
    return found


def _directed_string(draw: Draw, kit: _Kit, schemas: list[dict[str, Any]], edge: _Edge) -> str:
    low = max((s.get("minLength", 0) for s in schemas), default=0)
    high = min((s.get("maxLength", 8) for s in schemas), default=8)
    patterns = [s["pattern"] for s in schemas if "pattern" in s]
    limited = any(k in s for s in schemas for k in ("minLength", "maxLength", "pattern"))
    if limited and edge.take(draw):  # on or past a limit, in characters of 1, 2 and 4 bytes
        length = _count(draw, low, high, _Edge(100, 1))
        pool = [s for s in kit.strings if len(s) == length]
        pool += [c * length for c in ("a", "é", "😀")] + ["a" + "😀" * (length - 1)] * (length > 0)
        matching = [s for s in pool if all(pattern_search(p, s) for p in patterns)]
        return str(draw(st.sampled_from(matching or pool)))
    fits = [
        s
        for s in kit.strings
        if low <= len(s) <= high and all(pattern_search(p, s) for p in patterns)
    ]
    if fits:
        return str(draw(st.sampled_from(fits)))
    return "a" * low


def _multiple(value: float, step: float) -> bool:
    """jsonschema's ``multipleOf``, closely enough to aim with."""
    if isinstance(step, float):
        quotient = value / step
        return math.isfinite(quotient) and int(quotient) == quotient
    return value % step == 0


_LIMITS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _directed_number(
    draw: Draw, kit: _Kit, schemas: list[dict[str, Any]], integer: bool, edge: _Edge
) -> Any:
    steps = [s["multipleOf"] for s in schemas if "multipleOf" in s]
    limits = [s[k] for s in schemas for k in _LIMITS if k in s]
    if (limits or steps) and edge.take(draw):  # on a limit, or just past it
        edges = [n + d for n in limits for d in (0, 0, 0, -1, 1, -0.5, 0.5)]
        edges += [step * k + d for step in steps for k in (1, 3) for d in (0, step / 2)]
        if edges:
            return draw(st.sampled_from(edges))
    candidates = list(kit.numbers) + [step * k for step in steps for k in range(-3, 12)]
    candidates += list(range(-3, 12))

    def fits(n: Any) -> bool:
        if integer and not (isinstance(n, int) or float(n).is_integer()):
            return False
        for s in schemas:
            if "minimum" in s and n < s["minimum"]:
                return False
            if "maximum" in s and n > s["maximum"]:
                return False
            if "exclusiveMinimum" in s and n <= s["exclusiveMinimum"]:
                return False
            if "exclusiveMaximum" in s and n >= s["exclusiveMaximum"]:
                return False
        return all(_multiple(n, step) for step in steps)

    good = [n for n in candidates if fits(n)]
    if not good:
        return draw(st.sampled_from(candidates))
    value = draw(st.sampled_from(good))
    if integer and isinstance(value, float) and _chance(draw, 80):
        return int(value)
    if integer and isinstance(value, int) and abs(value) < 2**53 and _chance(draw, 15):
        return float(value)  # 2.0 is an integer too
    return value


# ----------------------------------------------------------------------------- mutations


#: A value of every JSON type, to put where a value of another type is.
OTHERS: tuple[Any, ...] = (None, True, False, 0, -1, 7, 1.5, "", "a", [], [1], {}, {"a": 1})


def _mutate(draw: Draw, kit: _Kit, value: Any) -> Any:
    """``value`` with one change at a random place: a key added or dropped, an item
    appended (often a copy, or an alias like ``1.0`` for ``1``) or dropped, a number moved
    to one of the schema's limits or by ±1, a string lengthened, shortened or written in
    wider characters, a value replaced by an alias, a const/enum value, or another type."""
    value = copy.deepcopy(value)
    path = draw(st.sampled_from(json_paths(value)))
    here: Any = value
    for step in path:
        here = here[step]
    if isinstance(here, dict):
        kinds = {"add": 3, "drop": 3 if here else 0, "retype": 1, "const": 1}
    elif isinstance(here, list):
        kinds = {"append": 3, "drop": 2 if here else 0, "retype": 1, "const": 1}
    elif isinstance(here, str):
        kinds = {"string": 4, "retype": 1, "const": 1}
    elif isinstance(here, bool) or here is None:
        kinds = {"retype": 2, "alias": 1, "const": 1}
    else:
        kinds = {"number": 4, "alias": 1, "retype": 1}
    kind = _weighted(draw, kinds)
    if kind == "add" and isinstance(here, dict):
        here[draw(st.sampled_from(kit.names))] = draw(st.sampled_from(OTHERS))
    elif kind == "drop" and isinstance(here, dict) and here:
        del here[draw(st.sampled_from(sorted(here)))]
    elif kind == "drop" and isinstance(here, list) and here:
        del here[draw(st.integers(0, len(here) - 1))]
    elif kind == "number" and isinstance(here, (int, float)) and not isinstance(here, bool):
        moved = [here + 1, here - 1, float(here), here + 0.5, -here, *kit.numbers]
        return json_replace(
            value, path, draw(st.sampled_from([m for m in moved if math.isfinite(m)]))
        )
    elif kind == "string" and isinstance(here, str):
        changed = [here + "a", here + "é", here[:-1], "😀" * len(here), "é" * len(here), "-" + here]
        return json_replace(value, path, draw(st.sampled_from(changed)))
    elif kind == "append" and isinstance(here, list):
        pool = here if here and _chance(draw, 60) else OTHERS  # a copy, or another value
        item = copy.deepcopy(draw(st.sampled_from(pool)))
        here.append(_alias(item) if _chance(draw, 30) else item)
    elif kind == "alias":
        return json_replace(value, path, _alias(here))
    elif kind == "const":
        return json_replace(value, path, copy.deepcopy(draw(st.sampled_from(kit.consts))))
    else:
        others = [o for o in OTHERS if _freeze(o)[0] != _freeze(here)[0]]
        return json_replace(value, path, copy.deepcopy(draw(st.sampled_from(others))))
    return value


def _edge_inside(draw: Draw, kit: _Kit, value: Any) -> Any:
    """``value`` with one part drawn again, at an edge of the subschemas that apply
    there (found by walking the schema along the part's path)."""
    path = draw(st.sampled_from(json_paths(value)))
    conjuncts = [kit.root]
    for step in path:
        flat = _expand(draw, kit, conjuncts, _Edge()) or []
        if isinstance(step, str):
            conjuncts = _property_schemas(kit, flat, step)
        else:
            conjuncts = _item_schemas(kit, flat, step)
    part = _directed_value(draw, kit, conjuncts, 1, _Edge(percent=100, left=1))
    return json_replace(copy.deepcopy(value), path, part)


# ----------------------------------------------------------------------------- sources

#: Deepest nesting of a drawn instance. Deeper ones add little, and jsonschema takes
#: exponential time on them under recursive ``anyOf``/``$ref`` schemas.
MAX_NESTING = 4


def _cap(value: Any, levels: int) -> Any:
    """``value`` with whatever is nested deeper than ``levels`` replaced by ``null``."""
    if not isinstance(value, (dict, list)):
        return value
    if levels <= 0:
        return None
    if isinstance(value, dict):
        return {k: _cap(v, levels - 1) for k, v in value.items()}
    return [_cap(v, levels - 1) for v in value]


def _hinted(kit: _Kit) -> st.SearchStrategy[Any]:
    scalars = (
        st.sampled_from(kit.consts).map(copy.deepcopy)
        | st.sampled_from(kit.numbers)
        | st.sampled_from(kit.strings)
        | st.sampled_from((None, True, False))
    )
    keys = st.sampled_from(kit.names)

    def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4)

    return st.recursive(scalars, containers, max_leaves=8)


def _json_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)


#: Any JSON value (finite numbers only).
ARBITRARY: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    _json_containers,
    max_leaves=8,
)


def instances(schema: Any, validator: Any = None) -> st.SearchStrategy[Any]:
    """JSON values for ``schema``, from six sources (see the module's docstring).

    ``validator`` (jsonschema's, for ``schema``) picks valid values and near misses;
    give one that knows the documents ``schema`` references, if it references any."""
    kit = _Kit.of(schema, validator)
    hinted = _hinted(kit)
    sources = {
        "edge inside": 4, "valid": 3, "near miss": 3, "edge": 1, "mutated": 1, "hinted": 1,
        "arbitrary": 1,
    }  # fmt: skip

    def errors(value: Any) -> int:
        """How many errors jsonschema finds: 0, 1, or 2 for more."""
        return sum(1 for _ in islice(kit.validator.iter_errors(value), 2))

    def best(draw: Draw, make: Callable[[], Any], wanted: int) -> Any:
        """The first of three tries with ``wanted`` errors (else the last try)."""
        for _ in range(3):
            value = make()
            if errors(value) == wanted:
                break
        return value

    def directed(draw: Draw, edge: _Edge) -> Any:
        return _directed_value(draw, kit, [kit.root], draw(st.integers(2, 4)), edge)

    @st.composite
    def draw_instance(draw: Draw) -> Any:
        return _cap(draw(any_source()), MAX_NESTING)

    @st.composite
    def any_source(draw: Draw) -> Any:
        source = _weighted(draw, sources)
        if source == "hinted":
            return draw(hinted)
        if source == "arbitrary":
            return draw(ARBITRARY)
        if source == "mutated":
            return _mutate(draw, kit, directed(draw, _Edge()))
        if source == "edge":
            return best(draw, lambda: directed(draw, _Edge(percent=25, left=1)), 1)
        value = best(draw, lambda: directed(draw, _Edge()), 0)
        if source == "near miss":
            return best(draw, lambda: _mutate(draw, kit, value), 1)
        if source == "edge inside":
            return best(draw, lambda: _edge_inside(draw, kit, value), 1)
        return value

    return draw_instance()


# ============================================================================ minimizing


def _at(root: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``root`` with the value at ``path`` replaced by ``new``."""
    return json_replace(copy.deepcopy(root), path, new)


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def _local_target(schema: Any, ref: Any) -> Any:
    """What a ``#/...`` reference points at in ``schema`` (``None``: not that simple)."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    target = schema
    for segment in unquote(ref[2:]).split("/"):
        segment = segment.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or segment not in target:
            return None
        target = target[segment]
    return target


def simpler_schemas(schema: Any) -> Iterator[Any]:
    """Smaller variants of ``schema``, big cuts first: a part made the root (beside the
    root's ``$schema`` and ``$id``, with or without its definitions), a key removed from
    any object (``$schema`` stays), a list item removed, a local ``$ref`` replaced by
    what it points at, any part replaced by ``true``/``false``. Many are not schemas at
    all; whoever minimizes checks them."""
    nodes = sorted(_nodes(schema), key=lambda pair: len(pair[0]))
    yield from (False, True)
    for path, node in nodes:
        if path and isinstance(node, dict) and path[-1] not in _DEFS and isinstance(schema, dict):
            kept = {k: v for k, v in schema.items() if k in ("$schema", "$id")}
            yield kept | node
            yield kept | {k: v for k, v in schema.items() if k in _DEFS} | node
    for path, node in nodes:
        if isinstance(node, dict):
            for key in node:
                if path or key != "$schema":
                    yield _at(schema, path, {k: v for k, v in node.items() if k != key})
        elif isinstance(node, list):
            for index in range(len(node)):
                yield _at(schema, path, node[:index] + node[index + 1 :])
        if isinstance(node, dict) and "$ref" in node:
            target = _local_target(schema, node["$ref"])
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if isinstance(target, dict):
                yield _at(schema, path, target | siblings)
            elif isinstance(target, bool) and not siblings:
                yield _at(schema, path, target)
        if path and path[-1] != "$schema" and node not in (True, False):
            yield _at(schema, path, True)
            yield _at(schema, path, False)


def simpler_instances(instance: Any) -> Iterator[Any]:
    """Smaller variants of a JSON value: a key or item removed, a part replaced by a
    simple value of some type, a string shortened."""
    for path, node in _nodes(instance):
        if isinstance(node, dict):
            for key in node:
                yield _at(instance, path, {k: v for k, v in node.items() if k != key})
        elif isinstance(node, list):
            for index in range(len(node)):
                yield _at(instance, path, node[:index] + node[index + 1 :])
        for simple in (None, 0, "", [], {}):
            if _freeze(simple) != _freeze(node):
                yield _at(instance, path, simple)
        if isinstance(node, str) and node:
            yield _at(instance, path, node[:-1])
