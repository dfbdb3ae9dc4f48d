"""Step 1 of the pipeline: read a schema document and check it.

Accepted inputs: JSON or YAML files holding a JSON Schema (draft 2020-12, 2019-09,
draft-07 or draft-06) or an OpenAPI 3.0/3.1 document, whose ``components.schemas``
become the types. Everything read here is treated as untrusted: nesting depth, YAML
alias expansion, duplicate keys and non-JSON values are all checked before any other
code walks the document, and every problem is one :class:`InputError` line naming the
file and JSON Pointer.

``$ref`` resolution uses the ``referencing`` library with a retriever that never
touches the network and never reads outside the input's folder.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import jsonschema_rs
import yaml
from jsonschema import exceptions as js_exceptions
from jsonschema import validators as js_validators
from referencing import Registry, Resource, Specification
from referencing.jsonschema import (
    DRAFT6,
    DRAFT7,
    DRAFT201909,
    DRAFT202012,
)

from .errors import InputError, join_pointer

__all__ = [
    "MAX_DEPTH",
    "Loaded",
    "check_json_tree",
    "load_schema",
    "parse_document",
    "read_text",
]

#: Deepest container nesting accepted in a schema document.
MAX_DEPTH = 256
#: Most JSON nodes a YAML document may expand to through its aliases.
MAX_YAML_NODES = 2_000_000

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

_SPECS: dict[str, tuple[str, Specification[Any]]] = {
    "https://json-schema.org/draft/2020-12/schema": ("2020-12", DRAFT202012),
    "https://json-schema.org/draft/2019-09/schema": ("2019-09", DRAFT201909),
    "http://json-schema.org/draft-07/schema": ("draft-07", DRAFT7),
    "http://json-schema.org/draft-06/schema": ("draft-06", DRAFT6),
}


@dataclass
class Loaded:
    """A schema document that passed every check, ready for the IR builder."""

    #: The document as JSON Schema (an OpenAPI input is already converted).
    document: dict[str, Any]
    #: How the file is named in messages.
    label: str
    #: ``"2020-12"``, ``"2019-09"``, ``"draft-07"`` or ``"draft-06"``.
    dialect: str
    #: ``"json-schema"``, ``"openapi-3.0"`` or ``"openapi-3.1"``.
    source_kind: str
    #: The URI the document is registered under; ``$ref``s resolve against it.
    base_uri: str
    registry: Registry[Any]
    specification: Specification[Any]

    def source_pointer(self, pointer: str) -> str:
        """Map a pointer into :attr:`document` back to the file the user wrote."""
        return _source_pointer(self.source_kind, pointer)


def _source_pointer(source_kind: str, pointer: str) -> str:
    if source_kind.startswith("openapi") and pointer.startswith("/$defs/"):
        return "/components/schemas/" + pointer[len("/$defs/") :]
    return pointer


# --------------------------------------------------------------------------- reading


def unreadable(exc: OSError, path: str) -> InputError:
    """The one-line error for a file that cannot be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return InputError("no such file", file=path)
    if isinstance(exc, IsADirectoryError):
        return InputError("is a directory, not a file", file=path)
    return InputError(f"cannot read: {exc.strerror or exc}", file=path)


def read_text(path: str) -> str:
    """Read a UTF-8 text file, or standard input for ``-``."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(path).read_bytes()
    except OSError as exc:
        raise unreadable(exc, path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=path) from None


class _Duplicates(dict[str, Any]):
    """A JSON object that had repeated keys; the first repeat is kept for the report."""

    duplicate: str = ""


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            dup = _Duplicates(pairs)
            dup.duplicate = key
            return dup
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML loading with JSON's data model: no timestamps, no sets, no binary."""


# YAML 1.1 would read 2024-01-01 as a date; a schema wants the string.
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_mapping(loader: _YamlLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    pairs = [
        (loader.construct_object(k, deep=False), loader.construct_object(v, deep=False))
        for k, v in node.value
    ]
    return _pairs_hook(pairs)


_YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _yaml_mapping)


