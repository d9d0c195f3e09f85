"""`make bench`: what a user waits for in dvdesk, against baselines doing the same work.

For each size (20,000 and 200,000 members; 500,000 with BENCH_LARGE=1;
BENCH_SIZES=2000,20000 to choose) it times every user-facing operation end
to end (cases.py) beside its baseline in the same run, checks that both
produced the same output, and prints one table: CPU and wall time, peak
memory, the ratio, the target an open issue sets, and how each row grows
with the file. Results go to bench/results.json. The demo files, sheets and
packages are built once into bench/data/ and reused.

The whole run keeps to BENCH_BUDGET_S seconds of wall time (default 19
minutes): a row whose predicted time (from the smaller size) no longer fits is
skipped with a line saying so. BENCH_STRICT=1 exits 1 on a missed target or
a pair whose outputs differ.

Processes run with their bytecode cached, as an installed dvdesk does (the
bundle ships .pyc files), even where the shell sets PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
import traceback
from pathlib import Path

import measure
from cases import CASES, SCALING, Context, ensure_packages, ensure_sheet, make_template, temp_folder
from measure import HERE, ONLY, SIZES, Budget, Result, dvdesk_cmd, run_process


def ensure_db(n: int) -> Path:
    """The cached demo file of n members (seed 1), built through `dvdesk demo`."""
    path = measure.DATA / f"demo-{n}.db"
    if not path.exists():
        measure.DATA.mkdir(parents=True, exist_ok=True)
        tmp = measure.DATA / f"building-{n}.db"
        for leftover in measure.DATA.glob(f"building-{n}.db*"):
            leftover.unlink()
        print(f"tạo {path.name} …", file=sys.stderr, flush=True)
        run_process(dvdesk_cmd("demo", "--db", str(tmp), "--members", str(n), "--seed", "1"))
        tmp.rename(path)
    return path


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "count":
        return f"{value:.0f}"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def print_table(results: list[Result]) -> None:
    print(
        "\nCPU: user+sys của cả tiến trình (trung vị các lần chạy xen kẽ); tường: thời gian thực;"
    )
    print(
        "RSS: bộ nhớ đỉnh của tiến trình; tỉ lệ = dvdesk / gốc (CPU); kiểm: hai bên cùng kết quả."
    )
    head = (
        "thao tác",
        "cỡ",
        "dvdesk CPU",
        "gốc CPU",
        "tỉ lệ",
        "dvdesk tường",
        "gốc tường",
        "RSS dvdesk/gốc",
        "tăng",
        "mục tiêu",
        "kiểm",
        "",
    )
    rows = []
    for r in results:
        ratio = r.ratio
        rss = (
            f"{r.dvdesk_rss_mb:.0f}/{r.baseline_rss_mb:.0f} MB"
            if r.dvdesk_rss_mb is not None and r.baseline_rss_mb is not None
            else ""
        )
        rows.append(
            (
                r.name,
                f"{r.size:,}",
                fmt(r.dvdesk, r.unit),
                fmt(r.baseline, r.unit),
                "—" if ratio is None else f"{ratio:.2f}×",
                fmt(r.dvdesk_wall, "s") if r.dvdesk_wall is not None else "",
                fmt(r.baseline_wall, "s") if r.baseline_wall is not None else "",
                rss,
                "" if r.growth is None else f"{r.growth:.1f}×",
                " ".join(t.label() for t in r.targets) or "—",
                {True: "giống", False: "KHÁC", None: "—"}[r.same_output],
                ("ok" if r.ok else "CHƯA ĐẠT") if r.targets or r.same_output is False else "",
            )
        )
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    for line in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip())
    print("\nKiểm tra đầu ra (output checks):")
    for r in results:
        print(f"  {r.name}, {r.size:,}: {r.check}")
        slow = r.notes.get("slowest_key_ms")
        if slow is not None:
            print(f"    phím chậm nhất {slow} ms; từng phím (ms): {r.notes.get('per_key_ms')}")


def add_growth(results: list[Result], sizes: list[int]) -> None:
    """dvdesk at each size over dvdesk at the previous size measured (× data in the header)."""
    by_name: dict[str, dict[int, Result]] = {}
    for r in results:
        by_name.setdefault(r.name, {})[r.size] = r
    for versions in by_name.values():
        measured = sorted(versions)
        for small, large in itertools.pairwise(measured):
            a, b = versions[small], versions[large]
            if a.dvdesk:
                b.growth = b.dvdesk / a.dvdesk
                b.notes["growth_vs"] = small
                if a.baseline and b.baseline is not None:
                    b.notes["baseline_growth"] = round(b.baseline / a.baseline, 2)


def print_growth(results: list[Result]) -> None:
    lines = [
        f"  {r.name}: {r.size // int(str(r.notes['growth_vs'])):g}× dữ liệu "
        f"({int(str(r.notes['growth_vs'])):,} → "
        f"{r.size:,}) → dvdesk {r.growth:.1f}×, gốc {r.notes.get('baseline_growth', '—')}×"
        for r in results
        if r.growth is not None and "growth_vs" in r.notes
    ]
    if lines:
        print("\nTăng theo cỡ tệp (growth):")
        print("\n".join(lines))


def main() -> int:
    budget = Budget()
    sys.path.insert(0, str(HERE))
    results: list[Result] = []
    skipped: list[str] = []
    failed: list[str] = []
    with temp_folder() as folder:
        tmp = Path(folder)
        template = make_template(tmp)
        print(f"dữ liệu thử: {measure.use_data_for(template)}", file=sys.stderr, flush=True)
        measure.warm_bytecode()
        if os.environ.get("BENCH_PREPARE_ONLY") == "1":  # build bench/data/ and stop
            for n in SIZES:
                db = ensure_db(n)
                for ext in ("csv", "xlsx"):
                    ensure_sheet(db, n, ext)
            ensure_packages()
            return 0
        for n in SIZES:
            ok, line = budget.allows("tạo dữ liệu", n)
            if not (measure.DATA / f"demo-{n}.db").exists() and not ok:
                skipped.append(line)
                print(line, file=sys.stderr, flush=True)
                continue
            start = time.perf_counter()
            db = ensure_db(n)
            budget.record("tạo dữ liệu", n, time.perf_counter() - start)
            ctx = Context(db, n, tmp, template)
            for case, once in CASES:
                if (once and n != SIZES[0]) or (ONLY and case.__name__ not in ONLY):
                    continue
                name = case.__name__
                ok, line = budget.allows(name, n)
                if not ok:
                    skipped.append(line)
                    print(line, file=sys.stderr, flush=True)
                    continue
                print(f"… {name} {n:,} (còn {budget.left():.0f} s)", file=sys.stderr, flush=True)
                start = time.perf_counter()
                before = len(results)
                try:
                    results += case(ctx)
                except Exception as exc:  # one broken row must not hide the others
                    message = f"LỖI (error) {name} ở {n:,}: {exc}"
                    failed.append(message)
                    print(message, file=sys.stderr, flush=True)
                    traceback.print_exc(file=sys.stderr)
                runs = max((int(str(r.notes.get("runs", 1))) for r in results[before:]), default=1)
                budget.record(name, n, time.perf_counter() - start, runs, SCALING.get(name, 1.0))
    add_growth(results, SIZES)
    print_table(results)
    print_growth(results)
    for line in skipped + failed:
        print(line)
    elapsed = budget.seconds - budget.left()
    print(f"\nToàn bộ: {elapsed:.0f} s tường (ngân sách {budget.seconds:.0f} s).")
    (HERE / "results.json").write_text(
        json.dumps(
            {
                "sizes": SIZES,
                "elapsed_s": round(elapsed, 1),
                "skipped": skipped,
                "errors": failed,
                "rows": [r.as_json() for r in results],
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    missed = [r for r in results if not r.ok]
    if missed:
        print(f"{len(missed)} dòng chưa đạt mục tiêu hoặc khác kết quả (cột cuối).")
    # A measurement, not a gate: BENCH_STRICT=1 turns a missed target into exit 1.
    strict = os.environ.get("BENCH_STRICT") == "1"
    return 1 if strict and (missed or failed) else 0


if __name__ == "__main__":
    sys.exit(main())
