"""The README stays true: its worked example runs and prints what it says."""

from __future__ import annotations

import contextlib
import io
import re

from support import ROOT


def test_worked_example_prints_what_the_readme_says() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Worked example", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    source = code.group(1)
    expected = [line[2:] for line in source.splitlines() if line.startswith("# ")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "README.md", "exec"), {})
    assert out.getvalue().splitlines() == expected


def test_readme_names_every_cli_command() -> None:
    from rtschema.cli import build_parser

    text = (ROOT / "README.md").read_text("utf-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in commands:
        assert f"rtschema {name}" in text, name


def test_readme_has_exactly_two_setup_commands() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, re.S)
    assert len(blocks) == 1
    assert [line for line in blocks[0].splitlines() if line.strip()] == [
        "python3 -m pip install -e ./generated -e '.[test]' && rtschema generate",
        "python3 -m pytest",
    ]
    # CI installs exactly what the README's first command installs.
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "python -m pip install -q -e ./generated -e '.[test]'" in ci
