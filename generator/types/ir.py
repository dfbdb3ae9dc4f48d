"""The typed intermediate representation every output is rendered from.

``build`` turns a checked schema into a :class:`Schema`: a graph of :class:`Node`\\ s in
which named types (``$defs`` entries) are :class:`NamedType`\\ s referenced by
:class:`RefNode`, so recursion is just a cycle in the graph. ``naming`` then fills in the
Python names (``NamedType.name``, ``ObjectNode.name``, ``Field.py_name``, ``Node.fn``).
Renderers only read this structure; they decide nothing.

The IR describes types, not validation: keywords with no meaning for a type (``not``,
``if``, ``patternProperties``, ...) leave it as it is, and what the IR cannot express
becomes an :class:`AnyNode`. Every node links to its schema location, whose validator
(planned separately, in ``validation``) checks exactly what the schema says.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..schema.index import Location

__all__ = [
    "NO_DEFAULT",
    "AllOfNode",
    "AnyNode",
    "ArrayNode",
    "BoolNode",
    "Field",
    "LiteralNode",
    "MapNode",
    "NamedType",
    "NeverNode",
    "Node",
    "NullNode",
    "NumberNode",
    "ObjectNode",
    "OpenEnumNode",
    "RefNode",
    "Schema",
    "StringNode",
    "UnionNode",
    "Warning_",
    "json_type_of",
]

#: JSON types as JSON Schema names them ("integer" is a subtype of "number").
JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


#: ``Node.default`` when the schema gives none (``None`` would mean a default of null).
NO_DEFAULT: Any = _NoDefault()


def json_type_of(value: Any) -> str:
    """The JSON Schema type name of a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@dataclass(eq=False)
class Node:
    """A schema position. ``types`` is what its ``type`` keyword allows (``None``: any)."""

    kind: ClassVar[str] = "node"

    pointer: str = ""
    description: str | None = None
    title: str | None = None
    default: Any = NO_DEFAULT
    examples: tuple[Any, ...] = ()
    deprecated: bool = False
    #: Things the generated code must say about this node (unsupported keywords, ...).
    notes: list[str] = field(default_factory=list)
    #: JSON types the schema's ``type`` keyword allows; ``None`` when it has none.
    types: frozenset[str] | None = None
    #: Stem for the generated helper functions of this node (naming pass).
    fn: str = ""
    #: The schema location this node describes: its validator checks exactly that
    #: (``None`` for a boolean schema).
    location: Location | None = None
    #: A union variant that also holds the keywords beside its union: the branch as
    #: written, which the models test a value with to choose this variant (the value is
    #: valid, so those keywords hold; and ``unevaluatedProperties`` beside the union sees
    #: what every branch evaluates, which this variant's own validator cannot).
    choice: Location | None = None

    def children(self) -> Iterator[Node]:
        return iter(())

    @property
    def complex(self) -> bool:
        """Does this node get generated helper functions of its own?"""
        return False


@dataclass(eq=False)
class AnyNode(Node):
    """Any JSON value."""

    kind: ClassVar[str] = "any"


@dataclass(eq=False)
class NeverNode(Node):
    """No value at all (the ``false`` schema)."""

    kind: ClassVar[str] = "never"


@dataclass(eq=False)
class NullNode(Node):
    kind: ClassVar[str] = "null"


@dataclass(eq=False)
class BoolNode(Node):
    kind: ClassVar[str] = "boolean"


@dataclass(eq=False)
class StringNode(Node):
    kind: ClassVar[str] = "string"
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None


@dataclass(eq=False)
class NumberNode(Node):
    kind: ClassVar[str] = "number"
    integer: bool = False
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    format: str | None = None


@dataclass(eq=False)
class LiteralNode(Node):
    """One of a fixed set of JSON values (``enum`` or ``const``)."""

    kind: ClassVar[str] = "literal"
    values: tuple[Any, ...] = ()
    #: Written as ``const`` (not ``enum``): such a property tags its object.
    const: bool = False

    @property
    def scalar(self) -> bool:
        return all(v is None or isinstance(v, (str, int, float, bool)) for v in self.values)

    @property
    def strings_only(self) -> bool:
        return all(isinstance(v, str) for v in self.values)


@dataclass(eq=False)
class OpenEnumNode(Node):
    """A string with known values that also accepts any other string."""

    kind: ClassVar[str] = "open_enum"
    known: tuple[str, ...] = ()
    string: StringNode = field(default_factory=StringNode)


@dataclass(eq=False)
class ArrayNode(Node):
    kind: ClassVar[str] = "array"
    items: Node = field(default_factory=AnyNode)
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False

    def children(self) -> Iterator[Node]:
        yield self.items

    @property
    def complex(self) -> bool:
        return True


@dataclass(eq=False)
class MapNode(Node):
    """An object used as a dictionary: no declared properties, values of one schema."""

    kind: ClassVar[str] = "map"
    values: Node = field(default_factory=AnyNode)
    min_properties: int | None = None
    max_properties: int | None = None

    def children(self) -> Iterator[Node]:
        yield self.values

    @property
    def complex(self) -> bool:
        return True


