"""Differential test: the generated validators against python-jsonschema, on random schemas.

``schema_strategies.py`` draws random JSON Schema documents (2020-12 and draft-07, every
validation keyword, references, recursion, dynamic references, ``unevaluated*``) and
instances biased toward each document. For every drawn document a package is generated
and imported (:func:`generate_many`, the one place that calls the generator), and for
every instance the package's root-schema API must agree with jsonschema
(``reference.reference_for(schema)``, no format checker):

* the verdict: ``package.is_valid(instance)`` is jsonschema's ``is_valid``;
* the error locations: ``{e.path for e in package.iter_errors(instance)}`` is
  ``support.reference_pointers(validator, instance)`` (inside ``anyOf``/``oneOf``, the
  errors of the one branch the value was meant for, or of the closest one);
* self-consistency: ``is_valid`` is true exactly when ``iter_errors`` yields nothing, and
  ``validate`` raises ``ValidationError`` exactly then, with the same locations;
* the models are lossless: a valid instance, built by ``parse`` (dataclasses for its
  objects) and dumped back, is the instance again, types included (``1`` stays ``1``,
  ``1.0`` stays ``1.0``, unknown properties are kept).

Generating and importing a package costs far more than checking an instance, so each
hypothesis example is a *batch* of documents, generated in one go; the instances of each
document are then drawn by an inner hypothesis test (deterministic for a given document),
which shrinks a failing instance.
The outer test does not shrink: hypothesis would regenerate packages for hundreds of
candidate batches and still leave most of a random document in place. Instead the first
failure is *minimized* directly on the JSON (:func:`minimize`: keywords, subschemas and
parts of the instance are cut away for as long as the same kind of failure remains, within
``MINIMIZE_SECONDS``), and reported with the document, the instance, both verdicts and
both sets of locations: a ready bug report, and a line to add to ``REGRESSIONS``.

Per run of the ``ci`` profile: 192 documents and about 3,000 document/instance pairs;
``HYPOTHESIS_PROFILE=thorough`` draws ten times as many. The last test checks the count,
that valid and invalid instances are both well represented, that every keyword of each
dialect was drawn and that nesting 3 levels deep was common.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import validators as js_validators

from reference import reference_for, reference_pointers
from schema_strategies import (
    DIALECTS,
    KEYWORDS,
    depth_of,
    dialect_of,
    instances,
    keywords_of,
    schemas,
    simpler_instances,
    simpler_schemas,
)
from support import import_fresh, same_json

# ============================================================================ the generator


def generate_many(schemas: list[Any], folder: Path) -> list[ModuleType]:
    """Generate one package per schema into ``folder`` and import them.

    The only code in this module that calls the generator: retarget it here. Each schema
    is written to ``folder/schemas/<package>.json`` first; the package is named after a
    hash of the schema. A schema the generator refuses or crashes on, or a package that
    does not import, raises :class:`Failure` naming the schema.
    """
    from rtschema.generate import generate_packages

    (folder / "schemas").mkdir(exist_ok=True)
    jobs = []
    for schema in schemas:
        name = package_name(schema)
        path = folder / "schemas" / f"{name}.json"
        path.write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
        jobs.append((schema, str(path), name))

    def generate(batch: list[tuple[Any, str, str]]) -> list[ModuleType]:
        with recursion_headroom(1000):
            generate_packages([(path, name) for _, path, name in batch], str(folder))
        return [import_fresh(folder, name) for _, _, name in batch]

    modules, problem = attempt(generate, jobs)
    if modules is not None:
        return modules
    # One ruff run formats the whole batch; on a failure, find the schema at fault.
    for job in jobs:
        module, problem = attempt(generate, [job])
        if module is None:
            message = f"could not generate and import a package: {problem}"
            raise Failure(
                f"generation: {kind_of(problem)}",
                f"{message}\n  schema: {json.dumps(job[0])}",
                job[0],
            )
    raise Failure(f"generation: {kind_of(problem)}", f"the batch failed: {problem}", None)


def canonical(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True)


def package_name(schema: Any) -> str:
    digest = hashlib.sha256(canonical(schema).encode()).hexdigest()
    return f"differential_{digest[:16]}"


@contextmanager
def recursion_headroom(frames: int) -> Iterator[None]:
    """At most ``frames`` more Python frames inside the block.

    Hypothesis raises the recursion limit by 2,000 while a test runs; a generator that
    recursed without end once overflowed the C stack there (a segmentation fault, which
    ends the whole run) before reaching the limit. A lower limit makes it a RecursionError.
    """
    old = sys.getrecursionlimit()
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    sys.setrecursionlimit(min(old, depth + frames))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# ============================================================================ comparing

#: No instance (a failure to generate concerns the schema alone).
NO_INSTANCE: Any = object()


class Failure(AssertionError):
    """A disagreement with jsonschema, or a crash, about ``schema`` (and ``instance``).

    ``kind`` is what minimizing keeps: the same kind of failure on a smaller pair."""

    def __init__(self, kind: str, message: str, schema: Any, instance: Any = NO_INSTANCE):
        super().__init__(message)
        self.kind = kind
        self.schema = schema
        self.instance = instance


def kind_of(problem: str) -> str:
    """The exception's name in a problem described by :func:`attempt`."""
    return problem.split(":", 1)[0]


