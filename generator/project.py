"""The project's settings: ``[tool.rtschema]`` in the nearest ``pyproject.toml``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from .errors import InputError
from .python.names import package_name_problem

__all__ = ["Project", "find_project"]


@dataclass(frozen=True)
class Project:
    root: Path
    schema: Path
    out: Path
    package: str
    samples: Path | None
    layer: Path
    #: Earlier releases of the schema (``<version>.json``), for the docs' changelog.
    releases: Path | None = None
    #: Documentation groups: (title, type-name patterns), in order.
    doc_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def changes(self) -> Path:
        return self.schema.parent / "CHANGES.md"


def find_project(start: Path | None = None) -> Project | None:
    """The project around ``start`` (default: the working folder), or ``None``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            data: dict[str, Any] = tomllib.loads(pyproject.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"cannot read: {exc}", file=str(pyproject)) from None
        settings = data.get("tool", {}).get("rtschema")
        if settings is None:
            continue
        if not isinstance(settings, dict):
            raise InputError("[tool.rtschema] must be a table", file=str(pyproject))

        return _project(folder, pyproject, settings)
    return None


def _project(folder: Path, pyproject: Path, settings: dict[str, Any]) -> Project:
    """The project that ``settings`` (``[tool.rtschema]`` of ``pyproject``) describe."""

    def path(key: str, default: str | None) -> Path | None:
        value = settings.get(key, default)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(f"[tool.rtschema] {key} must be a string", file=str(pyproject))
        return folder / value

    package = settings.get("package", "realtime_schema")
    if not isinstance(package, str):
        raise InputError("[tool.rtschema] package must be a string", file=str(pyproject))
    problem = package_name_problem(package)
    if problem:
        raise InputError(f"[tool.rtschema] package {package!r} {problem}", file=str(pyproject))
    schema = path("schema", "schema/realtime.schema.json")
    out = path("out", "generated")
    layer = path("layer", "schema/layer")
    assert schema is not None and out is not None and layer is not None
    docs = settings.get("docs", {})
    groups = []
    for index, group in enumerate(docs.get("groups", []) if isinstance(docs, dict) else []):
        title, types = (
            (group.get("title"), group.get("types")) if isinstance(group, dict) else (None, None)
        )
        if (
            not isinstance(title, str)
            or not isinstance(types, list)
            or not all(isinstance(t, str) for t in types)
        ):
            raise InputError(
                f"[[tool.rtschema.docs.groups]] entry {index + 1} needs a title and a list of type patterns",
                file=str(pyproject),
            )
        groups.append((title, tuple(types)))
    return Project(
        root=folder,
        schema=schema,
        out=out,
        package=package,
        samples=path("samples", None),
        layer=layer,
        releases=path("releases", None),
        doc_groups=tuple(groups),
    )
