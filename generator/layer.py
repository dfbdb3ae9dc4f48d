"""The canonical schema is "upstream closure + our layer"; this module applies the layer.

The layer lives in ``schema/layer/`` as YAML, in four files:

``bundle.yaml``
    ``$id``, title and description of the bundle; the root types and their role
    (``request``: a client sends it; ``response``: the server sends it); the event union.
``principles.yaml``
    Corrections applied across the whole family by rule, each with its reason and its
    parameters (which properties mean "off" when null, which limits the documentation
    states in prose, ...). Their code is :data:`PRINCIPLES` below.
``corrections.yaml``
    Changes to one place each, addressed by JSON Pointer, each with its reason.
``descriptions.yaml``
    Our own titles and descriptions, by type and JSON Pointer. Upstream prose is never
    kept.

:func:`build` runs: import the roots' closure from the OpenAPI document → drop upstream
prose → apply corrections → apply descriptions → apply principles → split shared types
into response and request forms → add the event union → order keys. It returns the
bundle and a :class:`Report` of every change (for ``schema/CHANGES.md``), every part of
the layer that no longer applies, and every place left without a description.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, escape_pointer, join_pointer
from .source import openapi
from .source.keywords import ANNOTATIONS, DRAFT_2020_12, ordered, subschemas
from .source.load import check_meta_schema
from .source.read import parse_document, read_text

__all__ = ["Change", "Layer", "Report", "build", "load_layer"]

_PROSE = ("description", "title", "examples", "$comment")


@dataclass
class Change:
    """One deviation from upstream, for ``CHANGES.md``."""

    source: str
    pointer: str
    what: str


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    #: Layer entries that found nothing to change: upstream moved on.
    stale: list[str] = field(default_factory=list)
    #: Types, properties and variants without a description of ours.
    undescribed: list[str] = field(default_factory=list)
    #: Why, by principle or correction id.
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, source: str, pointer: str, what: str) -> None:
        self.changes.append(Change(source, pointer, what))


@dataclass
class Layer:
    bundle: dict[str, Any]
    principles: dict[str, Any]
    corrections: list[dict[str, Any]]
    descriptions: dict[str, Any]
    folder: Path


def _load_yaml(path: Path) -> Any:
    return parse_document(read_text(str(path)), str(path), "yaml")


def load_layer(folder: Path) -> Layer:
    """Read the four layer files from ``folder``."""
    files = {
        name: folder / f"{name}.yaml"
        for name in ("bundle", "principles", "corrections", "descriptions")
    }
    data = {name: _load_yaml(path) for name, path in files.items()}
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


# --------------------------------------------------------------------------- helpers


def _walk(schema: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object under ``schema`` (itself included), depth first."""
    stack = [(pointer, schema)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            yield here, node
            stack.extend(reversed(list(subschemas(node, here))))


def _resolve(doc: Any, pointer: str) -> Any:
    node = doc
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    head, _, last = pointer.rpartition("/")
    return _resolve(doc, head), last.replace("~1", "/").replace("~0", "~")


def _def_name(pointer: str) -> str:
    return pointer.split("/")[2].replace("~1", "/").replace("~0", "~")


def _properties(defs: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``(pointer of the property schema, owning object, property name)`` everywhere."""
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            props = node.get("properties")
            if isinstance(props, dict):
                for prop in list(props):
                    yield join_pointer(pointer, "properties", prop), node, prop


def _target(defs: dict[str, Any], schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 50:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            break
        schema = _resolve({"$defs": defs}, ref[1:])
        seen += 1
    return schema


def accepts_null(defs: dict[str, Any], schema: Any) -> bool:
    """Does ``schema`` let ``null`` through (by its type, enum, const or a branch)?"""
    schema = _target(defs, schema)
    if schema is True or schema == {}:
        return True
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if "null" not in kinds:
            return False
    if "enum" in schema and None not in schema["enum"]:
        return False
    if "const" in schema and schema["const"] is not None:
        return False
    for key in ("anyOf", "oneOf"):
        if key in schema and not any(accepts_null(defs, s) for s in schema[key]):
            return False
    return kind is not None or any(k in schema for k in ("anyOf", "oneOf", "enum", "const"))


def allow_null(defs: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Return ``schema`` changed to accept ``null`` as well, keeping annotations outside."""
    kind = schema.get("type")
    if (
        isinstance(kind, (str, list))
        and "$ref" not in schema
        and not ({"anyOf", "oneOf", "allOf"} & schema.keys())
    ):
        out = dict(schema)
        kinds = kind if isinstance(kind, list) else [kind]
        out["type"] = [*kinds, "null"]
        if isinstance(out.get("enum"), list):
            out["enum"] = [*out["enum"], None]
        if "const" in out:
            out["enum"] = [out.pop("const"), None]
        return out
    if "anyOf" in schema and len(schema) - sum(k in schema for k in ANNOTATIONS) == 1:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    keep = {k: v for k, v in schema.items() if k in ANNOTATIONS}
    rest = {k: v for k, v in schema.items() if k not in ANNOTATIONS}
    return {**keep, "anyOf": [rest, {"type": "null"}]}


def _reachable(defs: dict[str, Any], roots: list[str]) -> set[str]:
    return set(openapi.closure(defs, roots, "layer"))


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


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def apply_descriptions(defs: dict[str, Any], descriptions: dict[str, Any], report: Report) -> None:
    doc = {"$defs": defs}
    for type_name, entries in descriptions.items():
        if type_name not in defs:
            report.stale.append(f"descriptions: no type {type_name!r} any more")
            continue
        if isinstance(entries, str):
            entries = {"": entries}
        for rel, text in entries.items():
            at = join_pointer("/$defs", type_name) + rel
            try:
                node = _resolve(doc, at)
            except KeyError:
                report.stale.append(f"descriptions: {at} no longer exists")
                continue
            if isinstance(text, str):
                node["description"] = text.strip()
            else:
                for key in ("title", "description"):
                    if key in text:
                        node[key] = str(text[key]).strip()


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


# --------------------------------------------------------------------------- principles


def _typed_containers(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str
) -> None:
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            if "type" in node or "$ref" in node:
                continue
            if "items" in node:
                node["type"] = "array"
                report.add(pid, pointer, "type set to array (it has items)")
            elif "properties" in node and not ({"anyOf", "oneOf", "allOf"} & node.keys()):
                node["type"] = "object"
                report.add(pid, pointer, "type set to object (it has properties)")


def _simplify(defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str) -> None:
    """Equivalent, simpler spellings: one-value enums as const, one-branch allOf as the branch."""
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            enum = node.get("enum")
            if isinstance(enum, list) and len(enum) == 1 and "const" not in node:
                node["const"] = enum[0]
                del node["enum"]
            for key in ("anyOf", "oneOf"):
                for index, sub in enumerate(node.get(key, [])):
                    if isinstance(sub, dict) and list(sub) == ["allOf"] and len(sub["allOf"]) == 1:
                        node[key][index] = sub["allOf"][0]
                        report.add(
                            pid,
                            join_pointer(pointer, key, index),
                            "one-branch allOf replaced by its branch",
                        )


def _limits(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    table: dict[str, Any] = params.get("properties", {})
    used = set()
    for pointer, owner, prop in list(_properties(defs)):
        rule = table.get(prop)
        if rule is None:
            continue
        only = rule.get("only")
        if only and roles.get(_def_name(pointer)) != only:
            continue
        keywords = {k: v for k, v in rule.items() if k != "only"}
        used.add(prop)
        schema = owner["properties"][prop]
        targets = [(pointer, schema)]
        for key in ("anyOf", "oneOf"):
            if isinstance(schema, dict) and key in schema:
                targets = [(join_pointer(pointer, key, i), s) for i, s in enumerate(schema[key])]
        for where, target in targets:
            if not isinstance(target, dict) or "$ref" in target:
                continue
            kinds = target.get("type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            applies = {
                k: v
                for k, v in keywords.items()
                if (
                    k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
                    and {"integer", "number"} & set(kinds)
                )
                or (k in ("minLength", "maxLength", "pattern") and "string" in kinds)
                or (k in ("minItems", "maxItems") and "array" in kinds)
            }
            for key, value in applies.items():
                if target.get(key) != value:
                    target[key] = value
                    report.add(pid, join_pointer(where, key), f"{key} {value}")
    for prop in table:
        if prop not in used:
            report.stale.append(f"{pid}: no property named {prop!r} any more")


def _defaults(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    table: dict[str, Any] = params.get("properties", {})
    used = set()
    for pointer, owner, prop in list(_properties(defs)):
        if prop not in table:
            continue
        used.add(prop)
        schema = owner["properties"][prop]
        if prop in owner.get("required", []):
            continue
        if isinstance(schema, dict) and "default" not in schema:
            schema["default"] = copy.deepcopy(table[prop])
            report.add(pid, join_pointer(pointer, "default"), f"default {_short(table[prop])}")
    for prop in table:
        if prop not in used:
            report.stale.append(f"{pid}: no property named {prop!r} any more")


def _null_means_off(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    names = set(params.get("properties", []))
    used = set()
    for pointer, owner, prop in list(_properties(defs)):
        if prop not in names:
            continue
        used.add(prop)
        schema = owner["properties"][prop]
        if isinstance(schema, dict) and not accepts_null(defs, schema):
            owner["properties"][prop] = allow_null(defs, schema)
            report.add(pid, pointer, "accepts null")
    for prop in names - used:
        report.stale.append(f"{pid}: no property named {prop!r} any more")


def _never_required(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    names = set(params.get("properties", []))
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            required = node.get("required")
            if isinstance(required, list) and names & set(required):
                node["required"] = [r for r in required if r not in names]
                if not node["required"]:
                    del node["required"]
                for prop in sorted(names & set(required)):
                    report.add(pid, join_pointer(pointer, "required"), f"{prop} no longer required")


def _open_enums(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    names = set(params.get("properties", []))
    for pointer, owner, prop in list(_properties(defs)):
        if prop not in names:
            continue
        schema = _target(defs, owner["properties"][prop])
        if isinstance(schema, dict) and schema.get("type") == "string" and "enum" in schema:
            known = schema.pop("enum")
            schema.pop("type")
            schema["anyOf"] = [{"type": "string"}, {"type": "string", "enum": known}]
            report.add(pid, pointer, "closed enum opened: any other string is accepted too")


def _tags_required(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    tag = params.get("property", "type")
    for name, schema in list(defs.items()):
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            for key in ("anyOf", "oneOf"):
                variants = node.get(key)
                if not isinstance(variants, list):
                    continue
                for index, variant in enumerate(variants):
                    target = _target(defs, variant)
                    where = (
                        "/" + variant["$ref"][2:]
                        if isinstance(variant, dict) and "$ref" in variant
                        else join_pointer(pointer, key, index)
                    )
                    if not isinstance(target, dict):
                        continue
                    prop = target.get("properties", {}).get(tag)
                    if (
                        isinstance(prop, dict)
                        and "const" in prop
                        and tag not in target.get("required", [])
                    ):
                        target["required"] = [tag, *target.get("required", [])]
                        report.add(
                            pid,
                            join_pointer(where, "required"),
                            f"{tag} required (the variant's tag)",
                        )


def _closed_requests(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    """Split types used by both sides; close every record on the request side, open the rest."""
    suffix = params.get("request_form_suffix", "Param")
    shared = sorted(n for n, r in roles.items() if r == "both" and _has_record(defs, n, set()))
    renames = {n: n + suffix for n in shared}

    def rewrite(schema: Any) -> Any:
        if isinstance(schema, dict):
            out = {}
            for key, value in schema.items():
                if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                    target = value[len("#/$defs/") :]
                    out[key] = "#/$defs/" + renames.get(target, target)
                else:
                    out[key] = (
                        rewrite(value)
                        if key not in ("default", "const", "enum", "examples")
                        else value
                    )
            return out
        if isinstance(schema, list):
            return [rewrite(item) for item in schema]
        return schema

    for name in shared:
        if renames[name] in defs:
            raise InputError(
                f"cannot add the request form {renames[name]!r}: upstream has that name"
            )
        copy_ = rewrite(copy.deepcopy(defs[name]))
        defs[renames[name]] = copy_
        roles[renames[name]] = "request"
        report.add(pid, join_pointer("/$defs", renames[name]), f"request form of {name} (closed)")
    for name, role in list(roles.items()):
        if role == "request" and name not in renames.values():
            defs[name] = rewrite(defs[name])
    for name, role in roles.items():
        closed = role == "request"
        for pointer, node in _walk(defs[name], join_pointer("/$defs", name)):
            if not isinstance(node.get("properties"), dict):
                continue
            extra = node.get("additionalProperties")
            if closed and extra is None:
                node["additionalProperties"] = False
            elif not closed and extra is False:
                del node["additionalProperties"]
                report.add(
                    pid,
                    join_pointer(pointer, "additionalProperties"),
                    "removed: server data stays open",
                )


def _has_record(defs: dict[str, Any], name: str, seen: set[str]) -> bool:
    if name in seen:
        return False
    seen.add(name)
    for _, node in _walk(defs[name], ""):
        if isinstance(node.get("properties"), dict):
            return True
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and _has_record(defs, ref[8:], seen):
            return True
    return False


Principle = Callable[[dict[str, Any], dict[str, Any], Report, str, dict[str, str]], None]

#: Principle ids, in the order they run, and their code.
PRINCIPLES: dict[str, Principle] = {
    "typed-containers": lambda d, p, r, i, _: _typed_containers(d, p, r, i),
    "simple-spellings": lambda d, p, r, i, _: _simplify(d, p, r, i),
    "prose-limits": _limits,
    "prose-defaults": _defaults,
    "tags-required": _tags_required,
    "open-enums": _open_enums,
    "null-means-off": _null_means_off,
    "never-required": _never_required,
    "requests-closed-responses-open": _closed_requests,
}


def _roles(defs: dict[str, Any], bundle: dict[str, Any]) -> dict[str, str]:
    roots = bundle["roots"]
    req = _reachable(defs, roots["request"])
    res = _reachable(defs, roots["response"])
    roles = {}
    for name in defs:
        roles[name] = (
            "both" if name in req and name in res else "request" if name in req else "response"
        )
    return roles


# --------------------------------------------------------------------------- build


def build(upstream: dict[str, Any], label: str, layer: Layer) -> tuple[dict[str, Any], Report]:
    """Build the canonical bundle from an upstream OpenAPI document and the layer."""
    report = Report()
    bundle_cfg = layer.bundle
    roots = [*bundle_cfg["roots"]["request"], *bundle_cfg["roots"]["response"]]
    imported = openapi.to_bundle(upstream, label, roots)
    defs: dict[str, Any] = copy.deepcopy(imported["$defs"])
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

    events = bundle_cfg["event_union"]
    defs[events["name"]] = {
        "description": events["description"].strip(),
        "anyOf": [{"$ref": "#/$defs/" + escape_pointer(n)} for n in events["members"]],
    }
    report.undescribed = find_undescribed(defs)
    bundle = {
        "$schema": DRAFT_2020_12,
        "$id": bundle_cfg["id"],
        "title": bundle_cfg["title"],
        "description": bundle_cfg["description"].strip(),
        "$ref": "#/$defs/" + escape_pointer(events["name"]),
        "$defs": defs,
    }
    bundle = ordered(bundle)
    check_meta_schema(bundle, "canonical schema")
    return bundle, report
