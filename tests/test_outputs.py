"""Output folders: rtschema replaces what it wrote, keeps what it did not, refuses a folder
that is not its own, and its files follow the user's umask (issue 13, points 2 and 3)."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from rtschema import cli, generate, write
from rtschema.errors import InputError
from rtschema.write import read_tree

from support import ROOT

SCHEMA = str(ROOT / "tests" / "corpus" / "features" / "recursion" / "schema.json")
OTHER = str(ROOT / "tests" / "corpus" / "features" / "maps" / "schema.json")
MANIFEST = ".rtschema-manifest"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder: Path) -> list[str]:
    """Every file and folder under ``folder``, relative, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def manifest(folder: Path) -> list[str]:
    lines = (folder / MANIFEST).read_text("utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project: a pyproject with [tool.rtschema] and a small schema."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.rtschema]\nschema = "schema.json"\nout = "gen"\npackage = "scratch"\n', "utf-8"
    )
    shutil.copy(SCHEMA, tmp_path / "schema.json")
    return tmp_path


# --------------------------------------------------------------------------- foreign folders


def test_docs_refuse_a_folder_rtschema_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    (site / "images").mkdir(parents=True)
    (site / "notes.txt").write_text("mine")
    (site / "images" / "logo.svg").write_text("<svg/>")
    before = read_tree(site)
    code, out, err = run(["docs", "--schema", SCHEMA, "--out", str(site)], capsys)
    assert code == 2, err
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"rtschema: error: {site}: ") and "--force" in err
    assert read_tree(site) == before and listing(site) == ["images", "images/logo.svg", "notes.txt"]
    assert listing(tmp_path) == ["site", *(f"site/{p}" for p in listing(site))]

    code, out, err = run(["docs", "--schema", SCHEMA, "--out", str(site), "--force"], capsys)
    assert code == 0, err
    files = read_tree(site)
    assert files["notes.txt"] == b"mine" and files["images/logo.svg"] == b"<svg/>"
    assert {"index.md", "reference.html", MANIFEST} <= set(files)
    assert manifest(site) == sorted(set(files) - {"notes.txt", "images/logo.svg", MANIFEST})
    # From now on the folder is rtschema's: no --force needed, and the user's files stay.
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", str(site)], capsys)
    assert code == 0, err
    assert read_tree(site) == files


