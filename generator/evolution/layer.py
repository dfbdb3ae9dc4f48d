"""The canonical schema is "upstream closure + our layer"; this module applies the layer.

The layer lives in ``schema/layer/`` as YAML, in four files:

``bundle.yaml``
    ``$id``, title and description of the bundle; the root types and their role
    (``request``: a client sends it; ``response``: the server sends it); the event unions
    upstream lacks (``unions``); the document's root union, each member labelled with its
    interface (``x-api``, which event dispatch and ``--api`` use).
``principles.yaml``
    Corrections applied across the whole family by rule, each with its reason and its
    parameters (which properties mean "off" when null, which limits the documentation
    states in prose, ...). Their code is :data:`PRINCIPLES` below.
``corrections.yaml``
    Changes to one place each, addressed by JSON Pointer, each with its reason.
``descriptions.yaml`` (and ``descriptions/*.yaml``, by protocol area)
    Our own titles and descriptions, by type and JSON Pointer; ``like: OtherType`` takes
    a twin type's entries (a beta event and its GA form). Upstream prose is never kept.

:func:`build` runs: import the roots' closure from the OpenAPI document → drop upstream
prose → apply corrections → apply descriptions → apply principles → split shared types
into response and request forms → add the event unions and the root → order keys. It returns the
bundle and a :class:`Report` of every change (for ``schema/CHANGES.md``), every part of
the layer that no longer applies, and every place left without a description.
"""

from __future__ import annotations

import copy
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, escape_pointer, join_pointer
from ..source import openapi
from ..source.keywords import DRAFT_2020_12, ordered
from ..source.load import check_meta_schema
from ..source.read import parse_document, read_text
from .principles import PRINCIPLES, _roles
from .raw import _parent, _resolve, _short, _walk
from .report import Change, Report

__all__ = ["Change", "Layer", "Report", "build", "load_layer"]

_PROSE = ("description", "title", "examples", "$comment")


@dataclass
class Layer:
    bundle: dict[str, Any]
    principles: dict[str, Any]
    corrections: list[dict[str, Any]]
    descriptions: dict[str, Any]
    folder: Path


def _load_yaml(path: Path) -> Any:
    """A layer file's data; an empty file holds none (``None``)."""
    text = read_text(str(path))
    return parse_document(text, str(path), "yaml") if text.strip() else None


def load_layer(folder: Path) -> Layer:
    """Read the four layer files from ``folder``; descriptions may also be split into
    ``descriptions/*.yaml`` (by protocol area), merged in name order."""
    files = {
        name: folder / f"{name}.yaml"
        for name in ("bundle", "principles", "corrections", "descriptions")
    }
    data = {name: _load_yaml(path) for name, path in files.items()}
    seen = dict.fromkeys(data["descriptions"] or {}, files["descriptions"])
    for path in sorted((folder / "descriptions").glob("*.yaml")):
        part = _load_yaml(path)
        if not isinstance(part, dict):
            raise InputError("must hold a YAML dict", file=str(path))
        for type_name in part:
            if type_name in seen:
                raise InputError(
                    f"{type_name!r} is described in {seen[type_name].name} already",
                    file=str(path),
                    pointer=join_pointer("", str(type_name)),
                )
            seen[type_name] = path
        data["descriptions"] = {**(data["descriptions"] or {}), **part}
    for name, expected in (
        ("bundle", dict),
        ("principles", dict),
        ("corrections", list),
        ("descriptions", dict),
    ):
        if not isinstance(data[name], expected):
            raise InputError(f"must hold a YAML {expected.__name__}", file=str(files[name]))
    return Layer(
        bundle=data["bundle"],
        principles=data["principles"],
        corrections=data["corrections"],
        descriptions=data["descriptions"],
        folder=folder,
    )


# --------------------------------------------------------------------------- steps


def strip_prose(defs: dict[str, Any]) -> None:
    """Drop upstream titles, descriptions and examples: the words in ours are our own."""
    for name in list(defs):
        for _, node in _walk(defs[name], ""):
            for key in _PROSE:
                node.pop(key, None)


