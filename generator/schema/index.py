"""Every schema location of a document and the documents it references.

A :class:`Location` is one subschema (an object or a boolean) at a JSON Pointer inside
a :class:`Document`, with the :class:`Resource` (base URI) it belongs to and the dialect
it is read in. :class:`Index` walks documents once, records resources (``$id``), plain
and dynamic anchors, and resolves references (``$ref``, ``$dynamicRef``,
``$recursiveRef``) to locations, loading referenced documents through a retriever that
never touches the network (see ``source.remote``).

Locations are created in document order and numbered, so everything derived from them
is deterministic. Code that combines schemas (the type builder merging ``allOf``) can
register a *virtual* location: a schema object that exists only in memory, read with
the base URI of the location it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, escape_pointer, join_pointer
from ..source.load import Loaded
from ..source.remote import Retriever
from . import uri as uris
from .dialects import DRAFT202012, UNSUPPORTED, UNVERSIONED, Dialect, dialect_named

__all__ = ["Document", "Index", "Location", "Resource", "Retrieve", "build_index"]

#: ``retrieve(uri) -> (data, label)``: the document at an absolute URI (no fragment).
Retrieve = Callable[[str], tuple[Any, str]]


@dataclass(eq=False)
class Document:
    """One JSON document holding schemas."""

    uri: str
    label: str
    data: Any
    dialect: Dialect
    #: Maps a pointer into :attr:`data` to the pointer in the file the user wrote.
    source_pointer: Callable[[str], str] = field(default=lambda pointer: pointer)

    def error(self, message: str, pointer: str) -> InputError:
        return InputError(message, file=self.label, pointer=self.source_pointer(pointer))


@dataclass(eq=False)
class Resource:
    """A schema resource: a subschema with a base URI of its own."""

    uri: str
    number: int
    #: Plain-name anchors (``$anchor``, ``$dynamicAnchor``, draft-07 ``$id: "#name"``).
    anchors: dict[str, Location] = field(default_factory=dict)
    #: ``$dynamicAnchor`` names (2020-12).
    dynamic_anchors: dict[str, Location] = field(default_factory=dict)
    #: ``$recursiveAnchor: true`` at its root (2019-09).
    recursive_anchor: bool = False
    root: Location | None = None


@dataclass(eq=False)
class Location:
    """One subschema: where it is, what it is, and how to read it."""

    document: Document
    pointer: str
    schema: Any
    resource: Resource
    dialect: Dialect
    number: int
    #: Exists only in memory (a combination of other schemas); ``pointer`` names the
    #: real location it was made from.
    virtual: bool = False

    @property
    def is_resource_root(self) -> bool:
        return self.resource.root is self

    def error(self, message: str, *tokens: str | int) -> InputError:
        return self.document.error(message, join_pointer(self.pointer, *tokens))

    def __repr__(self) -> str:
        return (
            f"<Location {self.document.label}#{self.pointer}{' (virtual)' if self.virtual else ''}>"
        )


class Index:
    """The locations of a document and of everything it references."""

    def __init__(self, retrieve: Retrieve) -> None:
        self._retrieve = retrieve
        self.documents: list[Document] = []
        self.resources: dict[str, Resource] = {}
        self._locations: dict[tuple[int, str], Location] = {}
        self._by_identity: dict[int, Location] = {}
        self._virtual: dict[tuple[int, tuple[str | int, ...]], Location] = {}
        self._count = 0
        self._root: Location | None = None
        #: Things the user should know: (document, pointer, message).
        self.warnings: list[tuple[Document, str, str]] = []

    @property
    def root(self) -> Location:
        """The root of the first document indexed (the schema rtschema was given)."""
        assert self._root is not None, "no document indexed yet"
        return self._root

    # ------------------------------------------------------------------ building

    def add_document(self, document: Document) -> Location:
        """Index ``document`` and return its root location."""
        self.documents.append(document)
        self._walk(document, "", document.data, None, document.dialect)
        root = self._locations[(id(document), "")]
        if self._root is None:
            self._root = root
        return root

    def _new_resource(self, uri: str) -> Resource:
        resource = self.resources.get(uri)
        if resource is None:
            resource = Resource(uri=uri, number=len(self.resources))
            self.resources[uri] = resource
        return resource

    def _walk(
        self,
        document: Document,
        pointer: str,
        schema: Any,
        resource: Resource | None,
        dialect: Dialect,
    ) -> None:
        stack: list[tuple[str, Any, Resource | None, Dialect]] = [
            (pointer, schema, resource, dialect)
        ]
        while stack:
            where, node, res, dia = stack.pop()
            if (id(document), where) in self._locations:
                continue
            location = self._place(document, where, node, res, dia)
            children = list(self._children(location))
            for tokens, child in reversed(children):
                stack.append(
                    (join_pointer(where, *tokens), child, location.resource, location.dialect)
                )

    def _place(
        self,
        document: Document,
        pointer: str,
        node: Any,
        parent: Resource | None,
        dialect: Dialect,
    ) -> Location:
        base = parent.uri if parent is not None else document.uri
        new_uri: str | None = base if parent is None else None
        anchor_from_id: str | None = None
        if isinstance(node, dict):
            ident = node.get(dialect.id_keyword)
            if dialect.ref_overrides and "$ref" in node:
                ident = None  # draft-07: $ref makes $id a sibling to ignore
            if isinstance(ident, str):
                head, fragment = uris.split_fragment(ident)
                if head:
                    new_uri = uris.join(base, head)
                if fragment and dialect.id_anchors:
                    anchor_from_id = fragment
            if new_uri is not None and "$schema" in node and isinstance(node["$schema"], str):
                dialect = self.dialect_for(node["$schema"], document, pointer) or dialect
        resource = self._new_resource(uris.split_fragment(new_uri)[0]) if new_uri else parent
        assert resource is not None
        self._count += 1
        location = Location(document, pointer, node, resource, dialect, self._count)
        self._locations[(id(document), pointer)] = location
        if new_uri is not None and resource.root is None:
            resource.root = location
        if isinstance(node, dict):
            self._by_identity[id(node)] = location
            self._anchors(location, node, anchor_from_id)
        return location

    def _anchors(self, location: Location, node: dict[str, Any], from_id: str | None) -> None:
        resource = location.resource
        dialect = location.dialect
        names = [from_id] if from_id else []
        if dialect.modern and isinstance(node.get("$anchor"), str):
            names.append(node["$anchor"])
        dynamic = node.get("$dynamicAnchor")
        if dialect.dynamic_ref == "$dynamicRef" and isinstance(dynamic, str):
            names.append(dynamic)
            resource.dynamic_anchors.setdefault(dynamic, location)
        for name in names:
            resource.anchors.setdefault(name, location)
        if (
            dialect.dynamic_ref == "$recursiveRef"
            and node.get("$recursiveAnchor") is True
            and location.is_resource_root
        ):
            resource.recursive_anchor = True

    def _children(self, location: Location) -> Iterator[tuple[tuple[str | int, ...], Any]]:
        node = location.schema
        if not isinstance(node, dict):
            return
        dialect = location.dialect
        if dialect.ref_overrides and "$ref" in node:
            return  # draft-07: siblings of $ref are not schemas
        for key in dialect.single:
            if key in node:
                value = node[key]
                if key == "items" and isinstance(value, list):
                    for index, item in enumerate(value):
                        yield (key, index), item
                elif isinstance(value, (dict, bool)):
                    yield (key,), value
        for key in dialect.lists:
            value = node.get(key)
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield (key, index), item
        for key in dialect.maps:
            value = node.get(key)
            if isinstance(value, dict):
                for name, item in value.items():
                    if isinstance(item, (dict, bool)):
                        yield (key, name), item

    # ------------------------------------------------------------------ dialects

    def dialect_for(self, uri: str, document: Document, pointer: str) -> Dialect | None:
        """The dialect ``$schema: uri`` names: a known one, or a custom meta-schema
        (found like any referenced document) that declares ``$vocabulary``."""
        known = dialect_named(uri)
        if known is not None:
            return known
        if uri.rstrip("#") in UNSUPPORTED:
            raise document.error(
                f"unsupported $schema {uri!r}; use 2020-12, 2019-09, draft-07, -06 or -04",
                join_pointer(pointer, "$schema"),
            )
        if uri.rstrip("#") in UNVERSIONED:
            self.warnings.append(
                (document, join_pointer(pointer, "$schema"),
                 f"$schema {uri!r} names no particular draft: read as 2020-12")
            )  # fmt: skip
            return DRAFT202012
        head = uris.split_fragment(uri)[0]
        try:
            data, _ = self._retrieve(head)
        except InputError as exc:
            raise document.error(
                f"unknown $schema {uri!r}: {exc.message}", join_pointer(pointer, "$schema")
            ) from None
        if not isinstance(data, dict):
            raise document.error(f"$schema {uri!r} is not a meta-schema", pointer)
        base = dialect_named(str(data.get("$schema", "")))
        if base is None or not base.modern:
            raise document.error(
                f"meta-schema {uri!r} must itself be a 2019-09 or 2020-12 schema",
                join_pointer(pointer, "$schema"),
            )
        vocabulary = data.get("$vocabulary")
        return base.with_vocabularies(vocabulary) if isinstance(vocabulary, dict) else base

    # ------------------------------------------------------------------ lookups

    def locations(self) -> list[Location]:
        """Every real location, in the order they were found."""
        return sorted(self._locations.values(), key=lambda loc: loc.number)

    def at(self, document: Document, pointer: str, context: Location | None = None) -> Location:
        """The location at ``pointer`` in ``document``, indexed on demand (a reference
        may point into a keyword rtschema does not walk)."""
        found = self._locations.get((id(document), pointer))
        if found is not None:
            return found
        tokens = uris.pointer_tokens(pointer) or []
        node = document.data
        parent: Location | None = self._locations.get((id(document), ""))
        where = ""
        for token in tokens:
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise (context or parent or self.root).error(
                    f"reference target {pointer!r} does not exist in {document.label}"
                )
            where = join_pointer(where, token)
            parent = self._locations.get((id(document), where), parent)
        if not isinstance(node, (dict, bool)):
            raise (context or self.root).error(
                f"reference target {document.label}#{pointer} is not a schema"
            )
        assert parent is not None
        self._walk(document, pointer, node, parent.resource, parent.dialect)
        return self._locations[(id(document), pointer)]

    def child(self, location: Location, *tokens: str | int) -> Location:
        """The subschema of ``location`` at ``tokens`` (``("properties", "a")``)."""
        if not location.virtual:
            return self.at(location.document, join_pointer(location.pointer, *tokens), location)
        node = location.schema
        for token in tokens:
            node = node[token]
        if isinstance(node, dict) and id(node) in self._by_identity:
            return self._by_identity[id(node)]
        return self.virtual(node, location, tokens)

    def virtual(self, schema: Any, base: Location, tokens: tuple[str | int, ...] = ()) -> Location:
        """A location for a schema that exists only in memory, read as if it were at
        ``base`` (its references resolve against ``base``'s resource)."""
        if isinstance(schema, dict) and id(schema) in self._by_identity:
            return self._by_identity[id(schema)]
        key = (id(base), tokens) if not isinstance(schema, dict) else (id(schema), ())
        found = self._virtual.get(key)
        if found is not None:
            return found
        self._count += 1
        location = Location(
            base.document,
            join_pointer(base.pointer, *tokens),
            schema,
            base.resource,
            base.dialect,
            self._count,
            virtual=True,
        )
        self._virtual[key] = location
        return location

    def named_locations(self) -> list[Location]:
        """The root and every ``$defs``/``definitions`` entry of the main document."""
        root = self.root
        found = [root]
        if isinstance(root.schema, dict):
            for container in ("$defs", "definitions"):
                defs = root.schema.get(container)
                if isinstance(defs, dict):  # (draft-07 documents use $defs too)
                    found += [
                        self.child(root, container, key)
                        for key, value in defs.items()
                        if isinstance(value, (dict, bool))
                    ]
        return found

    def location_of(self, schema: Any) -> Location | None:
        """The location of a schema object of an indexed document, if it is one."""
        return self._by_identity.get(id(schema)) if isinstance(schema, dict) else None

    # ------------------------------------------------------------------ references

    def resource(self, uri: str, context: Location, keyword: str) -> Resource:
        """The resource at ``uri`` (no fragment), retrieving its document if needed."""
        found = self.resources.get(uri)
        if found is not None:
            return found
        try:
            data, label = self._retrieve(uri)
        except InputError as exc:
            detail = f"{exc.message} ({exc.file})" if exc.file else exc.message
            raise context.error(detail, keyword) from None
        dialect = context.dialect
        if isinstance(data, dict) and isinstance(data.get("$schema"), str):
            dialect = dialect_named(data["$schema"]) or dialect
        document = Document(uri=uri, label=label, data=data, dialect=dialect)
        self.add_document(document)
        found = self.resources.get(uri)
        if found is None:  # the document's $id names another URI: it lives there too
            root = self._locations[(id(document), "")]
            found = root.resource
            self.resources[uri] = found
        return found

    def resolve(self, reference: str, context: Location, keyword: str = "$ref") -> Location:
        """The location ``reference`` (a ``$ref`` value at ``context``) points to."""
        target = uris.join(context.resource.uri, reference)
        head, fragment = uris.split_fragment(target)
        resource = self.resource(head, context, keyword)
        root = resource.root
        assert root is not None
        tokens = uris.pointer_tokens(fragment)
        if tokens is None:
            found = resource.anchors.get(fragment)
            if found is None:
                raise context.error(
                    f"unresolvable {keyword} {reference!r}: no anchor {fragment!r} in {head}",
                    keyword,
                )
            return found
        pointer = root.pointer + "".join("/" + escape_pointer(t) for t in tokens)
        if _lookup(root.document.data, pointer) is None:
            raise context.error(
                f"unresolvable {keyword} {reference!r}: nothing at {pointer or '/'} in {head}",
                keyword,
            )
        return self.at(root.document, pointer, context)

    def dynamic_anchor_locations(self, name: str) -> dict[int, Location]:
        """Every resource (by number) that declares ``$dynamicAnchor: name``."""
        return {
            resource.number: resource.dynamic_anchors[name]
            for resource in self.resources.values()
            if name in resource.dynamic_anchors
        }

    def recursive_anchor_locations(self) -> dict[int, Location]:
        """Every resource (by number) whose root says ``$recursiveAnchor: true``."""
        return {
            resource.number: resource.root
            for resource in self.resources.values()
            if resource.recursive_anchor and resource.root is not None
        }


_MISSING = object()


def _lookup(data: Any, pointer: str) -> Any:
    """The value at ``pointer`` in ``data``, or ``None`` when there is none (a schema
    is never ``None``)."""
    node = data
    for token in uris.pointer_tokens(pointer) or []:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def build_index(loaded: Loaded) -> Index:
    """Index a loaded schema document: its dialect, locations and resources."""
    retriever = Retriever(loaded.folder, loaded.schema_id, loaded.ref_maps)
    index = Index(retriever)
    placeholder = Document(loaded.uri, loaded.label, loaded.document, DRAFT202012)
    dialect = DRAFT202012
    declared = loaded.document.get("$schema") if isinstance(loaded.document, dict) else None
    if isinstance(declared, str):
        found = index.dialect_for(declared, placeholder, "")
        dialect = found or DRAFT202012
    index.add_document(
        Document(
            uri=loaded.uri,
            label=loaded.label,
            data=loaded.document,
            dialect=dialect,
            source_pointer=loaded.source_pointer,
        )
    )
    return index
