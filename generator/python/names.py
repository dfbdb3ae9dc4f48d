"""Names a generated package may take."""

from __future__ import annotations

import keyword
import sys

__all__ = ["package_name_problem"]


def package_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a generated package, or None when it can: it must be an
    ASCII identifier, not a keyword, and not shadow a standard-library module (``json``
    would hide the real one from every import in the program) or rtschema itself."""
    if not name.isascii() or not name.isidentifier():
        return "is not a Python identifier"
    if keyword.iskeyword(name):
        return "is a Python keyword (choose another name)"
    if name in sys.stdlib_module_names or name == "rtschema":
        return "would shadow the module of the same name (choose another name)"
    return None
