"""Decisions for the documentation outputs, made from the IR (like ``python.planner`` for code).

Every named type and every inline object becomes a section with an anchor; every field
a table row with an anchor. Types are written as JSON Schema readers think of them
("array of RealtimeFunctionTool", ``"auto"`` | ``"disabled"``), as segments that the
Markdown and HTML templates turn into links their own way. Examples come from the
project's valid samples: each sample is walked along the IR, and the first value found
for a type is its example. Descriptions are Markdown; they are rendered for HTML with
raw HTML disabled and escaped for Markdown tables, so schema text cannot inject markup.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..types import ir
from ..types.events import plan_events
from ..types.query import accepts_null, deref, describe_limits, node_types
from .outline import OutlineEntry, outline
from .text import anchor, md_cell, md_inline, md_text, render_html_text

__all__ = [
    "DocPlan",
    "Group",
    "make_doc_plan",
    "md_cell",
    "md_inline",
    "md_text",
    "render_html_text",
]


@dataclass
class Segment:
    """A piece of a type expression: plain text, or a link to a type's section."""

    text: str
    target: DocType | None = None


@dataclass
class DocField:
    key: str
    anchor: str
    type: list[Segment]
    required: bool
    nullable: bool
    default: str | None
    limits: str
    description: str
    values: list[str]


@dataclass
class DocVariant:
    type: list[Segment]
    tag: str | None
    description: str


@dataclass
class DocType:
    key: str
    anchor: str
    kind: str
    description: str
    group: Group | None = None
    owner: DocType | None = None
    fields: list[DocField] = field(default_factory=list)
    variants: list[DocVariant] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    open_values: bool = False
    nullable: bool = False
    closed: bool | None = None
    limits: str = ""
    notes: list[str] = field(default_factory=list)
    example: str | None = None
    used_by: list[DocType] = field(default_factory=list)
    inline: list[DocType] = field(default_factory=list)
    search: str = ""
    alias_of: list[Segment] = field(default_factory=list)
    #: An event's whole shape, nested (empty for other types).
    outline: list[OutlineEntry] = field(default_factory=list)


@dataclass
class Group:
    title: str
    slug: str
    page: str
    types: list[DocType] = field(default_factory=list)


@dataclass
class DocPlan:
    title: str
    description: str
    schema_id: str | None
    version: str | None
    groups: list[Group]
    types: list[DocType]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "types"


def _matches(name: str, patterns: list[str] | tuple[str, ...]) -> bool:
    """Does ``name`` match a shell-style pattern and no ``!`` (excluding) pattern?"""
    if any(p.startswith("!") and fnmatch.fnmatchcase(name, p[1:]) for p in patterns):
        return False
    return any(not p.startswith("!") and fnmatch.fnmatchcase(name, p) for p in patterns)


