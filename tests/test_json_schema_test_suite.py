"""The official JSON-Schema-Test-Suite, through the public interface only.

Every required file of ``tests/draft2020-12`` and ``tests/draft7`` (``refRemote``
included, its ``http://localhost:1234/`` references read from the suite's ``remotes/``
through a ref map), every optional file (big numbers, ECMA-262 regular expressions,
cross-draft references, ``$id`` and anchors, unknown keywords, ...), and
``optional/format`` with format assertion on. Each test group
becomes one generated package (``rtschema.generate.generate_packages``, the documented
Python equivalent of ``rtschema generate --schema``, which formats a whole batch with one
run of ruff); each test is ``package.is_valid(data)`` against the suite's verdict, and
``iter_errors`` must agree with ``is_valid``.

Target: at least 99.5 % of the required and format tests right per draft, no crash, no
refusal. Tests that are known to fail are listed with their reason in
``suite_expected_failures.json``; a listed test that starts passing fails the run, so the
list only ever shrinks. The list holds only optional behaviour we do not adopt, giving
python-jsonschema's verdicts instead (the reference of every other test): the draft-07
``dependencies`` keyword inside a 2020-12 schema, and draft-07's content assertion
(``contentMediaType``/``contentEncoding``), both annotations only.

The suite lives in ``../shared/jsts`` (commit in its ``COMMIT`` file). Without it the
module skips, saying so, unless ``RTSCHEMA_REQUIRE_SUITE=1`` (CI sets it).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rtschema.errors import InputError
from rtschema.generate import generate_packages
from rtschema.source.remote import parse_ref_map

from support import ROOT, import_fresh

SUITE = ROOT.parent / "shared" / "jsts"
EXPECTED = ROOT / "tests" / "suite_expected_failures.json"
DRAFTS = {
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
    "draft7": "http://json-schema.org/draft-07/schema#",
}
TARGET = 0.995


def _require_suite() -> None:
    if SUITE.is_dir():
        return
    message = f"the JSON-Schema-Test-Suite is not at {SUITE}"
    if os.environ.get("RTSCHEMA_REQUIRE_SUITE") == "1":
        pytest.fail(message + " (RTSCHEMA_REQUIRE_SUITE=1)")
    pytest.skip(message + "; set RTSCHEMA_REQUIRE_SUITE=1 to make this a failure")


@dataclass
class Case:
    file: str
    group: str
    test: str
    data: Any
    valid: bool
    package: str
    #: from ``optional/`` but not ``optional/format``: outside the target's count
    optional: bool = False

    @property
    def key(self) -> str:
        return f"{self.file} | {self.group} | {self.test}"


@dataclass
class Run:
    """One draft: the cases, the packages, and what went wrong while generating."""

    cases: list[Case] = field(default_factory=list)
    modules: dict[str, Any] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def _files(draft: str) -> list[tuple[Path, bool]]:
    """The files of ``draft`` and whether each is a format file (format assertion on)."""
    folder = SUITE / "tests" / draft
    required = [(path, False) for path in sorted(folder.glob("*.json"))]
    optional = [(path, False) for path in sorted((folder / "optional").glob("*.json"))]
    formats = [(path, True) for path in sorted((folder / "optional" / "format").glob("*.json"))]
    return required + optional + formats


def _package(draft: str, path: Path, index: int, formats: bool) -> str:
    stem = re.sub(r"\W", "_", path.stem)
    kind = "fmt_" if formats else "opt_" if path.parent.name == "optional" else ""
    return f"jsts_{draft.replace('-', '_')}_{kind}{stem}_{index}"


def _generate(draft: str, out: Path) -> Run:
    """Generate every group of ``draft``: one batch for the required files, one for the
    format files (format assertion on)."""
    run = Run()
    ref_map = parse_ref_map(f"http://localhost:1234/={SUITE / 'remotes'}")
    jobs: dict[bool, list[tuple[str, str]]] = {False: [], True: []}
    sources = out / "schemas"
    sources.mkdir(parents=True)
    for path, formats in _files(draft):
        name = path.relative_to(SUITE / "tests" / draft).as_posix()
        for index, group in enumerate(json.loads(path.read_text("utf-8"))):
            schema = group["schema"]
            if isinstance(schema, dict) and "$schema" not in schema:
                schema = {"$schema": DRAFTS[draft], **schema}
            package = _package(draft, path, index, formats)
            source = sources / f"{package}.json"
            source.write_text(json.dumps(schema), "utf-8")
            jobs[formats].append((str(source), package))
            for test in group["tests"]:
                run.cases.append(
                    Case(
                        name,
                        group["description"],
                        test["description"],
                        test["data"],
                        test["valid"],
                        package,
                        optional=not formats and name.startswith("optional/"),
                    )
                )
    for formats, batch in jobs.items():
        try:
            generate_packages(batch, str(out), ref_maps=(ref_map,), format_assert=formats)
        except InputError:
            # Find which schemas are refused, one at a time.
            for source, package in batch:
                try:
                    generate_packages(
                        [(source, package)], str(out), ref_maps=(ref_map,), format_assert=formats
                    )
                except InputError as exc:
                    run.refused[package] = str(exc)
    for case in run.cases:
        if case.package not in run.modules and case.package not in run.refused:
            run.modules[case.package] = import_fresh(out, case.package)
    return run


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    _require_suite()
    return {draft: _generate(draft, tmp_path_factory.mktemp(draft)) for draft in DRAFTS}


def _expected() -> dict[str, str]:
    entries = json.loads(EXPECTED.read_text("utf-8"))
    return {f"{e['draft']}: {e['test']}": e["reason"] for e in entries}


def _verdict(run: Run, case: Case) -> str | None:
    """``None`` when the case is right, else what went wrong."""
    if case.package in run.refused:
        return f"refused: {run.refused[case.package]}"
    module = run.modules[case.package]
    try:
        valid = module.is_valid(case.data)
        errors = list(module.iter_errors(case.data))
    except Exception as exc:  # a crash is a failure to report, not to raise
        return f"crashed: {type(exc).__name__}: {exc}"
    if (errors == []) != valid:
        return f"is_valid says {valid} but iter_errors found {errors}"
    if valid != case.valid:
        return f"says {'valid' if valid else 'invalid'}, the suite says {'valid' if case.valid else 'invalid'}"
    return None


@pytest.mark.parametrize("draft", list(DRAFTS))
def test_suite_verdicts(runs: dict[str, Run], draft: str) -> None:
    run = runs[draft]
    expected = _expected()
    wrong: list[str] = []
    now_right: list[str] = []
    counted = right = 0
    for case in run.cases:
        problem = _verdict(run, case)
        listed = f"{draft}: {case.key}" in expected
        if problem is not None and not listed:
            wrong.append(f"{case.key}: {problem}")
        elif problem is None and listed:
            now_right.append(case.key)
        if not case.optional:
            counted += 1
            right += problem is None and not listed
    print(f"\n{draft}: {right}/{counted} required and format tests right")
    assert not now_right, f"listed as expected failures but now right (remove them): {now_right}"
    assert not run.refused, f"schemas refused: {run.refused}"
    assert not wrong, "\n".join(wrong[:50])
    assert right / counted >= TARGET


def test_expected_failures_are_reasoned() -> None:
    for entry in json.loads(EXPECTED.read_text("utf-8")):
        assert entry["draft"] in DRAFTS and entry["test"].count(" | ") == 2 and entry["reason"]


def test_expected_failures_are_python_jsonschemas_verdicts() -> None:
    """Every listed test is one python-jsonschema gets "wrong" too: where we differ from
    the suite, we give the reference's verdict (``test_suite_verdicts`` checks ours)."""
    _require_suite()
    from jsonschema import validators

    for entry in json.loads(EXPECTED.read_text("utf-8")):
        file, group_name, test_name = entry["test"].split(" | ")
        groups = json.loads((SUITE / "tests" / entry["draft"] / file).read_text("utf-8"))
        (group,) = [g for g in groups if g["description"] == group_name]
        (test,) = [t for t in group["tests"] if t["description"] == test_name]
        schema = group["schema"]
        if isinstance(schema, dict) and "$schema" not in schema:
            schema = {"$schema": DRAFTS[entry["draft"]], **schema}
        reference = validators.validator_for(schema)(schema)
        assert reference.is_valid(test["data"]) is not test["valid"], entry["test"]


def test_suite_is_big_enough(runs: dict[str, Run]) -> None:
    """The run covers every required, optional and format test (numbers of the suite
    commit in ``COMMIT``; a newer suite only adds tests)."""
    assert len(runs["draft2020-12"].cases) >= 1299 + 162 + 764
    assert len(runs["draft7"].cases) >= 927 + 118 + 676
