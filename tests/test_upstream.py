"""Optional checks against the upstream OpenAPI document in ../shared/upstream/.

The document is not part of the project; when it is absent these tests are skipped and
say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rtschema.generate import generate_package

from support import ROOT, import_fresh, mypy_strict, ruff_clean

UPSTREAM = ROOT.parent / "shared" / "upstream" / "openai-openapi-2.3.0-schemas.json"

needs_upstream = pytest.mark.skipif(
    not UPSTREAM.is_file(), reason=f"optional: the upstream OpenAPI document is not at {UPSTREAM}"
)


@pytest.fixture(scope="module")
def upstream_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("upstream")
    generate_package(str(UPSTREAM), str(out), "openai_all")
    return out


@needs_upstream
def test_whole_upstream_document_generates_and_imports(upstream_package: Path) -> None:
    module = import_fresh(upstream_package, "openai_all")
    assert len(module.TYPES) > 1000
    assert module.is_valid(
        {"type": "function", "name": "f", "parameters": {}, "strict": True}, "FunctionTool"
    )
    errors = list(module.iter_errors({"type": "function"}, "FunctionTool"))
    assert {e.keyword for e in errors} == {"required"}


@needs_upstream
def test_whole_upstream_output_passes_ruff_and_mypy(upstream_package: Path) -> None:
    package = str(upstream_package / "openai_all")
    ruff_clean([package])
    mypy_strict([package], cwd=upstream_package)
