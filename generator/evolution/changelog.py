"""The docs' changelog: what changed from each release of the schema to the next, and
to the current schema when it has moved on (``rtschema diff`` between them)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from ..project import Project
from ..python.package import schema_version
from ..types import ir
from .diff import diff_schemas, render_markdown

__all__ = ["changelog"]


def _version_key(version: str) -> list[tuple[int, int | str]]:
    """Sort key for release names: numbers compare as numbers (``r10`` after ``r9``)."""
    return [
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|[^\d.\-+_]+", version)
    ]


def changelog(project: Project, current: ir.Schema, load: Callable[[str], ir.Schema]) -> str | None:
    """Markdown: what changed from each release in ``project.releases`` to the next, and
    from the last release to the current schema (``rtschema diff`` between them)."""
    folder = project.releases
    if folder is None or not folder.is_dir():
        return None
    releases = sorted(folder.glob("*.json"), key=lambda p: _version_key(p.stem))
    if not releases:
        return None
    loaded = []
    for path in releases:
        schema = load(str(path))
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
