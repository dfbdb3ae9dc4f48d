"""Documents that a schema references, found without the network.

A reference to another document is read from, in this order:

1. the standard meta-schemas (draft-06, draft-07, 2019-09, 2020-12 and their
   vocabularies), which are known without any setting;
2. a folder given with ``--ref-map PREFIX=DIR`` for URIs starting with ``PREFIX``;
3. the schema's own folder, for relative references (resolved against the schema's
   file, or against its ``$id`` when the target shares the ``$id``'s folder).

Anything else is one error line; nothing is ever fetched, and no file outside a mapped
folder or the schema's folder is read.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import InputError
from .read import parse_document, read_text

__all__ = ["RefMap", "Retriever", "parse_ref_map"]


@dataclass(frozen=True)
class RefMap:
    """URIs starting with ``prefix`` are files under the folder ``path``; when ``path``
    is a file, it holds the one document at the URI ``prefix``."""

    prefix: str
    path: Path

    def find(self, uri: str) -> Path | None:
        """The local file for ``uri``, or ``None`` when this map does not cover it."""
        if self.path.is_file():
            return self.path if uri == self.prefix else None
        if not uri.startswith(self.prefix):
            return None
        target = (self.path / unquote(uri[len(self.prefix) :])).resolve()
        if not target.is_relative_to(self.path):
            raise InputError(f"$ref {uri!r} points outside the folder mapped for it")
        return target


def parse_ref_map(text: str) -> RefMap:
    """``PREFIX=DIR`` or ``URI=FILE`` (as given to ``--ref-map``) → :class:`RefMap`."""
    prefix, sep, where = text.partition("=")
    if not sep or not prefix or not where:
        raise InputError(
            f"--ref-map {text!r}: expected PREFIX=DIR, e.g. http://localhost:1234/=remotes/"
        )
    path = Path(where).expanduser().resolve()
    if not path.exists():
        raise InputError(f"--ref-map {text!r}: {where} does not exist")
    return RefMap(prefix, path)


def _meta_schema(uri: str) -> Any | None:
    for key in (uri, uri.rstrip("#")):
        try:
            # The meta-schemas, imported only when one is asked for (a slow import).
            from jsonschema_specifications import REGISTRY

            return copy.deepcopy(REGISTRY.contents(key))
        except LookupError:
            continue
    return None


class Retriever:
    """``retriever(uri) -> (data, label)`` for an absolute URI without fragment."""

    def __init__(self, folder: Path, root_id: str | None, ref_maps: tuple[RefMap, ...]) -> None:
        self.folder = folder
        self.ref_maps = sorted(ref_maps, key=lambda m: len(m.prefix), reverse=True)
        self.id_prefix = (
            root_id.split("#", 1)[0].rsplit("/", 1)[0] + "/" if root_id and "/" in root_id else None
        )

    def __call__(self, uri: str) -> tuple[Any, str]:
        known = _meta_schema(uri)
        if known is not None:
            return known, uri
        for mapping in self.ref_maps:
            found = mapping.find(uri)
            if found is not None:
                return self._parse(found)
        parts = urlsplit(uri)
        if self.id_prefix and uri.startswith(self.id_prefix):
            return self._read(self.folder, uri[len(self.id_prefix) :], uri)
        if parts.scheme == "file":
            target = Path(unquote(parts.path)).resolve()
            if not target.is_relative_to(self.folder):
                raise InputError(f"$ref {uri!r} points outside the schema's folder")
            return self._parse(target)
        if parts.scheme in ("http", "https"):
            raise InputError(
                f"remote $ref {uri!r} refused: schemas are read without network access "
                "(map its prefix to a local folder with --ref-map PREFIX=DIR)"
            )
        raise InputError(
            f"cannot resolve $ref {uri!r}: no document with that URI "
            "(map its prefix to a local folder with --ref-map PREFIX=DIR)"
        )

    def _read(self, folder: Path, rest: str, uri: str) -> tuple[Any, str]:
        target = (folder / unquote(rest)).resolve()
        if not target.is_relative_to(folder):
            raise InputError(f"$ref {uri!r} points outside the folder mapped for it")
        return self._parse(target)

    @staticmethod
    def _parse(target: Path) -> tuple[Any, str]:
        text = read_text(str(target))
        return parse_document(text, str(target)), str(target)
