"""Issue 14, the speed targets on the whole protocol: the generated validators and
``from_dict`` against jsonschema-rs and openai-python, on the API reference's own
example payloads, and a JSON Lines stream of every valid example event through
``rtschema validate --type auto`` (a subprocess, start-up included) against a loop of
``json.loads`` and jsonschema-rs.

The examples are ``../shared/upstream/openai-openapi-2.3.0-realtime-examples.json``
(``{"examples": {TypeName: [payload, ...]}}``). "Valid" means what the package says:
an example counts when ``realtime_schema.is_valid(payload, TypeName)`` holds (the three
examples the reference gets wrong, see ``tests/test_protocol.py``, fail that and are
left out, by name); an event is a payload whose ``type`` is a key of ``EVENT_TYPES``.
Every timed payload is first checked to get the same verdict from both engines.

Cold start is in :mod:`_coldstart`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _coldstart import parse_importtime
from _timing import alternating, fmt_time, median_seconds, paired, quiet

GA_EVENT = "RealtimeServerEventSessionCreated"
UNION = "RealtimeEvent"
#: The JSON Lines stream is the valid example events repeated to about this many lines.
STREAM_LINES = 20_000

# --------------------------------------------------------------------------- the examples


def load_examples(path: Path, package: Any) -> dict[str, Any]:
    """The reference's examples as the benchmark reads them.

    ``events``: ``(type name, payload)`` of every example event that the package accepts
    as its own type (in the file's order); ``ga``: the GA ``session.created`` example;
    ``left_out``: ``label -> reason`` for every example not used."""
    data = json.loads(path.read_text("utf-8"))["examples"]
    events: list[tuple[str, Any]] = []
    left_out: dict[str, str] = {}
    total = 0
    for name, payloads in data.items():
        for index, payload in enumerate(payloads):
            total += 1
            label = f"{name}[{index}]"
            if name not in package.TYPES:
                left_out[label] = "not a type of the package"
            elif not package.is_valid(payload, name):
                left_out[label] = "invalid as its own type (a reference error)"
            elif not (isinstance(payload, dict) and payload.get("type") in package.EVENT_TYPES):
                left_out[label] = "valid, not an event"
            else:
                events.append((name, payload))
    ga = data[GA_EVENT][0]
    assert package.validate_event(ga) == GA_EVENT, "the first session.created example is GA"
    return {"events": events, "ga": ga, "left_out": left_out, "total": total}


def _interface(type_name: str) -> str:
    if type_name.startswith("RealtimeTranslation"):
        return "translation"
    return "beta" if type_name.startswith("RealtimeBeta") else "GA"


def _wrong(value: Any) -> Any:
    """A value of another JSON type than ``value``."""
    if isinstance(value, str):
        return 12
    if isinstance(value, bool) or value is None:
        return "12"
    if isinstance(value, (int, float)):
        return "12"
    return 12


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict) and node:
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list) and node:
        return [leaf for i, value in enumerate(node) for leaf in _leaves(value, (*path, i))]
    return [path]


def _replaced(payload: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(payload))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


def broken(payload: Any, rejected: Callable[[Any], bool]) -> tuple[Any, str] | None:
    """``payload`` with one mistake, as deep as possible: the deepest leaf (the last of
    the deepest, ``type`` tags excluded) whose value, given another JSON type, is
    rejected by ``rejected`` (every engine); else an unknown top-level key."""
    leaves = [p for p in _leaves(payload) if p and p[-1] != "type"]
    for path in sorted(leaves, key=len, reverse=True):
        candidate = _replaced(payload, path, _wrong(_get(payload, path)))
        if rejected(candidate):
            return candidate, "/" + "/".join(map(str, path))
    candidate = {**payload, "evnt_id": "event_1"}
    if rejected(candidate):
        return candidate, "an unknown key"
    return None


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


# --------------------------------------------------------------------------- in process


def bench_protocol(
    package: Any, examples: dict[str, Any], invalid_ga: Any, repeats: int, rounds: int
) -> dict[str, Any]:
    """``is_valid``/``validate`` against jsonschema-rs (the GA ``session.created`` example,
    valid and with two mistakes; every valid example event, each against its own type
    and against the event union, valid and with one mistake), and ``from_dict`` against
    openai-python's ``SessionCreatedEvent.model_validate``."""
    import jsonschema_rs
    from openai.types.realtime import SessionCreatedEvent

    ga = examples["ga"]
    events = examples["events"]
    # Prebuilt validators on both sides: ours ``validator_for(T)``, jsonschema-rs's
    # ``validator_for(schema_for(T))``, each called through its ``is_valid``.
    rs_own = {name: jsonschema_rs.validator_for(package.schema_for(name)) for name, _ in events}
    rs_union = jsonschema_rs.validator_for(package.schema_for(UNION))
    ours_own = {name: package.validator_for(name) for name, _ in events}
    ours_union = package.validator_for(UNION)

    # --- the GA session.created example
    rv = rs_own[GA_EVENT]
    assert package.is_valid(ga, GA_EVENT) and rv.is_valid(ga)
    assert not package.is_valid(invalid_ga, GA_EVENT) and not rv.is_valid(invalid_ga)
    ours_errors = _validate_errors(package, invalid_ga, GA_EVENT)
    rs_errors = list(rv.iter_errors(invalid_ga))

    def ours_validate(payload: Any, type_name: str) -> Callable[[], Any]:
        def run() -> Any:
            try:
                package.validate(payload, type_name)
            except package.ValidationError as exc:
                return exc.errors
            return None

        return run

    ga_rows: dict[str, dict[str, float]] = {}
    ours_ga = ours_own[GA_EVENT]
    for label, payload in (("valid", ga), ("invalid", invalid_ga)):
        ga_rows[f"is_valid {label}"] = alternating(
            {
                "ours": lambda p=payload: ours_ga.is_valid(p),
                "jsonschema-rs": lambda p=payload: rv.is_valid(p),
                "ours is_valid(p, T)": lambda p=payload: package.is_valid(p, GA_EVENT),
            },
            repeats,
        )
        ga_rows[f"is_valid {label}, event union"] = alternating(
            {
                "ours": lambda p=payload: ours_union.is_valid(p),
                "jsonschema-rs": lambda p=payload: rs_union.is_valid(p),
                "ours is_valid(p, T)": lambda p=payload: package.is_valid(p, UNION),
            },
            repeats,
        )
    ga_rows["validate invalid"] = alternating(
        {
            "ours": ours_validate(invalid_ga, GA_EVENT),
            "jsonschema-rs": lambda: list(rv.iter_errors(invalid_ga)),
            "jsonschema-rs validate (first error)": _raises(rv.validate, invalid_ga),
        },
        repeats,
    )

    # --- from_dict against openai-python
    ours_cls = getattr(package, GA_EVENT)
    assert ours_cls.from_dict(ga).to_dict() == ga
    built = SessionCreatedEvent.model_validate(ga)
    assert built.model_dump(mode="json", exclude_unset=True) == ga
    from_dict = alternating(
        {
            "ours": lambda: ours_cls.from_dict(ga),
            "openai": lambda: SessionCreatedEvent.model_validate(ga),
        },
        repeats,
    )

    # --- every valid example event, valid and with one mistake
    for name, payload in events:
        assert rs_own[name].is_valid(payload) and rs_union.is_valid(payload), name
        assert package.is_valid(payload, UNION) and package.is_valid_event(payload), name
    bad: list[tuple[str, Any, str]] = []
    unbroken: list[str] = []
    for name, payload in events:

        def rejected(candidate: Any, name: str = name) -> bool:
            return not (
                package.is_valid(candidate, name)
                or rs_own[name].is_valid(candidate)
                or package.is_valid(candidate, UNION)
                or rs_union.is_valid(candidate)
            )

        found = broken(payload, rejected)
        if found is None:
            unbroken.append(name)
        else:
            bad.append((name, found[0], found[1]))

    def items(pairs: list[tuple[str, Any]]) -> dict[str, list[Callable[[], Any]]]:
        return {
            "ours own": [lambda n=n, p=p: ours_own[n].is_valid(p) for n, p in pairs],
            "rs own": [lambda n=n, p=p: rs_own[n].is_valid(p) for n, p in pairs],
            "ours union": [lambda p=p: ours_union.is_valid(p) for _, p in pairs],
            "rs union": [lambda p=p: rs_union.is_valid(p) for _, p in pairs],
            "ours is_valid(p, T)": [lambda n=n, p=p: package.is_valid(p, n) for n, p in pairs],
            "ours is_valid_event": [lambda p=p: package.is_valid_event(p) for _, p in pairs],
        }

    # For context: a pure-Python walk that visits every value of the payload.
    valid_times = paired(
        {**items(events), "walk": [lambda p=p: walk(p) for _, p in events]}, rounds
    )
    bad_pairs = [(n, p) for n, p, _ in bad]
    invalid_contenders = items(bad_pairs)
    invalid_contenders["ours validate own"] = [ours_validate(p, n) for n, p in bad_pairs]
    invalid_contenders["rs iter_errors own"] = [
        lambda n=n, p=p: list(rs_own[n].iter_errors(p)) for n, p in bad_pairs
    ]
    invalid_times = paired(invalid_contenders, rounds)
    return {
        "ga": ga_rows,
        "ga_errors": {"ours": len(ours_errors), "jsonschema-rs": len(rs_errors)},
        "from_dict": from_dict,
        "openai_session_type": type(built.session).__name__,
        "events": [name for name, _ in events],
        "valid": valid_times,
        "broken": [(name, where) for name, _, where in bad],
        "unbroken": unbroken,
        "invalid": invalid_times,
    }


def walk(node: dict[str, Any]) -> bool:
    """Read every value of a JSON object once and test whether it is a container; no
    schema, so not a validator. It shows what pure Python spends just to visit a payload,
    beside what a validator spends."""
    for value in node.values():
        kind = type(value)
        if kind is dict:
            walk(value)
        elif kind is list:
            for item in value:
                if type(item) is dict:
                    walk(item)
    return True


def _validate_errors(package: Any, payload: Any, type_name: str) -> list[Any]:
    try:
        package.validate(payload, type_name)
    except package.ValidationError as exc:
        return list(exc.errors)
    raise AssertionError("the invalid payload was accepted")


def _raises(fn: Callable[[Any], Any], payload: Any) -> Callable[[], Any]:
    def run() -> Any:
        try:
            fn(payload)
        except Exception as exc:  # jsonschema_rs.ValidationError
            return exc
        return None

    return run


# --------------------------------------------------------------------------- the stream

#: The peer of ``rtschema validate --type auto``: a script of its own, run the same way
#: (a new process, start-up included), that reads the union document from a file.
PEER = """\
import json, sys
import jsonschema_rs
with open(sys.argv[1], encoding="utf-8") as handle:
    is_valid = jsonschema_rs.validator_for(json.load(handle)).is_valid
total = valid = 0
with open(sys.argv[2], encoding="utf-8") as handle:
    for line in handle:
        if line.strip():
            total += 1
            valid += is_valid(json.loads(line))
print(total, valid)
"""


def bench_stream(
    package: Any, examples: dict[str, Any], generated: Path, folder: Path, repeats: int
) -> dict[str, Any]:
    """Payloads per second through ``rtschema validate --type auto FILE.jsonl`` (the
    console script in a new process, the snapshot's package first on ``PYTHONPATH``)
    against the peer script; both in-process too (no start-up) for context; and the
    start-up alone (a one-line file)."""
    import jsonschema_rs
    from rtschema import cli

    lines = [json.dumps(payload) for _, payload in examples["events"]]
    copies = -(-STREAM_LINES // len(lines))
    stream = folder / "events.jsonl"
    stream.write_text("\n".join(lines * copies) + "\n", "utf-8")
    count = len(lines) * copies
    one = folder / "one.jsonl"
    one.write_text(lines[0] + "\n", "utf-8")
    union = folder / "union.json"
    union.write_text(json.dumps(package.schema_for(UNION)), "utf-8")
    peer = folder / "peer.py"
    peer.write_text(PEER, "utf-8")
    script = shutil.which("rtschema", path=str(Path(sys.executable).parent))
    assert script, "the rtschema console script is not installed next to this interpreter"

    # The children read bytecode from (and write it to) a cache of their own, so that
    # neither the source tree nor site-packages is written to; the warm-up runs fill it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(generated)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    where = subprocess.run(
        [sys.executable, "-c", "import realtime_schema; print(realtime_schema.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).parent == generated / "realtime_schema", where

    def ours(path: Path, n: int) -> Callable[[], None]:
        def run() -> None:
            done = subprocess.run(
                [script, "validate", "--type", "auto", str(path)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            summary = (
                f"{n} payload{'s' if n != 1 else ''} checked against the event types: {n} valid"
            )
            assert done.returncode == 0 and summary in done.stderr, done.stderr[-2000:]

        return run

    def theirs(path: Path, n: int) -> Callable[[], None]:
        def run() -> None:
            done = subprocess.run(
                [sys.executable, str(peer), str(union), str(path)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            assert done.stdout.split() == [str(n), str(n)], done.stdout

        return run

    rs_union = jsonschema_rs.validator_for(package.schema_for(UNION))

    def ours_in_process() -> None:
        with quiet():
            code = cli.main(["validate", "--type", "auto", str(stream)])
        assert code == 0

    def theirs_in_process() -> None:
        with stream.open("r", encoding="utf-8") as handle:
            for line in handle:
                assert rs_union.is_valid(json.loads(line))

    contenders = {
        "ours": ours(stream, count),
        "jsonschema-rs": theirs(stream, count),
        "ours start-up": ours(one, 1),
        "jsonschema-rs start-up": theirs(one, 1),
        "ours in-process": ours_in_process,
        "jsonschema-rs in-process": theirs_in_process,
    }
    for fn in contenders.values():  # warm-up: bytecode, caches
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            times[name].append(median_seconds(fn, 1))
    med = {name: statistics.median(values) for name, values in times.items()}
    # Where the console script's start-up goes: -X importtime of its first import.
    imports = [
        parse_importtime(
            subprocess.run(
                [sys.executable, "-X", "importtime", "-c", "import rtschema.cli"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stderr
        )
        for _ in range(3)
    ]
    common = set.intersection(*(set(run) for run in imports))
    startup = {
        name: (
            statistics.median(run[name][0] for run in imports),
            statistics.median(run[name][1] for run in imports),
        )
        for name in common
    }
    return {
        "lines": count,
        "distinct": len(lines),
        "copies": copies,
        "seconds": med,
        "runs": repeats,
        "rate": {
            "ours": count / med["ours"],
            "jsonschema-rs": count / med["jsonschema-rs"],
            "ours in-process": count / med["ours in-process"],
            "jsonschema-rs in-process": count / med["jsonschema-rs in-process"],
        },
        "startup_imports": startup,
    }


# --------------------------------------------------------------------------- report


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def _sum(times: dict[str, list[float]], name: str) -> float:
    return sum(times[name])


def _check(
    target: str, ratio: float, limit: float, *, at_least: bool = False, digits: int = 2
) -> tuple[str, str, bool]:
    """One summary row: the target's text ends with its limit; ``ratio`` must stay at
    most ``limit`` (times), or reach at least it (``at_least``: payloads per second)."""
    sign = "≥" if at_least else "≤"
    met = ratio >= limit if at_least else ratio <= limit
    return (f"issue 14, {target} {sign} {limit:g}×", f"{ratio:.{digits}f}×", met)


def checks(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """``(target, this run, met)`` for the summary; ratios are ours / peer (time) or
    ours / peer (payloads per second) for the stream."""
    if result is None or result.get("skipped"):
        return []
    p = result["protocol"]
    rows = []
    for key, label in (("is_valid valid", "valid"), ("is_valid invalid", "invalid")):
        r = p["ga"][key]
        rows.append(
            _check(
                f"`is_valid` GA session.created example, {label}, own type: ours / jsonschema-rs",
                r["ours"] / r["jsonschema-rs"],
                1,
            )
        )
    for which, times in (("valid", p["valid"]), ("invalid", p["invalid"])):
        for scope, ours, peer in (
            ("each against its own type", "ours own", "rs own"),
            ("against the event union", "ours union", "rs union"),
        ):
            rows.append(
                _check(
                    f"`is_valid` every {which} example event, {scope}: ours / jsonschema-rs",
                    _sum(times, ours) / _sum(times, peer),
                    1,
                )
            )
    r = p["ga"]["validate invalid"]
    rows.append(
        _check(
            "`validate` (all errors) GA session.created with two mistakes: "
            "ours / jsonschema-rs `iter_errors`",
            r["ours"] / r["jsonschema-rs"],
            1,
        )
    )
    inv = p["invalid"]
    rows.append(
        _check(
            "`validate` (all errors) every example event with one mistake: "
            "ours / jsonschema-rs `iter_errors`",
            _sum(inv, "ours validate own") / _sum(inv, "rs iter_errors own"),
            1,
        )
    )
    s = result["stream"]["rate"]
    rows.append(
        _check(
            "`rtschema validate --type auto` stream (subprocess): "
            "payloads/s ours / jsonschema-rs loop",
            s["ours"] / s["jsonschema-rs"],
            1,
            at_least=True,
            digits=3,
        )
    )
    r = p["from_dict"]
    rows.append(
        _check(
            "`from_dict` GA session.created: ours / openai `model_validate`",
            r["ours"] / r["openai"],
            0.4,
        )
    )
    return rows


def render(result: dict[str, Any] | None, examples_path: Path) -> list[str]:
    lines = ["", "## Issue 14: speed on the whole protocol", ""]
    if result is None or result.get("skipped"):
        return [
            *lines,
            f"(The reference's examples were not found at {examples_path}; this section was "
            "skipped.)",
        ]
    ex = result["examples"]
    p = result["protocol"]
    events = p["events"]
    by_api: dict[str, int] = {}
    for name in events:
        by_api[_interface(name)] = by_api.get(_interface(name), 0) + 1
    reasons: dict[str, list[str]] = {}
    for label, reason in ex["left_out"].items():
        reasons.setdefault(reason, []).append(label)
    left = "; ".join(
        f"{len(labels)} {reason}"
        + (f" ({', '.join(f'`{x}`' for x in labels)})" if "reference" in reason else "")
        for reason, labels in sorted(reasons.items())
    )
    lines += [
        f"Payloads: the API reference's own examples (`{examples_path.name}`, {ex['total']}",
        f"payloads). Used: the {len(events)} example events that `realtime_schema` accepts as",
        "their own type ("
        + ", ".join(f"{n} {api}" for api, n in sorted(by_api.items()))
        + f", {len(set(events))} event types); left out: {left}.",
        "The figures for one payload use the reference's GA `session.created` example",
        f"(`{GA_EVENT}`, not `benchmarks/payloads/session_created.json`), and the same example",
        "with two mistakes (speed 2.0, VAD threshold 1.5). jsonschema-rs always gets the",
        f'document the issue names: `realtime_schema.schema_for("{GA_EVENT}")` (or the type\'s',
        f'own for each event), and `schema_for("{UNION}")` for the union of every event',
        "type, the schema's root; its validators are built before timing.",
        "Ours: `validator_for(T).is_valid(payload)` (built before timing, like",
        "jsonschema-rs's; the module function `is_valid(payload, T)`, which looks the type",
        "up on every call, is shown for context), `validate(payload, T)` (raises",
        "`ValidationError` carrying every error), `T.from_dict(payload)`.",
        "",
        "### GA `session.created`, one payload",
        "",
        "Medians of per-call medians (batches of at least 0.2 s, contenders in turn).",
        "`validate` is compared like for like: both list every error (ours raises",
        "`ValidationError` with all of them; jsonschema-rs `list(validator.iter_errors(p))`);",
        "jsonschema-rs `validate`, which raises on the first error, is shown for context.",
        f"Errors found in the invalid example: ours {p['ga_errors']['ours']}, jsonschema-rs "
        f"{p['ga_errors']['jsonschema-rs']}.",
        "",
        "| operation | ours | jsonschema-rs | ours / jsonschema-rs | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for key, row in p["ga"].items():
        ratio = row["ours"] / row["jsonschema-rs"]
        op = key.replace("is_valid", "`is_valid`").replace("validate", "`validate`")
        if ", event union" not in key:
            op += ", own type"
        target, met = "≤ 1×", _met(ratio <= 1)
        if key.endswith("event union"):
            target, met = "(context)", ""
        lines.append(
            f"| {op} | {fmt_time(row['ours'])} | {fmt_time(row['jsonschema-rs'])} | "
            f"{ratio:.2f}× | {target} | {met} |"
        )
        if "ours is_valid(p, T)" in row:
            by_name = row["ours is_valid(p, T)"]
            lines.append(
                f"| ours `is_valid(p, T)`{op.split('`is_valid`')[1]} | {fmt_time(by_name)} | | "
                f"{by_name / row['jsonschema-rs']:.2f}× | (context) | |"
            )
        if "jsonschema-rs validate (first error)" in row:
            first = row["jsonschema-rs validate (first error)"]
            lines.append(
                f"| jsonschema-rs `validate` (raises on the first error) | | {fmt_time(first)} | "
                f"{row['ours'] / first:.2f}× | (context) | |"
            )
    fd = p["from_dict"]
    ratio = fd["ours"] / fd["openai"]
    lines += [
        "",
        "### from_dict against openai-python",
        "",
        f"`{GA_EVENT}.from_dict(payload)` against openai-python's",
        "`SessionCreatedEvent.model_validate(payload)` (`from openai.types.realtime import",
        f"SessionCreatedEvent`; it builds its session as `{p['openai_session_type']}`) on the GA",
        'example; both round-trip it (`to_dict()`; `model_dump(mode="json", exclude_unset=True)`).',
        "",
        "| ours | openai `model_validate` | ours / openai | target | met |",
        "|---|---|---|---|---|",
        f"| {fmt_time(fd['ours'])} | {fmt_time(fd['openai'])} | {ratio:.2f}× | ≤ 0.4× | "
        f"{_met(ratio <= 0.4)} |",
    ]
    lines += _render_events(p)
    lines += _render_stream(result["stream"])
    return lines


def _render_events(p: dict[str, Any]) -> list[str]:
    valid, invalid = p["valid"], p["invalid"]
    n, m = len(p["events"]), len(p["broken"])
    deep = sum(1 for _, where in p["broken"] if where != "an unknown key")
    lines = [
        "",
        "### Every example event",
        "",
        f"Each of the {n} example events in turn, checked (1) against its own type (ours",
        "`validator_for(T).is_valid(p)`; jsonschema-rs with `schema_for(T)`) and (2) against",
        f'the event union (ours `validator_for("{UNION}")`; jsonschema-rs with',
        f'`schema_for("{UNION}")`); for context, ours `is_valid(p, T)` (the module function)',
        "and `is_valid_event(p)` (dispatch on the `type` tag, what `--type auto` uses).",
        "Per payload, every contender back to back in a rotating order (batches of about 10 ms),",
        "medians over rounds; a row adds up the per-payload medians (the time of one pass over",
        f"the {n} events). Invalid: each event with one mistake, the deepest value that, given",
        f"another JSON type, all four checks reject ({deep} of {m}; the rest an unknown",
        "top-level key)"
        + (
            f"; {len(p['unbroken'])} events could not be broken: {', '.join(p['unbroken'])}"
            if p["unbroken"]
            else ""
        )
        + ".",
        "",
        "| payloads | check | ours | jsonschema-rs | ours / jsonschema-rs | events where ours is slower | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, times, count in (("valid", valid, n), ("with one mistake", invalid, m)):
        for scope, ours, peer in (
            ("`is_valid`, own type", "ours own", "rs own"),
            ("`is_valid`, event union", "ours union", "rs union"),
        ):
            a, b = _sum(times, ours), _sum(times, peer)
            slower = sum(x > y for x, y in zip(times[ours], times[peer], strict=True))
            lines.append(
                f"| {count} {label} | {scope} | {fmt_time(a)} | {fmt_time(b)} | {a / b:.2f}× | "
                f"{slower} | ≤ 1× | {_met(a <= b)} |"
            )
        a, b = _sum(times, "ours is_valid(p, T)"), _sum(times, "rs own")
        lines.append(
            f"| {count} {label} | ours `is_valid(p, T)`, own type (context) | {fmt_time(a)} | "
            f"| {a / b:.2f}× | | | |"
        )
        a = _sum(times, "ours is_valid_event")
        lines.append(
            f"| {count} {label} | ours `is_valid_event` (context) | {fmt_time(a)} | | | | | |"
        )
        if "walk" in times:
            a, b = _sum(times, "walk"), _sum(times, "rs own")
            lines.append(
                f"| {count} {label} | a pure-Python walk that visits every value, no schema "
                f"(context) | {fmt_time(a)} | | {a / b:.2f}× | | | |"
            )
    a, b = _sum(invalid, "ours validate own"), _sum(invalid, "rs iter_errors own")
    slower = sum(
        x > y
        for x, y in zip(invalid["ours validate own"], invalid["rs iter_errors own"], strict=True)
    )
    lines.append(
        f"| {m} with one mistake | `validate` (all errors), own type; jsonschema-rs "
        f"`iter_errors` | {fmt_time(a)} | {fmt_time(b)} | {a / b:.2f}× | {slower} | ≤ 1× | "
        f"{_met(a <= b)} |"
    )
    # The events where ours is furthest behind, for whoever works on it.
    ratios = sorted(
        ((valid["ours own"][i] / valid["rs own"][i], name) for i, name in enumerate(p["events"])),
        reverse=True,
    )
    lines += [
        "",
        "Valid events, own type, ours / jsonschema-rs per event: median "
        f"{statistics.median(r for r, _ in ratios):.2f}×; furthest behind: "
        + ", ".join(f"`{name}` {r:.2f}×" for r, name in ratios[:5])
        + ".",
    ]
    return lines


def _render_stream(s: dict[str, Any]) -> list[str]:
    sec, rate = s["seconds"], s["rate"]
    ratio = rate["ours"] / rate["jsonschema-rs"]
    imports = s["startup_imports"]
    cli = imports.get("rtschema.cli", (0, 0))[1]
    top = sorted(imports.items(), key=lambda item: -item[1][0])[:5]
    return [
        "",
        "### JSON Lines stream",
        "",
        f"The {s['distinct']} example events repeated {s['copies']} times: {s['lines']:,} lines.",
        "Ours: the `rtschema validate --type auto FILE.jsonl` console script, a new process per",
        "run (start-up included; the snapshot's `realtime_schema` first on `PYTHONPATH`; it must",
        "exit 0 and report every payload valid). Peer: a new process of the same interpreter",
        "running a loop of `json.loads` and jsonschema-rs `is_valid`, with a validator built",
        f'from `schema_for("{UNION}")` (read from a file); it must count every line valid.',
        "Both read bytecode from a cache filled by a warm-up run (`PYTHONPYCACHEPREFIX`).",
        f"Medians of {s['runs']} run{'s' if s['runs'] != 1 else ''}, contenders in turn. For context: the same two without a",
        "new process (`rtschema.cli.main([...])` in this process; the loop in this process),",
        "and each one's start-up alone (the same command on a one-line file).",
        "",
        "| | ours | jsonschema-rs loop | ours / peer | target | met |",
        "|---|---|---|---|---|---|",
        f"| payloads per second, new process | {rate['ours']:,.0f} | {rate['jsonschema-rs']:,.0f} | "
        f"{ratio:.3f}× | ≥ 1× | {_met(ratio >= 1)} |",
        f"| wall time, new process | {fmt_time(sec['ours'])} | {fmt_time(sec['jsonschema-rs'])} "
        "| | | |",
        f"| start-up (one-line file) | {fmt_time(sec['ours start-up'])} | "
        f"{fmt_time(sec['jsonschema-rs start-up'])} | | (context) | |",
        f"| payloads per second, in-process | {rate['ours in-process']:,.0f} | "
        f"{rate['jsonschema-rs in-process']:,.0f} | "
        f"{rate['ours in-process'] / rate['jsonschema-rs in-process']:.2f}× | (context) | |",
        "",
        "Where the console script's start-up goes: `python -X importtime -c \"import",
        f'rtschema.cli"` (its first line; medians of 3 runs) takes {cli / 1e3:.0f} ms; the largest',
        "self times: "
        + ", ".join(
            f"`{name}` {self_us / 1e3:.0f} ms (of {cumulative / 1e3:.0f} ms with what it imports)"
            for name, (self_us, cumulative) in top
        )
        + ".",
    ]
