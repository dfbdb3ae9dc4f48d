"""Errors the generator reports to its users.

Every problem with an input becomes one :class:`InputError`: one line that names the
file and the JSON Pointer inside it. The CLI prints it and exits with status 2; nothing
is written.
"""

from __future__ import annotations

__all__ = ["InputError", "escape_pointer", "join_pointer"]


def escape_pointer(token: str) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append reference tokens to a JSON Pointer."""
    return pointer + "".join("/" + escape_pointer(str(t)) for t in tokens)


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    text = text.encode("ascii", "backslashreplace").decode("ascii")
    return text if len(text) <= limit else text[: limit - 3] + "..."


class InputError(Exception):
    """A bad input: a schema, a payload file, or a command-line argument.

    ``str(error)`` is a single line of the form ``FILE#POINTER: message``.
    """

    def __init__(self, message: str, *, file: str | None = None, pointer: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.pointer = pointer

    def at(self, file: str | None = None, pointer: str | None = None) -> InputError:
        """Return a copy that names ``file``/``pointer`` where this error did not."""
        return InputError(
            self.message,
            file=self.file if self.file is not None else file,
            pointer=self.pointer if self.pointer is not None else pointer,
        )

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
        if self.pointer is not None:
            where += "#" + self.pointer
        message = _one_line(self.message)
        return f"{_one_line(where)}: {message}" if where else message
