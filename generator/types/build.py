"""Build the typed IR of ``ir`` from the index.

* Every ``$defs``/``definitions`` entry, and every other place a ``$ref`` points to,
  becomes a :class:`~ir.NamedType`; references resolve through the index (base URIs,
  anchors, other documents), exactly as the validators resolve them.
* ``allOf`` is merged into one node where the parts combine as a type (``merge``);
  otherwise it stays an :class:`~ir.AllOfNode` (typed as any value).
* ``anyOf``/``oneOf`` become a :class:`~ir.UnionNode`.
* Keywords with no meaning for a type (``not``, ``if``, ``contains``, ...) leave the
  type as it is; validators check them. Every node records the schema location it
  describes, so the Python outputs can call that location's validator.

The builder never refuses a valid schema: a type no value satisfies is still a type
(its validator rejects everything).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import join_pointer
from ..schema.index import Index, Location
from ..schema.uri import pointer_tokens, split_fragment
from . import ir
from .merge import ANNOTATION_KEYS, expand_types, merge
from .naming import pascal
from .passes import run_passes
from .shapes import ARRAY_KEYS, NUMBER_KEYS, OBJECT_KEYS, STRING_KEYS, Ctx, ShapeBuilder, text

__all__ = ["build_types", "type_locations"]


@dataclass
class _Builder(ShapeBuilder):
    index: Index
    types: list[ir.NamedType] = field(default_factory=list)
    by_location: dict[int, ir.NamedType] = field(default_factory=dict)
    pending: list[tuple[ir.NamedType, Any, Ctx]] = field(default_factory=list)
    warnings: list[ir.Warning_] = field(default_factory=list)
    #: Locations whose nodes are being built (to break cycles of in-place expansion).
    building: set[int] = field(default_factory=set)

    def draft7(self, ctx: Ctx) -> bool:
        return ctx.base.dialect.ref_overrides

    # ----------------------------------------------------------------- named types

    def register(self, key: str, location: Location, ctx: Ctx) -> ir.NamedType:
        schema = location.schema
        named = ir.NamedType(key=key, pointer=ctx.pointer, location=location)
        if isinstance(schema, dict):
            named.description = text(schema.get("description"))
            named.title = text(schema.get("title"))
        self.by_location[id(location)] = named
        self.types.append(named)
        self.pending.append((named, schema, ctx))
        return named

    def resolve_ref(self, ref: Any, keyword: str, ctx: Ctx) -> ir.NamedType | ir.Node:
        if not isinstance(ref, str):
            raise self.error(f"{keyword} must be a string", ctx.at(keyword))
        target = self.index.resolve(ref, ctx.base, keyword)
        if isinstance(target.schema, bool):
            node: ir.Node = ir.AnyNode() if target.schema else ir.NeverNode()
            node.location = target
            return node
        fragment = split_fragment(ref)[1]
        tokens = pointer_tokens(fragment)
        if tokens:
            token = tokens[-1]
        elif fragment:
            token = fragment  # an anchor's name
        else:
            token = Path(split_fragment(target.resource.uri)[0]).stem
        return self.named_at(target, ctx, token)

    def named_at(self, target: Location, ctx: Ctx, token: str = "") -> ir.NamedType:
        """The named type of ``target``, registered on first use."""
        named = self.by_location.get(id(target))
        if named is None:
            if not token:
                token = target.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            named = self.register(
                token or "Root", target, Ctx(target.document.label, target.pointer, target)
            )
        return named

    # ----------------------------------------------------------------- nodes

    def node(self, schema: Any, ctx: Ctx, location: Location | None = None) -> ir.Node:
        """The IR node of ``schema``. Its location is ``location`` when given, the
        schema's own when it is one the user wrote, else a virtual one."""
        if location is None:
            location = self.index.location_of(schema)
        if location is not None and not location.virtual:
            ctx = Ctx(ctx.file, ctx.pointer, location, ctx.owner, ctx.parts)
        if schema is True:
            return ir.AnyNode(pointer=ctx.pointer)
        if schema is False:
            return ir.NeverNode(pointer=ctx.pointer)
        if not isinstance(schema, dict):
            raise self.error("a schema must be an object or a boolean", ctx)
        if location is None:
            location = self.index.virtual(schema, ctx.base)
        if id(location) in self.building:
            # Reached again while it is being built (a reference beside other keywords
            # is expanded in place): it becomes a named type, and this a reference to it.
            return ir.RefNode(
                pointer=ctx.pointer, target=self.named_at(location, ctx), location=location
            )
        self.building.add(id(location))
        try:
            node = self._node(schema, ctx)
        finally:
            self.building.discard(id(location))
        self._annotate(node, schema, ctx)
        node.location = location
        if isinstance(node, ir.UnionNode) and node.by_type:
            # type: [object, null]: each variant is this schema, for values of its type.
            for variant in node.variants:
                variant.location = variant.location or location
        return node

    def _annotate(self, node: ir.Node, schema: dict[str, Any], ctx: Ctx) -> None:
        node.pointer = node.pointer or ctx.pointer
        if schema.get("description") is not None and node.description is None:
            node.description = text(schema.get("description"))
        if schema.get("title") is not None and node.title is None:
            node.title = text(schema.get("title"))
        if "default" in schema and node.default is ir.NO_DEFAULT:
            node.default = schema["default"]
        if isinstance(schema.get("examples"), list) and not node.examples:
            node.examples = tuple(schema["examples"])
        if schema.get("deprecated") is True:
            node.deprecated = True
        comment = schema.get("$comment")
        if isinstance(comment, str) and comment.strip():
            node.notes.append(" ".join(comment.split()))

    def _node(self, schema: dict[str, Any], ctx: Ctx) -> ir.Node:
        if "$ref" in schema:
            return self._ref(schema, ctx)
        dynamic = ctx.base.dialect.dynamic_ref
        if dynamic and dynamic in schema:
            # The target depends on where the value is checked: typed as any value
            # (the validator follows the reference).
            return ir.AnyNode()
        if "allOf" in schema:
            return self._all_of(schema, ctx)
        if "anyOf" in schema or "oneOf" in schema:
            return self._union(schema, ctx)
        return self._typed(schema, ctx)

    def _ref(self, schema: dict[str, Any], ctx: Ctx) -> ir.Node:
        target = self.resolve_ref(schema["$ref"], "$ref", ctx)
        siblings = {k: v for k, v in schema.items() if k != "$ref" and k not in ANNOTATION_KEYS}
        if isinstance(target, ir.Node):
            ref_node: ir.Node = target
        else:
            ref_node = ir.RefNode(pointer=ctx.pointer, target=target)
        if not siblings or self.draft7(ctx):
            return ref_node  # draft-07: keywords beside $ref are ignored
        return self._all_of({"allOf": [{"$ref": schema["$ref"]}, siblings]}, ctx)

    # ----------------------------------------------------------------- combinators

    def _union(self, schema: dict[str, Any], ctx: Ctx) -> ir.Node:
        if "anyOf" in schema and "oneOf" in schema:
            any_part = self._union({k: v for k, v in schema.items() if k != "oneOf"}, ctx)
            one_part = self._union({"oneOf": schema["oneOf"]}, ctx)
            return ir.AllOfNode(parts=[any_part, one_part])
        key = "oneOf" if "oneOf" in schema else "anyOf"
        branches = schema[key]
        tag = _tag_name(branches)
        rest = {
            k: v
            for k, v in schema.items()
            if k != key and k not in ANNOTATION_KEYS and k in _TYPE_KEYWORDS
        }
        outer: frozenset[str] | None = None
        if set(rest) == {"type"}:
            declared = rest["type"]
            outer = frozenset(expand_types([declared] if isinstance(declared, str) else declared))
            rest = {}
        if rest:
            # {properties: P, oneOf: [A, B]} means oneOf: [{P, allOf: [A]}, {P, allOf: [B]}]
            # (beside P, not in an allOf part of its own, unevaluatedProperties sees what the
            # branch evaluates); draft-07 ignores P beside a $ref, so the parts stay apart.
            apart = "$ref" in rest and self.draft7(ctx)
            variants = []
            for i, b in enumerate(branches):
                merged = (
                    {"allOf": [rest, b]}
                    if apart
                    else {**rest, "allOf": [*rest.get("allOf", []), b]}
                )
                variant = self.node(merged, ctx.at(key, i).named(*_variant_part(b, tag)))
                variant.choice = self.index.location_of(b)
                variants.append(variant)
        else:
            variants = [
                self.node(b, ctx.at(key, i).named(*_variant_part(b, tag)))
                for i, b in enumerate(branches)
            ]
        hint = schema.get("discriminator")
        return ir.UnionNode(
            variants=variants,
            one_of=key == "oneOf",
            outer_types=outer,
            tag_hint=hint.get("propertyName") if isinstance(hint, dict) else None,
        )

    def _all_of(self, schema: dict[str, Any], ctx: Ctx) -> ir.Node:
        parts = schema["allOf"]
        outer = {k: v for k, v in schema.items() if k != "allOf"}
        meaningful = [p for p in parts if not (isinstance(p, dict) and set(p) <= ANNOTATION_KEYS)]
        if not set(outer) - ANNOTATION_KEYS and len(meaningful) == 1:
            # Only one part constrains anything (allOf: [{$ref: X}] attaching annotations
            # to a reference, say): it is the type, and a reference stays one.
            return self.node(meaningful[0], ctx.at("allOf", parts.index(meaningful[0])))
        expanded: list[dict[str, Any]] = []
        targets: set[int] = set()  # references expanded in place
        unmerged = False
        pending: list[tuple[Any, Ctx]] = [
            *([(outer, ctx)] if set(outer) - ANNOTATION_KEYS else []),
            *((part, ctx) for part in parts),
        ]
        steps = 0
        while pending:
            steps += 1
            if steps > 10_000:
                raise self.error("allOf refers to itself without end", ctx)
            part, where = pending.pop(0)
            if part is True:
                continue
            if part is False or not isinstance(part, dict):
                return ir.NeverNode() if part is False else self.node(part, where)
            own = self.index.location_of(part)
            if own is not None:
                where = Ctx(where.file, where.pointer, own, where.owner, where.parts)
            if "$ref" in part:
                target = self.index.resolve(part["$ref"], where.base, "$ref")
                # draft-07: keywords beside $ref are ignored
                rest = {} if self.draft7(where) else {k: v for k, v in part.items() if k != "$ref"}
                if isinstance(target.schema, bool):
                    if not target.schema:
                        return ir.NeverNode()
                    pending = [*([(rest, where)] if rest else []), *pending]
                    continue
                if id(target) in self.building:
                    unmerged = True  # expanding it again would never end: keep the parts
                    break
                targets.add(id(target))
                inner = Ctx(where.file, where.pointer, target, where.owner, where.parts)
                pending = [(target.schema, inner), *([(rest, where)] if rest else []), *pending]
                continue
            if "allOf" in part:
                rest = {k: v for k, v in part.items() if k != "allOf"}
                pending = [
                    *([(rest, where)] if rest else []),
                    *((p, where) for p in part["allOf"]),
                    *pending,
                ]
                continue
            expanded.append(part)
        merged = None if unmerged else merge(expanded)
        if merged is None:
            nodes = [self.node(p, ctx.at("allOf", i)) for i, p in enumerate(parts)]
            return ir.AllOfNode(parts=nodes)
        for key in ("title", "description", "default", "examples"):
            if key in outer:
                merged[key] = outer[key]
        self.building |= targets  # what was expanded is being built until this returns
        try:
            return self._node(merged, ctx)
        finally:
            self.building -= targets

    # ----------------------------------------------------------------- whole schema

    def build(self) -> ir.Schema:
        root = self.index.root
        document = root.schema
        top = Ctx(root.document.label, "", root)
        seen_keys: dict[str, str] = {}
        if isinstance(document, dict):
            for container in ("$defs", "definitions"):
                defs = document.get(container)
                if not isinstance(defs, dict):
                    continue
                for key, value in defs.items():
                    if not isinstance(value, (dict, bool)):
                        continue  # not a schema (a draft-07 document's own $defs, say)
                    where = join_pointer("", container, key)
                    if key in seen_keys:
                        raise self.error(
                            f"duplicate type name {key!r}: also defined at {seen_keys[key]}",
                            top.at(container, key),
                        )
                    seen_keys[key] = where
                    location = self.index.child(root, container, key)
                    self.register(key, location, Ctx(top.file, where, location))
        root_named: ir.NamedType | None = None
        root_node: ir.Node | None = None
        root_keys = set(document) - ANNOTATION_KEYS if isinstance(document, dict) else set()
        if isinstance(document, bool):
            root_node = ir.AnyNode() if document else ir.NeverNode()
            root_node.location = root
        elif root_keys and root_keys != {"$ref"}:
            title = text(document.get("title"))
            stem = pascal(title or "") or pascal(Path(root.document.label).stem) or "Root"
            root_named = self.register(stem, root, top)
        while self.pending:
            self._build_named(*self.pending.pop(0))
        if root_named is not None:
            root_node = ir.RefNode(target=root_named, location=root)
        elif isinstance(document, dict) and "$ref" in document:
            root_node = self._ref({"$ref": document["$ref"]}, top)
        schema = ir.Schema(
            types=self.types,
            root=root_node,
            document=document if isinstance(document, dict) else {},
            label=root.document.label,
            title=text(document.get("title")) if isinstance(document, dict) else None,
            description=text(document.get("description")) if isinstance(document, dict) else None,
            schema_id=document.get("$id")
            if isinstance(document, dict) and isinstance(document.get("$id"), str)
            else None,
            warnings=self.warnings,
        )
        run_passes(schema)
        return schema

    def _build_named(self, named: ir.NamedType, schema: Any, ctx: Ctx) -> None:
        ctx = Ctx(ctx.file, ctx.pointer, ctx.base, named, ())
        if isinstance(schema, dict) and schema is self.index.root.schema:
            schema = {k: v for k, v in schema.items() if k not in ("$defs", "definitions")}
        node = self.node(schema, ctx, named.location)
        if isinstance(node, ir.ObjectNode) and node.named is None and node.owner is named:
            node.named = named
        named.node = node


