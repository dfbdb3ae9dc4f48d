"""The ``rtschema`` command line: exit codes, messages, and nothing half-written."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli, write
from generator.write import read_tree

from support import ROOT

GA_UPDATE = {
    "type": "session.update",
    "session": {
        "type": "realtime",
        "instructions": "Be brief.",
        "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "low"}}},
    },
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write_json(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), "utf-8")
    return str(path)


# --------------------------------------------------------------------------- validate


def test_validate_valid_payload_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_json(tmp_path / "ok.json", GA_UPDATE)
    code, out, err = run(["validate", path, "--type", "RealtimeClientEventSessionUpdate"], capsys)
    assert code == 0, out + err
    assert out == ""
    assert "1 payload checked" in err and "1 valid" in err


def test_validate_invalid_payload_prints_file_pointer_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = json.loads(json.dumps(GA_UPDATE))
    bad["session"]["audio"]["output"] = {"speed": 2}
    good = write_json(tmp_path / "good.json", GA_UPDATE)
    path = write_json(tmp_path / "bad.json", bad)
    code, out, _ = run(["validate", good, path, "--type", "RealtimeClientEventSessionUpdate"], capsys)
    assert code == 1
    assert out.splitlines() == [f"{path}#/session/audio/output/speed: 2 is greater than the maximum of 1.5"]


def test_validate_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps({"type": "nope"}).encode())))
    code, out, _ = run(["validate", "-", "--type", "RealtimeClientEventSessionUpdate"], capsys)
    assert code == 1
    assert out.startswith("<stdin>#")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "invalid JSON"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_validate_bad_json_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    code, out, err = run(["validate", str(path), "--type", "RealtimeSession"], capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("rtschema: error:")]
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    assert "Traceback" not in err


def test_validate_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["validate", str(tmp_path / "nope.json"), "--type", "RealtimeSession"], capsys)
    assert code == 2
    assert "no such file" in err


def test_validate_unknown_type_exits_2_with_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_json(tmp_path / "ok.json", {})
    code, _, err = run(["validate", path, "--type", "RealtimeSesion"], capsys)
    assert code == 2
    assert "unknown type 'RealtimeSesion'" in err and "RealtimeSession" in err
    assert len(err.strip().splitlines()) == 1


def test_validate_without_type_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["validate", "x.json"], capsys)
    assert code == 2
    assert "--type" in err


def test_validate_deeply_nested_payload_is_invalid_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    code, out, err = run(["validate", str(path), "--type", "RealtimeSession"], capsys)
    assert code == 1
    assert "Traceback" not in err and "deep" in out


def test_console_script_is_installed() -> None:
    exe = shutil.which("rtschema")
    assert exe is not None, "the rtschema command is not on PATH (pip install -e . installs it)"
    result = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("rtschema ")


# --------------------------------------------------------------------------- generate / check


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project: a pyproject with [tool.rtschema] and a small schema."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.rtschema]\nschema = "schema.json"\nout = "gen"\npackage = "scratch"\n', "utf-8"
    )
    shutil.copy(ROOT / "tests" / "corpus" / "features" / "recursion" / "schema.json", tmp_path / "schema.json")
    return tmp_path


def test_generate_then_check_is_clean(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    assert run(["generate"], capsys)[0] == 0
    assert (project / "gen" / "scratch" / "models.py").is_file()
    code, out, _ = run(["check"], capsys)
    assert code == 0 and "is current" in out


def test_check_shows_a_diff_when_generated_files_drift(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    run(["generate"], capsys)
    models = project / "gen" / "scratch" / "models.py"
    models.write_text(models.read_text() + "# edited by hand\n")
    (project / "gen" / "stray.txt").write_text("x")
    code, out, err = run(["check"], capsys)
    assert code == 1
    assert "-# edited by hand" in out
    assert "not generated (would be removed): gen/stray.txt" in out
    assert "run 'rtschema generate'" in err


def test_check_notices_a_schema_change(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    run(["generate"], capsys)
    schema = json.loads((project / "schema.json").read_text())
    schema["$defs"]["Tree"]["properties"]["weight"] = {"type": "number"}
    (project / "schema.json").write_text(json.dumps(schema))
    code, out, _ = run(["check"], capsys)
    assert code == 1 and "weight" in out


def test_broken_schema_exits_2_and_writes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    run(["generate"], capsys)
    before = read_tree(project / "gen")
    (project / "schema.json").write_text('{"$defs": {"A": {"$ref": "#/$defs/Missing"}}}')
    code, out, err = run(["generate"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "schema.json#/$defs/A/$ref" in err and "Missing" in err
    assert read_tree(project / "gen") == before


def test_generate_any_schema_into_a_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = ROOT / "tests" / "corpus" / "features" / "openapi30" / "schema.yaml"
    code, out, _ = run(["generate", "--schema", str(schema), "--out", str(tmp_path), "--package", "pets"], capsys)
    assert code == 0
    assert {"__init__.py", "models.py", "typeddicts.py", "validators.py", "py.typed", "schema.json"} <= set(read_tree(tmp_path / "pets"))


def test_generate_options_go_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["generate", "--schema", "x.json"], capsys)
    assert code == 2 and "go together" in err


def test_generate_rejects_a_package_name_that_is_not_an_identifier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = ROOT / "tests" / "corpus" / "features" / "maps" / "schema.json"
    code, _, err = run(["generate", "--schema", str(schema), "--out", str(tmp_path), "--package", "not-a-name"], capsys)
    assert code == 2 and "identifier" in err
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_interrupted_write_leaves_the_old_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    target = tmp_path / "out"
    write.replace_tree(target, {"a.txt": "old", "sub/b.txt": "old"})
    before = read_tree(target)
    calls = []

    def failing_fill(folder: Path, files: dict[str, str]) -> None:
        (folder / "a.txt").write_text("half")
        calls.append(folder)
        raise error

    monkeypatch.setattr(write, "_fill", failing_fill)
    with pytest.raises(type(error)):
        write.replace_tree(target, {"a.txt": "new", "sub/b.txt": "new", "c.txt": "new"})
    assert read_tree(target) == before
    assert calls and not calls[0].exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_replace_tree_swaps_the_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write.replace_tree(target, {"a.txt": "1", "old.txt": "x"})
    write.replace_tree(target, {"a.txt": "2", "new/b.txt": "3"})
    assert read_tree(target) == {"a.txt": b"2", "new/b.txt": b"3"}


def test_project_generated_folder_is_current(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What CI runs: the committed generated/ matches the canonical schema."""
    monkeypatch.chdir(ROOT)
    code, out, err = run(["check"], capsys)
    assert code == 0, out[-3000:] + err