def parse_document(text: str, label: str, fmt: str | None = None) -> Any:
    """Parse JSON or YAML text into plain JSON data, or raise one ``InputError``.

    ``fmt`` is ``"json"``, ``"yaml"`` or ``None`` to decide by the file suffix (JSON is
    tried first when the suffix says nothing).
    """
    if fmt is None:
        lower = label.lower()
        fmt = "yaml" if lower.endswith((".yaml", ".yml")) else "json"
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_pairs_hook, parse_constant=_reject_constant)
        except RecursionError:
            raise InputError("JSON nested too deeply to read", file=label) from None
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError):
                msg = f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            else:
                msg = f"invalid JSON: {exc}"
            raise InputError(msg, file=label) from None
    else:
        try:
            data = yaml.load(text, Loader=_YamlLoader)
        except RecursionError:
            raise InputError("YAML nested too deeply to read", file=label) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise InputError(f"invalid YAML: {problem}{where}", file=label) from None
    return check_json_tree(data, label)


def check_json_tree(data: Any, label: str, max_depth: int = MAX_DEPTH) -> Any:
    """Check that ``data`` is a finite JSON tree and return an unshared copy of it.

    Rejects repeated keys, non-string keys, values JSON cannot hold, nesting deeper than
    ``max_depth``, cycles, and YAML alias bombs (shared nodes that expand past
    ``MAX_YAML_NODES``). Works without recursion, so hostile input cannot exhaust the
    stack.
    """
    # Pass 1: size of the expanded tree, with cycle detection (sharing is memoised).
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        if done:
            on_path.discard(key)
            children = node.values() if isinstance(node, dict) else node
            total = 1
            for child in children:
                if isinstance(child, (dict, list)):
                    total += sizes[id(child)]
                else:
                    total += 1
                if total > MAX_YAML_NODES:
                    raise InputError(
                        f"document expands to more than {MAX_YAML_NODES:,} values "
                        "(YAML aliases used as a bomb?)",
                        file=label,
                    )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise InputError("document refers to itself (recursive YAML alias)", file=label)
        on_path.add(key)
        stack.append((node, True))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, False) for child in children)

    # Pass 2: copy, checking types, keys and depth, with a pointer for every problem.
    root: list[Any] = [None]
    work: list[tuple[Any, list[Any] | dict[str, Any], str | int, str, int]] = [
        (data, root, 0, "", 0)
    ]
    while work:
        node, parent, slot, pointer, depth = work.pop()
        if isinstance(node, dict):
            if depth >= max_depth:
                raise InputError(
                    f"nested deeper than {max_depth} levels", file=label, pointer=pointer
                )
            if isinstance(node, _Duplicates):
                raise InputError(f"duplicate key {node.duplicate!r}", file=label, pointer=pointer)
            copy: dict[str, Any] = {}
            for key, value in node.items():
                if not isinstance(key, str):
                    raise InputError(
                        f"mapping key {key!r} is not a string (quote it in YAML)",
                        file=label,
                        pointer=pointer,
                    )
                copy[key] = None
                work.append((value, copy, key, join_pointer(pointer, key), depth + 1))
            parent[slot] = copy  # type: ignore[index]
        elif isinstance(node, list):
            if depth >= max_depth:
                raise InputError(
                    f"nested deeper than {max_depth} levels", file=label, pointer=pointer
                )
            items: list[Any] = [None] * len(node)
            for index, value in enumerate(node):
                work.append((value, items, index, join_pointer(pointer, index), depth + 1))
            parent[slot] = items  # type: ignore[index]
        elif node is None or isinstance(node, (str, bool, int)):
            parent[slot] = node  # type: ignore[index]
        elif isinstance(node, float):
            if node != node or node in (float("inf"), float("-inf")):
                raise InputError(
                    "NaN and infinite numbers are not JSON", file=label, pointer=pointer
                )
            parent[slot] = node  # type: ignore[index]
        else:
            raise InputError(
                f"a {type(node).__name__} value is not JSON", file=label, pointer=pointer
            )
    return root[0]


# --------------------------------------------------------------------------- checking


