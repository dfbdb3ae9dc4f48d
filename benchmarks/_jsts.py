"""The official JSON-Schema-Test-Suite as a benchmark: generating every group, and
checking every test instance against rtschema, jsonschema and jsonschema-rs.

The suite is read as ``tests/test_json_schema_test_suite.py`` reads it: every required
file of a draft (not ``optional/``), one generated package per test group, named the
same way, ``$schema`` added where a group's schema has none, and the suite's
``remotes/`` mapped as ``http://localhost:1234/``. The packages of a draft are written
by one call of ``rtschema.generate.generate_packages`` (one ruff run per batch), the
Python form of ``rtschema generate --schema ... --ref-map ...``.
"""

from __future__ import annotations

import gc
import json
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _timing import alternating, forget, import_fresh, quiet

DRAFTS = {
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
    "draft7": "http://json-schema.org/draft-07/schema#",
}
REMOTE = "http://localhost:1234/"
ENGINES = ("rtschema", "jsonschema", "jsonschema-rs")


@dataclass
class Group:
    file: str
    index: int
    description: str
    package: str
    schema: Any
    tests: list[tuple[Any, bool]]


@dataclass
class Verdicts:
    """How one engine did on one draft's instances."""

    right: int = 0
    wrong: int = 0
    crashed: int = 0
    unbuilt: int = 0  # instances whose group's validator could not be built
    unbuilt_groups: list[str] = field(default_factory=list)
    #: What went wrong, one line per group: ``file #index: problem`` (first of each group).
    problems: dict[str, str] = field(default_factory=dict)


def _package(draft: str, path: Path, index: int) -> str:
    stem = re.sub(r"\W", "_", path.stem)
    return f"jsts_{draft.replace('-', '_')}_{stem}_{index}"


def load_groups(suite: Path, draft: str) -> list[Group]:
    groups = []
    for path in sorted((suite / "tests" / draft).glob("*.json")):
        for index, group in enumerate(json.loads(path.read_text("utf-8"))):
            schema = group["schema"]
            if isinstance(schema, dict) and "$schema" not in schema:
                schema = {"$schema": DRAFTS[draft], **schema}
            tests = [(test["data"], test["valid"]) for test in group["tests"]]
            groups.append(
                Group(
                    path.name,
                    index,
                    group["description"],
                    _package(draft, path, index),
                    schema,
                    tests,
                )
            )
    return groups


def _remote(suite: Path, uri: str) -> Any:
    if not uri.startswith(REMOTE):
        raise LookupError(f"not a suite remote: {uri}")
    target = (suite / "remotes" / uri[len(REMOTE) :].split("#", 1)[0]).resolve()
    if not target.is_relative_to(suite / "remotes") or not target.is_file():
        raise LookupError(f"no such remote: {uri}")
    return json.loads(target.read_text("utf-8"))


def _peer_builders(suite: Path, draft: str) -> dict[str, Callable[[Any], Callable[[Any], bool]]]:
    """Each peer's ``schema -> is_valid``, built once per group, remotes read from the
    suite's folder (never the network), format as an annotation (as for rtschema)."""
    import jsonschema
    import jsonschema_rs
    import referencing
    import referencing.exceptions
    import referencing.jsonschema

    default = (
        referencing.jsonschema.DRAFT202012
        if draft == "draft2020-12"
        else referencing.jsonschema.DRAFT7
    )

    def retrieve(uri: str) -> referencing.Resource[Any]:
        try:
            contents = _remote(suite, uri)
        except LookupError as exc:
            raise referencing.exceptions.NoSuchResource(ref=uri) from exc
        return referencing.Resource.from_contents(contents, default_specification=default)

    registry: referencing.Registry[Any] = referencing.Registry(retrieve=retrieve)  # type: ignore[call-arg]

    def js(schema: Any) -> Callable[[Any], bool]:
        cls = jsonschema.validators.validator_for(schema)
        return cls(schema, registry=registry).is_valid

    def rs(schema: Any) -> Callable[[Any], bool]:
        return jsonschema_rs.validator_for(
            schema,
            retriever=lambda uri: _remote(suite, uri),
            validate_formats=False,
        ).is_valid

    return {"jsonschema": js, "jsonschema-rs": rs}


