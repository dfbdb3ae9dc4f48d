"""The checked builders of the Python models (see :class:`~.plan.Parser`): which
classes and tagged unions get one, planned from the models' plan and the validators'."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..validation import plan as p
from ..validation.emit import code as c
from .plan import Builder, ClassPlan, ParseField, Parser

if TYPE_CHECKING:
    from .planner import _Planner

__all__ = ["plan_parsers"]

_PLAIN_OBJECT = {p.Type, p.Properties, p.Required, p.AdditionalProperties}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _besides_null(node: p.Node) -> p.Node | None:
    """For a schema that accepts null or else what one other schema accepts (``anyOf``,
    or a ``oneOf`` whose branches no value passes both), that other schema."""
    node = node.unaliased()
    if len(node.checks) != 1 or not isinstance(node.checks[0], p.AnyOf):
        return None
    union = node.checks[0]
    if len(union.nodes) != 2 or (isinstance(union, p.OneOf) and not union.exclusive):
        return None
    nulls = [
        b
        for b in union.nodes
        if [(type(c), getattr(c, "types", None)) for c in b.unaliased().checks]
        == [(p.Type, frozenset({"null"}))]
    ]
    if len(nulls) != 1:
        return None
    return next(b for b in union.nodes if b is not nulls[0])


class _Parsers:
    """Plans the checked builders (see :class:`Parser`)."""

    def __init__(self, planner: _Planner) -> None:
        self.planner = planner
        self.validators = planner.validators
        #: (node, class plan, parser) for every class that gets one
        self.classes: list[tuple[p.Node, ClassPlan, Parser]] = []
        #: validation node id -> the first of those at that node (classes can share one)
        self.objects: dict[int, tuple[p.Node, ClassPlan, Parser]] = {}
        self.unions: dict[int, Parser] = {}
        #: class plan id -> its validation node and parser
        self.by_class: dict[int, tuple[p.Node, Parser]] = {}

    def plan(self) -> list[Parser]:
        if any(node.scoped for node in self.validators.nodes.values()):
            return []  # dynamic scopes: the fast checks need their caller's scope
        for plan in self.planner.class_order:
            node = self.validators.node(plan.obj.location)  # type: ignore[arg-type]
            if self._plain_object(node, plan):
                parser = Parser(f"_parse_{plan.obj.fn}", cls=plan)
                plan.parse_fn = parser.fn
                self.classes.append((node, plan, parser))
                self.objects.setdefault(id(node), (node, plan, parser))
                self.by_class[id(plan)] = (node, parser)
        for node, plan, parser in self.classes:
            self._fill(node, plan, parser)
        return [parser for _, _, parser in self.classes] + list(self.unions.values())

    def _plain_object(self, node: p.Node, plan: ClassPlan) -> bool:
        kinds = {type(check) for check in node.checks}
        if not kinds <= _PLAIN_OBJECT or p.Properties not in kinds or node.scoped:
            return False
        types = [c for c in node.checks if isinstance(c, p.Type)]
        if len(types) != 1 or types[0].types != frozenset({"object"}):
            return False
        (properties,) = [c for c in node.checks if isinstance(c, p.Properties)]
        required = {n for c in node.checks if isinstance(c, p.Required) for n in c.names}
        keys = {f.field.key for f in plan.fields}
        if set(properties.nodes) != keys:
            return False
        if required != {f.field.key for f in plan.fields if f.required}:
            return False
        extra = [c for c in node.checks if isinstance(c, p.AdditionalProperties)]
        return not extra or (not extra[0].patterns and set(extra[0].names) == keys)

    def _fill(self, node: p.Node, plan: ClassPlan, parser: Parser) -> None:
        (properties,) = [c for c in node.checks if isinstance(c, p.Properties)]
        parser.extra_build = self.planner.builder(plan.obj).extra_build
        for f in plan.fields:
            child = properties.nodes[f.field.key]
            build = self.planner.build(f.field.node, "v")
            parse = self._parse_of(child, build, self.planner.built_by(f.field.node))
            nullable = False
            if parse is None:
                # Null, or a value of a type with a checked builder: the builder is for
                # the values other than null.
                builder = self.planner.nullable_built_by(f.field.node)
                other = _besides_null(child)
                if builder is not None and other is not None:
                    parse = self._parse_of(other, f"_build_{builder.fn}(v)", builder)
                    nullable = parse is not None
            refuse = None if parse is not None else self._check(child, node, refuse=True)
            parser.fields.append(
                ParseField(f.name, f.key, f.required, refuse, parse, build, nullable)
            )
        for rule in node.checks:
            if isinstance(rule, p.AdditionalProperties):
                if rule.node.is_false:
                    parser.closed = True
                elif not rule.node.is_true:
                    parser.extra_refuse = self._check(rule.node, node, "x", refuse=True)

    def _check(
        self, child: p.Node, caller: p.Node | None, v: str = "v", *, refuse: bool = False
    ) -> str | None:
        """The expression true when ``v`` is valid against ``child`` (``refuse``: when it
        is not), or ``None`` when every value is."""
        python = self.validators.python
        expr = python.fast(child, v, caller)
        if expr == c.TRUE:
            return None
        if not python.tables.keys().isdisjoint(_IDENTIFIER.findall(c.render(expr))):
            # tables stay with the validators
            name = python.fast_function(child)
            expr = c.Atom(f"{name}({v})", calls=frozenset({name}))
        return c.render(c.negate(expr) if refuse else expr)

    def _parse_of(self, child: p.Node, build: str, builder: Builder | None) -> str | None:
        """A checked builder for a field whose checks are ``child``'s and whose value
        ``build`` builds (calling ``builder`` on it), or ``None``."""
        if builder is None:
            return None
        target = child.unaliased()
        found = self.objects.get(id(target))
        if found is not None:
            _, plan, parser = found
            return parser.fn if builder.cls is plan else None
        return self._union(target, build, builder)

    def _union(self, node: p.Node, build: str, builder: Builder) -> str | None:
        if len(node.checks) != 1 or not isinstance(node.checks[0], p.AnyOf):
            return None
        union = node.checks[0]
        if isinstance(union, p.OneOf) and not union.exclusive:
            return None  # two branches might both accept: only the check can tell
        if builder.kind != "union":
            return None
        branches = {id(b.unaliased()) for b in union.nodes}
        family = next((f for f in builder.families if f.json_type == "object"), None)
        if family is None or family.tag is None:
            return None
        parser = self.unions.get(id(builder))
        if parser is not None:
            return parser.fn
        parser = Parser(f"_parse_{builder.fn}", tag=family.tag, build=build)
        parser.check = self._check(node, None)
        for value, picks in family.tag_cases:
            if len(picks) != 1 or picks[0].test is not None:
                return None
            chosen = picks[0].built
            found = self.by_class.get(id(chosen.cls)) if chosen and chosen.cls else None
            if found is None or id(found[0]) not in branches:
                return None
            parser.cases.append((value, found[1].fn))
        self.unions[id(builder)] = parser
        return parser.fn


def plan_parsers(planner: _Planner) -> list[Parser]:
    """The checked builders of a planned package (none where scopes are dynamic)."""
    return _Parsers(planner).plan()
