"""Untrusted text to checked JSON data: the first thing every input goes through.

JSON or YAML. Nesting depth, YAML alias expansion, duplicate keys and values JSON
cannot hold are all checked before any other code walks the data, and every problem is
one :class:`~generator.errors.InputError` line naming the file and JSON Pointer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, join_pointer

__all__ = [
    "MAX_DEPTH",
    "MAX_YAML_NODES",
    "check_json_tree",
    "parse_document",
    "read_text",
    "unreadable",
]

#: Deepest container nesting accepted in a schema document.
MAX_DEPTH = 256
#: Most JSON nodes a YAML document may expand to through its aliases.
MAX_YAML_NODES = 2_000_000


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


_YAML_LOADER: list[Any] = []


def _yaml_loader() -> Any:
    """Safe YAML loading with JSON's data model: no timestamps, no sets, no binary. Made
    on first use: importing PyYAML takes longer than validating thousands of payloads,
    and ``rtschema validate`` never reads YAML."""
    if _YAML_LOADER:
        return _YAML_LOADER[0]
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # YAML 1.1 would read 2024-01-01 as a date; a schema wants the string.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def mapping(loader: Loader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        pairs = [
            (loader.construct_object(k, deep=False), loader.construct_object(v, deep=False))
            for k, v in node.value
        ]
        return _pairs_hook(pairs)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    _YAML_LOADER.append(Loader)
    return Loader


def parse_document(text: str, label: str, fmt: str | None = None) -> Any:
    """Parse JSON or YAML text into plain JSON data, or raise one ``InputError``.

    ``fmt`` is ``"json"``, ``"yaml"`` or ``None`` to decide by the file suffix (JSON is
    tried first when the suffix says nothing).
    """
    if fmt is None:
        lower = label.lower()
        fmt = "yaml" if lower.endswith((".yaml", ".yml")) else "json"
    if not text.strip():
        kind = "JSON" if fmt == "json" else "YAML"
        raise InputError(f"no {kind} document (the file is empty or blank)", file=label)
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
        import yaml

        try:
            data = yaml.load(text, Loader=_yaml_loader())
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
