"""The ``rtschema`` command.

Exit status: 0 success; 1 a verdict the user asked for came out negative (an invalid
payload, generated files out of date, a breaking change); 2 a usage or input error
(reported as one line, never a traceback); 3 a bug in rtschema itself (one line too;
``RTSCHEMA_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import InputError

if TYPE_CHECKING:
    from .project import Project
    from .source.remote import RefMap

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise InputError(message)


def _project(required: bool = True) -> Project | None:
    from .project import find_project  # not needed by rtschema validate: it starts faster

    project = find_project()
    if project is None and required:
        raise InputError(
            "no [tool.rtschema] section in a pyproject.toml here or above; run inside the project"
        )
    return project


# --------------------------------------------------------------------------- validate


def _ref_maps(args: argparse.Namespace) -> tuple[RefMap, ...]:
    texts = getattr(args, "ref_map", None)
    if not texts:
        return ()  # most runs: rtschema validate starts faster without the module
    from .source.remote import parse_ref_map

    return tuple(parse_ref_map(text) for text in texts)


def _cmd_validate(args: argparse.Namespace) -> int:
    from . import validate

    return validate.run(
        args.files,
        args.type,
        args.schema,
        jsonl=args.jsonl,
        fmt=args.format,
        ref_maps=_ref_maps(args),
        format_assert=args.format_assert,
        interface=args.api,
        verbose=args.verbose,
    )


def _cmd_types(args: argparse.Namespace) -> int:
    from . import catalog

    return catalog.run(args.schema, _ref_maps(args), fmt=args.format)


def _cmd_export(args: argparse.Namespace) -> int:
    from .source.keywords import dump_json
    from .validate import load_api

    api = load_api(args.schema, _ref_maps(args))
    try:
        document = api.schema_for(args.type)
    except KeyError as exc:
        raise InputError(str(exc)) from None
    _write_output(args.output, dump_json(document), f"wrote {args.output}")
    return 0


def _write_output(output: str | None, text: str, done: str) -> None:
    """Write ``text`` to standard output (``None`` or ``-``) or atomically to a file."""
    from .write import replace_files

    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        replace_files({Path(output): text})
        print(done, file=sys.stderr)


def _cmd_docs(args: argparse.Namespace) -> int:
    from . import generate

    files = generate.generate_docs(
        args.schema, args.out, args.format, args.samples, _ref_maps(args), force=args.force
    )
    print(f"wrote {len(files)} files to {args.out}")
    return 0


def _cmd_import_openapi(args: argparse.Namespace) -> int:
    from .source import openapi
    from .source.keywords import dump_json

    document = openapi.read_document(args.spec)
    bundle = openapi.to_bundle(document, args.spec, list(dict.fromkeys(args.root)))
    _write_output(
        args.output, dump_json(bundle), f"wrote {args.output}: {len(bundle['$defs'])} types"
    )
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    import contextlib
    import io

    from .evolution import diff
    from .generate import load_ir

    with contextlib.redirect_stderr(io.StringIO()):
        old, _ = load_ir(args.old)
        new, _ = load_ir(args.new)
    changes = diff.diff_schemas(old, new)
    render = diff.render_json if args.format == "json" else diff.render_text
    sys.stdout.write(render(changes, args.old, args.new))
    return 1 if any(c.breaking for c in changes) else 0


# --------------------------------------------------------------------------- sync


def _cmd_sync(args: argparse.Namespace) -> int:
    from .evolution import sync

    project = _project()
    assert project is not None
    return sync.run(project, args.spec, check=args.check)


# --------------------------------------------------------------------------- generate / check


def _cmd_generate(args: argparse.Namespace) -> int:
    from . import generate

    if args.schema or args.out or args.package:
        if not (args.schema and args.out and args.package):
            raise InputError("--schema, --out and --package go together")
        files = generate.generate_package(
            args.schema,
            args.out,
            args.package,
            ref_maps=_ref_maps(args),
            format_assert=args.format_assert,
            force=args.force,
        )
        print(f"wrote {len(files)} files to {Path(args.out) / args.package}")
        return 0
    if args.ref_map or args.format_assert:
        raise InputError("--ref-map and --format-assert go with --schema, --out and --package")
    project = _project()
    assert project is not None
    files = generate.generate_project(project, force=args.force)
    print(f"wrote {len(files)} files to {project.out.relative_to(project.root)}/")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from . import generate

    project = _project()
    assert project is not None
    lines = generate.check_project(project)
    if lines:
        for line in lines:
            print(line)
        print(
            f"rtschema: {project.out.relative_to(project.root)}/ is not current; run 'rtschema generate'",
            file=sys.stderr,
        )
        return 1
    print(f"{project.out.relative_to(project.root)}/ is current")
    return 0


# --------------------------------------------------------------------------- main


def _add_other_schema(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--schema",
        metavar="PATH",
        help="another JSON Schema or OpenAPI file (default: realtime_schema)",
    )


def _add_output_format(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )


def _add_ref_map(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ref-map",
        action="append",
        metavar="PREFIX=DIR",
        help="read $refs whose URI starts with PREFIX from the folder DIR (or, when DIR is a "
        "file, the one URI PREFIX from that file); repeatable. Nothing is ever fetched; the "
        "standard meta-schemas are known without a map",
    )


def _add_format_assert(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format-assert",
        action="store_true",
        help="check 'format' (date-time, email, uri, ...) instead of treating it as an annotation",
    )


def _add_force(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that holds files rtschema did not write: its files replace "
        "those at the same paths, everything else stays (without --force such a folder is "
        "refused; rtschema otherwise replaces only what its manifest, .rtschema-manifest, lists)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rtschema",
        description="The canonical Realtime session schema: validate payloads, generate code and docs.",
    )
    parser.add_argument("--version", action="version", version=f"rtschema {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser(
        "validate",
        help="check JSON payloads against a type of the schema",
        description="Check JSON payloads with the generated validators. Exit 0 when all are valid, "
        "1 when any is invalid (each error printed as FILE[:LINE]#POINTER: message), 2 for usage or "
        "input errors.",
    )
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="JSON or JSON Lines files; - reads standard input"
    )
    p.add_argument(
        "--type",
        "-t",
        metavar="TYPE",
        help="the type name (e.g. RealtimeSession; 'rtschema types' lists them), an event's "
        "'type' (e.g. session.update: where several types share it, each payload's shape "
        "picks one), or 'auto' to pick the event type from each payload's 'type' and shape "
        "(default: the schema's root)",
    )
    p.add_argument(
        "--api",
        metavar="API",
        help="with --type auto or an event's 'type': judge events only as the types of this "
        "interface (for the canonical schema: ga, beta or translation)",
    )
    p.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="one line per payload, valid ones too: 'FILE[:LINE]: valid as TYPE'",
    )
    _add_other_schema(p)
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSON Lines: one payload per line (implied for .jsonl and .ndjson files)",
    )
    _add_output_format(p)
    _add_ref_map(p)
    _add_format_assert(p)
    p.set_defaults(run=_cmd_validate)

    p = commands.add_parser(
        "types",
        help="list the schema's types: name, kind, event 'type', description",
        description="List every type of the schema (the names --type and export take): its "
        "kind, the 'type' value of an event (which --type also takes) and its interface, and "
        "the first sentence of its description.",
    )
    _add_other_schema(p)
    _add_output_format(p)
    _add_ref_map(p)
    p.set_defaults(run=_cmd_types)

    p = commands.add_parser(
        "export",
        help="write a self-contained JSON Schema for one type",
        description="Write a 2020-12 schema holding TYPE and only the $defs it needs, for services "
        "in other languages.",
    )
    p.add_argument(
        "type", metavar="TYPE", help="the type name, e.g. RealtimeClientEventSessionUpdate"
    )
    p.add_argument(
        "-o", "--output", metavar="FILE", help="where to write it (default: standard output)"
    )
    _add_other_schema(p)
    _add_ref_map(p)
    p.set_defaults(run=_cmd_export)

    p = commands.add_parser(
        "generate",
        help="generate the package (dataclasses, TypedDicts, validators) from the schema",
        description="Without options: the project's canonical schema into generated/ (settings in "
        "pyproject.toml). With --schema, --out and --package: any JSON Schema or OpenAPI document "
        "into the importable package OUT/PACKAGE.",
    )
    p.add_argument(
        "--schema", metavar="PATH", help="JSON Schema or OpenAPI document (JSON or YAML)"
    )
    p.add_argument("--out", metavar="DIR", help="folder to write the package into")
    p.add_argument("--package", metavar="NAME", help="the package's name (a Python identifier)")
    _add_ref_map(p)
    _add_format_assert(p)
    _add_force(p)
    p.set_defaults(run=_cmd_generate)

    p = commands.add_parser(
        "docs",
        help="render the documentation of any schema (Markdown pages and one HTML page)",
        description="Render the reference documentation of a JSON Schema or OpenAPI document into "
        "DIR (what rtschema wrote there before is replaced; other files are kept). The "
        "project's own docs are written by 'generate'.",
    )
    p.add_argument(
        "--schema", required=True, metavar="PATH", help="JSON Schema or OpenAPI document"
    )
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the docs into")
    p.add_argument(
        "--format",
        choices=("md", "html"),
        help="only Markdown or only the HTML page (default: both)",
    )
    p.add_argument(
        "--samples",
        metavar="DIR",
        help="valid samples (DIR/<Type>/valid/*.json) to take examples from",
    )
    _add_ref_map(p)
    _add_force(p)
    p.set_defaults(run=_cmd_docs)

    p = commands.add_parser("check", help="exit 1 and show a diff when generated/ is not current")
    p.set_defaults(run=_cmd_check)

    p = commands.add_parser(
        "import-openapi",
        help="write a 2020-12 bundle of some types of an OpenAPI document and all they reference",
        description="Import the closure of the given component schemas from an OpenAPI 3.0/3.1 "
        "document (JSON or YAML) as one JSON Schema 2020-12 bundle: $refs become #/$defs/..., "
        "nullable and discriminator are translated, x- extensions dropped; sorted and deterministic.",
    )
    p.add_argument("spec", metavar="SPEC", help="the OpenAPI document")
    p.add_argument(
        "--root",
        "-r",
        action="append",
        required=True,
        metavar="TYPE",
        help="a component schema to import (repeatable)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write the bundle (default: standard output)",
    )
    p.set_defaults(run=_cmd_import_openapi)

    p = commands.add_parser(
        "diff",
        help="compare two schemas type by type; exit 1 when a change breaks clients",
        description="Compare two schemas (any form rtschema reads) and classify each change as "
        "breaking or compatible for data clients send and data they receive.",
    )
    p.add_argument("old", metavar="OLD", help="the earlier schema")
    p.add_argument("new", metavar="NEW", help="the later schema")
    _add_output_format(p)
    p.set_defaults(run=_cmd_diff)

    p = commands.add_parser(
        "sync",
        help="rebuild the canonical schema from an upstream OpenAPI document and our layer",
    )
    p.add_argument("spec", metavar="SPEC", help="the upstream OpenAPI document (JSON or YAML)")
    p.add_argument(
        "--check",
        action="store_true",
        help="only report whether the schema would change (exit 1 if so)",
    )
    p.set_defaults(run=_cmd_sync)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
    except InputError as exc:
        print(f"rtschema: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rtschema: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except RecursionError:
        print(
            "rtschema: error: input nested too deeply to process; nothing was written",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:  # a bug in rtschema, not in the input
        if os.environ.get("RTSCHEMA_DEBUG"):
            raise
        print(
            f"rtschema: internal error: {type(exc).__name__}: {exc}; nothing was written "
            "(set RTSCHEMA_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