@dataclass(eq=False)
class Field:
    """A declared property of an object."""

    key: str
    node: Node
    required: bool
    #: Python attribute name (naming pass); the JSON key stays ``key``.
    py_name: str = ""

    @property
    def description(self) -> str | None:
        node = self.node
        if node.description:
            return node.description
        if isinstance(node, RefNode):
            return node.target.node.description
        return None


@dataclass(eq=False)
class ObjectNode(Node):
    """A record: declared properties, and what other properties may hold.

    ``extra`` is ``None`` when other properties are rejected (``additionalProperties:
    false``), an :class:`AnyNode` when any are accepted and kept, or the schema they must
    match.
    """

    kind: ClassVar[str] = "object"
    fields: list[Field] = field(default_factory=list)
    extra: Node | None = field(default_factory=AnyNode)
    min_properties: int | None = None
    max_properties: int | None = None
    #: Class name (naming pass).
    name: str = ""
    #: What an inline object is named after (the enclosing object or named type) and
    #: the name parts that follow it: ``("prop", key)``, ``("title", text)``,
    #: ``("tag", value)``, ``("item", "")``, ``("value", "")`` or ``("variant", "")``.
    owner: ObjectNode | NamedType | None = None
    name_parts: tuple[tuple[str, str], ...] = ()
    #: The named type this object is the body of, if any.
    named: NamedType | None = None

    def children(self) -> Iterator[Node]:
        for f in self.fields:
            yield f.node
        if self.extra is not None:
            yield self.extra

    @property
    def complex(self) -> bool:
        return True

    @property
    def required_keys(self) -> list[str]:
        return [f.key for f in self.fields if f.required]

    @property
    def closed(self) -> bool:
        return self.extra is None

    @property
    def open(self) -> bool:
        return isinstance(self.extra, AnyNode)


@dataclass(eq=False)
class UnionNode(Node):
    """``anyOf`` (``one_of`` False) or ``oneOf`` (``one_of`` True) of variants.

    ``tag`` names the property that tells object variants apart when every variant that
    accepts objects requires it with one constant value; ``tag_map`` then maps each tag
    value to the indexes of the variants it selects.
    """

    kind: ClassVar[str] = "union"
    variants: list[Node] = field(default_factory=list)
    one_of: bool = False
    tag: str | None = None
    tag_map: dict[str, list[int]] = field(default_factory=dict)
    #: A ``type`` keyword beside the ``anyOf``/``oneOf`` that the variants alone do not
    #: imply (``None`` when there is none, or when it is redundant).
    outer_types: frozenset[str] | None = None
    #: The schema's ``discriminator.propertyName``, a hint for ``tag``.
    tag_hint: str | None = None
    #: Made from a ``type`` list (``["object", "null"]``): one schema, not a union, so
    #: a value is matched to a variant by its JSON type alone.
    by_type: bool = False

    def children(self) -> Iterator[Node]:
        yield from self.variants

    @property
    def complex(self) -> bool:
        return True


@dataclass(eq=False)
class AllOfNode(Node):
    """An ``allOf`` that could not be merged into one node: every part must hold."""

    kind: ClassVar[str] = "all_of"
    parts: list[Node] = field(default_factory=list)

    def children(self) -> Iterator[Node]:
        yield from self.parts

    @property
    def complex(self) -> bool:
        return True


@dataclass(eq=False)
class NamedType:
    """A type with a name of its own: a ``$defs`` entry, or a ``$ref`` target."""

    key: str
    pointer: str
    node: Node = field(default_factory=AnyNode)
    #: The schema also accepts ``null`` (``anyOf: [X, {"type": "null"}]``), unwrapped.
    nullable: bool = False
    #: Python name (naming pass).
    name: str = ""
    description: str | None = None
    title: str | None = None
    #: Where the type's schema is.
    location: Location | None = None


@dataclass(eq=False)
class RefNode(Node):
    kind: ClassVar[str] = "ref"
    target: NamedType = field(default_factory=lambda: NamedType("", ""))


@dataclass
class Warning_:
    """Something the user should know about the generated output (printed on stderr)."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}" if self.pointer else self.message


@dataclass(eq=False)
class Schema:
    """The whole IR of one schema document."""

    #: Named types in document order (``$defs``, then ``definitions``, then others).
    types: list[NamedType]
    #: What the document root itself describes as a type, if anything (``None`` for a
    #: bare bundle of ``$defs``; validators always check the root schema itself).
    root: Node | None
    #: The JSON Schema document, as loaded (what ``realtime_schema.schema()`` returns).
    document: dict[str, Any]
    label: str
    title: str | None = None
    description: str | None = None
    schema_id: str | None = None
    warnings: list[Warning_] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        """Every node once, named types first, in a stable order."""
        seen: set[int] = set()
        stack: list[Node] = []
        for named in reversed(self.types):
            stack.append(named.node)
        if self.root is not None:
            stack.insert(0, self.root)
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            yield node
            stack.extend(reversed(list(node.children())))

    def objects(self) -> list[ObjectNode]:
        return [n for n in self.walk() if isinstance(n, ObjectNode)]