def attempt(call: Callable[..., Any], *args: Any) -> tuple[Any, str]:
    """``call(*args)`` and ``""``, or ``None`` and what it raised, with the last frames.

    Callers raise their :class:`Failure` outside any ``except`` block, so that it carries
    no ``__context__``: hypothesis tells failures apart by where they were raised, chained
    exceptions included, and a ``RecursionError`` is raised at a different depth each time."""
    try:
        return call(*args), ""
    except Exception as exc:
        where = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)[-4:]))
        return None, f"{type(exc).__name__}: {str(exc)[:500]}\n{where.rstrip()}"


#: Pairs compared, by source (a dialect, or "regression").
COMPARED: Counter[str] = Counter()
#: jsonschema's verdicts on the drawn pairs.
VERDICTS: Counter[bool] = Counter()
#: The distinct drawn documents, by dialect (as canonical JSON).
DOCUMENTS: dict[str, set[str]] = {dialect: set() for dialect in DIALECTS}
_PACKAGES: dict[str, ModuleType] = {}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("differential")


def packages_for(batch: list[Any], folder: Path) -> list[ModuleType]:
    """The packages of ``batch``, generating only those not generated before."""
    keys = [canonical(schema) for schema in batch]
    missing = {key: schema for key, schema in zip(keys, batch, strict=True) if key not in _PACKAGES}
    generated = generate_many(list(missing.values()), folder)
    _PACKAGES.update(zip(missing, generated, strict=True))
    return [_PACKAGES[key] for key in keys]


def reference(schema: Any) -> Any:
    """jsonschema's validator for ``schema``, after checking the schema itself."""
    js_validators.validator_for(schema).check_schema(schema)
    return reference_for(schema)


@dataclass
class Verdict:
    """What a validator says about one instance."""

    valid: Any
    pointers: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        verdict = {True: "valid", False: "invalid"}.get(self.valid, repr(self.valid))
        return f"{verdict} {sorted(self.pointers)}"


def report(problem: str, schema: Any, instance: Any, *verdicts: tuple[str, Verdict]) -> str:
    """A failure message that is a ready bug report."""
    lines = [
        problem,
        f"  schema:     {json.dumps(schema)}",
        f"  instance:   {json.dumps(instance)}",
    ]
    lines += [f"  {who + ':':11} {verdict}" for who, verdict in verdicts]
    lines.append(f"  regression: ({schema!r}, [{instance!r}]),")
    return "\n".join(lines)


def reference_verdict(validator: Any, instance: Any) -> Verdict:
    return Verdict(validator.is_valid(instance), reference_pointers(validator, instance))