def apply_corrections(
    defs: dict[str, Any], corrections: list[dict[str, Any]], report: Report
) -> None:
    doc = {"$defs": defs}
    for index, entry in enumerate(corrections):
        cid = str(entry.get("id", f"correction {index + 1}"))
        why = entry.get("why")
        if not isinstance(why, str) or not why.strip():
            raise InputError(
                f"correction {cid!r} needs a 'why'", file="schema/layer/corrections.yaml"
            )
        for op in entry.get("ops", []):
            at = op["at"]
            try:
                node = _resolve(doc, at)
            except KeyError:
                if "add_def" in op:
                    node = None
                else:
                    report.stale.append(f"{cid}: {at} no longer exists upstream")
                    continue
            expect = op.get("expect")
            if isinstance(expect, dict) and isinstance(node, dict):
                differs = [k for k, v in expect.items() if node.get(k) != v]
                if differs:
                    report.stale.append(
                        f"{cid}: {at} no longer matches what the correction expects ({', '.join(differs)})"
                    )
                    continue
            source = op.get("schema")
            if "copy_from" in op:
                try:
                    source = copy.deepcopy(_resolve(doc, op["copy_from"]))
                except KeyError:
                    report.stale.append(f"{cid}: {op['copy_from']} (copied from) no longer exists")
                    continue
            if "replace" in op:
                parent, last = _parent(doc, at)
                kept = (
                    {k: v for k, v in node.items() if k in ("default",)}
                    if op.get("keep_default")
                    else {}
                )
                parent[last] = {
                    **copy.deepcopy(source if op["replace"] is True else op["replace"]),
                    **kept,
                }
                report.add(cid, at, "replaced: " + op.get("summary", "new schema"))
            if "set" in op:
                for key, value in op["set"].items():
                    if node.get(key) == value:
                        report.stale.append(f"{cid}: {at} already has {key} = {value!r} upstream")
                        continue
                    node[key] = copy.deepcopy(value)
                    report.add(cid, join_pointer(at, key), f"set to {_short(value)}")
            if "remove" in op:
                for key in op["remove"]:
                    if key in node:
                        del node[key]
                        report.add(cid, join_pointer(at, key), "removed")
                    else:
                        report.stale.append(f"{cid}: {at} has no {key} upstream any more")
            if "add_property" in op:
                name = op["add_property"]
                props = node.setdefault("properties", {})
                if name in props:
                    report.stale.append(f"{cid}: {at} already has property {name!r} upstream")
                    continue
                props[name] = copy.deepcopy(source)
                report.add(cid, join_pointer(at, "properties", name), "added property")
            if "add_def" in op:
                name = op["add_def"]
                if name in defs:
                    report.stale.append(f"{cid}: upstream now has a type named {name!r}")
                    continue
                defs[name] = copy.deepcopy(source)
                report.add(cid, join_pointer("/$defs", name), "added type")
        report.reasons[cid] = " ".join(why.split())


def apply_descriptions(defs: dict[str, Any], descriptions: dict[str, Any], report: Report) -> None:
    doc = {"$defs": defs}
    for type_name, entries in descriptions.items():
        if type_name not in defs:
            report.stale.append(f"descriptions: no type {type_name!r} any more")
            continue
        if isinstance(entries, str):
            entries = {"": entries}
        own = set(entries)
        entries = _with_like(type_name, entries, descriptions, report)
        for rel, text in entries.items():
            at = join_pointer("/$defs", type_name) + rel
            try:
                node = _resolve(doc, at)
            except KeyError:
                if rel in own:
                    report.stale.append(f"descriptions: {at} no longer exists")
                continue
            if isinstance(text, str):
                node["description"] = text.strip()
            else:
                for key in ("title", "description"):
                    if key in text:
                        node[key] = str(text[key]).strip()


def _with_like(
    type_name: str, entries: dict[str, Any], descriptions: dict[str, Any], report: Report
) -> dict[str, Any]:
    """``entries`` with those of the type named by ``like:`` first (for a type that is
    another's twin, such as a beta event and its GA form): its own entries win."""
    like = entries.get("like")
    if like is None:
        return entries
    base = descriptions.get(like)
    if not isinstance(base, dict):
        report.stale.append(f"descriptions: {type_name} is like {like!r}, which has none")
        return {k: v for k, v in entries.items() if k != "like"}
    merged = _with_like(like, base, descriptions, report) if like != type_name else {}
    merged = {k: v for k, v in merged.items() if k != ""} | {
        k: v for k, v in entries.items() if k != "like"
    }
    return merged


