"""The validation plan: what to check at each schema location, as data.

One :class:`Node` per location; its ``checks`` are one record per keyword (or per group
of keywords that only mean something together, like ``contains`` with ``minContains``),
in the order the schema gives them. Children are other nodes, so the plan is a graph
(recursion is a cycle). Nothing here is code text: ``validation.python`` decides how
each check is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..schema.index import Location

__all__ = [
    "FAMILIES",
    "AdditionalProperties",
    "AllOf",
    "AnyOf",
    "Check",
    "Compare",
    "Const",
    "Contains",
    "DependentRequired",
    "DependentSchemas",
    "DynamicRef",
    "Enum",
    "Format",
    "If",
    "Items",
    "Length",
    "MultipleOf",
    "Node",
    "Not",
    "OneOf",
    "Pattern",
    "PatternProperties",
    "PrefixItems",
    "Properties",
    "PropertyNames",
    "Ref",
    "Regex",
    "Required",
    "Size",
    "Type",
    "Unevaluated",
    "Unique",
]

#: JSON type families the keywords apply to (``None`` in a check: any value).
FAMILIES = ("object", "array", "string", "number")


@dataclass(frozen=True)
class Regex:
    """A schema regular expression and its Python translation."""

    source: str
    python: str


@dataclass(eq=False)
class Check:
    """One keyword's check. ``family`` is the JSON type it applies to (``None``: all)."""

    family: ClassVar[str | None] = None
    keyword: str

    def children(self) -> list[Node]:
        """Nodes checked against the same value (in place)."""
        return []

    def descendants(self) -> list[Node]:
        """Nodes checked against parts of the value (items, property values, names)."""
        return []


# ----------------------------------------------------------------------- any value


@dataclass(eq=False)
class Type(Check):
    types: frozenset[str]
    #: An integral float (``1.0``) is an ``integer`` (draft-06 on; not in draft-04).
    whole_floats: bool = True


@dataclass(eq=False)
class Const(Check):
    value: Any


@dataclass(eq=False)
class Enum(Check):
    values: tuple[Any, ...]
    #: The name of the node it belongs to (set with the names): its constant's name.
    owner: str = ""


@dataclass(eq=False)
class AllOf(Check):
    nodes: list[Node]

    def children(self) -> list[Node]:
        return list(self.nodes)


@dataclass(eq=False)
class AnyOf(Check):
    nodes: list[Node]
    #: The property every branch requires with its own constant string value (checked
    #: preconditions, see ``analysis``): values are dispatched on it.
    tag: str | None = None
    #: The schemas the fast path chooses from by ``tag`` (the branches, aliases resolved;
    #: for a union of unions tagged alike, the branches of those: ``analysis``), and the
    #: tag value each requires.
    tagged: list[Node] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: For a tag value several of ``tagged`` require: a second property each of those
    #: requires with a constant string of its own, and those constants in their order
    #: (``role`` for the ``message`` items of a conversation): the fast path dispatches
    #: on it too.
    subtags: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def children(self) -> list[Node]:
        return list(self.nodes)


@dataclass(eq=False)
class OneOf(AnyOf):
    #: No value can pass two branches (``analysis`` proves it from their types, constant
    #: values and tags): "exactly one" is then "any", and the fast path stops at the first
    #: branch that passes.
    exclusive: bool = False


@dataclass(eq=False)
class Not(Check):
    node: Node

    def children(self) -> list[Node]:
        return [self.node]


@dataclass(eq=False)
class If(Check):
    condition: Node
    then: Node | None
    otherwise: Node | None

    def children(self) -> list[Node]:
        return [n for n in (self.condition, self.then, self.otherwise) if n is not None]


@dataclass(eq=False)
class Ref(Check):
    target: Node

    def children(self) -> list[Node]:
        return [self.target]


@dataclass(eq=False)
class DynamicRef(Check):
    """``$dynamicRef`` / ``$recursiveRef``: ``target`` unless the dynamic scope holds a
    resource in ``candidates`` (by resource number), the outermost of which wins."""

    target: Node
    candidates: dict[int, Node]

    def children(self) -> list[Node]:
        return [self.target, *self.candidates.values()]


# ----------------------------------------------------------------------- numbers


@dataclass(eq=False)
class Compare(Check):
    """``minimum`` (``<``), ``exclusiveMinimum`` (``<=``), ``maximum`` (``>``),
    ``exclusiveMaximum`` (``>=``): ``bad_op`` is the comparison that fails."""

    family: ClassVar[str | None] = "number"
    bad_op: str
    limit: int | float


@dataclass(eq=False)
class MultipleOf(Check):
    family: ClassVar[str | None] = "number"
    divisor: int | float


# ----------------------------------------------------------------------- strings


@dataclass(eq=False)
class Length(Check):
    family: ClassVar[str | None] = "string"
    limit: int


@dataclass(eq=False)
class Pattern(Check):
    family: ClassVar[str | None] = "string"
    regex: Regex


@dataclass(eq=False)
class Format(Check):
    family: ClassVar[str | None] = "string"
    name: str


# ----------------------------------------------------------------------- arrays


@dataclass(eq=False)
class Size(Check):
    """``minItems``/``maxItems``/``minProperties``/``maxProperties``."""

    family_name: str
    limit: int

    @property
    def minimum(self) -> bool:
        return self.keyword.startswith("min")


