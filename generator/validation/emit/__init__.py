"""Python code for the validation plan: the writer (``writer``) and one module per
family of keywords (``scalars``, ``objects``, ``arrays``, ``applicators``), each writing
a keyword's fast, error and collecting forms side by side; ``code`` holds the
structured expressions and blocks they are built from."""

from .writer import Function, PythonValidators, Site, Table

__all__ = ["Function", "PythonValidators", "Site", "Table"]