def generated_verdicts(package: ModuleType, instance: Any) -> tuple[Verdict, Verdict]:
    """``is_valid`` with ``iter_errors``' locations, and what ``validate`` says."""
    ours = Verdict(package.is_valid(instance), {e.path for e in package.iter_errors(instance)})
    try:
        package.validate(instance)
    except package.ValidationError as exc:
        return ours, Verdict(False, {e.path for e in exc.errors})
    return ours, Verdict(True)


def compare(schema: Any, validator: Any, package: ModuleType, instance: Any, source: str) -> None:
    """The generated package must say what jsonschema says about ``instance``."""
    expected, problem = attempt(reference_verdict, validator, instance)
    if expected is None:
        message = f"the reference failed (jsonschema or support.reference_pointers): {problem}"
        raise Failure(
            f"reference: {kind_of(problem)}", report(message, schema, instance), schema, instance
        )
    COMPARED[source] += 1
    if source in DIALECTS:
        VERDICTS[bool(expected.valid)] += 1
    verdicts, problem = attempt(generated_verdicts, package, instance)
    if verdicts is None:
        message = report(
            f"the generated package raised {problem}", schema, instance, ("jsonschema", expected)
        )
        raise Failure(f"crash: {kind_of(problem)}", message, schema, instance)
    ours, validated = verdicts
    problems = []
    if ours.valid is not expected.valid:
        problems.append(f"the verdict differs from jsonschema's ({expected.valid} expected)")
    if ours.pointers != expected.pointers:
        problems.append("the error locations differ from jsonschema's")
    if ours.valid is not (not ours.pointers):
        problems.append("is_valid disagrees with iter_errors")
    if validated.valid is not (not ours.pointers) or validated.pointers != ours.pointers:
        problems.append("validate disagrees with iter_errors")
    if problems:
        kind = "; ".join(problems)
        verdicts_shown = (("jsonschema", expected), ("generated", ours), ("validate", validated))
        raise Failure(kind, report(kind, schema, instance, *verdicts_shown), schema, instance)
    if expected.valid:
        round_trip(schema, package, instance)


def dumped(package: ModuleType, instance: Any) -> Any:
    """The root schema's Python value of ``instance`` (``parse``), back as JSON data."""
    return package._runtime._dump(package.parse(instance))


def round_trip(schema: Any, package: ModuleType, instance: Any) -> None:
    """The models must give back a valid instance as it was: ``parse`` then dump."""
    back, problem = attempt(dumped, package, instance)
    if problem:
        message = report(f"parse or dump raised {problem}", schema, instance)
        raise Failure(f"round trip: {kind_of(problem)}", message, schema, instance)
    if not same_json(back, instance):
        message = report("the models do not give the valid instance back", schema, instance)
        raise Failure(
            "round trip", f"{message}\n  dumped:     {json.dumps(back)}", schema, instance
        )


# ============================================================================ minimizing

#: Time spent cutting a failure down before reporting it.
MINIMIZE_SECONDS = 60.0


def failure_of(schema: Any, instance: Any, folder: Path) -> Failure | None:
    """The failure on this pair, if any (``None`` too when ``schema`` is no schema)."""
    try:
        validator = reference(schema)
    except Exception:
        return None
    try:
        (package,) = packages_for([schema], folder)
        if instance is not NO_INSTANCE:
            compare(schema, validator, package, instance, "minimizing")
    except Failure as failure:
        return failure
    return None


_MINIMIZED: dict[str, str] = {}


def minimize(failure: Failure, folder: Path) -> str:
    """The report of the smallest pair, found greedily, with the same kind of failure
    (remembered: hypothesis replays the failing example once more to report it)."""
    key = json.dumps([failure.kind, failure.schema, repr(failure.instance)], sort_keys=True)
    if key not in _MINIMIZED:
        _MINIMIZED[key] = _minimize(failure, folder)
    return _MINIMIZED[key]


