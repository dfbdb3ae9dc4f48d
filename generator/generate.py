"""``rtschema generate`` and ``rtschema check``: the whole pipeline, end to end.

load (``load``) → IR (``build``) → names (``naming``) → render (``render``) → write
atomically or compare (``write``).
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

from . import ir
from .build import build_schema
from .errors import InputError
from .load import load_schema
from .naming import assign_names
from .project import Project
from .render import render, render_docs, render_python, schema_version
from .write import diff_tree, replace_tree

__all__ = [
    "check_project",
    "generate_docs",
    "generate_package",
    "generate_project",
    "load_ir",
    "project_files",
]


def load_ir(path: str) -> tuple[ir.Schema, list[ir.Warning_]]:
    """Steps 1-3: load and check the schema, build the IR, name everything."""
    loaded = load_schema(path)
    schema = build_schema(loaded)
    warnings = [*schema.warnings, *assign_names(schema)]
    return schema, warnings


def _print_warnings(label: str, warnings: list[ir.Warning_]) -> None:
    for warning in warnings:
        where = f"{label}#{warning.pointer}" if warning.pointer else label
        print(f"rtschema: warning: {where}: {warning.message}", file=sys.stderr)


def _distribution_version(version: str | None) -> str:
    """A PEP 440 version for the schema version (``2.3.0-r1`` → ``2.3.0.post1``)."""
    if not version:
        return "0.0.0"
    match = re.fullmatch(r"(\d+(?:\.\d+)*)(?:[-.]?r(\d+))?.*", version)
    if not match:
        return "0.0.0"
    return match.group(1) + (f".post{match.group(2)}" if match.group(2) else "")


def project_files(project: Project, quiet: bool = False) -> dict[str, str]:
    """Everything ``rtschema generate`` writes into the project's ``generated/`` folder."""
    schema, warnings = load_ir(str(project.schema))
    if not quiet:
        _print_warnings(str(project.schema.relative_to(project.root)), warnings)
    files = render_python(schema, project.package)
    docs = render_docs(
        schema,
        [(t, list(p)) for t, p in project.doc_groups],
        project.samples,
        changelog(project, schema),
    )
    files.update({f"docs/{name}": text for name, text in docs.items()})
    files["pyproject.toml"] = render(
        "python/pyproject.toml.j2",
        package=project.package,
        distribution=project.package.replace("_", "-"),
        version=_distribution_version(schema_version(schema.schema_id)),
        description=f"{schema.title or project.package}: generated dataclasses, TypedDicts and validators",
    )
    return files


def _version_key(version: str) -> list[tuple[int, int | str]]:
    """Sort key for release names: numbers compare as numbers (``r10`` after ``r9``)."""
    return [
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|[^\d.\-+_]+", version)
    ]


def changelog(project: Project, current: ir.Schema) -> str | None:
    """Markdown: what changed from each release in ``project.releases`` to the next, and
    from the last release to the current schema (``rtschema diff`` between them)."""
    from .diff import diff_schemas, render_markdown

    folder = project.releases
    if folder is None or not folder.is_dir():
        return None
    releases = sorted(folder.glob("*.json"), key=lambda p: _version_key(p.stem))
    if not releases:
        return None
    loaded = []
    for path in releases:
        schema, _ = load_ir(str(path))
        loaded.append((path.stem, schema))
    sections = []
    current_version = schema_version(current.schema_id)
    latest_version, latest = loaded[-1]
    unreleased = diff_schemas(latest, current)
    if unreleased:
        title = (
            current_version
            if current_version and current_version != latest_version
            else "Unreleased"
        )
        sections.append(f"### {title}\n\nSince {latest_version}:\n\n{render_markdown(unreleased)}")
    for (old_version, old), (new_version, new) in reversed(list(itertools.pairwise(loaded))):
        sections.append(
            f"### {new_version}\n\nSince {old_version}:\n\n{render_markdown(diff_schemas(old, new))}"
        )
    sections.append(f"### {loaded[0][0]}\n\nThe first release.\n")
    return "\n".join(sections)


def generate_project(project: Project) -> list[str]:
    files = project_files(project)
    replace_tree(project.out, files)
    return sorted(files)


def check_project(project: Project) -> list[str]:
    """Diff lines between ``generated/`` and what ``generate`` would write (empty: current)."""
    files = project_files(project, quiet=True)
    label = project.out.relative_to(project.root).as_posix()
    return diff_tree(project.out, files, label)


def generate_docs(schema_path: str, out: str, fmt: str | None, samples: str | None) -> list[str]:
    """Render the documentation of any schema into the folder ``out``."""
    schema, warnings = load_ir(schema_path)
    _print_warnings(schema_path, warnings)
    files = render_docs(schema, [], Path(samples) if samples else None)
    if fmt == "md":
        files = {k: v for k, v in files.items() if k.endswith(".md")}
    elif fmt == "html":
        files = {k: v for k, v in files.items() if k.endswith(".html")}
    replace_tree(Path(out), files)
    return sorted(files)


def generate_package(schema_path: str, out: str, package: str) -> list[str]:
    """Generate an importable package ``out/package`` from any schema."""
    if not package.isidentifier() or not package.isascii():
        raise InputError(f"--package {package!r} is not a Python identifier")
    schema, warnings = load_ir(schema_path)
    _print_warnings(schema_path, warnings)
    files = render_python(schema, package)
    prefix = package + "/"
    inner = {name[len(prefix) :]: text for name, text in files.items()}
    replace_tree(Path(out) / package, inner)
    return sorted(files)
