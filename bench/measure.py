"""What the bench measures with: sizes, targets, results, whole-process runs, the budget.

Every dvdesk row is a user-facing operation timed end to end: a CLI command
as its own process (CPU user+sys and wall from `os.wait4`, peak RSS of that
process alone), or an input event in the window up to the table or panel
showing the answer (bench/gui_probe.py). Each baseline does the same work in
its own process (bench/baselines.py), and runs interleaved with dvdesk so a
burst of load elsewhere on a shared machine hits both alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA_ROOT = HERE / "data"
DATA = DATA_ROOT  # set by use_data_for(): one folder per data-file format (see there)
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "").split(",") if x] or (
    [20_000, 200_000] + ([500_000] if os.environ.get("BENCH_LARGE") == "1" else [])
)
ON = date(2026, 11, 26)  # the consideration date of every eligible list
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
# Stop starting new rows once this much wall time is spent (the whole run must stay
# under 20 minutes on 2 cores); a row predicted to overrun is skipped with a line.
BUDGET_S = float(os.environ.get("BENCH_BUDGET_S", "1140"))
# Subprocesses import dvdesk from this checkout, never from an editable install elsewhere.
# Installed dvdesk runs from compiled bytecode (the bundle ships .pyc files; pip
# compiled the venv's packages), so the processes here keep theirs too, whatever
# the shell says (warm_bytecode compiles dvdesk before the first row).
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "QT_QPA_PLATFORM": "offscreen",
    "PYTHONPATH": str(ROOT),
}
PY = sys.executable
# Peak RSS from wait4 is the highest of the process's life, and a child spawned by
# this (bigger) process starts from this process's size. /usr/bin/time forks the
# command from its own small process and writes the command's own peak (%M, KiB);
# wait4 on /usr/bin/time still gives the command's CPU (a waited-for child).
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else ""
CAP_S = 40.0  # a pair stops repeating once its runs have taken this much wall time
ONLY = {x for x in os.environ.get("BENCH_ONLY", "").split(",") if x}  # case names, to develop


@dataclass(frozen=True)
class Target:
    """What an open issue asks of a row: a ratio to the baseline or an absolute limit."""

    limit: float
    kind: str = "ratio"  # "ratio": dvdesk/baseline; "max": the dvdesk figure itself
    unit: str = "s"  # for "max": the unit of `limit` (s, MB, count)
    issue: int = 0

    def ok(self, dvdesk: float, ratio: float) -> bool:
        return (ratio if self.kind == "ratio" else dvdesk) <= self.limit

    def label(self) -> str:
        if self.kind == "ratio":
            text = f"≤{self.limit:g}×"
        elif self.unit == "s":
            text = f"≤{self.limit * 1000:g} ms"
        elif self.unit == "MB":
            text = f"≤{self.limit:g} MB"
        else:
            text = f"≤{self.limit:g}"
        return f"{text} (#{self.issue})" if self.issue else text


@dataclass
class Sample:
    cpu: float  # seconds, user + sys
    wall: float
    rss_mb: float
    returncode: int = 0


@dataclass
class Result:
    name: str
    size: int
    dvdesk: float  # CPU seconds (or MB / a count, see unit)
    baseline: float | None
    targets: tuple[Target, ...] = ()
    unit: str = "s"
    dvdesk_wall: float | None = None
    baseline_wall: float | None = None
    dvdesk_rss_mb: float | None = None
    baseline_rss_mb: float | None = None
    same_output: bool | None = None  # the pair's outputs compared (None: not comparable)
    check: str = ""  # what was compared, and the figures
    growth: float | None = None  # dvdesk at this size / at the previous size
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.unit == "count":
            return None  # a count (id reloads) is read against its target, not a ratio
        return self.dvdesk / self.baseline if self.baseline else float("inf")

    def target_ok(self, target: Target) -> bool:
        if target.unit == "MB" and target.kind == "max" and self.unit != "MB":
            value = self.dvdesk_rss_mb if self.dvdesk_rss_mb is not None else 0.0
            return value <= target.limit
        ratio = self.ratio if self.ratio is not None else 0.0
        return target.ok(self.dvdesk, ratio)

    @property
    def ok(self) -> bool:
        """Every target met, and the pair produced the same output."""
        return self.same_output is not False and all(self.target_ok(t) for t in self.targets)

    def as_json(self) -> dict[str, object]:
        ratio = self.ratio
        return {
            "name": self.name,
            "size": self.size,
            "unit": self.unit,
            "dvdesk": round(self.dvdesk, 4),
            "baseline": None if self.baseline is None else round(self.baseline, 4),
            "ratio": None if ratio is None else round(ratio, 3),
            "target": " ".join(t.label() for t in self.targets) or None,
            "growth": None if self.growth is None else round(self.growth, 2),
            "ok": self.ok,
            "dvdesk_wall": _round(self.dvdesk_wall),
            "baseline_wall": _round(self.baseline_wall),
            "dvdesk_rss_mb": _round(self.dvdesk_rss_mb, 1),
            "baseline_rss_mb": _round(self.baseline_rss_mb, 1),
            "same_output": self.same_output,
            "check": self.check,
            "notes": self.notes,
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# -- whole processes -----------------------------------------------------------------


def run_process(
    cmd: Sequence[str], stdout: Path | None = None, stdin: Path | None = None
) -> Sample:
    """Run `cmd` to completion; its own CPU, wall clock and peak RSS (from wait4).

    stdout goes to the file `stdout` (or is dropped); stderr is kept for the error
    message. A non-zero exit raises: a failed command must not pass for a fast one.
    """
    with tempfile.TemporaryFile() as err:
        out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
        inp = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115
        try:
            rss_file = Path(tempfile.mktemp(prefix="dvdesk-bench-rss-"))
            wrap = [TIME, "-f", "%M", "-o", str(rss_file)] if TIME else []
            start = time.perf_counter()
            proc = subprocess.Popen([*wrap, *cmd], stdout=out, stderr=err, stdin=inp, env=ENV)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss_mb = usage.ru_maxrss / 1024
            if TIME and rss_file.exists():
                lines = rss_file.read_text().split()
                rss_mb = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else rss_mb
                rss_file.unlink()
        finally:
            if stdout:
                out.close()  # type: ignore[union-attr]
            if stdin:
                inp.close()  # type: ignore[union-attr]
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd[:6])} … exit {proc.returncode}: {message}")
    return Sample(usage.ru_utime + usage.ru_stime, wall, rss_mb)


@dataclass
class Pair:
    dvdesk: Sample
    baseline: Sample
    runs: int


def interleaved(
    mine: Callable[[int], Sample],
    theirs: Callable[[int], Sample],
    repeats: int = REPEATS,
    cap_s: float | None = None,
) -> Pair:
    """Medians over interleaved runs (dvdesk, baseline, baseline, dvdesk, …).

    Stops repeating once the pair has used `cap_s` of wall time: a 200,000-member
    merge runs once, a 50 ms command `repeats` times. Each callable gets the run index.
    """
    cap_s = CAP_S if cap_s is None else cap_s
    ours: list[Sample] = []
    bare: list[Sample] = []
    spent = 0.0
    for i in range(max(1, repeats)):
        order = (mine, theirs) if i % 2 == 0 else (theirs, mine)
        for fn in order:
            sample = fn(i)
            (ours if fn is mine else bare).append(sample)
            spent += sample.wall
        if spent > cap_s:
            break
    return Pair(summary(ours), summary(bare), len(ours))


def summary(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.cpu for s in samples),
        statistics.median(s.wall for s in samples),
        statistics.median(s.rss_mb for s in samples),
    )


def dvdesk_cmd(*args: str) -> list[str]:
    return [PY, "-m", "dvdesk", *args]


def baseline_cmd(*args: str) -> list[str]:
    return [PY, str(HERE / "baselines.py"), *args]


# -- the time budget -------------------------------------------------------------------


class Budget:
    """Wall time left for the run; predicts a row at a larger size from the smaller one."""

    def __init__(self, seconds: float = BUDGET_S) -> None:
        self.seconds = seconds
        self.start = time.perf_counter()
        # case -> (size, wall seconds, interleaved runs, how its cost follows the size)
        self.spent: dict[str, tuple[int, float, int, float]] = {}

    def left(self) -> float:
        return self.seconds - (time.perf_counter() - self.start)

    def predict(self, case: str, size: int) -> float:
        known = self.spent.get(case)
        if known is None:
            return 0.0
        n, wall, runs, exponent = known
        # One run at the new size, from one run at the old (linear unless told), and as
        # many runs as `interleaved` would make of it under its cap.
        once = wall / max(1, runs) * max(1.0, size / n) ** exponent
        return once * max(1, min(REPEATS, int(CAP_S // max(once, 1e-9)) + 1, runs))

    def allows(self, case: str, size: int) -> tuple[bool, str]:
        left, need = self.left(), self.predict(case, size)
        if left <= 0 or need > left:
            return False, (
                f"BỎ QUA (skipped) {case} ở {size:,} đoàn viên: còn {max(0, left):.0f} s "
                f"trong ngân sách {self.seconds:.0f} s, ước tính cần {need:.0f} s"
            )
        return True, ""

    def record(
        self, case: str, size: int, wall: float, runs: int = 1, exponent: float = 1.0
    ) -> None:
        self.spent[case] = (size, wall, runs, exponent)


def format_fingerprint(template: Path) -> str:
    """The data-file format an empty file of this dvdesk has: its applied migrations."""
    import hashlib
    import sqlite3

    conn = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY name")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return hashlib.sha256(repr((names, version)).encode()).hexdigest()[:10]


def use_data_for(template: Path) -> Path:
    """bench/data/<format>/: demo files, sheets and packages of this data-file format.

    Another helper's migration (or a signed package format) makes the cached files
    stale, so they are rebuilt in a new folder; folders of other formats are removed
    (they are the bench's own files, gitignored) so the disk does not fill up.
    """
    import shutil

    global DATA
    key = format_fingerprint(template)
    DATA = DATA_ROOT / f"format-{key}"
    DATA.mkdir(parents=True, exist_ok=True)
    for old in DATA_ROOT.iterdir():
        if old != DATA and (
            old.name.startswith("format-")
            or old.suffix in (".db", ".csv", ".xlsx")
            or old.name.startswith(("demo-", "members-", "communes-", "building-"))
        ):
            if old.is_dir():
                shutil.rmtree(old)
            else:
                old.unlink()
    return DATA


def warm_bytecode() -> None:
    """Compile dvdesk once, as an installation has it (__pycache__ is gitignored)."""
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(ROOT / "dvdesk")],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
