"""``rtschema validate``: check JSON payloads with the generated validators."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TextIO

from .errors import InputError
from .source.read import read_text, unreadable

if TYPE_CHECKING:  # not imported at run time: rtschema validate starts faster
    from .source.remote import RefMap

__all__ = ["load_api", "run"]


class _TooDeep:
    """Stands for a payload the JSON parser could not even read for its nesting."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: One decoder for every payload (``json.loads`` with a hook makes a new one per call).
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


#: What JSON counts as whitespace around a document (``str.strip()`` would take more).
_JSON_SPACE = " \t\n\r"


def _loads(text: str) -> Any:
    """The JSON document ``text`` holds (``_TooDeep`` when it nests too deeply to read),
    or the decoder's ``ValueError``. The document alone is read once; anything else
    (a mistake, or text after the document) is read again by ``decode`` for its error
    and position."""
    body = text.strip(_JSON_SPACE)
    try:
        value, end = _DECODER.raw_decode(body)
        if end == len(body):
            return value
        return _DECODER.decode(text)
    except RecursionError:
        return _TooDeep()
    except ValueError:
        try:
            return _DECODER.decode(text)
        except RecursionError:
            return _TooDeep()


class _Unreadable(NamedTuple):
    """Why a payload could not be read, and where (line and column in its file)."""

    message: str
    line: int | None = None
    column: int | None = None


def _json_error(exc: ValueError, text: str, *, whole_file: bool) -> _Unreadable:
    """``exc`` (from parsing ``text``) as one message with its line and column in
    ``text``. Where a whole file holds a second document on a line of its own, the
    message says to read it as JSON Lines."""
    if not isinstance(exc, json.JSONDecodeError):
        return _Unreadable(f"invalid JSON: {exc}")
    message = exc.msg
    if whole_file and not text.strip():
        message = "no JSON document (the input is empty or blank)"
    elif message == "Extra data":
        before = text[: exc.pos]
        if whole_file and "\n" in before[len(before.rstrip()) :]:
            message = (
                "a second JSON document starts here; "
                "for one document per line (JSON Lines), pass --jsonl"
            )
        else:
            message = "extra data after the JSON document"
    return _Unreadable(f"invalid JSON: {message}", exc.lineno, exc.colno)


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
    # Only for a package made from --schema: rtschema validate starts faster without them.
    import atexit
    import hashlib
    import importlib
    import shutil
    import tempfile

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


class _Result(NamedTuple):
    source: str
    line: int | None
    type_name: str | None
    errors: list[Any]
    unreadable: str | None = None
    column: int | None = None

    @classmethod
    def not_json(cls, source: str, line: int | None, problem: _Unreadable) -> _Result:
        """The result for a payload of ``source`` at ``line`` that is not JSON."""
        return cls(source, line, None, [], unreadable=problem.message, column=problem.column)


class _Reporter:
    """Prints results as text or as one JSON document.

    Text: each error as ``WHERE#POINTER: message``; before them, when the type was chosen
    per payload (``per_payload``: ``--type auto`` or an event's ``type``) or with
    ``verbose``, ``WHERE: invalid as TYPE``; with ``verbose`` also ``WHERE: valid as
    TYPE`` for each valid payload. Unreadable payloads go to standard error.
    """

    def __init__(
        self,
        fmt: str,
        out: TextIO,
        *,
        per_payload: bool = False,
        verbose: bool = False,
    ) -> None:
        self.fmt = fmt
        self.out = out
        #: Event dispatch: say which type each invalid payload was checked as, and
        #: count the payloads by type.
        self.per_payload = per_payload
        self.verbose = verbose
        self.types: dict[str, int] = {}
        self.first = True
        self.counts = {"valid": 0, "invalid": 0, "unreadable": 0}
        #: Text output prints nothing for a valid payload unless verbose.
        self.quiet_when_valid = fmt == "text" and not verbose
        if fmt == "json":
            out.write('{"results": [')

    def add(self, result: _Result) -> None:
        if self.quiet_when_valid and not result.errors and not result.unreadable:
            self.counts["valid"] += 1  # the common case, kept short: nothing to print
            if result.type_name:
                self.types[result.type_name] = self.types.get(result.type_name, 0) + 1
            return
        key = "unreadable" if result.unreadable else "invalid" if result.errors else "valid"
        self.counts[key] += 1
        if result.type_name and not result.unreadable:
            self.types[result.type_name] = self.types.get(result.type_name, 0) + 1
        where = result.source + "".join(
            f":{n}" for n in (result.line, result.column) if n is not None
        )
        if self.fmt == "json":
            item: dict[str, Any] = {"file": result.source}
            if result.line is not None:
                item["line"] = result.line
            if result.column is not None:
                item["column"] = result.column
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
            if self.verbose or (result.errors and self.per_payload and result.type_name):
                self.out.write(f"{where}: {key}{self._as(result.type_name)}\n")
            for error in result.errors:
                self.out.write(f"{where}#{error.path}: {error.message}\n")

    def _as(self, type_name: str | None) -> str:
        if type_name is not None:
            return f" as {type_name}"
        return "" if self.per_payload else " against the schema's root"

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
        if self.per_payload and self.types:
            ranked = sorted(self.types.items(), key=lambda item: (-item[1], item[0]))
            shown = ", ".join(f"{name} ({n})" for name, n in ranked[:8])
            more = f", and {len(ranked) - 8} more types" if len(ranked) > 8 else ""
            # Which payload was which, when the counts cannot tell.
            hint = (
                "; -v names each payload's type"
                if len(ranked) > 1 and not self.verbose and self.fmt == "text"
                else ""
            )
            print(f"checked as: {shown}{more}{hint}", file=sys.stderr)


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
            if not text.isspace():  # a line holds at least its end of line
                yield number, text