class _Planner:
    def __init__(self, schema: ir.Schema, groups: list[tuple[str, list[str]]]) -> None:
        self.schema = schema
        self.by_node: dict[int, DocType] = {}
        self.by_named: dict[int, DocType] = {}
        self.types: list[DocType] = []
        self.group_rules = groups

    # -------------------------------------------------------------- sections

    def plan(self) -> list[DocType]:
        for named in self.schema.types:
            node = named.node
            kind = _kind(node)
            doc = DocType(
                key=named.key,
                anchor=anchor(named.key),
                kind=kind,
                description=named.description or node.description or "",
                nullable=named.nullable,
            )
            self.by_named[id(named)] = doc
            if isinstance(node, ir.ObjectNode) and node.named is named:
                self.by_node[id(node)] = doc
            self.types.append(doc)
        for obj in self.schema.objects():
            if id(obj) in self.by_node:
                continue
            doc = DocType(
                key=obj.name,
                anchor=anchor(obj.name),
                kind="object",
                description=obj.description or "",
            )
            self.by_node[id(obj)] = doc
            self.types.append(doc)
        for named in self.schema.types:
            self._fill(self.by_named[id(named)], named.node)
        for obj in self.schema.objects():
            doc = self.by_node[id(obj)]
            if not doc.fields and obj.fields:
                self._fill(doc, obj)
        self._owners()
        self._used_by()
        return self.types

    def _fill(self, doc: DocType, node: ir.Node) -> None:
        doc.notes = list(node.notes)
        doc.limits = "; ".join(describe_limits(node))
        if isinstance(node, ir.ObjectNode):
            doc.closed = node.closed
            for f in node.fields:
                doc.fields.append(self._field(doc, f))
        elif isinstance(node, ir.UnionNode):
            for variant in node.variants:
                tag = None
                if node.tag is not None:
                    for value, indexes in node.tag_map.items():
                        if node.variants.index(variant) in indexes:
                            tag = f"{node.tag}: {_json(value)}"
                doc.variants.append(DocVariant(self.segments(variant), tag, _description(variant)))
        elif isinstance(node, ir.LiteralNode):
            doc.values = [_json(v) for v in node.values]
        elif isinstance(node, ir.OpenEnumNode):
            doc.values = [_json(v) for v in node.known]
            doc.open_values = True
        else:
            doc.alias_of = self.segments(node)
        words = [doc.key, *(f.key for f in doc.fields), doc.description[:200]]
        doc.search = " ".join(words).lower()

    def _field(self, owner: DocType, f: ir.Field) -> DocField:
        node = f.node
        default = node.default
        if default is ir.NO_DEFAULT and isinstance(node, ir.RefNode):
            default = node.target.node.default
        target = deref(node)
        values: list[str] = []
        if isinstance(target, ir.OpenEnumNode):
            values = [_json(v) for v in target.known] + ["any other string"]
        return DocField(
            key=f.key,
            anchor=anchor(owner.key, f.key),
            type=self.segments(node),
            required=f.required,
            nullable=accepts_null(node) and not isinstance(target, ir.AnyNode),
            default=None if default is ir.NO_DEFAULT else _json(default),
            limits="; ".join(describe_limits(node)),
            description=f.description or "",
            values=values,
        )

    # -------------------------------------------------------------- type expressions

    def segments(self, node: ir.Node) -> list[Segment]:
        parts, nullable = self._parts(node)
        out: list[Segment] = []
        for index, part in enumerate(parts):
            if index:
                out.append(Segment(" or "))
            out.extend(part)
        if nullable:
            out.append(Segment(" or null" if out else "null"))
        return out

    def _parts(self, node: ir.Node) -> tuple[list[list[Segment]], bool]:
        """The alternatives a value of ``node`` may be, and whether ``null`` is one."""
        if isinstance(node, ir.NullNode):
            return [], True
        if isinstance(node, ir.RefNode):
            return [
                [Segment(node.target.key, self.by_named[id(node.target)])]
            ], node.target.nullable
        if isinstance(node, ir.UnionNode):
            parts: list[list[Segment]] = []
            nullable = False
            for variant in node.variants:
                more, null = self._parts(variant)
                parts.extend(more)
                nullable = nullable or null
            return parts, nullable
        return [self._single(node)], False

    def _single(self, node: ir.Node) -> list[Segment]:
        if isinstance(node, ir.ObjectNode):
            return [Segment(node.name, self.by_node.get(id(node)))]
        if isinstance(node, ir.ArrayNode):
            return [Segment("array of "), *self.segments(node.items)]
        if isinstance(node, ir.MapNode):
            if isinstance(node.values, ir.AnyNode):
                return [Segment("object")]
            return [Segment("map of "), *self.segments(node.values)]
        if isinstance(node, ir.LiteralNode):
            return [Segment(" | ".join(_json(v) for v in node.values))]
        if isinstance(node, ir.OpenEnumNode):
            return [Segment("string")]
        if isinstance(node, ir.NumberNode):
            return [Segment("integer" if node.integer else "number")]
        if isinstance(node, ir.StringNode):
            return [Segment("string" if node.format is None else f"string ({node.format})")]
        if isinstance(node, ir.BoolNode):
            return [Segment("boolean")]
        if isinstance(node, ir.NullNode):
            return [Segment("null")]
        if isinstance(node, ir.NeverNode):
            return [Segment("nothing (no value is allowed)")]
        return [Segment("any JSON value")]

    # -------------------------------------------------------------- relations

    def _owners(self) -> None:
        for obj in self.schema.objects():
            doc = self.by_node[id(obj)]
            if obj.named is not None:
                continue
            owner = obj.owner
            while isinstance(owner, ir.ObjectNode) and owner.named is None:
                owner = owner.owner
            if isinstance(owner, ir.NamedType):
                parent = self.by_named[id(owner)]
            elif isinstance(owner, ir.ObjectNode):
                parent = self.by_node[id(owner)]
            else:
                continue
            doc.owner = parent
            parent.inline.append(doc)

    def _used_by(self) -> None:
        def section(doc: DocType) -> DocType:
            return doc.owner or doc

        for named in self.schema.types:
            target = self.by_named[id(named)]
            users: list[DocType] = []
            for doc in self.types:
                for segment in self._all_segments(doc):
                    if (
                        segment.target is target
                        and section(doc) is not target
                        and section(doc) not in users
                    ):
                        users.append(section(doc))
            target.used_by = users

    @staticmethod
    def _all_segments(doc: DocType) -> list[Segment]:
        out = [s for f in doc.fields for s in f.type]
        out += [s for v in doc.variants for s in v.type]
        return out + doc.alias_of

    # -------------------------------------------------------------- groups
    # A type belongs to the first group with a pattern that matches its name and no
    # "!pattern" that does.

    def groups(self) -> list[Group]:
        groups: list[Group] = []
        for title, _patterns in self.group_rules:
            slug = _slug(title)
            groups.append(Group(title, slug, f"{slug}.md"))
        fallback = Group(
            "Other types" if groups else "Types", "other-types" if groups else "types", ""
        )
        fallback.page = f"{fallback.slug}.md"
        for doc in self.types:
            if doc.owner is not None:
                continue
            for group, (_, patterns) in zip(groups, self.group_rules, strict=False):
                if _matches(doc.key, patterns):
                    doc.group = group
                    break
            else:
                doc.group = fallback
            doc.group.types.append(doc)
        for doc in self.types:
            if doc.owner is not None:
                top = doc.owner
                while top.owner is not None:
                    top = top.owner
                doc.group = top.group
        return [g for g in [*groups, fallback] if g.types]

    # -------------------------------------------------------------- examples

    def examples(self, samples: Path | None) -> None:
        if samples is None or not samples.is_dir():
            return
        found: dict[int, Any] = {}
        named_by_key = {n.key: n for n in self.schema.types}
        for path in sorted(samples.glob("*/valid/*.json")):
            named = named_by_key.get(path.parts[-3])
            if named is None:
                continue
            try:
                value = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            _walk_examples(ir.RefNode(target=named), value, found)
        for named in self.schema.types:
            doc = self.by_named[id(named)]
            key = id(named.node)
            if key in found:
                doc.example = _example(found[key])
        for obj in self.schema.objects():
            doc = self.by_node[id(obj)]
            if doc.example is None and id(obj) in found:
                doc.example = _example(found[id(obj)])


