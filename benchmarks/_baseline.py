"""Before/after: the generated package of an earlier commit against the current one.

The earlier package is read from git (``git show COMMIT:generated/realtime_schema/...``)
into a temporary folder as the package ``realtime_schema_baseline`` (the modules import
each other relatively; the package name only appears in docstrings, which are renamed
too), so that both can be imported side by side in one process and timed in turn on
the same payloads.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _timing import import_fresh, paired

COMMIT = "57bc34e"
PACKAGE = "realtime_schema"
BASELINE = "realtime_schema_baseline"


def _git(root: Path, *argv: str) -> bytes:
    return subprocess.run(["git", "-C", str(root), *argv], capture_output=True, check=True).stdout


def build_baseline(root: Path, folder: Path, name: str = BASELINE) -> Any:
    """Write the package of :data:`COMMIT` into ``folder`` as ``name``; import it."""
    files = _git(root, "ls-tree", "--name-only", COMMIT, f"generated/{PACKAGE}/").decode()
    target = folder / name
    target.mkdir(parents=True)
    for file in files.split():
        data = _git(root, "show", f"{COMMIT}:{file}")
        if file.endswith(".py"):
            text = re.sub(rf"\b{PACKAGE}\b", name, data.decode("utf-8"))
            data = text.encode("utf-8")
        (target / Path(file).name).write_bytes(data)
    return import_fresh(folder, name)


def payloads(samples: Path, payload: Path) -> list[tuple[str, str, Any]]:
    """``(label, type name, payload)``: the benchmark's ``session.created`` event and
    every valid sample (``schema/samples/<Type>/valid/*.json``, typed by its folder)."""
    items = [(payload.name, "RealtimeServerEventSessionCreated", json.loads(payload.read_text()))]
    for path in sorted(samples.glob("*/valid/*.json")):
        type_name = path.parent.parent.name
        items.append((f"{type_name}/{path.name}", type_name, json.loads(path.read_text())))
    return items


def bench_before_after(
    root: Path,
    payload: Path,
    invalid: Any,
    folder: Path,
    *,
    rounds: int,
    generated: Path,
    samples: Path,
) -> dict[str, Any]:
    """``root``: the git checkout; ``generated``: the folder of the current package."""
    current = importlib.import_module(PACKAGE)
    assert Path(current.__file__).parent == generated / PACKAGE, current.__file__
    baseline = build_baseline(root, folder)
    # An A/A control: a second copy of the baseline, timed like the other two, shows how
    # far apart two identical packages come out on this machine in this run.
    control = build_baseline(root, folder, BASELINE + "_copy")
    packages = {"baseline": baseline, "current": current, "baseline copy": control}
    event = "RealtimeServerEventSessionCreated"
    for name, package in packages.items():
        assert not package.is_valid(invalid, event), name

    # A payload is compared when both packages know its type, accept it and build it;
    # the samples grow with the schema, so newer types are left out (and counted).
    items = []
    left_out: dict[str, list[str]] = {}
    for label, type_name, data in payloads(samples, payload):
        reason = None
        for name, package in packages.items():
            if type_name not in package.TYPES:
                reason = f"whose type the {name} package does not have"
            elif not package.is_valid(data, type_name):
                reason = f"that the {name} package rejects"
            else:
                try:
                    getattr(package, type_name).from_dict(data)
                except Exception as exc:
                    reason = f"that the {name} package fails to build ({type(exc).__name__})"
            if reason:
                break
        if reason:
            left_out.setdefault(reason, []).append(label)
        else:
            items.append((label, type_name, data))
    assert items and items[0][0] == payload.name, "the benchmark payload must be compared"

    def is_valid(package: Any, type_name: str, data: Any) -> Callable[[], Any]:
        return lambda: package.is_valid(data, type_name)

    def from_dict(package: Any, type_name: str, data: Any) -> Callable[[], Any]:
        build = getattr(package, type_name).from_dict
        return lambda: build(data)

    ops: dict[str, list[tuple[str, str, Any]]] = {
        "is_valid": items,
        "from_dict": items,
        "is_valid (invalid event)": [("invalid event", event, invalid)],
    }
    makers = {"is_valid": is_valid, "from_dict": from_dict, "is_valid (invalid event)": is_valid}
    per_item: dict[str, dict[str, list[float]]] = {}
    for op, op_items in ops.items():
        per_item[op] = paired(
            {
                name: [makers[op](package, t, data) for _, t, data in op_items]
                for name, package in packages.items()
            },
            rounds,
        )
    return {
        "commit": COMMIT,
        "commit_subject": _git(root, "log", "-1", "--format=%s", COMMIT).decode().strip(),
        "items": [(label, type_name) for label, type_name, _ in items],
        "types": {name: len(package.TYPES) for name, package in packages.items()},
        "left_out": left_out,
        "per_item": per_item,
    }