class _Target(NamedTuple):
    """What each payload is checked as."""

    #: What the summary says the payloads were checked against.
    label: str
    #: One type (``None``: the schema's root), when the type is fixed.
    type_name: str | None = None
    #: The type is chosen per payload (event dispatch), among these types
    #: (``None``: every event type, as ``--type auto``).
    per_payload: bool = False
    candidates: tuple[str, ...] | None = None
    #: A line for standard error, before the results.
    note: str | None = None


def _unknown_type(api: Any, name: str, schema_path: str | None) -> InputError:
    """One line: close type names and event ``type`` values, and where to find the rest."""
    import difflib
    import shlex

    types = list(api.TYPES)
    events = list(getattr(api, "EVENT_TYPES", {}))
    close = difflib.get_close_matches(name, types + events, n=3, cutoff=0.6)
    message = f"unknown type {name!r}" + (f"; did you mean {', '.join(close)}?" if close else "")
    listing = "rtschema types" + (f" --schema {shlex.quote(schema_path)}" if schema_path else "")
    hint = f"'{listing}' lists the {len(types)} type{'s' if len(types) != 1 else ''}"
    if hasattr(api, "validate_event"):
        hint += "; --type auto picks each event's type from the payload"
    return InputError(f"{message} ({hint})")


def _target(
    api: Any, type_name: str | None, interface: str | None, schema_path: str | None
) -> _Target:
    """What ``--type`` (and ``--api``) name: the schema's root, ``auto``, a type, or the
    wire name of an event (its ``type``), whose types are told apart per payload."""
    events: dict[str, tuple[str, ...]] = getattr(api, "EVENT_TYPES", {})
    apis: dict[str, frozenset[str]] = getattr(api, "EVENT_APIS", {})
    is_event = type_name == "auto" or (
        type_name is not None and type_name not in api.TYPES and type_name in events
    )
    if interface is not None:
        if not is_event:
            raise InputError("--api only applies with --type auto or an event's type")
        if interface not in apis:
            choices = ", ".join(apis) if apis else "none: the schema labels no interfaces"
            raise InputError(f"unknown --api {interface!r}; known: {choices}")
    if type_name == "auto":
        if not hasattr(api, "validate_event"):
            raise InputError("--type auto needs a schema whose root is a union of events")
        label = "the event types" + (f" of the {interface} interface" if interface else "")
        return _Target(label, per_payload=True)
    if type_name is None or type_name in api.TYPES:
        label = type_name if type_name is not None else "the schema's root"
        return _Target(label, type_name)
    if type_name not in events:
        raise _unknown_type(api, type_name, schema_path)
    names = tuple(
        name for name in events[type_name] if interface is None or name in apis[interface]
    )
    if not names:
        owners = sorted({a for a, members in apis.items() if set(events[type_name]) & members})
        raise InputError(
            f"no {type_name!r} event in the {interface} interface"
            + (f" (it is in: {', '.join(owners)})" if owners else "")
        )
    if len(names) == 1:
        return _Target(f"{names[0]} (the {type_name!r} event)", names[0])

    def labelled(name: str) -> str:
        owner = next((a for a, members in apis.items() if name in members), None)
        return f"{name} ({owner})" if owner else name

    note = (
        f"rtschema: note: {type_name!r} is the type of {len(names)} events: "
        f"{', '.join(labelled(n) for n in names)}; each payload is checked as the one its "
        "shape selects, as --type auto does"
    )
    return _Target(f"the {type_name!r} event types", None, True, names, note)