def _example(value: Any) -> str:
    """An example as JSON text; ASCII escapes keep it printable whatever it holds."""
    return json.dumps(value, indent=2, ensure_ascii=True)


def _walk_examples(node: ir.Node, value: Any, found: dict[int, Any]) -> None:
    """Record, for every node a valid sample passes through, the first value seen there."""
    stack = [(node, value)]
    while stack:
        node, value = stack.pop()
        if isinstance(node, ir.RefNode):
            if value is None and node.target.nullable:
                continue
            node = node.target.node
        if value is None:
            continue
        found.setdefault(id(node), value)
        if isinstance(node, ir.ObjectNode) and isinstance(value, dict):
            for f in node.fields:
                if f.key in value:
                    stack.append((f.node, value[f.key]))
        elif isinstance(node, ir.ArrayNode) and isinstance(value, list):
            stack.extend((node.items, item) for item in value)
        elif isinstance(node, ir.MapNode) and isinstance(value, dict):
            stack.extend((node.values, item) for item in value.values())
        elif isinstance(node, ir.UnionNode):
            chosen = _pick(node, value)
            if chosen is not None:
                stack.append((chosen, value))


def _pick(union: ir.UnionNode, value: Any) -> ir.Node | None:
    """The variant a (valid) value belongs to: by JSON type, then by tag."""
    kind = ir.json_type_of(value)
    matches = []
    for index, variant in enumerate(union.variants):
        types = node_types(variant)
        if (
            types is not None
            and kind not in types
            and not (kind == "integer" and "number" in types)
        ):
            continue
        if union.tag is not None and isinstance(value, dict):
            tagged = union.tag_map.get(value.get(union.tag), [])  # type: ignore[arg-type]
            if index not in tagged and deref(variant).kind == "object":
                continue
        matches.append(variant)
    return matches[0] if len(matches) == 1 else None


def _kind(node: ir.Node) -> str:
    if isinstance(node, ir.ObjectNode):
        return "object"
    if isinstance(node, ir.UnionNode):
        return "union"
    if isinstance(node, (ir.LiteralNode, ir.OpenEnumNode)):
        return "enum"
    if isinstance(node, ir.MapNode):
        return "map"
    if isinstance(node, ir.ArrayNode):
        return "array"
    return "alias"


def _description(node: ir.Node) -> str:
    if node.description:
        return node.description
    if isinstance(node, ir.RefNode):
        return node.target.description or ""
    return ""


def make_doc_plan(
    schema: ir.Schema,
    groups: list[tuple[str, list[str]]],
    samples: Path | None,
    version: str | None,
) -> DocPlan:
    planner = _Planner(schema, groups)
    types = planner.plan()
    events = plan_events(schema)
    named = {n.key: n for n in schema.types}
    for key in {key for _, keys in events.types for key in keys} if events else ():
        doc = planner.by_named[id(named[key])]
        doc.outline = outline(doc)
    doc_groups = planner.groups()
    planner.examples(samples)
    return DocPlan(
        title=schema.title or "Schema reference",
        description=schema.description or "",
        schema_id=schema.schema_id,
        version=version,
        groups=doc_groups,
        types=types,
    )