def _size(schema: Any, instance: Any) -> int:
    return len(json.dumps(schema)) + (0 if instance is NO_INSTANCE else len(json.dumps(instance)))


def _minimize(failure: Failure, folder: Path) -> str:
    schema, instance = failure.schema, failure.instance
    smallest, steps = failure, 0
    deadline = time.monotonic() + MINIMIZE_SECONDS
    found = True
    while found and time.monotonic() < deadline:
        found = False
        candidates = [(s, instance) for s in simpler_schemas(schema)]
        if instance is not NO_INSTANCE:
            candidates += [(schema, i) for i in simpler_instances(instance)]
        size = _size(schema, instance)
        for candidate, candidate_instance in candidates:
            if time.monotonic() > deadline:
                break
            if _size(candidate, candidate_instance) >= size:
                continue
            again = failure_of(candidate, candidate_instance, folder)
            if again is not None and again.kind == failure.kind:
                schema, instance, smallest, found = candidate, candidate_instance, again, True
                steps += 1
                break
    original = f"  (minimized in {steps} steps from: {json.dumps(failure.schema)}"
    if failure.instance is not NO_INSTANCE:
        original += f" with {json.dumps(failure.instance)}"
    return f"{smallest}\n{original})"


# ============================================================================ random schemas

#: Documents per hypothesis example (a batch generated in one go).
BATCH = 8
#: Examples (batches) per dialect: 192 documents in all with the ci profile.
BATCHES = max(1, settings.default.max_examples // 16)
#: Instances compared per document.
PER_DOCUMENT = 16


def check_instances(schema: Any, package: ModuleType, source: str) -> None:
    """Compare ``PER_DOCUMENT`` drawn instances of ``schema``; a failing instance is
    shrunk by hypothesis."""
    validator = reference(schema)

    @settings(
        max_examples=PER_DOCUMENT,
        derandomize=True,
        report_multiple_bugs=False,
        suppress_health_check=[
            *settings.default.suppress_health_check,
            HealthCheck.large_base_example,
        ],
    )
    @given(instances(schema))
    def run(instance: Any) -> None:
        compare(schema, validator, package, instance, source)

    run()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_generated_validators_agree_with_jsonschema(dialect: str, out: Path) -> None:
    @settings(
        max_examples=BATCHES,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        report_multiple_bugs=False,
        suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.nested_given],
    )
    @given(st.lists(schemas(dialect), min_size=BATCH, max_size=BATCH, unique_by=canonical))
    def run(batch: list[Any]) -> None:
        try:
            for schema, package in zip(batch, packages_for(batch, out), strict=True):
                DOCUMENTS[dialect].add(canonical(schema))
                check_instances(schema, package, dialect)
        except Failure as exc:
            failure = exc
        else:
            return
        raise AssertionError(minimize(failure, out))

    run()


# ============================================================================ regressions