def test_generate_refuses_a_package_folder_rtschema_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pets").mkdir()
    (tmp_path / "pets" / "__init__.py").write_text("# my own package\n")
    argv = ["generate", "--schema", SCHEMA, "--out", str(tmp_path), "--package", "pets"]
    code, out, err = run(argv, capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{tmp_path / 'pets'}: " in err and "--force" in err
    assert listing(tmp_path) == ["pets", "pets/__init__.py"]


def test_a_file_rtschema_did_not_write_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a folder rtschema owns, a file the user put where rtschema now writes one is
    refused (one line naming it), and replaced with --force."""
    docs = tmp_path / "docs"
    assert run(["docs", "--schema", SCHEMA, "--out", str(docs), "--format", "md"], capsys)[0] == 0
    (docs / "reference.html").write_text("my page")
    before = read_tree(docs)
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", str(docs)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert f"{docs}: reference.html" in err and "--force" in err
    assert read_tree(docs) == before
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", str(docs), "--force"], capsys)
    assert code == 0, err
    assert (docs / "reference.html").read_text().startswith("<!DOCTYPE html>")
    assert "reference.html" in manifest(docs)


def test_nothing_is_written_when_one_of_several_packages_is_refused(tmp_path: Path) -> None:
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "mine.py").write_text("")
    with pytest.raises(InputError, match="--force"):
        generate.generate_packages([(SCHEMA, "first"), (OTHER, "second")], str(tmp_path))
    assert listing(tmp_path) == ["second", "second/mine.py"]


# --------------------------------------------------------------------------- what is kept, what goes


def test_the_users_files_in_a_generated_package_survive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate", "--schema", SCHEMA, "--out", str(tmp_path), "--package", "pets"]
    assert run(argv, capsys)[0] == 0
    package = tmp_path / "pets"
    (package / "custom.py").write_text("HELLO = 1\n")
    (package / "extra").mkdir()
    (package / "extra" / "data.json").write_text("{}")
    (package / "models.py").write_text("edited by hand, and rtschema's: replaced\n")
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert (package / "custom.py").read_text() == "HELLO = 1\n"
    assert (package / "extra" / "data.json").read_text() == "{}"
    assert "Generated by rtschema" in (package / "models.py").read_text()
    assert "custom.py" not in manifest(package) and "models.py" in manifest(package)


def test_a_file_rtschema_no_longer_writes_is_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    assert run(["docs", "--schema", SCHEMA, "--out", str(docs)], capsys)[0] == 0
    assert "reference.html" in manifest(docs)
    (docs / "mine.html").write_text("kept")
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", str(docs), "--format", "md"], capsys)
    assert code == 0, err
    assert not (docs / "reference.html").exists()
    assert (docs / "mine.html").read_text() == "kept"
    assert manifest(docs) == sorted(p for p in read_tree(docs) if p.endswith(".md"))


def test_project_regeneration_keeps_the_users_files_and_check_ignores_them(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert run(["generate"], capsys)[0] == 0
    (project / "gen" / "scratch" / "custom.py").write_text("X = 1\n")
    (project / "gen" / "README.md").write_text("mine")
    code, out, err = run(["check"], capsys)
    assert code == 0, out + err
    assert run(["generate"], capsys)[0] == 0
    assert (project / "gen" / "scratch" / "custom.py").read_text() == "X = 1\n"
    assert (project / "gen" / "README.md").read_text() == "mine"
    # A file the manifest lists but generate no longer writes: check says it would go.
    (project / "gen" / "old.py").write_text("# Generated by rtschema; do not edit.\n")
    listed = (project / "gen" / MANIFEST).read_text("utf-8")
    (project / "gen" / MANIFEST).write_text(listed + "old.py\n", "utf-8")
    code, out, _ = run(["check"], capsys)
    assert code == 1 and "not generated (would be removed): gen/old.py" in out
    assert "README.md" not in out and "custom.py" not in out
    assert run(["generate"], capsys)[0] == 0
    assert not (project / "gen" / "old.py").exists()
    assert run(["check"], capsys)[0] == 0


def test_a_folder_written_before_manifests_is_adopted_only_when_all_of_it_is_rtschemas(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An earlier rtschema wrote no manifest: a folder holding only files at paths
    rtschema writes, each marked "Generated by rtschema" or the same as what it writes
    now, is taken as rtschema's; anything else there needs --force."""
    monkeypatch.chdir(project)
    assert run(["generate"], capsys)[0] == 0
    (project / "gen" / MANIFEST).unlink()
    models = project / "gen" / "scratch" / "models.py"
    models.write_text(models.read_text() + "# older output\n")
    code, out, err = run(["check"], capsys)
    assert code == 1 and f"missing: gen/{MANIFEST}" in out
    code, _, err = run(["generate"], capsys)
    assert code == 0, err
    assert run(["check"], capsys)[0] == 0

    (project / "gen" / MANIFEST).unlink()
    (project / "gen" / "scratch" / "schema.json").write_text("{}")  # no mark, other content
    before = read_tree(project / "gen")
    code, _, err = run(["generate"], capsys)
    assert code == 2 and err.count("\n") == 1 and "--force" in err
    assert read_tree(project / "gen") == before
    code, _, err = run(["generate", "--force"], capsys)
    assert code == 0, err
    assert run(["check"], capsys)[0] == 0


# --------------------------------------------------------------------------- --out .


def test_out_dot_writes_into_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", "."], capsys)
    assert code == 0, err
    assert listing(tmp_path) == sorted(["index.md", "reference.html", "types.md", MANIFEST])
    (tmp_path / "mine.txt").write_text("kept")
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", ".", "--format", "html"], capsys)
    assert code == 0, err
    assert listing(tmp_path) == sorted(["mine.txt", "reference.html", MANIFEST])
    assert manifest(tmp_path) == ["reference.html"]
    argv = ["generate", "--schema", SCHEMA, "--out", ".", "--package", "pets"]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert (tmp_path / "pets" / "models.py").is_file()


def test_out_dot_refuses_a_foreign_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.py").write_text("print()")
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", "."], capsys)
    assert code == 2 and err.count("\n") == 1 and "--force" in err
    assert listing(tmp_path) == ["main.py"]
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", ".", "--force"], capsys)
    assert code == 0, err
    assert listing(tmp_path) == sorted(
        ["index.md", "main.py", "reference.html", "types.md", MANIFEST]
    )


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_failure_before_the_first_rename_leaves_a_shared_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    """A folder that also holds the user's files is written file by file; until the
    first file is renamed into place nothing changes, and no temporary file stays. The
    next run writes it, and the user's file stays."""
    target = tmp_path / "out"
    write.replace_tree(target, {"a.txt": "old", "sub/b.txt": "old", "gone.txt": "old"})
    (target / "mine.txt").write_text("mine")
    before = read_tree(target)

    def failing_fill(folder: Path, files: dict[str, bytes]) -> None:
        (folder / "a.txt").write_text("half")
        raise error

    monkeypatch.setattr(write, "_fill", failing_fill)
    with pytest.raises(type(error)):
        write.replace_tree(target, {"a.txt": "new", "sub/b.txt": "new", "c.txt": "new"})
    assert read_tree(target) == before
    assert listing(tmp_path) == ["out", *(f"out/{p}" for p in listing(target))]
    monkeypatch.undo()
    write.replace_tree(target, {"a.txt": "new", "sub/b.txt": "new", "c.txt": "new"})
    assert set(read_tree(target)) == {"a.txt", "sub/b.txt", "c.txt", "mine.txt", MANIFEST}


def test_a_failure_while_renaming_leaves_every_file_whole_and_the_next_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write.replace_tree(target, {"a.txt": "old", "b.txt": "old", "gone.txt": "old"})
    (target / "mine.txt").write_text("mine")
    real_replace = os.replace
    calls = []

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        calls.append(dst)
        if len(calls) == 3:  # the manifest listing old and new, a.txt, then b.txt fails
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    new = {"a.txt": "new", "b.txt": "new", "c.txt": "new"}
    with pytest.raises(OSError):
        write.replace_tree(target, new)
    monkeypatch.setattr(os, "replace", real_replace)
    files = read_tree(target)
    assert {files["a.txt"], files["b.txt"]} <= {b"old", b"new"}
    assert files["mine.txt"] == b"mine"
    assert {"a.txt", "b.txt", "c.txt", "gone.txt"} <= set(manifest(target))
    write.replace_tree(target, new)
    assert read_tree(target) == {
        "a.txt": b"new",
        "b.txt": b"new",
        "c.txt": b"new",
        "mine.txt": b"mine",
        MANIFEST: (target / MANIFEST).read_bytes(),
    }
    assert manifest(target) == ["a.txt", "b.txt", "c.txt"]


def test_a_manifest_entry_outside_the_folder_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    assert run(["docs", "--schema", SCHEMA, "--out", str(docs)], capsys)[0] == 0
    (tmp_path / "precious.txt").write_text("x")
    (docs / MANIFEST).write_text("../precious.txt\n")
    code, _, err = run(["docs", "--schema", SCHEMA, "--out", str(docs), "--format", "md"], capsys)
    assert code == 2 and err.count("\n") == 1 and MANIFEST in err
    assert (tmp_path / "precious.txt").read_text() == "x"


# --------------------------------------------------------------------------- permissions


@pytest.fixture(params=[0o022, 0o077], ids=["umask022", "umask077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    """The permission bits of ``folder`` ("") and of everything under it."""
    paths = [folder, *folder.rglob("*")]
    return {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in paths}


def assert_umask_modes(folder: Path, umask: int) -> None:
    expected = {
        rel: oct((0o777 if (folder / rel).is_dir() else 0o666) & ~umask) for rel in modes(folder)
    }
    assert {rel: oct(mode) for rel, mode in modes(folder).items()} == expected


def test_generated_package_follows_the_umask(
    tmp_path: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate", "--schema", SCHEMA, "--out", str(tmp_path / "src"), "--package", "pets"]
    assert run(argv, capsys)[0] == 0
    assert_umask_modes(tmp_path / "src", umask)
    (tmp_path / "src" / "pets" / "mine.txt").write_text("")  # written file by file now
    assert run(argv, capsys)[0] == 0
    assert_umask_modes(tmp_path / "src", umask)


def test_project_output_follows_the_umask(
    project: Path, monkeypatch: pytest.MonkeyPatch, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert run(["generate"], capsys)[0] == 0
    assert_umask_modes(project / "gen", umask)
    assert run(["generate"], capsys)[0] == 0
    assert_umask_modes(project / "gen", umask)


def test_docs_follow_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["docs", "--schema", SCHEMA, "--out", str(tmp_path / "docs")], capsys)[0] == 0
    assert_umask_modes(tmp_path / "docs", umask)
    monkeypatch.chdir(tmp_path / "docs")
    assert run(["docs", "--schema", SCHEMA, "--out", "."], capsys)[0] == 0
    assert_umask_modes(tmp_path / "docs", umask)


def test_export_output_follows_the_umask(
    tmp_path: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tree.schema.json"
    assert run(["export", "Tree", "--schema", SCHEMA, "-o", str(out)], capsys)[0] == 0
    assert oct(stat.S_IMODE(out.stat().st_mode)) == oct(0o666 & ~umask)
    assert run(["export", "Tree", "--schema", SCHEMA, "-o", str(out)], capsys)[0] == 0
    assert oct(stat.S_IMODE(out.stat().st_mode)) == oct(0o666 & ~umask)
