"""Timing helpers shared by the benchmark sections (not a benchmark itself)."""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import statistics
import sys
import time
import timeit
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    """Median wall time of ``repeats`` calls of a slow function (a second or more)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_call(fn: Callable[[], Any], repeats: int) -> float:
    """Median seconds per call of a fast function, timed in batches of at least 0.2 s."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(number, 1)
    samples = [t / number for t in timer.repeat(repeat=repeats, number=number)]
    return statistics.median(samples)


def alternating(
    contenders: dict[str, Callable[[], Any]], repeats: int, rounds: int = 3
) -> dict[str, float]:
    """:func:`per_call` of each contender, ``rounds`` times in turn (so that drifts in
    machine load hit all of them); the median of the rounds' medians."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            times[name].append(per_call(fn, repeats))
    return {name: statistics.median(values) for name, values in times.items()}


def paired(
    contenders: dict[str, list[Callable[[], Any]]], rounds: int, sample: float = 0.01
) -> dict[str, list[float]]:
    """Per-item median seconds per call, for contenders timed item by item in turn.

    ``contenders`` maps a name to one callable per item (the same items for every
    contender). Each round times every item with every contender back to back, in an
    order that rotates from round to round, so that a change in machine load hits them
    alike; a sample is a batch of about ``sample`` seconds (the same batch size for all
    contenders of an item)."""
    names = list(contenders)
    count = len(contenders[names[0]])
    numbers = []
    for index in range(count):
        fn = contenders[names[0]][index]
        number = 1
        while True:
            took = timeit.Timer(fn).timeit(number)
            if took >= sample / 4 or number >= 1_000_000:
                break
            number *= 4
        numbers.append(max(1, round(number * sample / max(took, 1e-9))))
    samples: dict[str, list[list[float]]] = {name: [[] for _ in range(count)] for name in names}
    for round_ in range(rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for index in range(count):
            number = numbers[index]
            for name in order:
                took = timeit.Timer(contenders[name][index]).timeit(number)
                samples[name][index].append(took / number)
    return {name: [statistics.median(s) for s in samples[name]] for name in names}


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.2f} µs"


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Swallow what a contender prints (warnings on standard error, progress)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


def import_fresh(folder: Path, package: str) -> Any:
    """Import ``package`` from ``folder``, dropping any earlier copy of it."""
    forget(package)
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))


def forget(package: str) -> None:
    """Drop ``package`` and its modules from ``sys.modules``."""
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            del sys.modules[name]
