"""``rtschema validate``: check JSON payloads with the generated validators."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError
from .source.read import read_text, unreadable
from .source.remote import RefMap

__all__ = ["load_api", "run"]


class _TooDeep:
    """Stands for a payload the JSON parser could not even read for its nesting."""


def _loads(text: str) -> Any:
    def reject(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        return json.loads(text, parse_constant=reject)
    except RecursionError:
        return _TooDeep()


def _json_error(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    return f"invalid JSON: {exc}"


def load_api(
    schema_path: str | None,
    ref_maps: tuple[RefMap, ...] = (),
    *,
    format_assert: bool = False,
) -> Any:
    """The generated package to validate with: ``realtime_schema`` (the canonical
    schema), or a package generated on the fly from ``schema_path``."""
    if schema_path is None:
        if ref_maps or format_assert:
            raise InputError("--ref-map and --format-assert need --schema")
        try:
            import realtime_schema
        except ImportError:
            raise InputError(
                "the realtime_schema package is not installed: pip install realtime-schema "
                "(./generated in a checkout of rtschema), or pass --schema"
            ) from None
        return realtime_schema
    from .generate import generate_package

    folder = Path(tempfile.mkdtemp(prefix="rtschema-validate-"))
    key = repr((str(Path(schema_path).resolve()), ref_maps, format_assert))
    name = "rtschema_validate_" + hashlib.sha256(key.encode()).hexdigest()[:12]
    for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[loaded]  # an earlier package generated from an older file
    try:
        generate_package(
            schema_path, str(folder), name, ref_maps=ref_maps, format_assert=format_assert
        )
        sys.path.insert(0, str(folder))
        package = importlib.import_module(name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        if str(folder) in sys.path:
            sys.path.remove(str(folder))
    # The package loads its modules and its schema.json on first use, so its folder
    # lives as long as this process.
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return package


@dataclass
class _Result:
    source: str
    line: int | None
    type_name: str | None
    errors: list[Any]
    unreadable: str | None = None


class _Reporter:
    """Prints results as text (invalid payloads only) or as one JSON document."""

    def __init__(self, fmt: str, out: TextIO, *, auto: bool = False) -> None:
        self.fmt = fmt
        self.out = out
        #: Event dispatch: say which type each invalid payload was checked as, and
        #: count the payloads by type.
        self.auto = auto
        self.types: dict[str, int] = {}
        self.first = True
        self.counts = {"valid": 0, "invalid": 0, "unreadable": 0}
        if fmt == "json":
            out.write('{"results": [')

    def add(self, result: _Result) -> None:
        key = "unreadable" if result.unreadable else "invalid" if result.errors else "valid"
        self.counts[key] += 1
        if result.type_name and not result.unreadable:
            self.types[result.type_name] = self.types.get(result.type_name, 0) + 1
        where = result.source + (f":{result.line}" if result.line is not None else "")
        if self.fmt == "json":
            item: dict[str, Any] = {"file": result.source}
            if result.line is not None:
                item["line"] = result.line
            item["valid"] = key == "valid"
            if result.type_name:
                item["type"] = result.type_name
            if result.unreadable:
                item["error"] = result.unreadable
            else:
                item["errors"] = [
                    {"path": e.path, "keyword": e.keyword, "message": e.message}
                    for e in result.errors
                ]
            self.out.write(
                ("" if self.first else ",") + "\n  " + json.dumps(item, ensure_ascii=False)
            )
            self.first = False
        elif result.unreadable:
            print(f"rtschema: error: {where}: {result.unreadable}", file=sys.stderr)
        else:
            if result.errors and self.auto and result.type_name:
                self.out.write(f"{where}: checked as {result.type_name}\n")
            for error in result.errors:
                self.out.write(f"{where}#{error.path}: {error.message}\n")

    def close(self, type_name: str) -> None:
        total = sum(self.counts.values())
        if self.fmt == "json":
            summary = {"type": type_name, "checked": total, **self.counts}
            self.out.write(
                ("\n" if not self.first else "") + '], "summary": ' + json.dumps(summary) + "}\n"
            )
        parts = [f"{n} {k}" for k, n in self.counts.items() if n]
        print(
            f"{total} payload{'s' if total != 1 else ''} checked against {type_name}: {', '.join(parts) or 'none'}",
            file=sys.stderr,
        )
        if self.auto and self.types:
            ranked = sorted(self.types.items(), key=lambda item: (-item[1], item[0]))
            shown = ", ".join(f"{name} ({n})" for name, n in ranked[:8])
            more = f", and {len(ranked) - 8} more types" if len(ranked) > 8 else ""
            print(f"checked as: {shown}{more}", file=sys.stderr)


class _Progress:
    """A progress line on standard error for long inputs, only on a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.next = time.monotonic() + 1.0
        self.shown = False

    def tick(self, reporter: _Reporter) -> None:
        if not self.enabled or time.monotonic() < self.next:
            return
        self.next = time.monotonic() + 0.5
        counts = reporter.counts
        total = sum(counts.values())
        sys.stderr.write(f"\r{total:,} payloads checked, {counts['invalid']:,} invalid ...")
        sys.stderr.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")


