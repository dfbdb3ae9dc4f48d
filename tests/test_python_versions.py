"""The generated package on the oldest and newest Pythons it supports (3.10, 3.13).

The test suite itself runs on one interpreter; this runs the generated package on the
others that are installed (``python3.10``, ``python3.13`` on PATH, or under pyenv), and
says clearly when one is not there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from realtime_schema import typeddicts
from support import ROOT

SCRIPT = r"""
import json, sys
from pathlib import Path
import realtime_schema as rs
from realtime_schema import typeddicts

samples = Path(sys.argv[1])
checked = 0
for path in sorted(samples.glob("*/valid/*.json")):
    payload = json.loads(path.read_text("utf-8"))
    type_name = path.parent.parent.name
    assert rs.is_valid(payload, type_name), path
    value = rs.parse(payload, type_name)
    dumped = value.to_dict() if hasattr(value, "to_dict") else value
    assert dumped == payload, path
    checked += 1
keys = {
    name: [sorted(cls.__required_keys__), sorted(cls.__optional_keys__)]
    for name, cls in ((n, getattr(typeddicts, n)) for n in typeddicts.__all__)
    if isinstance(cls, type) and hasattr(cls, "__required_keys__")
}
print(json.dumps({"checked": checked, "keys": keys, "version": sys.version_info[:2]}))
"""


def _interpreter(version: str) -> str | None:
    candidates = [f"python{version}"]
    candidates += sorted(
        str(p) for p in Path.home().glob(f".pyenv/versions/{version}.*/bin/python")
    )
    for candidate in candidates:
        try:
            result = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0 and result.stdout.strip() == version:
            return candidate
    return None


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_generated_package_on(version: str) -> None:
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        pytest.skip(f"Python {version} runs the whole suite already")
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"optional: no Python {version} interpreter found (python{version} or pyenv)")
    result = subprocess.run(
        [python, "-c", SCRIPT, str(ROOT / "schema" / "samples")],
        cwd=ROOT / "generated",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["version"] == [int(part) for part in version.split(".")]
    assert report["checked"] >= 60
    # The TypedDicts say the same required and optional keys there as here.
    here = {
        name: [sorted(cls.__required_keys__), sorted(cls.__optional_keys__)]
        for name, cls in ((n, getattr(typeddicts, n)) for n in typeddicts.__all__)
        if isinstance(cls, type) and hasattr(cls, "__required_keys__")
    }
    assert report["keys"] == here
