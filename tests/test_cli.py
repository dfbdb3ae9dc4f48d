"""The ``rtschema`` command line: exit codes, messages, and nothing half-written."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rtschema import write
from rtschema.write import read_tree

from support import ROOT, write_json
from support import run_cli as run

GA_UPDATE = {
    "type": "session.update",
    "session": {
        "type": "realtime",
        "instructions": "Be brief.",
        "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "low"}}},
    },
}


# --------------------------------------------------------------------------- validate


def test_validate_valid_payload_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_json(tmp_path / "ok.json", GA_UPDATE)
    code, out, err = run(["validate", path, "--type", "RealtimeClientEventSessionUpdate"], capsys)
    assert code == 0, out + err
    assert out == ""
    assert "1 payload checked" in err and "1 valid" in err


def test_validate_invalid_payload_prints_file_pointer_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = json.loads(json.dumps(GA_UPDATE))
    bad["session"]["audio"]["output"] = {"speed": 2}
    good = write_json(tmp_path / "good.json", GA_UPDATE)
    path = write_json(tmp_path / "bad.json", bad)
    code, out, _ = run(
        ["validate", good, path, "--type", "RealtimeClientEventSessionUpdate"], capsys
    )
    assert code == 1
    assert out.splitlines() == [
        f"{path}#/session/audio/output/speed: 2 is greater than the maximum of 1.5"
    ]


def test_validate_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps({"type": "nope"}).encode()))
    )
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
    code, _out, err = run(["validate", str(path), "--type", "RealtimeSession"], capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("rtschema: error:")]
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    assert "Traceback" not in err


def test_validate_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["validate", str(tmp_path / "nope.json"), "--type", "RealtimeSession"], capsys
    )
    assert code == 2
    assert "no such file" in err


def test_validate_unknown_type_exits_2_with_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "ok.json", {})
    code, _, err = run(["validate", path, "--type", "RealtimeSesion"], capsys)
    assert code == 2
    assert "unknown type 'RealtimeSesion'" in err and "RealtimeSession" in err
    assert len(err.strip().splitlines()) == 1


def test_validate_deeply_nested_payload_is_invalid_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    code, out, err = run(["validate", str(path), "--type", "RealtimeSession"], capsys)
    assert code == 1
    assert "Traceback" not in err and "deep" in out


def test_validate_loads_only_what_it_needs(tmp_path: Path) -> None:
    """``rtschema validate`` starts in a new process per file or stream (pre-commit,
    scripts): it does not load the project's settings reader, the reference maps or
    dataclasses (which brings inspect and ast)."""
    path = write_json(tmp_path / "ok.json", {"type": "input_audio_buffer.clear"})
    code = (
        "import sys; from rtschema.cli import main; "
        f"status = main(['validate', '--type', 'auto', {path!r}]); "
        "heavy = ('dataclasses', 'tomllib', 'rtschema.project', 'rtschema.source.remote'); "
        "print(status, [m for m in heavy if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split("\n")[0] == "0 []", result.stdout + result.stderr


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
    shutil.copy(
        ROOT / "tests" / "corpus" / "features" / "recursion" / "schema.json",
        tmp_path / "schema.json",
    )
    return tmp_path


def test_generate_then_check_is_clean(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
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
    manifest = project / "gen" / write.MANIFEST  # as if an earlier run had written stray.txt
    manifest.write_text(manifest.read_text() + "stray.txt\n")
    code, out, err = run(["check"], capsys)
    assert code == 1
    assert "-# edited by hand" in out
    assert "not generated (would be removed): gen/stray.txt" in out
    assert "run 'rtschema generate'" in err


def test_check_notices_a_schema_change(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    run(["generate"], capsys)
    schema = json.loads((project / "schema.json").read_text())
    schema["$defs"]["Tree"]["properties"]["weight"] = {"type": "number"}
    (project / "schema.json").write_text(json.dumps(schema))
    code, out, _ = run(["check"], capsys)
    assert code == 1 and "weight" in out


def test_broken_schema_exits_2_and_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    run(["generate"], capsys)
    before = read_tree(project / "gen")
    (project / "schema.json").write_text('{"$defs": {"A": {"$ref": "#/$defs/Missing"}}}')
    code, _out, err = run(["generate"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "schema.json#/$defs/A/$ref" in err and "Missing" in err
    assert read_tree(project / "gen") == before


def test_generate_any_schema_into_a_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = ROOT / "tests" / "corpus" / "features" / "openapi30" / "schema.yaml"
    code, _out, _ = run(
        ["generate", "--schema", str(schema), "--out", str(tmp_path), "--package", "pets"], capsys
    )
    assert code == 0
    assert {
        "__init__.py",
        "models.py",
        "typeddicts.py",
        "validators.py",
        "py.typed",
        "schema.json",
    } <= set(read_tree(tmp_path / "pets"))


def test_generate_options_go_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["generate", "--schema", "x.json"], capsys)
    assert code == 2 and "go together" in err


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("not-a-name", "--package 'not-a-name' is not a Python identifier"),
        ("café", "--package 'caf\\xe9' is not a Python identifier"),
        ("class", "--package 'class' is a Python keyword (choose another name)"),
        ("json", "--package 'json' would shadow the module of the same name (choose another name)"),
    ],
)
def test_generate_rejects_a_package_name_that_cannot_be_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, error: str
) -> None:
    schema = ROOT / "tests" / "corpus" / "features" / "maps" / "schema.json"
    code, _, err = run(
        ["generate", "--schema", str(schema), "--out", str(tmp_path), "--package", name],
        capsys,
    )
    assert code == 2
    assert err.strip().splitlines() == [f"rtschema: error: {error}"]
    assert not any(tmp_path.iterdir())


def test_generate_warns_of_a_renamed_type_naming_both_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ab's property c would be the class AbC, a name the type AbC already has.
    schema = tmp_path / "schema.json"
    inner = {"type": "object", "properties": {"x": {"type": "string"}}}
    defs = {
        "Ab": {"type": "object", "properties": {"c": inner}},
        "AbC": {"type": "object", "properties": {"y": {"type": "integer"}}},
    }
    schema.write_text(json.dumps({"$defs": defs}), "utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        ["generate", "--schema", str(schema), "--out", str(out), "--package", "named"], capsys
    )
    assert code == 0
    assert err.strip().splitlines() == [
        f"rtschema: warning: {schema}#/$defs/Ab/properties/c: name 'AbC' is taken by"
        " #/$defs/AbC; using 'AbC_'"
    ]
    code_text = b"".join(read_tree(out / "named").values()).decode("utf-8")
    assert "class AbC(" in code_text and "class AbC_(" in code_text


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_interrupted_write_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
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
    files = read_tree(target)
    assert files.pop(write.MANIFEST).decode().splitlines()[-2:] == ["a.txt", "new/b.txt"]
    assert files == {"a.txt": b"2", "new/b.txt": b"3"}


def test_project_generated_folder_is_current(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What CI runs: the committed generated/ matches the canonical schema."""
    monkeypatch.chdir(ROOT)
    code, out, err = run(["check"], capsys)
    assert code == 0, out[-3000:] + err