@dataclass(eq=False)
class Unique(Check):
    family: ClassVar[str | None] = "array"


@dataclass(eq=False)
class Items(Check):
    """Items from index ``start`` on (``items``, ``additionalItems``)."""

    family: ClassVar[str | None] = "array"
    node: Node
    start: int
    #: A ``false`` schema fails at each item (draft-07 ``items``), not once at the array.
    each: bool = False

    def descendants(self) -> list[Node]:
        return [self.node]


@dataclass(eq=False)
class PrefixItems(Check):
    """Item ``i`` against ``nodes[i]`` (``prefixItems``, draft-07 tuple ``items``)."""

    family: ClassVar[str | None] = "array"
    nodes: list[Node]

    def descendants(self) -> list[Node]:
        return list(self.nodes)


@dataclass(eq=False)
class Contains(Check):
    """``contains`` with ``minContains``/``maxContains``."""

    family: ClassVar[str | None] = "array"
    node: Node
    minimum: int
    maximum: int | None

    def descendants(self) -> list[Node]:
        return [self.node]


# ----------------------------------------------------------------------- objects


@dataclass(eq=False)
class Required(Check):
    family: ClassVar[str | None] = "object"
    names: tuple[str, ...]
    #: Required names whose ``properties`` entry holds a ``const`` (a tag): when one is
    #: missing, the value was plainly not meant for this schema.
    tags: frozenset[str]


@dataclass(eq=False)
class DependentRequired(Check):
    family: ClassVar[str | None] = "object"
    dependencies: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(eq=False)
class Properties(Check):
    family: ClassVar[str | None] = "object"
    nodes: dict[str, Node]

    def descendants(self) -> list[Node]:
        return list(self.nodes.values())


@dataclass(eq=False)
class PatternProperties(Check):
    family: ClassVar[str | None] = "object"
    patterns: list[tuple[Regex, Node]]

    def descendants(self) -> list[Node]:
        return [node for _, node in self.patterns]


@dataclass(eq=False)
class AdditionalProperties(Check):
    family: ClassVar[str | None] = "object"
    node: Node
    names: tuple[str, ...]
    patterns: tuple[Regex, ...]

    def descendants(self) -> list[Node]:
        return [self.node]


@dataclass(eq=False)
class PropertyNames(Check):
    family: ClassVar[str | None] = "object"
    node: Node

    def descendants(self) -> list[Node]:
        return [self.node]


@dataclass(eq=False)
class DependentSchemas(Check):
    family: ClassVar[str | None] = "object"
    dependencies: list[tuple[str, Node]]

    def children(self) -> list[Node]:
        return [node for _, node in self.dependencies]


@dataclass(eq=False)
class Unevaluated(Check):
    """``unevaluatedProperties`` (family ``object``) or ``unevaluatedItems`` (``array``)."""

    node: Node

    @property
    def properties(self) -> bool:
        return self.keyword == "unevaluatedProperties"

    def descendants(self) -> list[Node]:
        return [self.node]


# ----------------------------------------------------------------------- nodes


@dataclass(eq=False)
class Node:
    """The plan of one schema location."""

    location: Location
    checks: list[Check] = field(default_factory=list)
    #: ``True``/``False`` for a boolean schema, else ``None``.
    constant: bool | None = None
    #: Stem of the generated functions (naming pass of ``analysis``).
    name: str = ""
    #: Unevaluated checks must see annotations: the node collects them (``_j_``).
    collects: bool = False
    #: Reaches a dynamic reference: its functions take the dynamic scope.
    scoped: bool = False
    #: Written as an expression at each use in the fast path, not as a function.
    inline_fast: bool = False
    #: Its error checks are written at each use, not as a function.
    inline_errors: bool = False

    @property
    def is_true(self) -> bool:
        return self.constant is True or (self.constant is None and not self.checks)

    @property
    def is_false(self) -> bool:
        return self.constant is False

    def unaliased(self) -> Node:
        """The node a chain of bare ``$ref`` schemas (aliases) leads to: this one when
        it is not one."""
        node: Node = self
        seen: set[int] = set()
        while len(node.checks) == 1 and isinstance(node.checks[0], Ref) and id(node) not in seen:
            seen.add(id(node))
            node = node.checks[0].target
        return node

    def check_family(self, family: str | None) -> list[Check]:
        return [c for c in self.checks if _family(c) == family]

    @property
    def types(self) -> frozenset[str] | None:
        """The JSON types the node's ``type`` keywords allow (``None``: no ``type``)."""
        found: frozenset[str] | None = None
        for check in self.checks:
            if isinstance(check, Type):
                found = check.types if found is None else found & check.types
        return found

    def edges(self) -> list[Node]:
        out: list[Node] = []
        for check in self.checks:
            out += check.children()
            out += check.descendants()
        return out

    def __repr__(self) -> str:
        return f"<Node {self.name or self.location.pointer}>"


def _family(check: Check) -> str | None:
    if isinstance(check, Size):
        return check.family_name
    if isinstance(check, Unevaluated):
        return "object" if check.properties else "array"
    return check.family


#: The family a check applies to (``Size`` and ``Unevaluated`` decide per instance).
family_of = _family