def _dialect_of(document: dict[str, Any], label: str) -> tuple[str, Specification[Any]]:
    uri = document.get("$schema", DRAFT_2020_12)
    if not isinstance(uri, str):
        raise InputError("$schema must be a string", file=label, pointer="/$schema")
    normal = uri.rstrip("#")
    if normal not in _SPECS:
        known = ", ".join(sorted(_SPECS))
        raise InputError(
            f"unsupported $schema {uri!r}; use one of: {known}", file=label, pointer="/$schema"
        )
    return _SPECS[normal]


def check_meta_schema(document: dict[str, Any], label: str, pointer: str = "") -> None:
    """Raise an ``InputError`` at the first place ``document`` breaks its meta-schema.

    jsonschema-rs answers "valid?" in milliseconds even for very large documents; only
    when it says no does jsonschema (the reference) find the error and its location, so
    an invalid verdict is always jsonschema's.
    """
    try:
        if jsonschema_rs.meta.is_valid(document):
            return
    except (ValueError, jsonschema_rs.ReferencingError):  # a dialect it does not know
        pass
    cls = js_validators.validator_for(document, default=js_validators.Draft202012Validator)
    validator = cls(cls.META_SCHEMA)
    error = js_exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = join_pointer(pointer, *error.absolute_path)
        raise InputError(f"not a valid schema: {error.message}", file=label, pointer=where)


def _retriever(folder: Path, root_id: str | None, label: str) -> Callable[[str], Resource[Any]]:
    id_prefix = root_id.rsplit("/", 1)[0] + "/" if root_id and "/" in root_id else None

    def retrieve(uri: str) -> Resource[Any]:
        parts = urlsplit(uri)
        if id_prefix and uri.startswith(id_prefix) and parts.scheme in ("http", "https"):
            target = (folder / unquote(uri[len(id_prefix) :])).resolve()
        elif parts.scheme in ("http", "https"):
            raise InputError(
                f"remote $ref {uri!r} refused: schemas are read without network access"
            )
        elif parts.scheme == "file":
            target = Path(unquote(parts.path)).resolve()
        else:
            raise InputError(
                f"cannot resolve $ref {uri!r}: only files beside the schema can be referenced"
            )
        if not target.is_relative_to(folder):
            raise InputError(f"$ref {uri!r} points outside the schema's folder")
        text = read_text(str(target))
        contents = parse_document(text, str(target))
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    return retrieve


def load_schema(path: str) -> Loaded:
    """Read, parse and check the schema at ``path``."""
    from . import openapi  # local import: openapi uses this module's helpers

    label = path
    document = parse_document(read_text(path), label)
    if not isinstance(document, dict):
        raise InputError("a schema document must be a JSON object", file=label)

    if "openapi" in document:
        source_kind = "openapi-" + openapi.check_version(document, label)
        document = openapi.to_bundle(document, label)
    elif "swagger" in document:
        raise InputError(
            "Swagger 2.0 documents are not supported; convert to OpenAPI 3", file=label
        )
    else:
        source_kind = "json-schema"

    dialect, spec = _dialect_of(document, label)
    try:
        check_meta_schema(document, label)
    except InputError as exc:
        raise InputError(
            exc.message, file=label, pointer=_source_pointer(source_kind, exc.pointer or "")
        ) from None

    if path == "-":
        folder = Path.cwd().resolve()
        file_uri = folder.joinpath("stdin.json").as_uri()
    else:
        resolved = Path(path).resolve()
        folder = resolved.parent
        file_uri = resolved.as_uri()
    root_id = document.get("$id") if isinstance(document.get("$id"), str) else None
    base_uri = urldefrag(root_id)[0] if root_id else file_uri
    resource = Resource.from_contents(document, default_specification=spec)
    registry: Registry[Any] = Registry(retrieve=_retriever(folder, root_id, label))  # type: ignore[call-arg]
    registry = registry.with_resource(base_uri, resource)
    if base_uri != file_uri:
        registry = registry.with_resource(file_uri, resource)
    return Loaded(
        document=document,
        label=label,
        dialect=dialect,
        source_kind=source_kind,
        base_uri=base_uri,
        registry=registry,
        specification=spec,
    )
