"""Plans the Python type outputs (:mod:`.plan`) from the IR: dataclasses, TypedDicts,
builders and the package's entry points. Checking is never decided here: ``from_dict``
calls the validator of the class's schema location (``validation``), and a union's
builder picks its variant by asking the variants' validators, in schema order.
"""

from __future__ import annotations

import json
import keyword
from typing import Any

from ..types import ir
from ..types.events import plan_events
from ..types.query import deref, describe_limits, field_default, node_types
from ..validation.compile import Validators
from . import annotations as an
from .aliases import plan_aliases
from .literals import py_docstring, py_literal
from .plan import Builder, ClassPlan, Family, FieldPlan, Pick, PythonPlan, TypeEntry

__all__ = ["plan_python"]

#: Where the docstrings of a class and of its fields start: inside the class body.
_BODY = "    "


_FAMILIES = (
    ("null", "v is None", frozenset({"null"})),
    ("boolean", "v is True or v is False", frozenset({"boolean"})),
    ("number", "isinstance(v, (int, float))", frozenset({"integer", "number"})),
    ("string", "isinstance(v, str)", frozenset({"string"})),
    ("array", "isinstance(v, list)", frozenset({"array"})),
    ("object", "isinstance(v, dict)", frozenset({"object"})),
)


def _plain(node: ir.Node, seen: frozenset[int] = frozenset()) -> bool:
    """Is the Python value of ``node`` its JSON value itself (no object, array or map
    to build)? Such values are passed through, never copied or converted."""
    if id(node) in seen:
        return False
    if isinstance(node, ir.RefNode):
        return _plain(node.target.node, seen | {id(node)})
    if isinstance(node, ir.UnionNode):
        return all(_plain(v, seen | {id(node)}) for v in node.variants)
    if isinstance(node, ir.AllOfNode):
        return True  # typed as any value: passed through
    return not node.complex


def _short_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _safe_literal(value: Any) -> str | None:
    try:
        return py_literal(value)
    except (TypeError, ValueError):
        return None