#: Pairs that once disagreed, kept so that they never do again: (schema, instances).
REGRESSIONS: list[tuple[Any, list[Any]]] = [
    # A required property that additionalProperties: false forbids.
    ({"type": "object", "required": ["x"], "additionalProperties": False}, [{"x": 0}]),
    # allOf of an enum and a pattern the enum's value does not match.
    ({"allOf": [{"enum": ["blue"]}, {"pattern": "x|y"}]}, ["blue"]),
    # 2020-12 applies the keywords beside $ref.
    ({"$ref": "#/$defs/Cfg", "maxLength": 3, "$defs": {"Cfg": {"type": "string"}}}, ["abcd"]),
    # multipleOf on a huge float: jsonschema's float arithmetic decides.
    ({"multipleOf": 5}, [3.3046150374071972e38]),
    # Keywords of other types do not constrain a value.
    ({"minimum": 5, "maxLength": 2}, [3, "abc"]),
    # not of two types: 1.5 passes, "a" and 1 do not.
    ({"allOf": [{"not": {"type": "string"}}, {"not": {"type": "integer"}}]}, [1.5, "a", 1]),
    # Boolean documents.
    (True, [None, 0, "a", [], {}]),
    (False, [None, 0, "a", [], {}]),
    # A $ref into nested $defs.
    ({"$ref": "#/$defs/A/$defs/B", "$defs": {"A": {"$defs": {"B": {"type": "integer"}}}}}, ["a"]),
    # Found by this test, minimized (the generator recursed without end or refused):
    # a recursive $ref with a sibling keyword (2020-12 applies it),
    ({"properties": {"a": {"required": [], "$ref": "#"}}}, [{"a": {"a": 1}}, {"a": 1}]),
    # a recursive $ref in an allOf with another part (draft-07),
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "properties": {"a": {"allOf": [True, {"$ref": "#"}]}},
        },
        [{"a": {"a": 1}}, {"a": 1}],
    ),
    # an array of itself, reached through a property,
    (
        {
            "properties": {"a": {"$ref": "#/$defs/C"}},
            "$defs": {"C": {"items": {"$ref": "#/$defs/C"}}},
        },
        [{"a": [[], [[]]]}, {"a": [1]}],
    ),
    # draft-07 items: false fails at each item, as jsonschema reports it,
    ({"$schema": "http://json-schema.org/draft-07/schema#", "items": False}, [[0], [], [1, 2]]),
    # recursion through a property, both beside and inside allOf ("refers to itself").
    (
        {"properties": {"a": {"$ref": "#"}}, "allOf": [{"properties": {"a": {"$ref": "#"}}}]},
        [{"a": {"a": {}}}, {"a": 1}],
    ),
    # The error report of a union whose branches fix a property to an object (a const
    # that cannot be hashed) raised TypeError.
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "oneOf": [{"$ref": "def1.json"}, {"$ref": "def1.json"}],
            "definitions": {"t~": {"$id": "def1.json", "properties": {"kind": {"const": {}}}}},
        },
        [{"kind": 0}, {"kind": {}}],
    ),
    # A string const beside an enum without it: the enum still applies (the fast path
    # compared every const and enum of the node with the const's string).
    ({"$schema": "http://json-schema.org/draft-07/schema#", "enum": [], "const": "blue"}, ["blue"]),
    ({"enum": ["kind", 2.5], "const": "blue"}, ["blue", "kind", 2.5]),
    ({"const": "blue", "enum": ["blue", "kind"]}, ["blue", "kind"]),
    ({"properties": {"a": {"enum": ["b"], "const": "blue"}}}, [{"a": "blue"}, {"a": "b"}]),
    ({"items": {"type": "integer", "const": "blue"}}, [["blue"], [1]]),
    # Union branches chosen by their tag and written in the dispatching function: a tag
    # schema that rejects its own tag is still checked, a closed branch counts its tag,
    # an enum or typed tag is not read twice, a branch that also allows null, tags whose
    # branches check the same share one test.
    (
        {
            "anyOf": [
                {"type": "object", "required": ["kind"], "properties": {"kind": {"const": k}}}
                for k in ("a", "b", "c")
            ]
        },
        [{"kind": "a"}, {"kind": "b"}, {"kind": "c"}, {"kind": "d"}, {"kind": 1}, []],
    ),
    (
        {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"const": "a", "minLength": 5}},
                },
                {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}}},
            ]
        },
        [{"kind": "a"}, {"kind": "b"}, {"kind": "c"}, {}],
    ),
    (
        {
            "anyOf": [
                {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {
                        "kind": {"type": "string", "const": "a"},
                        "n": {"type": "integer"},
                    },
                    "additionalProperties": False,
                },
                {
                    "type": ["object", "null"],
                    "required": ["kind", "m"],
                    "properties": {"kind": {"enum": ["b"]}, "m": {"type": "string"}},
                },
            ]
        },
        [
            {"kind": "a"},
            {"kind": "a", "n": 1},
            {"kind": "a", "x": 1},
            {"kind": "a", "n": "1"},
            {"kind": "b"},
            {"kind": "b", "m": "s"},
            {"kind": "b", "m": 1},
            None,
        ],
    ),
    # A const reached through propertyNames (or inside a property's value) is no tag: the
    # one branch keeps its errors, at the object and inside "b" (the reference once read
    # it as a tag and reported the union). A tag reached through a $ref still is one.
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {
                "B": {
                    "$id": "#anchor3",
                    "propertyNames": {"const": -1},
                    "properties": {"b": {"$ref": "#anchor3"}},
                }
            },
            "anyOf": [{"$ref": "#anchor3"}],
        },
        [{"b": {"x-y": 0}}, {"b": {}}, {}],
    ),
    (
        {
            "oneOf": [
                {"properties": {"t": {"$ref": "#/$defs/A"}, "n": {"type": "integer"}}},
                {"properties": {"t": {"$ref": "#/$defs/B"}, "n": {"type": "string"}}},
            ],
            "$defs": {"A": {"const": "a"}, "B": {"const": "b"}},
        },
        [{"t": "a", "n": "x"}, {"t": "b", "n": 1}, {"t": "c", "n": 1}, {"t": "a", "n": 1}],
    ),
    # draft-07 ignores keywords beside $ref in an allOf part too (here a union branch
    # merged with the keywords beside the union): the branch is the reference to true,
    # not an enum of nothing, so the models build {} as the value it is.
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "required": [],
            "oneOf": [
                {"oneOf": [{"required": ["kind"]}]},
                {"enum": [], "$ref": "#/definitions/a~1b"},
            ],
            "definitions": {"a/b": True},
        },
        [{}, {"kind": 1}, 5],
    ),
    # Only a property's own const (through $refs) is its tag: one reached through then
    # (or allOf) constrains the value, so the one branch keeps its error inside "b". The
    # validators once read it as a tag and reported the union; the property's own const
    # beside it still is one, whichever of the two fails.
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "oneOf": [{"properties": {"b": {"if": {}, "then": {"const": 1}}}}],
        },
        [{"b": 0}, {"b": 1}, {}],
    ),
    (
        {
            "oneOf": [
                {"properties": {"b": {"allOf": [{"const": 1}]}, "n": {"type": "string"}}},
                {
                    "properties": {
                        "b": {"const": 2, "allOf": [{"const": 2}, {"$ref": "#/$defs/C"}]},
                        "n": {"type": "integer"},
                    }
                },
            ],
            "$defs": {"C": {"const": 2.0}},
        },
        [{"b": 0}, {"b": 1, "n": 1}, {"b": 2, "n": "x"}, {"b": 3, "n": 1}, {"b": 2, "n": 1}],
    ),
    # unevaluatedProperties beside a union sees what the chosen branch evaluates: the
    # models' variant {unevaluatedProperties: false, allOf: [branch]} accepts {"kind": 0}
    # (as an allOf part of its own it accepted no key, and the models built the other
    # variant, whose required "c" was missing: KeyError).
    (
        {
            "anyOf": [{"properties": {"kind": {}}}, {"required": ["c"]}],
            "unevaluatedProperties": False,
        },
        [{"kind": 0}, {}, {"c": 1}, {"kind": 0, "c": 1}, 3],
    ),
    # Where two branches evaluate the properties together ({"a": 1, "b": 2}), no one
    # variant holds them all: the models choose by the branch as written, not by falling
    # through to the last, whose required "c" the value lacks.
    (
        {
            "anyOf": [
                {"properties": {"a": {}}, "required": ["a"]},
                {"properties": {"b": {}}, "required": ["b"]},
                {"required": ["c"]},
            ],
            "unevaluatedProperties": False,
        },
        [{"a": 1, "b": 2}, {"a": 1}, {"b": 2}, {"a": 1, "c": 3}],
    ),
    # An allOf part's additionalProperties leaves alone the names its patternProperties
    # match: "a" is no additional property there, so the models' merged type did not
    # have to be built from it (it was, and a required property of it was missing).
    (
        {
            "properties": {"a": {}},
            "allOf": [
                {"patternProperties": {"^a": {}}, "additionalProperties": {"required": ["a"]}}
            ],
        },
        [{"a": {}}, {"a": 1, "b": {"a": 2}}, {"b": {}}],
    ),
    (
        {
            "properties": {"a": {}, "b": {}},
            "required": ["a"],
            "allOf": [{"patternProperties": {"^a$": {}}, "additionalProperties": False}],
        },
        [{"a": 1}, {"a": 1, "b": 2}, {}],
    ),
]


