"""Hostile schemas: schema text never becomes code, and names never break the output.

Each case in ``tests/corpus/hostile/`` is ``{"schema": ..., "valid": {type: [payloads]}}``
(``"format": "yaml"`` writes the schema as YAML). Its strings (descriptions, titles,
property names, enum and const values, defaults, ``$comment``, examples, patterns, type
names) carry quotes, triple quotes, backslashes, newlines, NUL, U+2028, Jinja and
f-string delimiters, lone surrogates and very long text, and try to run
``os.environ["RTSCHEMA_CANARY"] = "pwned"``. For every case: the package generates, every
module compiles and imports, the canary stays unset, the payloads round-trip with their
keys exact, and the docs render.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from rtschema.generate import generate_docs, generate_package

from support import CORPUS, import_fresh, mypy_strict, ruff_clean

HOSTILE = CORPUS / "hostile"
CASES = sorted(p.stem for p in HOSTILE.glob("*.json"))


def _schema_file(case: str, folder: Path) -> tuple[Path, dict[str, Any]]:
    data = json.loads((HOSTILE / f"{case}.json").read_text("utf-8"))
    if data.get("format") == "yaml":
        path = folder / "schema.yaml"
        path.write_text(yaml.safe_dump(data["schema"], allow_unicode=False), "utf-8")
    else:
        path = folder / "schema.json"
        path.write_text(json.dumps(data["schema"]), "utf-8")
    return path, data


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    os.environ.pop("RTSCHEMA_CANARY", None)
    for case in CASES:
        folder = out / f"src_{case}"
        folder.mkdir()
        path, _ = _schema_file(case, folder)
        generate_package(str(path), str(out), f"hostile_{case}")
    return out


def test_enough_hostile_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_hostile_schema_generates_imports_and_round_trips(generated: Path, case: str) -> None:
    package = f"hostile_{case}"
    for source in (generated / package).glob("*.py"):
        compile(source.read_text("utf-8"), str(source), "exec")
    module = import_fresh(generated, package)
    assert "RTSCHEMA_CANARY" not in os.environ, "schema text ran as code"
    data = json.loads((HOSTILE / f"{case}.json").read_text("utf-8"))
    for type_name, payloads in data["valid"].items():
        for payload in payloads:
            module.validate(payload, type_name)
            value = module.parse(payload, type_name)
            dumped = value.to_dict() if hasattr(value, "to_dict") else module._runtime._dump(value)
            assert dumped == payload
            if isinstance(payload, dict):
                assert list(dumped) == list(payload) or set(dumped) == set(payload)
    assert "RTSCHEMA_CANARY" not in os.environ, "schema text ran as code"


def test_hostile_output_passes_ruff(generated: Path) -> None:
    ruff_clean([str(generated / f"hostile_{case}") for case in CASES])


def test_hostile_output_passes_mypy(generated: Path) -> None:
    packages = [str(generated / f"hostile_{case}") for case in CASES if case not in ("text_long",)]
    mypy_strict(packages, cwd=generated)


@pytest.mark.parametrize(
    "case",
    [
        "text_html",
        "text_markdown",
        "text_lone_surrogate",
        "jinja_everywhere",
        "keys_1",
        "type_names",
    ],
)
def test_hostile_schema_docs_render_safely(tmp_path: Path, case: str) -> None:
    path, _ = _schema_file(case, tmp_path)
    generate_docs(str(path), str(tmp_path / "docs"), None, None)
    page = (tmp_path / "docs" / "reference.html").read_text("utf-8")
    assert "<script>alert" not in page and "onerror=" not in page.replace(
        "onerror=alert(2)&gt;", ""
    )
    for md in (tmp_path / "docs").glob("*.md"):
        text = md.read_text("utf-8")
        assert "<script>" not in text and "](javascript:" not in text


# --------------------------------------------------------------------------- the escapers themselves

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rtschema.python.literals import py_comment, py_docstring, py_literal  # noqa: E402

TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=60
) | st.sampled_from(
    ['"""', '""""', '"', "\\", '\\"', "'''", "\u2028", "\x00", "\ud800", '"a"""b""', "x\\"]
)


@given(st.lists(TEXT, min_size=1, max_size=4).map("".join))
def test_docstring_literal_holds_any_text(text: str) -> None:
    import ast

    literal = py_docstring(text)
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text.strip("\n"))
    assert ast.literal_eval(literal) == expected
    compile(f"def f():\n    {literal}\n", "<test>", "exec")


@given(TEXT)
def test_comment_is_one_line(text: str) -> None:
    line = py_comment(text)
    assert len(line.splitlines()) <= 1 and "\n" not in line and "\r" not in line
    compile(f"x = 1  # {line}\n", "<test>", "exec")


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | TEXT,
        lambda c: st.lists(c, max_size=3) | st.dictionaries(TEXT, c, max_size=3),
        max_leaves=8,
    )
)
def test_literal_holds_any_json(value: object) -> None:
    import ast

    assert ast.literal_eval(py_literal(value)) == value