class _Planner:
    def __init__(self, schema: ir.Schema, package: str, validators: Validators) -> None:
        self.schema = schema
        self.package = package
        self.validators = validators
        self.memo: dict[int, an.Ann] = {}
        self.builders: dict[int, Builder] = {}
        self.order: list[Builder] = []
        self.classes: dict[int, ClassPlan] = {}
        self.class_order: list[ClassPlan] = []

    # ------------------------------------------------------------------ annotations

    def annotation(self, node: ir.Node) -> str:
        return an.render(an.of_node(node, self.memo))

    # ------------------------------------------------------------------ build / dump

    def build(self, node: ir.Node, var: str) -> str:
        """Expression turning the JSON value ``var`` of ``node`` into its Python value."""
        if isinstance(node, ir.RefNode):
            inner = self.build(node.target.node, var)
            if node.target.nullable and inner != var:
                return f"None if {var} is None else {inner}"
            return inner
        if _plain(node):
            return var
        return f"{self.builder_function(node)}({var})"

    def built_by(self, node: ir.Node) -> Builder | None:
        """The builder that :meth:`build` calls on the value itself, or ``None`` (the
        value is kept, made a ``list`` or ``dict``, or built after a test for null)."""
        while isinstance(node, ir.RefNode):
            if node.target.nullable and not _plain(node.target.node):
                return None
            node = node.target.node
        if _plain(node) or not self.builder_function(node).startswith("_build_"):
            return None
        return self.builder(node)

    def nullable_built_by(self, node: ir.Node) -> Builder | None:
        """For a reference to a nullable type: the builder :meth:`build` calls on the
        values other than null, or ``None``."""
        nullable = False
        while isinstance(node, ir.RefNode):
            nullable = nullable or node.target.nullable
            node = node.target.node
        if not nullable or _plain(node) or not self.builder_function(node).startswith("_build_"):
            return None
        return self.builder(node)

    def builder_function(self, node: ir.Node) -> str:
        """The callable that builds the values of ``node`` (not plain, not a reference)."""
        typed = node.types is not None
        if isinstance(node, ir.ArrayNode) and typed and _plain(node.items):
            return "list"
        if isinstance(node, ir.MapNode) and typed and _plain(node.values):
            return "dict"
        return f"_build_{self.builder(node).fn}"

    def entry_builder(self, node: ir.Node) -> str:
        """The callable ``parse`` uses for values of ``node``."""
        nullable = False
        while isinstance(node, ir.RefNode):
            nullable = nullable or node.target.nullable
            node = node.target.node
        if _plain(node):
            return "_identity"
        build = self.builder_function(node)
        return f"_or_null({build})" if nullable else build

    def dump(self, node: ir.Node, var: str, seen: frozenset[int] = frozenset()) -> str:
        """Expression turning the Python value ``var`` of ``node`` back into JSON data."""
        if isinstance(node, ir.RefNode):
            if id(node.target) in seen:  # a type made of itself: dump whatever is there
                return var if _plain(node) else f"_dump({var})"
            inner = self.dump(node.target.node, var, seen | {id(node.target)})
            if node.target.nullable and inner != var:
                return f"None if {var} is None else {inner}"
            return inner
        if node.complex and node.types is None and not isinstance(node, ir.UnionNode):
            return f"_dump({var})"  # keywords of one type, no ``type``: any value
        if isinstance(node, ir.ObjectNode):
            return f"{var}.to_dict()"
        if isinstance(node, ir.ArrayNode):
            item = self.dump(node.items, "x", seen)
            return f"list({var})" if item == "x" else f"[{item} for x in {var}]"
        if isinstance(node, ir.MapNode):
            value = self.dump(node.values, "x", seen)
            return f"dict({var})" if value == "x" else f"{{k: {value} for k, x in {var}.items()}}"
        if isinstance(node, (ir.UnionNode, ir.AllOfNode)):
            return var if _plain(node) else f"_dump({var})"
        return var

    # ------------------------------------------------------------------ builders

    def builder(self, node: ir.Node) -> Builder:
        found = self.builders.get(id(node))
        if found is not None:
            return found
        built = Builder(kind=node.kind, fn=node.fn, node=node)
        if node.types is None and isinstance(node, (ir.ObjectNode, ir.MapNode)):
            built.guard = "dict"
        elif node.types is None and isinstance(node, ir.ArrayNode):
            built.guard = "list"
        self.builders[id(node)] = built
        if isinstance(node, ir.ObjectNode):
            built.cls = self.class_plan(node)
            extra = node.extra
            if extra is not None and not _plain(extra):
                built.extra_build = self.build(extra, "x")
        elif isinstance(node, ir.ArrayNode):
            built.item_build = self.build(node.items, "x")
        elif isinstance(node, ir.MapNode):
            built.item_build = self.build(node.values, "x")
        elif isinstance(node, ir.UnionNode):
            self._union(built, node)
        self.order.append(built)
        return built

    def _test(self, node: ir.Node) -> str | None:
        """A call true when a value (valid as a whole) takes the union variant ``node``
        (``None``: any value does)."""
        location = node.choice or node.location
        if location is None:  # a boolean schema
            return "False" if isinstance(node, ir.NeverNode) else None
        entry = self.validators.entry(None, self.validators.node(location))
        return f"{entry.fast}(v)"

    def _picks(self, variants: list[ir.Node], by_type: bool) -> list[Pick]:
        picks = []
        for index, variant in enumerate(variants):
            last = index == len(variants) - 1
            test = None if (by_type or last) else self._test(variant)
            picks.append(Pick(test, self.build(variant, "v"), self.built_by(variant)))
            if test is None:
                break
        return picks

    def _union(self, built: Builder, node: ir.UnionNode) -> None:
        kinds = [node_types(v) for v in node.variants]
        for json_type, guard, members in _FAMILIES:
            chosen = [i for i, k in enumerate(kinds) if k is None or members & k]
            tagged = json_type == "object" and node.tag is not None
            if not chosen or not (tagged or node.by_type or any(kinds[i] for i in chosen)):
                continue  # no variant, or only those of any type: the fallback's picks
            variants = [node.variants[i] for i in chosen]
            family = Family(json_type=json_type, guard=guard, picks=[])
            if tagged:
                family.tag = py_literal(node.tag)
                for value, indexes in node.tag_map.items():
                    family.tag_cases.append(
                        (py_literal(value), self._picks([node.variants[i] for i in indexes], False))
                    )
            family.picks = self._picks(variants, node.by_type)
            built.families.append(family)
        fallback = [v for v, k in zip(node.variants, kinds, strict=True) if k is None]
        built.fallback = self._picks(fallback, False) if fallback else []

    # ------------------------------------------------------------------ classes

    def class_plan(self, obj: ir.ObjectNode) -> ClassPlan:
        found = self.classes.get(id(obj))
        if found is not None:
            return found
        named = obj.named
        description = obj.description or (named.description if named else None)
        doc = description or f"The ``{obj.name}`` object."
        notes: list[str] = []
        if obj.closed:
            notes.append("Unknown properties are rejected.")
        elif obj.open:
            notes.append("Unknown properties are accepted and kept in ``extra_properties``.")
        limits = describe_limits(obj)
        if limits:
            notes.append("Limits: " + "; ".join(limits) + ".")
        notes += ["Note: " + note for note in obj.notes]
        if notes:
            doc += "\n\n" + " ".join(notes)
        functional = any(
            not (f.key.isascii() and f.key.isidentifier())
            or f.key.startswith("__")
            or keyword.iskeyword(f.key)
            for f in obj.fields
        )
        location = obj.location
        assert location is not None, f"object {obj.name} has no schema location"
        plan = ClassPlan(
            name=obj.name,
            key=named.key if named else None,
            obj=obj,
            docstring="",
            fields=[],
            open=not obj.closed,
            closed=obj.closed,
            extra_annotation=self.annotation(obj.extra) if obj.extra is not None else "Any",
            extra_dump=self.dump(obj.extra, "x") if obj.extra is not None else "x",
            keys_const=f"_FIELDS_{obj.fn}",
            keys_literal="frozenset({" + ", ".join(py_literal(f.key) for f in obj.fields) + "})",
            typed_dict_functional=functional,
            entry=self.validators.entry(None, self.validators.node(location)),
            build_fn=f"_build_{obj.fn}",
        )
        self.classes[id(obj)] = plan
        plan.docstring = py_docstring(doc, _BODY)
        plan.fields = [self.field_plan(f) for f in obj.fields]
        if any(f.name == "self" for f in plan.fields):
            plan.init_self = "__dataclass_self__"
        self.class_order.append(plan)
        return plan

    def field_plan(self, f: ir.Field) -> FieldPlan:
        default = field_default(f)
        const_default = None
        lit = deref(f.node)
        if (
            f.required
            and isinstance(lit, ir.LiteralNode)
            and len(lit.values) == 1
            and isinstance(lit.values[0], (str, int, bool))
        ):
            const_default = py_literal(lit.values[0])
        key = py_literal(f.key)
        built = self.build(f.node, "v")
        if f.required:
            build = self.build(f.node, f"d[{key}]")
        elif built == "v":
            build = f"g({key}, UNSET)"
        else:
            build = f"(UNSET if (v := g({key}, UNSET)) is UNSET else {built})"
        return FieldPlan(
            field=f,
            key=key,
            name=f.py_name,
            required=f.required,
            annotation=self.annotation(f.node),
            docstring=py_docstring(self.field_doc(f, default), _BODY),
            const_default=const_default,
            build=build,
            dump=self.dump(f.node, f"self.{f.py_name}"),
        )

    def field_doc(self, f: ir.Field, default: Any) -> str:
        lines = [f.description or f"The ``{f.key}`` property."]
        facts = []
        if f.py_name != f.key:
            facts.append(f"JSON name: ``{f.key}``.")
        if default is not ir.NO_DEFAULT:
            facts.append(f"Default: ``{_short_json(default)}``.")
        limits = describe_limits(f.node)
        if limits:
            facts.append("Limits: " + "; ".join(limits) + ".")
        facts += [f"Note: {note}" for note in f.node.notes]
        if facts:
            lines.append("")
            lines.append(" ".join(facts))
        return "\n".join(lines)

    # ------------------------------------------------------------------ the rest

    def type_entry(self, named: ir.NamedType) -> TypeEntry:
        build = self.entry_builder(named.node)
        if named.nullable and build != "_identity" and not build.startswith("_or_null("):
            build = f"_or_null({build})"
        return TypeEntry(named.key, named.name, build)

    def plan(self) -> PythonPlan:
        for named in self.schema.types:
            self._visit(named.node)
        types = [self.type_entry(named) for named in self.schema.types]
        root = self.schema.root
        root_build = "_identity"
        if root is not None and not _plain(root):
            root_build = self.build(root, "v")
            root_build = f"lambda v: {root_build}" if root_build != "v" else "_identity"
        aliases = plan_aliases(self.schema, self.memo)
        from .parsers import plan_parsers  # the checked builders, planned from this plan

        parsers = plan_parsers(self)
        return PythonPlan(
            package=self.package,
            classes=self.class_order,
            builders=self.order,
            aliases=aliases,
            types=types,
            root_build=root_build,
            events=plan_events(self.schema),
            parsers=parsers,
        )

    def _visit(self, node: ir.Node) -> None:
        """Plan the classes and builders of ``node`` and everything inside it,
        children first."""
        stack: list[tuple[ir.Node, bool]] = [(node, False)]
        seen: set[int] = set()
        while stack:
            current, done = stack.pop()
            if done:
                if isinstance(current, ir.ObjectNode):
                    self.class_plan(current)
                if current.complex and not _plain(current):
                    self.builder(current)
                continue
            if id(current) in seen or isinstance(current, ir.RefNode):
                continue
            seen.add(id(current))
            stack.append((current, True))
            stack.extend((child, False) for child in reversed(list(current.children())))


def plan_python(schema: ir.Schema, package: str, validators: Validators) -> PythonPlan:
    """Plan the Python type outputs of ``schema`` (names must already be assigned)."""
    return _Planner(schema, package, validators).plan()