# --------------------------------------------------------------------------- validate: issue 4 options


BETA_UPDATE = {"type": "session.update", "session": {"modalities": ["text"], "temperature": 0.7}}
SERVER_CREATED = json.loads((ROOT / "benchmarks" / "payloads" / "session_created.json").read_text())


def test_validate_auto_picks_the_event_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [
        write_json(tmp_path / f"{i}.json", p)
        for i, p in enumerate((GA_UPDATE, BETA_UPDATE, SERVER_CREATED))
    ]
    code, out, err = run(["validate", *files, "--type", "auto"], capsys)
    assert code == 0, out + err
    bad = dict(BETA_UPDATE, session={"temperature": 2.0})
    unknown = {"type": "session.delete"}
    code, out, _ = run(
        [
            "validate",
            write_json(tmp_path / "b.json", bad),
            write_json(tmp_path / "u.json", unknown),
            "--type",
            "auto",
        ],
        capsys,
    )
    assert code == 1
    assert (
        f"{tmp_path / 'b.json'}#/session/temperature: 2.0 is greater than the maximum of 1.2" in out
    )
    assert f"{tmp_path / 'u.json'}#/type: 'session.delete' is not one of" in out


def test_validate_json_lines_reports_line_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.jsonl"
    lines = [
        json.dumps(GA_UPDATE),
        "",
        json.dumps(dict(BETA_UPDATE, session={"temperature": 0.1})),
        "{broken",
        json.dumps(BETA_UPDATE),
    ]
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run(["validate", str(path), "--type", "auto"], capsys)
    assert code == 2  # a line that is not JSON is an input error; the others were still checked
    assert out.splitlines() == [
        f"{path}:3: invalid as RealtimeBetaClientEventSessionUpdate",
        f"{path}:3#/session/temperature: 0.1 is less than the minimum of 0.6",
    ]
    assert f"{path}:4:2: invalid JSON" in err
    assert "4 payloads checked against the event types: 2 valid, 1 invalid, 1 unreadable" in err


