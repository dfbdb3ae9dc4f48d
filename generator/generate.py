"""``rtschema generate`` and ``rtschema check``: the whole pipeline, end to end.

load (``load``) → IR (``build``) → names (``naming``) → render (``render``) → write
atomically or compare (``write``).
"""

from __future__ import annotations

import functools
import gc
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from .docs.render import render_docs
from .errors import InputError
from .evolution.changelog import changelog
from .jinja import render
from .project import Project
from .python.names import package_name_problem
from .python.package import format_python, render_package, schema_version
from .schema.index import Index, Location, build_index
from .source.load import load_schema
from .source.remote import RefMap
from .types import ir
from .types.build import build_types, type_locations
from .types.naming import assign_names
from .validation.analysis import check_cycles
from .validation.compile import Validators, compile_validators
from .validation.planner import Planner
from .write import diff_tree, plan_tree, replace_tree, write_tree

_P = ParamSpec("_P")
_R = TypeVar("_R")


def few_collections(job: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``job`` with the garbage collector's first threshold raised: compiling and
    rendering a schema makes hundreds of thousands of objects that live until the job
    ends, which the collector would otherwise walk again and again (about a fifth of the
    time on the whole upstream document). Cycles are still collected."""

    @functools.wraps(job)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        before = gc.get_threshold()
        gc.set_threshold(100_000, *before[1:])
        try:
            return job(*args, **kwargs)
        finally:
            gc.set_threshold(*before)

    return run


__all__ = [
    "Compiled",
    "check_project",
    "compile_schema",
    "generate_docs",
    "generate_package",
    "generate_project",
    "load_ir",
    "project_files",
]


@dataclass
class Compiled:
    """A schema through the pipeline up to rendering: its index, types and validators."""

    index: Index
    types: ir.Schema
    validators: Validators
    warnings: list[ir.Warning_]


def compile_schema(
    path: str, ref_maps: tuple[RefMap, ...] = (), *, format_assert: bool = False
) -> Compiled:
    """Steps 1-3: load and check the schema, index it, check that no schema refers to
    itself in place, build and name the types, plan the validators."""
    index = build_index(load_schema(path, ref_maps))
    planner = Planner(index, format_assert=format_assert)
    for location in index.named_locations():
        planner.node(location)
    check_cycles(planner.finish())
    types = build_types(index)
    warnings = [*types.warnings, *assign_names(types)]
    named: dict[str, Location] = {}
    for named_type in types.types:
        if named_type.location is not None:
            key = named_type.key if named_type.key not in named else named_type.name
            named[key] = named_type.location
    validators = compile_validators(index, named, type_locations(types), planner=planner)
    notices = [(doc, pointer, text) for doc, pointer, text in index.warnings]
    notices += [(loc.document, pointer, text) for loc, pointer, text in planner.warnings]
    for document, pointer, text in notices:
        where = document.source_pointer(pointer)
        if document is not index.root.document:
            text = f"in {document.label}#{where}: {text}"
            where = ""
        warnings.append(ir.Warning_(where, text))
    return Compiled(index, types, validators, warnings)


def load_ir(path: str, ref_maps: tuple[RefMap, ...] = ()) -> tuple[ir.Schema, list[ir.Warning_]]:
    """The types of a schema (for the docs, schema diffs and tests)."""
    compiled = compile_schema(path, ref_maps)
    return compiled.types, compiled.warnings


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


@few_collections
def project_files(project: Project, quiet: bool = False) -> dict[str, str]:
    """Everything ``rtschema generate`` writes into the project's ``generated/`` folder."""
    compiled = compile_schema(str(project.schema))
    schema = compiled.types
    if not quiet:
        _print_warnings(str(project.schema.relative_to(project.root)), compiled.warnings)
    groups = [(title, list(patterns)) for title, patterns in project.doc_groups]
    files = format_python(render_package(schema, compiled.validators, project.package, groups))
    docs = render_docs(
        schema,
        groups,
        project.samples,
        changelog(project, schema, lambda path: load_ir(path)[0]),
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


def generate_project(project: Project, *, force: bool = False) -> list[str]:
    """Write the project's ``generated/`` folder (``force``: see :func:`.write.plan_tree`)."""
    files = project_files(project)
    replace_tree(project.out, files, force=force)
    return sorted(files)


def check_project(project: Project) -> list[str]:
    """Diff lines between ``generated/`` and what ``generate`` would write (empty: current)."""
    files = project_files(project, quiet=True)
    label = project.out.relative_to(project.root).as_posix()
    return diff_tree(project.out, files, label)


@few_collections
def generate_docs(
    schema_path: str,
    out: str,
    fmt: str | None,
    samples: str | None,
    ref_maps: tuple[RefMap, ...] = (),
    *,
    force: bool = False,
) -> list[str]:
    """Render the documentation of any schema into the folder ``out``."""
    schema, warnings = load_ir(schema_path, ref_maps)
    _print_warnings(schema_path, warnings)
    files = render_docs(schema, [], Path(samples) if samples else None)
    if fmt == "md":
        files = {k: v for k, v in files.items() if k.endswith(".md")}
    elif fmt == "html":
        files = {k: v for k, v in files.items() if k.endswith(".html")}
    replace_tree(Path(out), files, force=force)
    return sorted(files)


def generate_package(
    schema_path: str,
    out: str,
    package: str,
    *,
    ref_maps: tuple[RefMap, ...] = (),
    format_assert: bool = False,
    force: bool = False,
) -> list[str]:
    """Generate an importable package ``out/package`` from any schema."""
    return generate_packages(
        [(schema_path, package)], out, ref_maps=ref_maps, format_assert=format_assert, force=force
    )


@few_collections
def generate_packages(
    jobs: list[tuple[str, str]],
    out: str,
    *,
    ref_maps: tuple[RefMap, ...] = (),
    format_assert: bool = False,
    force: bool = False,
) -> list[str]:
    """Generate one package per ``(schema path, package name)`` into ``out``, formatting
    them all in one run of ruff (much faster than one package at a time). Nothing is
    written unless every schema generates and every package folder may be written
    (``force``: see :func:`.write.plan_tree`)."""
    files: dict[str, str] = {}
    names = [package for _, package in jobs]
    for package in names:
        problem = package_name_problem(package)
        if problem:
            raise InputError(f"--package {package!r} {problem}")
    if len(set(names)) != len(names):
        raise InputError("two packages would have the same name")
    for schema_path, package in jobs:
        compiled = compile_schema(schema_path, ref_maps, format_assert=format_assert)
        _print_warnings(schema_path, compiled.warnings)
        files.update(render_package(compiled.types, compiled.validators, package))
    formatted = format_python(files)
    plans = []
    for package in names:
        prefix = package + "/"
        inner = {
            name[len(prefix) :]: text for name, text in formatted.items() if name.startswith(prefix)
        }
        plans.append(plan_tree(Path(out) / package, inner, force=force))
    for plan in plans:
        write_tree(plan)
    return sorted(formatted)
