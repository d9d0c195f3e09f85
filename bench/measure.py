"""What the bench measures with: sizes, repeats, results, CPU clocks, cached demo files."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "").split(",") if x] or (
    [20_000, 200_000] + ([500_000] if os.environ.get("BENCH_LARGE") == "1" else [])
)
PREFIXES = [
    "n",
    "ng",
    "ngu",
    "nguy",
    "nguye",
    "nguyen",
    "nguyen v",
    "nguyen va",
    "nguyen van",
    "nguyen van a",
]
ON = date(2026, 11, 26)
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


@dataclass
class Result:
    operation: str
    size: int
    dvdesk: float  # seconds (or MB for memory rows)
    baseline: float
    target: float  # the ratio not to exceed
    unit: str = "s"
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.dvdesk / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target


def median(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median CPU seconds of this process (user + sys) over `repeats` calls.

    CPU time, not the wall clock: on a shared 2-core machine (CI, or several
    builds at once) waiting for a core would swamp the differences measured.
    """
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ensure_db(n: int) -> Path:
    """The cached demo file of n members (seed 1), built through `dvdesk demo`."""
    path = DATA / f"demo-{n}.db"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = DATA / f"building-{n}.db"
        for leftover in DATA.glob(f"building-{n}.db*"):
            leftover.unlink()
        print(f"building {path.name} …", file=sys.stderr, flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "dvdesk",
                "demo",
                "--db",
                str(tmp),
                "--members",
                str(n),
                "--seed",
                "1",
            ],
            check=True,
            env=ENV,
        )
        tmp.rename(path)
    return path