@pytest.mark.parametrize("type_name", ["auto", "RealtimeClientEventSessionUpdate"])
def test_validate_json_lines_reads_each_line_as_json_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], type_name: str
) -> None:
    """A line is read once when it holds one document (spaces around it are JSON's);
    anything else gets the decoder's own error at its column in the file's line."""
    event = json.dumps(GA_UPDATE)
    lines = [
        f" \t{event}  ",  # 1: JSON whitespace around the document: valid
        event + " {}",  # 2: a second document after the first
        "\x0c" + event,  # 3: a form feed is no JSON whitespace (str.strip would take it)
        event.replace('"realtime"', "NaN"),  # 4: not JSON
        "[" * 100_000 + "]" * 100_000,  # 5: too deep to read: invalid, not a crash
        event,  # 6: valid
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run(["validate", str(path), "--type", type_name], capsys)
    assert code == 2
    assert f"{path}:2:{len(event) + 2}: invalid JSON: extra data" in err
    assert f"{path}:3:1: invalid JSON" in err
    assert f"{path}:4" in err and "NaN is not valid JSON" in err
    assert f"{path}:5" in out and "deep" in out
    assert "6 payloads checked" in err and "2 valid, 1 invalid, 3 unreadable" in err


def test_validate_json_lines_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (json.dumps(GA_UPDATE) + "\n") * 3
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    code, _, err = run(
        ["validate", "-", "--jsonl", "--type", "RealtimeClientEventSessionUpdate"], capsys
    )
    assert code == 0 and "3 payloads checked" in err and "3 valid" in err


def test_validate_format_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = dict(BETA_UPDATE, session={"temperature": "hot"})
    files = [write_json(tmp_path / "ok.json", BETA_UPDATE), write_json(tmp_path / "bad.json", bad)]
    code, out, _ = run(["validate", *files, "--type", "auto", "--format", "json"], capsys)
    assert code == 1
    report = json.loads(out)
    assert report["summary"] == {
        "type": "the event types",
        "checked": 2,
        "valid": 1,
        "invalid": 1,
        "unreadable": 0,
    }
    first, second = report["results"]
    assert first == {
        "file": files[0],
        "valid": True,
        "type": "RealtimeBetaClientEventSessionUpdate",
        "errors": [],
    }
    assert second["valid"] is False and second["errors"] == [
        {"path": "/session/temperature", "keyword": "type", "message": "'hot' is not a number"}
    ]


def test_validate_json_lines_streams_in_constant_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tracemalloc

    path = tmp_path / "many.jsonl"
    line = json.dumps(SERVER_CREATED) + "\n"
    with open(path, "w") as handle:
        for _ in range(20_000):
            handle.write(line)
    size = path.stat().st_size
    tracemalloc.start()
    code, _, err = run(["validate", str(path), "--type", "auto"], capsys)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert code == 0 and "20000 payloads checked" in err
    assert peak < size / 10, (peak, size)


def test_validate_with_another_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = ROOT / "tests" / "corpus" / "features" / "recursion" / "schema.json"
    good = write_json(tmp_path / "t.json", {"value": 1, "children": [{"value": 2}]})
    bad = write_json(tmp_path / "b.json", {"value": 1, "children": [{"value": "2"}]})
    code, out, _ = run(["validate", good, bad, "--type", "Tree", "--schema", str(schema)], capsys)
    assert code == 1 and out.strip() == f"{bad}#/children/0/value: '2' is not an integer"


def test_export_writes_a_self_contained_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jsonschema import Draft202012Validator

    out_file = tmp_path / "update.schema.json"
    code, _, _ = run(["export", "RealtimeClientEventSessionUpdate", "-o", str(out_file)], capsys)
    assert code == 0
    document = json.loads(out_file.read_text())
    Draft202012Validator.check_schema(document)
    assert document["$ref"] == "#/$defs/RealtimeClientEventSessionUpdate"
    assert "RealtimeSession" not in document["$defs"]  # only what the type needs
    assert "RealtimeTurnDetectionParam" in document["$defs"]
    validator = Draft202012Validator(document)
    assert validator.is_valid(GA_UPDATE)
    assert not validator.is_valid(dict(GA_UPDATE, extra=1))
    code, out, _ = run(["export", "RealtimeTurnDetection"], capsys)
    assert code == 0 and json.loads(out)["$defs"].keys() == {"RealtimeTurnDetection"}
    code, _, err = run(["export", "NoSuchType"], capsys)
    assert code == 2 and "unknown type" in err


def test_pre_commit_hook_definition_runs_rtschema() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "rtschema-validate")
    assert hook["entry"].split()[:2] == ["rtschema", "validate"] and hook["language"] == "python"


