"""``rtschema types``: every type of a schema, as a table or as JSON.

One row per type (the names ``validate --type`` and ``export`` take, in schema order):
its kind as the typed IR sees it, the ``type`` value of an event (which ``--type`` takes
too) and the interface it belongs to, and the first sentence of its description. The
canonical schema is read from the installed ``realtime_schema`` package; ``--schema``
reads any other, events or not.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import sys
from collections.abc import Callable
from typing import Any

from .errors import InputError
from .source.remote import RefMap
from .types import ir
from .types.events import plan_events

__all__ = ["kind_of", "rows", "run", "summary"]

#: Where a description's first sentence ends: a full stop (or ! or ?) and a space before
#: what looks like the next sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(\[])")
_WIDTH = 120


def kind_of(node: ir.Node) -> str:
    """A word for what a type is: object, union, enum, const, open enum, map, array,
    string, integer, number, boolean, null, any, never, all-of or alias."""
    if isinstance(node, ir.RefNode):
        return "alias"
    if isinstance(node, ir.LiteralNode):
        return "const" if len(node.values) == 1 else "enum"
    if isinstance(node, ir.OpenEnumNode):
        return "open enum"
    if isinstance(node, ir.NumberNode):
        return "integer" if node.integer else "number"
    if isinstance(node, ir.AllOfNode):
        return "all-of"
    return node.kind  # object, union, map, array, string, boolean, null, any, never


def summary(text: str | None) -> str | None:
    """The first sentence of a description, on one line."""
    if not text or not text.strip():
        return None
    first = " ".join(text.strip().split("\n\n", 1)[0].split())
    first = _SENTENCE_END.split(first, 1)[0]
    return first if len(first) <= _WIDTH else first[: _WIDTH - 3].rstrip() + "..."


def rows(schema: ir.Schema) -> tuple[str | None, list[dict[str, Any]]]:
    """The event tag property (``None`` without events) and one row per type."""
    events = plan_events(schema)
    tags: dict[str, list[str]] = {}
    apis: dict[str, str] = {}
    if events is not None:
        for value, keys in events.types:
            for key in keys:
                tags.setdefault(key, []).append(value)
        for api, keys in events.apis:
            for key in keys:
                apis.setdefault(key, api)
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for named in schema.types:
        if named.location is None:
            continue  # not a type validate knows (the generated TYPES leave it out too)
        name = named.key if named.key not in seen else named.name
        seen.add(name)
        node = named.node
        row: dict[str, Any] = {"name": name, "kind": kind_of(node)}
        if isinstance(node, ir.RefNode):
            row["alias_of"] = node.target.key
        row["nullable"] = named.nullable
        row["event"] = ", ".join(tags[named.key]) if named.key in tags else None
        row["api"] = apis.get(named.key)
        row["description"] = named.description or node.description or None
        found.append(row)
    return (events.tag if events is not None else None), found


def _text_kind(row: dict[str, Any]) -> str:
    kind = str(row["kind"])
    if "alias_of" in row:
        kind += f" of {row['alias_of']}"
    return kind + (" or null" if row["nullable"] else "")


def render_text(found: list[dict[str, Any]], width: int | None = None) -> str:
    """An aligned table; with ``width`` (a terminal's), descriptions are cut to fit."""
    columns: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("NAME", lambda r: r["name"]),
        ("KIND", _text_kind),
    ]
    if any(r["event"] for r in found):
        columns.append(("EVENT", lambda r: r["event"] or "-"))
    if any(r["api"] for r in found):
        columns.append(("API", lambda r: r["api"] or "-"))
    columns.append(("DESCRIPTION", lambda r: summary(r["description"]) or "-"))
    table = [[title for title, _ in columns]]
    table += [[cell(row) for _, cell in columns] for row in found]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns) - 1)]
    room = None if width is None else width - sum(widths) - 2 * len(widths) - 1
    lines = []
    for line in table:
        padded = [cell.ljust(w) for cell, w in zip(line, widths, strict=False)]
        last = line[-1]
        if room is not None and room >= 20 and len(last) > room:
            last = last[: room - 3].rstrip() + "..."
        lines.append("  ".join([*padded, last]).rstrip())
    return "\n".join(lines) + "\n"


def run(schema_path: str | None, ref_maps: tuple[RefMap, ...] = (), *, fmt: str = "text") -> int:
    from .generate import load_ir

    if schema_path is None:
        if ref_maps:
            raise InputError("--ref-map needs --schema")
        from importlib import resources

        from .validate import load_api

        package = load_api(None)
        bundled = resources.files(package).joinpath("schema.json")
        with resources.as_file(bundled) as path, contextlib.redirect_stderr(io.StringIO()):
            schema, _ = load_ir(str(path))
    else:
        with contextlib.redirect_stderr(io.StringIO()):
            schema, _ = load_ir(schema_path, ref_maps)
    tag, found = rows(schema)
    if fmt == "json":
        sys.stdout.write(json.dumps({"tag": tag, "types": found}, indent=2) + "\n")
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        sys.stdout.write(render_text(found, width))
    count = sum(1 for r in found if r["event"])
    events = f", {count} of them events ('--type' takes an event's {tag!r} too)" if count else ""
    print(f"{len(found)} type{'s' if len(found) != 1 else ''}{events}", file=sys.stderr)
    return 0