def _lines(path: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a JSON Lines file, read one at a time."""
    try:
        handle = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise unreadable(exc, path) from None
    with contextlib.ExitStack() as stack:
        if handle is not sys.stdin.buffer:
            stack.enter_context(handle)
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"line {number} is not UTF-8 text (byte {exc.start})", file=path
                ) from None
            if text.strip():
                yield number, text


def run(
    files: list[str],
    type_name: str | None,
    schema_path: str | None,
    *,
    jsonl: bool = False,
    fmt: str = "text",
    ref_maps: tuple[RefMap, ...] = (),
    format_assert: bool = False,
    interface: str | None = None,
) -> int:
    """Check every payload of ``files`` as ``type_name`` (``"auto"``: the event type its
    ``type`` and shape select, within ``interface`` if given; ``None``: the schema's
    root) and report; return the exit status."""
    api = load_api(schema_path, ref_maps, format_assert=format_assert)
    auto = type_name == "auto"
    if interface is not None and not auto:
        raise InputError("--api only applies with --type auto")
    if auto:
        if not hasattr(api, "validate_event"):
            raise InputError("--type auto needs a schema whose root is a union of events")
        known = list(getattr(api, "EVENT_APIS", {}))
        if interface is not None and interface not in known:
            choices = ", ".join(known) if known else "none: the schema labels no interfaces"
            raise InputError(f"unknown --api {interface!r}; known: {choices}")
        label = "the event types" + (f" of the {interface} interface" if interface else "")
    else:
        try:
            validator = api.validator_for(type_name)
        except KeyError as exc:
            raise InputError(str(exc)) from None
        label = type_name if type_name is not None else "the schema's root"

    def check(payload: Any) -> tuple[str | None, list[Any]]:
        if isinstance(payload, _TooDeep):
            detail = api.ErrorDetail("", "depth", "the payload is nested too deeply to check")
            return (None if auto else type_name), [detail]
        if auto:
            try:
                return api.validate_event(payload, interface), []
            except api.ValidationError as exc:
                return exc.type_name, list(exc.errors)
        return type_name, list(validator.iter_errors(payload))

    reporter = _Reporter(fmt, sys.stdout, auto=auto)
    progress = _Progress()
    status = 0
    try:
        for path in files:
            name = "<stdin>" if path == "-" else path
            streaming = jsonl or path.lower().endswith((".jsonl", ".ndjson"))
            try:
                if streaming:
                    for number, text in _lines(path):
                        try:
                            payload = _loads(text)
                        except ValueError as exc:
                            reporter.add(
                                _Result(name, number, None, [], unreadable=_json_error(exc))
                            )
                            status = 2
                            continue
                        checked_as, errors = check(payload)
                        reporter.add(_Result(name, number, checked_as, errors))
                        status = max(status, 1 if errors else 0)
                        progress.tick(reporter)
                else:
                    text = read_text(path)
                    try:
                        payload = _loads(text)
                    except ValueError as exc:
                        raise InputError(_json_error(exc), file=name) from None
                    checked_as, errors = check(payload)
                    reporter.add(_Result(name, None, checked_as, errors))
                    status = max(status, 1 if errors else 0)
                    progress.tick(reporter)
            except InputError as exc:
                reporter.add(_Result(exc.file or name, None, None, [], unreadable=exc.message))
                status = 2
    finally:
        progress.done()
    reporter.close(label)
    return status
