"""The plan of the Python type outputs, as data the templates read: dataclasses
(``models.py``), TypedDicts (``typeddicts.py``), the builders that make Python values
from JSON, the checked builders (``from_dict``'s one-pass path) and the package's entry
points. ``planner`` makes it from the IR.

For every object node a :class:`ClassPlan` (fields with their annotations, docstrings,
defaults, and how each is built from JSON and dumped back); for every node whose
Python value differs from its JSON value a :class:`Builder`; for every named type that
is not a class an :class:`~.aliases.Alias`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types import ir
from ..types.events import Events
from ..validation.compile import Entry
from .aliases import Alias
from .order import natural

__all__ = [
    "Builder",
    "ClassPlan",
    "Family",
    "FieldPlan",
    "ParseField",
    "Parser",
    "Pick",
    "PythonPlan",
    "TypeEntry",
]


@dataclass
class FieldPlan:
    field: ir.Field
    #: The JSON key, as a Python literal.
    key: str
    name: str
    required: bool
    annotation: str
    docstring: str
    #: Constructor default for a required one-value literal (the tag), as a literal.
    const_default: str | None
    #: Expression building the Python value from ``d`` (the JSON object).
    build: str
    #: Expression dumping ``self.<name>`` back to JSON data.
    dump: str


@dataclass
class ClassPlan:
    name: str
    key: str | None
    obj: ir.ObjectNode
    docstring: str
    fields: list[FieldPlan]
    open: bool
    closed: bool
    extra_annotation: str
    #: Expression dumping an extra property's value ``x``.
    extra_dump: str
    #: Name of the frozenset of declared keys (in ``models.py``).
    keys_const: str
    keys_literal: str
    typed_dict_functional: bool
    entry: Entry
    build_fn: str
    #: ``__init__``'s first parameter: ``self``, unless a field has that name (then the
    #: name ``@dataclass`` uses in that case).
    init_self: str = "self"
    #: The checked builder ``from_dict`` tries first (see :class:`Parser`), if any.
    parse_fn: str | None = None

    @property
    def slots(self) -> list[str]:
        """``__slots__``: the fields (and ``extra_properties`` when open), sorted."""
        names = [f.name for f in self.fields] + (["extra_properties"] if self.open else [])
        return sorted(names, key=natural)


@dataclass
class Pick:
    """One candidate variant of a union's builder: ``test`` (``None``: taken without
    a test), then ``build``."""

    test: str | None
    build: str
    #: The builder ``build`` calls on the value itself (``None``: none, or through a
    #: test for null), for the checked builders' planner.
    built: Builder | None = None


@dataclass
class Family:
    """Values of one JSON type and the variants that can take them."""

    #: the JSON type (``"number"``: integers too), and the test of a value's type
    json_type: str
    guard: str
    picks: list[Pick]
    tag: str | None = None
    tag_cases: list[tuple[str, list[Pick]]] = field(default_factory=list)


@dataclass
class Builder:
    """The ``_build_<fn>`` function of a node whose Python value must be built."""

    kind: str
    fn: str
    node: ir.Node
    #: ``dict``/``list`` when the node has no ``type``: values of other types pass as they are.
    guard: str | None = None
    #: objects
    cls: ClassPlan | None = None
    extra_build: str | None = None
    #: arrays and maps
    item_build: str = "x"
    #: unions
    families: list[Family] = field(default_factory=list)
    fallback: list[Pick] = field(default_factory=list)


@dataclass
class ParseField:
    """One field of a checked builder: read ``key``; unless it is absent, the value is
    refused when ``refuse`` (an expression on ``v``) holds or ``parse`` (a checked
    builder) gives ``None``; else ``build`` makes it."""

    name: str
    key: str
    required: bool
    refuse: str | None
    parse: str | None
    build: str
    #: ``parse`` is for the values other than null, which are kept as ``None``.
    nullable: bool = False


@dataclass
class Parser:
    """``_parse_<fn>(v)``: checks and builds in one pass, returning ``None`` for a value
    it does not accept (``from_dict`` then takes the checking path, which reports why).
    Made only where the checks are exactly the schema location's (an object of
    ``properties``, ``required`` and ``additionalProperties``; a union of such objects
    picked by a tag), so that what it accepts is valid and builds what the builder
    builds."""

    fn: str
    cls: ClassPlan | None = None
    fields: list[ParseField] = field(default_factory=list)
    #: ``additionalProperties: false``: no key beyond the declared ones
    closed: bool = False
    #: ``additionalProperties`` with a schema: true when the value ``x`` of another key
    #: is refused
    extra_refuse: str | None = None
    #: how unknown properties' values are built (``None``: kept as they are)
    extra_build: str | None = None
    #: unions: the tag's name and, per tag value, the parser of its one variant; any
    #: other value is checked (``check``, on ``v``) and built (``build``) as usual
    tag: str | None = None
    cases: list[tuple[str, str]] = field(default_factory=list)
    check: str | None = None
    build: str = "v"

    @property
    def counts_keys(self) -> bool:
        """Does it count the keys it finds (``known``), every key it may meet being a
        field it reads: then ``len(d) == known`` says the object has no other key
        (closed: none allowed; open: no extra property to keep), cheaper than a set test
        of every key."""
        return self.cls is not None and (self.closed or (self.cls.open and not self.extra_build))

    @property
    def required_count(self) -> int:
        return sum(f.required for f in self.fields)


@dataclass
class TypeEntry:
    key: str
    name: str
    #: Expression of the builder ``parse`` uses (``_identity`` for plain values).
    build: str


@dataclass
class PythonPlan:
    package: str
    classes: list[ClassPlan]
    builders: list[Builder]
    aliases: list[Alias]
    types: list[TypeEntry]
    root_build: str
    events: Events | None
    parsers: list[Parser] = field(default_factory=list)
