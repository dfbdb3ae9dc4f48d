"""``rtschema sync SPEC``: rebuild ``schema/realtime.schema.json`` and ``CHANGES.md`` from an
upstream OpenAPI document and our layer, and show what changed."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..docs.render import render
from ..errors import InputError
from ..generate import load_ir
from ..project import Project
from ..source import openapi
from ..source.keywords import dump_json
from ..write import replace_files
from . import layer as layer_mod
from .diff import diff_schemas, render_text
from .principles import PRINCIPLES

__all__ = ["build_files", "run"]


def build_files(project: Project, spec: str) -> tuple[dict[str, str], layer_mod.Report]:
    """The canonical schema and CHANGES.md that ``spec`` plus the layer give."""
    upstream = openapi.read_document(spec)
    layer = layer_mod.load_layer(project.layer)
    bundle, report = layer_mod.build(upstream, spec, layer)
    return {
        "schema": dump_json(bundle),
        "changes": render_changes(layer, report),
    }, report


def render_changes(layer: layer_mod.Layer, report: layer_mod.Report) -> str:
    def group(ids: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "id": cid,
                "why": report.reasons.get(cid, ""),
                "changes": [c for c in report.changes if c.source == cid],
            }
            for cid in ids
        ]

    principles = [pid for pid in PRINCIPLES if pid in layer.principles]
    corrections = [str(entry["id"]) for entry in layer.corrections]
    roots = layer.bundle["roots"]
    return render(
        "schema/CHANGES.md.j2",
        roots=[*roots["request"], *roots["response"]],
        upstream=layer.bundle["upstream"],
        principles=group(principles),
        corrections=group(corrections),
        stale=report.stale,
        examples=layer.bundle.get("reference_examples") or {},
    )


def _summary(old_text: str | None, new_text: str) -> list[str]:
    """What changed from the old canonical schema to the new one, as ``rtschema diff``
    classifies it (falling back to type names when the old file no longer loads)."""
    import contextlib
    import io
    import tempfile
    from pathlib import Path

    if old_text is None:
        return ["schema created"]
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp, "old.json"), Path(tmp, "new.json")
        old_path.write_text(old_text, "utf-8")
        new_path.write_text(new_text, "utf-8")
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                old_ir, _ = load_ir(str(old_path))
                new_ir, _ = load_ir(str(new_path))
        except InputError:
            return _type_summary(old_text, new_text)
    changes = diff_schemas(old_ir, new_ir)
    if not changes:
        return ["descriptions or annotations changed; no type or field changed"]
    return render_text(changes, "old", "new").splitlines()[1:]


def _type_summary(old_text: str, new_text: str) -> list[str]:
    try:
        old = json.loads(old_text).get("$defs", {})
    except (ValueError, AttributeError):
        return ["schema replaced (the old file was not a schema bundle)"]
    new = json.loads(new_text).get("$defs", {})
    lines = [f"added type {n}" for n in sorted(set(new) - set(old))]
    lines += [f"removed type {n}" for n in sorted(set(old) - set(new))]
    lines += [f"changed type {n}" for n in sorted(set(old) & set(new)) if old[n] != new[n]]
    return lines


def run(project: Project, spec: str, check: bool = False) -> int:
    files, report = build_files(project, spec)
    targets = {project.schema: files["schema"], project.changes: files["changes"]}
    current = {path: path.read_text("utf-8") if path.is_file() else None for path in targets}
    changed = [path for path, text in targets.items() if current[path] != text]

    for line in report.stale:
        print(f"rtschema: warning: layer no longer applies: {line}", file=sys.stderr)
    for pointer in report.undescribed:
        print(f"rtschema: warning: no description of ours at {pointer}", file=sys.stderr)

    summary = (
        _summary(current[project.schema], files["schema"]) if project.schema in changed else []
    )
    if check:
        if changed:
            for line in summary:
                print(line)
            for path in changed:
                print(f"would change: {path.relative_to(project.root)}")
            return 1
        print("schema is in sync with the upstream document and the layer")
        return 1 if report.stale or report.undescribed else 0
    if not changed:
        print("nothing changed")
        return 0
    replace_files({path: targets[path] for path in changed})
    for line in summary:
        print(line)
    for path in changed:
        print(f"wrote {path.relative_to(project.root)}")
    return 0
