"""Cold start (issue 14): a new process that loads the package and builds one event,
against openai-python doing the same and a bare interpreter, from compiled bytecode.

Every child runs ``python -I -S -X pycache_prefix=CACHE -c CODE`` with the same flags:
``-I`` ignores ``PYTHON*`` variables (so ``PYTHONDONTWRITEBYTECODE`` too, which is
also taken out of the child's environment) and the user site; ``-S`` skips ``site``,
whose ``.pth`` hooks in this virtual environment (an editable-install finder) import
modules such as ``pathlib`` and ``typing`` before any command runs and would hide
them from the figures. Every ``CODE`` therefore starts with the same line that puts
the snapshot's ``generated/`` folder and site-packages on ``sys.path``; the bare
interpreter runs that line alone. Bytecode lives in ``CACHE``, a folder of the run:
``compileall`` writes the snapshot package, openai and pydantic there first, and an
untimed run of each command writes whatever else they import (the standard library's
modules, as ``pycache_prefix`` also moves their caches); a check run then lists every
module a command loaded from a ``.py`` file without its cached bytecode (none expected).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

from _timing import fmt_time

EVENT = "RealtimeServerEventSessionCreated"
FLAGS = ("-I", "-S")


def commands(generated: Path, payload: Any) -> dict[str, str]:
    """name -> the ``-c`` code of each child; the payload is a Python literal, so that
    neither command pays for a JSON parser it would not otherwise load."""
    site = sysconfig.get_paths()["purelib"]
    prefix = f"import sys\nsys.path[:0] = [{str(generated)!r}, {site!r}]\n"
    return {
        "bare": prefix,
        "ours": prefix + f"from realtime_schema import {EVENT}\n{EVENT}.from_dict({payload!r})\n",
        "openai": prefix
        + "from openai.types.realtime import SessionCreatedEvent\n"
        + f"SessionCreatedEvent.model_validate({payload!r})\n",
        "import realtime_schema": prefix + "import realtime_schema\n",
    }


#: Appended to a command: which modules came from a ``.py`` file without bytecode.
_CHECK = """
import os as _os, sys as _sys
_missing = [
    _name for _name, _module in list(_sys.modules.items())
    if getattr(_module, "__spec__", None) is not None
    and (_module.__spec__.origin or "").endswith(".py")
    and _module.__spec__.cached
    and not _os.path.exists(_module.__spec__.cached)
]
print(len(_sys.modules), " ".join(_missing))
"""

#: Where ours spends its time, phase by phase, in one child (``time.perf_counter``).
_PHASES = """\
import time as _t
_t0 = _t.perf_counter()
import realtime_schema
_t1 = _t.perf_counter()
from realtime_schema import {event}
_t2 = _t.perf_counter()
{event}.from_dict({payload!r})
_t3 = _t.perf_counter()
print(_t1 - _t0, _t2 - _t1, _t3 - _t2, len(sys.modules))
"""


class Children:
    def __init__(self, cache: Path) -> None:
        self.argv = [sys.executable, *FLAGS, "-X", f"pycache_prefix={cache}"]
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(self, code: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.argv, *extra, "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )

    def wall(self, code: str) -> float:
        start = time.perf_counter()
        subprocess.run(
            [*self.argv, "-c", code],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        return time.perf_counter() - start


def precompile(children: Children, generated: Path) -> None:
    import openai
    import pydantic

    folders = [generated / "realtime_schema", Path(openai.__file__).parent]
    folders.append(Path(pydantic.__file__).parent)
    subprocess.run(
        [*children.argv, "-m", "compileall", "-q", *map(str, folders)],
        env=children.env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def parse_importtime(stderr: str) -> dict[str, tuple[int, int, int]]:
    found: dict[str, tuple[int, int, int]] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cumulative, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        found[name.strip()] = (int(self_us), int(cumulative), depth)
    return found


def bench_coldstart(generated: Path, payload: Any, cache: Path, rounds: int) -> dict[str, Any]:
    """Median wall time of each command over ``rounds`` rounds (the order rotating from
    round to round), the bare interpreter's taken off; where ours spends its time."""
    children = Children(cache)
    precompile(children, generated)
    codes = commands(generated, payload)
    for code in codes.values():  # untimed: writes the bytecode compileall did not
        children.run(code)
    missing: dict[str, list[str]] = {}
    modules: dict[str, int] = {}
    for name, code in codes.items():
        out = children.run(code + _CHECK).stdout.split()
        modules[name] = int(out[0])
        missing[name] = out[1:]
    where = children.run(codes["import realtime_schema"] + "print(realtime_schema.__file__)")
    assert Path(where.stdout.strip()).parent == generated / "realtime_schema", where.stdout

    names = list(codes)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            times[name].append(children.wall(codes[name]))
    med = {name: statistics.median(values) for name, values in times.items()}

    # Where ours goes: phases (timed in the child), and -X importtime (the package loads
    # its modules on first use with the built-in ``__import__``, which importtime reports).
    prefix = codes["bare"]
    phases: list[list[float]] = []
    imports: list[dict[str, tuple[int, int, int]]] = []
    for _ in range(max(5, rounds // 3)):
        out = children.run(prefix + _PHASES.format(event=EVENT, payload=payload)).stdout
        phases.append([float(x) for x in out.split()])
        seen = children.run(
            codes["ours"],
            "-X",
            "importtime",
        ).stderr
        imports.append(parse_importtime(seen))
    common = set.intersection(*(set(run) for run in imports))
    table = {
        name: (
            statistics.median(run[name][0] for run in imports),
            statistics.median(run[name][1] for run in imports),
            imports[0][name][2],
        )
        for name in common
    }
    return {
        "flags": " ".join(FLAGS),
        "rounds": rounds,
        "seconds": med,
        "over_bare": {name: med[name] - med["bare"] for name in names if name != "bare"},
        "modules": modules,
        "missing_bytecode": missing,
        "phases": {
            "import realtime_schema": statistics.median(p[0] for p in phases),
            f"from realtime_schema import {EVENT} (loads the areas it needs)": statistics.median(
                p[1] for p in phases
            ),
            "first from_dict": statistics.median(p[2] for p in phases),
        },
        "phase_runs": len(phases),
        "importtime": table,
    }


# --------------------------------------------------------------------------- report


def checks(result: dict[str, Any] | None) -> list[tuple[str, str, bool]]:
    if result is None:
        return []
    ratio = result["over_bare"]["ours"] / result["over_bare"]["openai"]
    return [
        (
            "issue 14, cold start (bytecode, minus bare interpreter): ours / openai ≤ 0.05×",
            f"{ratio:.3f}×",
            ratio <= 0.05,
        )
    ]


def render(result: dict[str, Any] | None) -> list[str]:
    lines = ["", "## Issue 14: cold start", ""]
    if result is None:
        return [*lines, "(The reference's examples were not found; this section was skipped.)"]
    sec, over = result["seconds"], result["over_bare"]
    ratio = over["ours"] / over["openai"]
    missing = {name: names for name, names in result["missing_bytecode"].items() if names}
    lines += [
        "A new process that loads the package and builds the reference's GA `session.created`",
        f"example: ours `from realtime_schema import {EVENT}; {EVENT}.from_dict(payload)`,",
        "openai-python `from openai.types.realtime import SessionCreatedEvent;",
        "SessionCreatedEvent.model_validate(payload)`, the payload written into the code as a",
        f"Python literal. Every child runs `python {result['flags']} -X pycache_prefix=CACHE -c",
        "CODE`: `-I` ignores `PYTHON*` variables and the user site; `-S` skips `site` (this",
        "virtual environment's `.pth` hooks import `pathlib`, `typing` and more at start-up and",
        "would hide them from the figures), so each code starts with one line that puts the",
        "snapshot's `generated/` and site-packages on `sys.path`; the bare interpreter runs",
        "that line alone. Bytecode: `compileall` into CACHE (the snapshot package, openai,",
        "pydantic), then one untimed run of each command; a check run found "
        + (
            "no module loaded from source without bytecode"
            if not missing
            else "modules loaded without bytecode: "
            + "; ".join(f"{n}: {', '.join(m)}" for n, m in missing.items())
        )
        + f". Wall time of the child process, medians of {result['rounds']} rounds, the order",
        "rotating from round to round; the target is on the times minus the bare interpreter's.",
        "",
        "| command | wall time | minus bare | modules loaded | ours / openai | target | met |",
        "|---|---|---|---|---|---|---|",
        f"| bare interpreter | {fmt_time(sec['bare'])} | | {result['modules']['bare']} | | | |",
        f"| ours: import + `from_dict` | {fmt_time(sec['ours'])} | {fmt_time(over['ours'])} | "
        f"{result['modules']['ours']} | {ratio:.3f}× | ≤ 0.05× | {_met(ratio <= 0.05)} |",
        f"| openai: import + `model_validate` | {fmt_time(sec['openai'])} | "
        f"{fmt_time(over['openai'])} | {result['modules']['openai']} | | | |",
        f"| ours: `import realtime_schema` alone | {fmt_time(sec['import realtime_schema'])} | "
        f"{fmt_time(over['import realtime_schema'])} | "
        f"{result['modules']['import realtime_schema']} | "
        f"{over['import realtime_schema'] / over['openai']:.3f}× | (context) | |",
        "",
        f"Where ours goes, timed inside the child (medians of {result['phase_runs']} runs):",
        "",
        "| phase | time |",
        "|---|---|",
    ]
    lines += [f"| {name} | {fmt_time(t)} |" for name, t in result["phases"].items()]
    table = sorted(result["importtime"].items(), key=lambda item: -item[1][0])[:12]
    ours_total = sum(
        self_us
        for name, (self_us, _, _) in result["importtime"].items()
        if name.split(".")[0] == "realtime_schema"
    )
    all_total = sum(self_us for self_us, _, _ in result["importtime"].values())
    lines += [
        "",
        "`python -X importtime` on the same command (the package loads each area's modules on",
        "first use, through `__import__`, which importtime reports). The 12 largest self",
        "times, medians of the same runs (depth: nesting",
        f"in importtime's tree). All modules together: {all_total / 1e3:.1f} ms of self time, of which",
        f"`realtime_schema.*` {ours_total / 1e3:.1f} ms; the rest is the standard library.",
        "",
        "| module | self | cumulative | depth |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{name}` | {self_us / 1e3:.2f} ms | {cumulative / 1e3:.2f} ms | {depth} |"
        for name, (self_us, cumulative, depth) in table
    ]
    return lines


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"
