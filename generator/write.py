"""Last step of the pipeline: put rendered files on disk all at once, or compare them.

Everything is rendered in memory first. :func:`replace_tree` then writes the new tree
into a temporary folder beside the target and swaps the two with one atomic
``renameat2(RENAME_EXCHANGE)`` (Linux), falling back to two renames elsewhere. A failure
or an interruption at any point leaves the target as it was. :func:`replace_files` does
the same for single files inside an existing folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import InputError

__all__ = ["diff_tree", "read_tree", "replace_files", "replace_tree"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; ``False`` when the platform cannot."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        err = ctypes.get_errno()
        if err in (38, 22, 95):  # ENOSYS, EINVAL, EOPNOTSUPP: not supported here
            return False
        raise OSError(err, os.strerror(err), str(b))
    return True


def _clean_stale(target: Path) -> None:
    for stale in target.parent.glob(f".{target.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _fill(folder: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, content in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(path, "wb") as handle:
            handle.write(data)


def replace_tree(target: Path, files: Mapping[str, str | bytes]) -> None:
    """Make the folder ``target`` hold exactly ``files`` (relative path → content)."""
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a folder", file=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        _fill(tmp, files)
        if not target.exists():
            os.rename(tmp, target)
            return
        if _exchange(tmp, target):
            shutil.rmtree(tmp)  # now holds the old tree
            return
        backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        backup.rmdir()
        os.rename(target, backup)
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(backup, target)
            raise
        shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def replace_files(files: Mapping[Path, str]) -> None:
    """Write each file through a temporary file and a rename: never half-written."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content.encode("utf-8"))
            staged.append((Path(name), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()


def _is_cache(parts: tuple[str, ...]) -> bool:
    return any(p == "__pycache__" or (p.startswith(".") and p.endswith("_cache")) for p in parts)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative POSIX path (tool caches are skipped)."""
    out: dict[str, bytes] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not _is_cache(rel.parts) and not path.name.endswith(".pyc"):
            out[rel.as_posix()] = path.read_bytes()
    return out


def diff_tree(folder: Path, files: Mapping[str, str | bytes], label: str) -> list[str]:
    """Unified-diff lines between what ``folder`` holds and ``files``; empty when equal."""
    have = read_tree(folder)
    want = {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}
    lines: list[str] = []
    for rel in sorted(set(have) | set(want)):
        old, new = have.get(rel), want.get(rel)
        if old == new:
            continue
        name = f"{label}/{rel}"
        if old is None:
            lines.append(f"missing: {name}")
        elif new is None:
            lines.append(f"not generated (would be removed): {name}")
        else:
            try:
                a, b = (
                    old.decode("utf-8").splitlines(True),
                    (new or b"").decode("utf-8").splitlines(True),
                )
            except UnicodeDecodeError:
                lines.append(f"differs (binary): {name}")
                continue
            lines.extend(
                line.rstrip("\n")
                for line in difflib.unified_diff(
                    a, b, f"{name} (on disk)", f"{name} (generated)", n=2
                )
            )
    return lines