#: Keywords that shape a type (the rest only constrain values, for the validators).
_TYPE_KEYWORDS = frozenset(
    {"type", "enum", "const", "$ref", "allOf", "anyOf", "oneOf"}
    | STRING_KEYS
    | NUMBER_KEYS
    | ARRAY_KEYS
    | OBJECT_KEYS
    | {"unevaluatedProperties", "dependentSchemas"}
)


def _constant(branch: Any, name: str) -> str | None:
    """The string that ``branch``'s property ``name`` must be (``const`` or a one-value
    ``enum``), if it declares one."""
    props = branch.get("properties") if isinstance(branch, dict) else None
    schema = props.get(name) if isinstance(props, dict) else None
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("const"), str):
        return str(schema["const"])
    values = schema.get("enum")
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
        return values[0]
    return None


def _tag_name(branches: list[Any]) -> str | None:
    """The property that tells a union's object variants apart: ``type`` or else the
    first one that every variant declares as a constant string, a different one each."""
    objects = [b for b in branches if isinstance(b, dict) and isinstance(b.get("properties"), dict)]
    if len(objects) < 2:
        return None
    candidates: list[str] = ["type", *(str(k) for k in objects[0]["properties"] if k != "type")]
    for name in candidates:
        values = [_constant(b, name) for b in objects]
        if None not in values and len(set(values)) == len(values):
            return name
    return None


def _variant_part(branch: Any, tag: str | None) -> tuple[tuple[str, str], ...]:
    """How a union variant is named: by its title, else by its value of the union's tag
    (``tag``, or else ``type``)."""
    if not isinstance(branch, dict):
        return (("variant", ""),)
    title = branch.get("title")
    if isinstance(title, str) and title.strip():
        return (("title", title),)
    value = _constant(branch, tag or "type")
    if value is not None:
        return (("tag", value),)
    return (("variant", ""),)


def build_types(index: Index) -> ir.Schema:
    """Build the IR of an indexed schema."""
    return _Builder(index).build()


def type_locations(schema: ir.Schema) -> list[Location]:
    """Every location the IR links to, in a stable order (the validators of these are
    what the type outputs call)."""
    found: list[Location] = []
    seen: set[int] = set()
    for named in schema.types:
        if named.location is not None and id(named.location) not in seen:
            seen.add(id(named.location))
            found.append(named.location)
    for node in schema.walk():
        for location in (node.location, node.choice):
            if location is not None and id(location) not in seen:
                seen.add(id(location))
                found.append(location)
    return found