def bench_draft(suite: Path, draft: str, repeats: int, gen_repeats: int) -> dict[str, Any]:
    from rtschema.errors import InputError
    from rtschema.generate import generate_packages
    from rtschema.source.remote import parse_ref_map

    groups = load_groups(suite, draft)
    ref_map = parse_ref_map(f"{REMOTE}={suite / 'remotes'}")
    tmp = Path(tempfile.mkdtemp(prefix="rtschema-bench-jsts-"))
    try:
        sources = tmp / "schemas"
        sources.mkdir()
        jobs = []
        for group in groups:
            source = sources / f"{group.package}.json"
            source.write_text(json.dumps(group.schema), "utf-8")
            jobs.append((str(source), group.package))

        # rtschema refuses no group of the suite today; should one be refused, the batch
        # fails as a whole, so it is left out (found one schema at a time, untimed) and
        # its instances count as "not built".
        refused: dict[str, str] = {}
        with quiet():
            try:
                generate_packages(jobs, str(tmp / "probe"), ref_maps=(ref_map,))
            except InputError:
                for source, package in jobs:
                    try:
                        generate_packages(
                            [(source, package)], str(tmp / "probe"), ref_maps=(ref_map,)
                        )
                    except InputError as exc:
                        refused[package] = " ".join(str(exc).split())[:80]
        jobs = [job for job in jobs if job[1] not in refused]

        # (a) generation: every group of the draft in one batch, into a fresh folder each time.
        gen_times = []
        out = tmp
        for attempt in range(gen_repeats):
            out = tmp / f"out{attempt}"
            gc.collect()
            start = time.perf_counter()
            with quiet():
                generate_packages(jobs, str(out), ref_maps=(ref_map,))
            gen_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        modules = {package: import_fresh(out, package) for _, package in jobs}
        import_time = time.perf_counter() - start

        # Building the peers' validators, for context (jsonschema resolves $refs lazily,
        # jsonschema-rs compiles up front).
        builders = _peer_builders(suite, draft)
        checks: dict[str, dict[str, Callable[[Any], bool] | None]] = {
            "rtschema": {
                g.package: modules[g.package].is_valid if g.package in modules else None
                for g in groups
            }
        }
        build_times: dict[str, float] = {}
        build_errors = {
            f"rtschema {package}": f"refused: {text}" for package, text in refused.items()
        }
        for name, build in builders.items():
            built: dict[str, Callable[[Any], bool] | None] = {}
            start = time.perf_counter()
            for group in groups:
                try:
                    built[group.package] = build(group.schema)
                except Exception as exc:
                    built[group.package] = None
                    message = " ".join(str(exc).split())[:80]
                    build_errors[f"{name} {group.package}"] = f"{type(exc).__name__}: {message}"
            build_times[name] = time.perf_counter() - start
            checks[name] = built

        # (b) verdicts of every engine on every instance.
        verdicts = {name: Verdicts() for name in ENGINES}
        common: dict[str, list[tuple[Callable[[Any], bool], Any]]] = {n: [] for n in ENGINES}
        instances = 0
        for group in groups:
            for data, expected in group.tests:
                instances += 1
                ok = True
                for name in ENGINES:
                    check = checks[name][group.package]
                    tally = verdicts[name]
                    where = f"{group.file} #{group.index} ({group.description})"
                    if check is None:
                        tally.problems.setdefault(
                            where, "not built: " + build_errors[f"{name} {group.package}"]
                        )
                        tally.unbuilt += 1
                        if group.package not in tally.unbuilt_groups:
                            tally.unbuilt_groups.append(group.package)
                        ok = False
                        continue
                    try:
                        verdict = check(data)
                    except Exception as exc:
                        message = " ".join(str(exc).split())[:80]
                        tally.problems.setdefault(
                            where, f"crashed: {type(exc).__name__}: {message}"
                        )
                        tally.crashed += 1
                        ok = False
                        continue
                    if verdict == expected:
                        tally.right += 1
                    else:
                        tally.problems.setdefault(where, "wrong verdict")
                        tally.wrong += 1
                if ok:
                    for name in ENGINES:
                        check = checks[name][group.package]
                        assert check is not None
                        common[name].append((check, data))

        def loop(pairs: list[tuple[Callable[[Any], bool], Any]]) -> Callable[[], None]:
            def run() -> None:
                for check, data in pairs:
                    check(data)

            return run

        times = alternating({name: loop(common[name]) for name in ENGINES}, repeats)
        result = {
            "draft": draft,
            "groups": len(groups),
            "instances": instances,
            "generate": statistics.median(gen_times),
            "generated": len(jobs),
            "generate_runs": len(gen_times),
            "import": import_time,
            "build": build_times,
            "verdicts": verdicts,
            "timed": len(common["rtschema"]),
            "validate": times,
        }
        del modules, checks, common
        for group in groups:
            forget(group.package)
        gc.collect()
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