def _quick_check(
    api: Any, target: _Target, validator: Any, interface: str | None, quiet: bool
) -> Callable[[Any], str | Literal[True] | None]:
    """For output that prints nothing for a valid payload: a function giving, for a
    valid payload, the name of the type it was checked as (``True`` for the root), and
    ``None`` when the payload needs the full report (it is invalid, or it would be
    checked as another type than those asked for: see ``dispatch`` in :func:`run`)."""
    if not quiet or (target.per_payload and target.candidates is not None):
        return lambda payload: None
    if target.per_payload:
        if interface is None:
            return api.event_type  # type: ignore[no-any-return]
        return functools.partial(api.event_type, api=interface)
    is_valid = validator.is_valid
    name: str | Literal[True] = target.type_name or True
    return lambda payload: name if not isinstance(payload, _TooDeep) and is_valid(payload) else None


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
    verbose: bool = False,
) -> int:
    """Check every payload of ``files`` as ``type_name`` (``"auto"``: the event type its
    ``type`` and shape select, within ``interface`` if given; an event's ``type`` value:
    the same among the types of that event; ``None``: the schema's root) and report;
    return the exit status."""
    api = load_api(schema_path, ref_maps, format_assert=format_assert)
    target = _target(api, type_name, interface, schema_path)
    if target.note:
        print(target.note, file=sys.stderr)
    validator = None if target.per_payload else api.validator_for(target.type_name)

    def dispatch(payload: Any) -> tuple[str | None, list[Any]]:
        try:
            name: str | None = api.validate_event(payload, interface)
            found: list[Any] = []
        except api.ValidationError as exc:
            name, found = exc.type_name, list(exc.errors)
        candidates = target.candidates
        if candidates is None or name in candidates:
            return name, found
        # The payload's own "type" selects other types: it is judged by the closest of
        # the types asked for (the package's rule, as for events).
        chosen: tuple[str, list[Any]] = api.closest_type(payload, candidates)
        return chosen

    def check(payload: Any) -> tuple[str | None, list[Any]]:
        if isinstance(payload, _TooDeep):
            detail = api.ErrorDetail("", "depth", "the payload is nested too deeply to check")
            return target.type_name, [detail]
        if target.per_payload:
            return dispatch(payload)
        assert validator is not None
        return target.type_name, list(validator.iter_errors(payload))

    reporter = _Reporter(fmt, sys.stdout, per_payload=target.per_payload, verbose=verbose)
    progress = _Progress()
    counts, types = reporter.counts, reporter.types
    quick = _quick_check(api, target, validator, interface, reporter.quiet_when_valid)
    status = 0
    try:
        for path in files:
            name = "<stdin>" if path == "-" else path
            streaming = jsonl or path.lower().endswith((".jsonl", ".ndjson"))
            try:
                if streaming:
                    for number, text in _lines(path):
                        line = text.rstrip("\r\n")  # columns count in the file's own line
                        try:
                            payload = _loads(line)
                            # The common case kept short: a valid payload, nothing to print.
                            accepted = quick(payload)
                            if accepted is not None:
                                counts["valid"] += 1
                                if accepted is not True:
                                    types[accepted] = types.get(accepted, 0) + 1
                                if progress.enabled:
                                    progress.tick(reporter)
                                continue
                        except ValueError as exc:
                            problem = _json_error(exc, line, whole_file=False)
                            at = number + (problem.line or 1) - 1
                            reporter.add(_Result.not_json(name, at, problem))
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
                        problem = _json_error(exc, text, whole_file=True)
                        reporter.add(_Result.not_json(name, problem.line, problem))
                        status = 2
                        continue
                    checked_as, errors = check(payload)
                    reporter.add(_Result(name, None, checked_as, errors))
                    status = max(status, 1 if errors else 0)
                    progress.tick(reporter)
            except InputError as exc:
                reporter.add(_Result(exc.file or name, None, None, [], unreadable=exc.message))
                status = 2
    finally:
        progress.done()
    reporter.close(target.label)
    return status