def _regression_cases() -> list[Any]:
    return [
        pytest.param(schema, instance, id=f"{number}-{index}")
        for number, (schema, examples) in enumerate(REGRESSIONS)
        for index, instance in enumerate(examples)
    ]


@pytest.mark.parametrize(("schema", "instance"), _regression_cases())
def test_regressions(schema: Any, instance: Any, out: Path) -> None:
    (package,) = packages_for([schema], out)
    compare(schema, reference(schema), package, instance, "regression")


# ============================================================================ the strategies


@pytest.mark.parametrize("dialect", DIALECTS)
def test_drawn_schemas_are_schemas_and_verdicts_mixed(dialect: str) -> None:
    """The strategies alone, against jsonschema (no generator): every drawn document
    passes the meta-schema and its instances get both verdicts (a share measured on
    enough documents to be stable; 100 samples varied by a third from run to run)."""
    verdicts: Counter[bool] = Counter()

    @settings(
        max_examples=max(100, settings.default.max_examples // 2),
        suppress_health_check=[
            *settings.default.suppress_health_check,
            HealthCheck.large_base_example,
        ],
    )
    @given(schemas(dialect), st.data())
    def run(schema: Any, data: st.DataObject) -> None:
        assert dialect_of(schema) == dialect or isinstance(schema, bool)
        validator = reference(schema)
        for _ in range(4):
            verdicts[validator.is_valid(data.draw(instances(schema)))] += 1

    run()
    share = verdicts[True] / sum(verdicts.values())
    assert 0.2 <= share <= 0.8, verdicts


def test_enough_pairs_were_compared(request: pytest.FixtureRequest) -> None:
    """Runs last: enough documents and pairs were compared, with both verdicts, every
    keyword of each dialect was drawn, and depth 3 was common."""
    random_tests = [
        item
        for item in request.session.items
        if item.module is not None
        and item.module.__name__ == __name__
        and item.name.startswith("test_generated_validators_agree_with_jsonschema")
    ]
    if len(random_tests) < len(DIALECTS):
        pytest.skip("only part of this module ran; the count covers full runs")
    pairs = sum(COMPARED[dialect] for dialect in DIALECTS)
    documents = {dialect: len(found) for dialect, found in DOCUMENTS.items()}
    share = VERDICTS[True] / max(1, pairs)
    print(
        f"\ncompared with jsonschema: {dict(COMPARED)} pairs, {documents} documents, {share:.0%} valid"
    )
    target = settings.default.max_examples
    assert pairs >= 10 * target, dict(COMPARED)
    assert sum(documents.values()) >= target // 2, documents
    assert all(COMPARED[dialect] >= 0.3 * pairs for dialect in DIALECTS), dict(COMPARED)
    assert 0.2 <= share <= 0.8, dict(VERDICTS)
    for dialect, found in DOCUMENTS.items():
        drawn = [json.loads(text) for text in found]
        used = set().union(*(keywords_of(schema) for schema in drawn))
        assert not set(KEYWORDS[dialect]) - used, (dialect, set(KEYWORDS[dialect]) - used)
        deep = sum(depth_of(schema) >= 3 for schema in drawn)
        assert deep >= 0.35 * len(drawn), (dialect, deep, len(drawn))