def find_undescribed(defs: dict[str, Any]) -> list[str]:
    """Types, properties and inline object variants that carry no description."""
    missing: list[str] = []
    for name, schema in defs.items():
        base = join_pointer("/$defs", name)
        if not (isinstance(schema, dict) and schema.get("description")):
            missing.append(base)
        for pointer, node in _walk(schema, base):
            props = node.get("properties")
            if isinstance(props, dict):
                for prop, sub in props.items():
                    if not (isinstance(sub, dict) and sub.get("description")):
                        missing.append(join_pointer(pointer, "properties", prop))
            for key in ("anyOf", "oneOf"):
                for index, sub in enumerate(node.get(key, [])):
                    if (
                        isinstance(sub, dict)
                        and sub.get("properties")
                        and not sub.get("description")
                    ):
                        missing.append(join_pointer(pointer, key, index))
    return missing


# --------------------------------------------------------------------------- build


def build(upstream: dict[str, Any], label: str, layer: Layer) -> tuple[dict[str, Any], Report]:
    """Build the canonical bundle from an upstream OpenAPI document and the layer."""
    report = Report()
    bundle_cfg = copy.deepcopy(layer.bundle)
    unions = bundle_cfg.get("unions") or {}
    for union in unions.values():  # a union's members are roots of its role
        bundle_cfg["roots"][union["role"]] += [
            m for m in union["members"] if m not in bundle_cfg["roots"][union["role"]]
        ]
    roots = [*bundle_cfg["roots"]["request"], *bundle_cfg["roots"]["response"]]
    imported = openapi.to_bundle(upstream, label, roots)
    defs: dict[str, Any] = copy.deepcopy(imported["$defs"])
    cover = bundle_cfg.get("cover")
    if isinstance(cover, str):  # upstream components the bundle means to hold, all of them
        schemas = (upstream.get("components") or {}).get("schemas") or {}
        for name in sorted(n for n in schemas if fnmatch.fnmatchcase(n, cover)):
            if name not in defs:
                report.stale.append(
                    f"bundle: upstream component {name!r} matches {cover!r} but no root or "
                    "union reaches it (add it to bundle.yaml)"
                )
    strip_prose(defs)
    apply_corrections(defs, layer.corrections, report)
    apply_descriptions(defs, layer.descriptions, report)
    roles = _roles(defs, bundle_cfg)
    unknown = set(layer.principles) - set(PRINCIPLES)
    if unknown:
        raise InputError(
            f"unknown principle(s): {', '.join(sorted(unknown))}",
            file=str(layer.folder / "principles.yaml"),
        )
    for pid, fn in PRINCIPLES.items():
        params = layer.principles.get(pid)
        if params is None:
            continue
        why = params.get("why") if isinstance(params, dict) else None
        if not isinstance(why, str) or not why.strip():
            raise InputError(
                f"principle {pid!r} needs a 'why'", file=str(layer.folder / "principles.yaml")
            )
        report.reasons[pid] = " ".join(why.split())
        fn(defs, params, report, pid, roles)

    for name, union in unions.items():
        if name in defs:
            raise InputError(
                f"cannot define the union {name!r}: upstream has that name",
                file=str(layer.folder / "bundle.yaml"),
            )
        defs[name] = {
            "description": union["description"].strip(),
            "anyOf": [{"$ref": "#/$defs/" + escape_pointer(n)} for n in union["members"]],
        }
    root = bundle_cfg["root"]
    for member, api in root["members"].items():
        if member not in defs:
            raise InputError(
                f"the root's member {member!r} is no type of the bundle",
                file=str(layer.folder / "bundle.yaml"),
            )
        defs[member]["x-api"] = api
    defs[root["name"]] = {
        "description": root["description"].strip(),
        "anyOf": [{"$ref": "#/$defs/" + escape_pointer(n)} for n in root["members"]],
    }
    report.undescribed = find_undescribed(defs)
    bundle = {
        "$schema": DRAFT_2020_12,
        "$id": bundle_cfg["id"],
        "title": bundle_cfg["title"],
        "description": bundle_cfg["description"].strip(),
        "$ref": "#/$defs/" + escape_pointer(root["name"]),
        "$defs": defs,
    }
    bundle = ordered(bundle)
    check_meta_schema(bundle, "canonical schema")
    return bundle, report
