"""What ``pip install rtschema`` puts on a machine: the wheel built from this checkout.

The import package is ``rtschema`` (the source folder ``generator/`` is mapped to it), the
templates travel inside it, and ``realtime_schema`` comes only from its own distribution,
which rtschema depends on: installing both and removing one never leaves a half package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from support import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rtschema's wheel, built by the project's own build backend from a copy of the
    checkout (the build leaves nothing in the repository)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    code = f"import setuptools.build_meta as b; print(b.build_wheel({str(dist)!r}))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=source, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dist / result.stdout.strip().splitlines()[-1]


def test_the_wheel_installs_rtschema_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {
        "rtschema",
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    }
    assert not any(name.startswith(("generator/", "realtime_schema/")) for name in names)
    assert "rtschema/cli.py" in names
    assert "rtschema/source/read.py" in names
    packaged = {name for name in names if name.startswith("rtschema/templates/")}
    ours = {
        "rtschema/templates/" + path.relative_to(ROOT / "templates").as_posix()
        for path in (ROOT / "templates").rglob("*.j2")
    }
    assert len(ours) >= 10
    assert packaged == ours


def test_the_wheel_depends_on_the_generated_distribution(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    requires = [
        line.split(":", 1)[1].strip()
        for line in archive.read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert any(r.replace("_", "-").startswith("realtime-schema") for r in requires), requires
    entry = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
    assert "rtschema = rtschema.cli:main" in archive.read(entry).decode()


def test_the_installed_wheel_generates_and_names_the_missing_package(
    wheel: Path, tmp_path: Path
) -> None:
    """The wheel on its own (its dependencies from this environment, but neither this
    checkout nor the editable realtime_schema): generation finds its packaged templates,
    and validating without realtime_schema says what to install."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    schema = tmp_path / "pets.json"
    schema.write_text(
        json.dumps({"$defs": {"Pet": {"type": "object", "properties": {"n": {"type": "string"}}}}})
    )
    env = {
        **os.environ,
        # -S: no .pth files, so neither editable install is visible; the dependencies
        # come from this environment's site-packages.
        "PYTHONPATH": os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]]),
    }
    run = ["-c", "import sys; from rtschema.cli import main; sys.exit(main(sys.argv[1:]))"]
    done = subprocess.run(
        [sys.executable, "-S", *run, "generate", "--schema", str(schema), "--out",
         str(tmp_path / "out"), "--package", "pets"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "pets" / "models.py").is_file()
    payload = tmp_path / "p.json"
    payload.write_text("{}")
    missing = subprocess.run(
        [sys.executable, "-S", *run, "validate", str(payload), "--type", "auto"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert missing.returncode == 2, missing.stderr
    assert "realtime_schema" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["json", "typing", "class", "rtschema", "my-pkg"])
def test_a_package_name_that_would_shadow_a_module_is_refused(name: str, tmp_path: Path) -> None:
    from rtschema import cli

    schema = tmp_path / "s.json"
    schema.write_text('{"type": "object"}')
    code = cli.main(
        ["generate", "--schema", str(schema), "--out", str(tmp_path / "o"), "--package", name]
    )
    assert code == 2
    assert not (tmp_path / "o").exists()