# --------------------------------------------------------------------------- any schema


def test_validate_without_type_checks_the_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write_json(tmp_path / "s.json", {"type": "integer", "minimum": 3})
    good = write_json(tmp_path / "good.json", 5)
    bad = write_json(tmp_path / "bad.json", "a")
    code, out, err = run(["validate", good, "--schema", schema], capsys)
    assert code == 0, out + err
    assert "checked against the schema's root" in err
    code, out, _ = run(["validate", bad, "--schema", schema], capsys)
    assert code == 1 and out.startswith(f"{bad}#: ")


@pytest.mark.parametrize(
    ("document", "accepted", "rejected"),
    [
        (True, [1, "a", None], []),
        (False, [], [1, "a", None]),
        (
            {"$ref": "#/$defs/A/$defs/B", "$defs": {"A": {"$defs": {"B": {"type": "integer"}}}}},
            [1],
            ["a"],
        ),
        ({"title": "only annotations", "description": "no constraint"}, [1, {}], []),
    ],
)
def test_every_document_has_a_root(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    document: object,
    accepted: list[object],
    rejected: list[object],
) -> None:
    from support import import_fresh

    schema = write_json(tmp_path / "s.json", document)
    code, _, err = run(
        ["generate", "--schema", schema, "--out", str(tmp_path), "--package", "rooted"], capsys
    )
    assert code == 0, err
    module = import_fresh(tmp_path, "rooted")
    for value in accepted:
        assert module.is_valid(value) and list(module.iter_errors(value)) == []
        module.validate(value)
    for value in rejected:
        assert not module.is_valid(value) and list(module.iter_errors(value))
        with pytest.raises(module.ValidationError):
            module.validate(value)


def test_ref_map_reads_references_from_a_folder_or_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    write_json(remote / "int.json", {"type": "integer"})
    single = write_json(tmp_path / "one.json", {"type": "string"})
    schema = write_json(
        tmp_path / "s.json",
        {
            "properties": {
                "a": {"$ref": "http://example.com/x/int.json"},
                "b": {"$ref": "urn:example:str"},
            }
        },
    )
    out = str(tmp_path / "out")
    code, _, err = run(
        ["generate", "--schema", schema, "--out", out, "--package", "mapped"], capsys
    )
    assert code == 2 and "--ref-map" in err and "http://example.com/x/int.json" in err
    assert not (tmp_path / "out" / "mapped").exists()
    maps = [
        "--ref-map",
        f"http://example.com/x/={remote}",
        "--ref-map",
        f"urn:example:str={single}",
    ]
    code, _, err = run(
        ["generate", "--schema", schema, "--out", out, "--package", "mapped", *maps], capsys
    )
    assert code == 0, err
    payload = write_json(tmp_path / "p.json", {"a": "no", "b": 1})
    code, lines, _ = run(["validate", payload, "--schema", schema, *maps], capsys)
    assert code == 1
    assert sorted(line.split("#")[1].split(":")[0] for line in lines.splitlines()) == ["/a", "/b"]


def test_ref_map_must_name_something_that_exists(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["generate", "--schema", "x.json", "--out", "o", "--package", "p", "--ref-map", "nothing"],
        capsys,
    )
    assert code == 2 and "PREFIX=DIR" in err
    code, _, err = run(
        [
            "generate",
            "--schema",
            "x.json",
            "--out",
            "o",
            "--package",
            "p",
            "--ref-map",
            "http://a/=/no/such/dir",
        ],
        capsys,
    )
    assert code == 2 and "does not exist" in err


def test_format_assert_checks_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write_json(tmp_path / "s.json", {"type": "string", "format": "date"})
    payload = write_json(tmp_path / "p.json", "2024-02-30")
    code, _, _ = run(["validate", payload, "--schema", schema], capsys)
    assert code == 0  # format is an annotation by default, as the specification says
    code, out, _ = run(["validate", payload, "--schema", schema, "--format-assert"], capsys)
    assert code == 1 and "is not a valid date" in out
