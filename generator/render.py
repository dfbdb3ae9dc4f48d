"""Step 4 of the pipeline: lay the IR out through the Jinja templates in ``templates/``.

Templates hold layout only. Every decision (names, types, which checks to emit, how a
string is escaped) is made in Python and handed to the templates as data or as one of
the filters registered here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

__all__ = ["environment", "template_folder"]


def template_folder() -> Path:
    """``templates/`` of a source checkout, or the copy packaged with the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the templates folder is missing from this installation")


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    """The one Jinja environment: strict about undefined names, no implicit escaping
    except in ``.html.j2`` templates."""
    global _ENV
    if _ENV is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(template_folder())),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        )
        _ENV = env
    return _ENV


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
