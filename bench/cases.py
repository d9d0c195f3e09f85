"""The rows of `make bench`: each a dvdesk operation and its baseline, with the output check.

Every case runs both sides as whole processes (or, for the window, a probe
process each: bench/gui_probe.py), interleaved, and compares what the two
produced before a ratio is reported (outputs.py). Cases use only dvdesk's
public CLI, and for set-up its store API, so they keep working while the app
changes around them.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import measure
import outputs
from measure import (
    ENV,
    HERE,
    ON,
    PY,
    REPEATS,
    Result,
    Sample,
    Target,
    baseline_cmd,
    dvdesk_cmd,
    interleaved,
    run_process,
)

MERGE_COMMUNES, MERGE_MEMBERS = 100, 2_000
STATS_FROM, STATS_TO = 2017, 2026  # a 10-year range (issue #11)

# The targets the open issues set.
T_OPEN = Target(1.5, issue=16)
T_KEY = Target(0.050, "max", "s", 16)
T_CLICK = Target(0.030, "max", "s", 16)
T_SORT = Target(0.200, "max", "s", 16)
T_EDIT = Target(0, "max", "count", 10)  # an edit reloads no id list
T_WINDOW_MB = Target(1.5, issue=16)
T_LIST = Target(2.0, issue=11)
T_STATS = Target(2.0, issue=11)
T_IMPORT = Target(3.0, issue=15)
T_MERGE = Target(3.0, issue=13)
T_MERGE_MB = Target(400, "max", "MB", 13)
T_PRINT_LIST = Target(2.0, issue=17)
T_PRINT_MB = Target(300, "max", "MB", 17)
T_CHECKLISTS = Target(1.5, issue=17)


@dataclass
class Context:
    """What the cases of one size share: the demo file and what was learnt from it."""

    db: Path
    size: int
    tmp: Path
    template: Path  # an empty data file of this dvdesk version
    eligible: list[str] = field(default_factory=list)  # uids of `list --eligible-on`


def pair_result(
    name: str, ctx: Context, pair: Any, targets: tuple[Target, ...], **kw: Any
) -> Result:
    return Result(
        name,
        ctx.size,
        pair.dvdesk.cpu,
        pair.baseline.cpu,
        targets,
        dvdesk_wall=pair.dvdesk.wall,
        baseline_wall=pair.baseline.wall,
        dvdesk_rss_mb=pair.dvdesk.rss_mb,
        baseline_rss_mb=pair.baseline.rss_mb,
        notes={"runs": pair.runs, **kw.pop("notes", {})},
        **kw,
    )


# -- CLI start-up ------------------------------------------------------------------------


def cli_startup(ctx: Context) -> list[Result]:
    mine_out, bare_out = ctx.tmp / "age-dvdesk.txt", ctx.tmp / "age-bare.txt"
    cmd = dvdesk_cmd("age", "28/06/2008", "--on", ON.strftime("%d/%m/%Y"))
    run_process(cmd, mine_out)  # warm the file cache; its answer is the baseline's text
    answer = ctx.tmp / "age-answer.txt"
    shutil.copyfile(mine_out, answer)
    pair = interleaved(
        lambda _: run_process(cmd, mine_out),
        lambda _: run_process(baseline_cmd("age", str(answer)), bare_out),
        max(REPEATS, 5),
    )
    same = mine_out.read_bytes() == bare_out.read_bytes()
    return [
        pair_result(
            "khởi động CLI (dvdesk age)",
            ctx,
            pair,
            (),
            same_output=same,
            check=f"stdout giống hệt ({len(mine_out.read_bytes())} byte)",
        )
    ]


# -- lists and figures ---------------------------------------------------------------------


def list_eligible(ctx: Context) -> list[Result]:
    mine_out, bare_out = ctx.tmp / "eligible-dvdesk.json", ctx.tmp / "eligible-bare.json"
    day = ON.isoformat()
    pair = interleaved(
        lambda _: run_process(
            dvdesk_cmd("list", "--db", str(ctx.db), "--eligible-on", day, "--json"), mine_out
        ),
        lambda _: run_process(baseline_cmd("list-eligible", str(ctx.db), day, str(bare_out))),
    )
    check = outputs.compare_lists(mine_out, bare_out)
    ctx.eligible = check.uids
    return [
        pair_result(
            "danh sách đủ tuổi (list --eligible-on --json)",
            ctx,
            pair,
            (T_LIST,),
            same_output=check.same,
            check=check.text,
        )
    ]


def stats_range(ctx: Context) -> list[Result]:
    mine_out, bare_out = ctx.tmp / "stats-dvdesk.json", ctx.tmp / "stats-bare.json"
    span = (str(STATS_FROM), str(STATS_TO))
    pair = interleaved(
        lambda _: run_process(
            dvdesk_cmd("stats", "--db", str(ctx.db), "--from", span[0], "--to", span[1], "--json"),
            mine_out,
        ),
        lambda _: run_process(baseline_cmd("stats", str(ctx.db), *span, str(bare_out))),
    )
    same, text = outputs.compare_stats(mine_out, bare_out)
    return [
        pair_result(
            f"thống kê {STATS_FROM}–{STATS_TO} (stats --json)",
            ctx,
            pair,
            (T_STATS,),
            same_output=same,
            check=text,
        )
    ]


# -- file operations ---------------------------------------------------------------------


def check_file(ctx: Context) -> list[Result]:
    bare_out = ctx.tmp / "check-bare.txt"
    pair = interleaved(
        lambda _: run_process(dvdesk_cmd("check", "--db", str(ctx.db))),
        lambda _: run_process(baseline_cmd("check", str(ctx.db)), bare_out),
    )
    members = outputs.live_members(ctx.db)
    same = bare_out.read_text().split() == ["ok", str(members)]
    return [
        pair_result(
            "kiểm tra tệp (check)",
            ctx,
            pair,
            (),
            same_output=same,
            check=f"cả hai: tệp tốt, {members:,} đoàn viên (dvdesk exit 0)",
        )
    ]


def backup(ctx: Context) -> list[Result]:
    mine, bare = ctx.tmp / "backup-dvdesk.db", ctx.tmp / "backup-bare.db"

    def run_mine(_: int) -> Sample:
        mine.unlink(missing_ok=True)
        return run_process(dvdesk_cmd("backup", "--db", str(ctx.db), "--out", str(mine)))

    def run_bare(_: int) -> Sample:
        bare.unlink(missing_ok=True)
        return run_process(baseline_cmd("backup", str(ctx.db), str(bare)))

    pair = interleaved(run_mine, run_bare)
    a, b = outputs.table_digest(mine), outputs.table_digest(bare)
    return [
        pair_result(
            "sao lưu (backup)",
            ctx,
            pair,
            (),
            same_output=a == b,
            check=f"bảng members/steps/audit giống nhau: {a[0]}",
        )
    ]


def export_package(ctx: Context) -> list[Result]:
    """Each dvdesk run exports from a fresh copy: a second export would hold no new audit."""
    mine, bare = ctx.tmp / "goi-dvdesk.zip", ctx.tmp / "goi-bare.zip"
    copy = ctx.tmp / "export-source.db"

    def run_mine(_: int) -> Sample:
        fresh_copy(ctx.db, copy)
        mine.unlink(missing_ok=True)
        return run_process(dvdesk_cmd("export", "--db", str(copy), "--out", str(mine)))

    def run_bare(_: int) -> Sample:
        bare.unlink(missing_ok=True)
        return run_process(baseline_cmd("export", str(ctx.db), str(bare)))

    pair = interleaved(run_mine, run_bare)
    a, b = outputs.package_counts(mine), outputs.package_counts(bare)
    return [
        pair_result(
            "xuất gói gửi cấp trên (export .zip)",
            ctx,
            pair,
            (),
            same_output=a == b,
            check="số dòng units/members/steps/audit: "
            + ", ".join(f"{k} {v:,}" for k, v in a.items()),
        )
    ]


def fresh_copy(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(src, dst)


# -- imports and merges ---------------------------------------------------------------------


def ensure_sheet(db: Path, size: int, ext: str) -> Path:
    """The demo file's members as dvdesk exports them (.csv or .xlsx), cached."""
    path = measure.DATA / f"members-{size}.{ext}"
    if not path.exists():
        part = measure.DATA / f"members-{size}.part.{ext}"
        part.unlink(missing_ok=True)
        run_process(dvdesk_cmd("export", "--db", str(db), "--out", str(part)))
        part.rename(path)
    return path


def import_sheet(ext: str) -> Callable[[Context], list[Result]]:
    def case(ctx: Context) -> list[Result]:
        sheet = ensure_sheet(ctx.db, ctx.size, ext)
        mine, bare = ctx.tmp / "nhap-dvdesk.db", ctx.tmp / "nhap-bare.db"

        def run_mine(_: int) -> Sample:
            fresh_copy(ctx.template, mine)
            return run_process(
                dvdesk_cmd("import", "--db", str(mine), str(sheet), "--skip-invalid")
            )

        def run_bare(_: int) -> Sample:
            fresh_copy(ctx.template, bare)
            bare.unlink()
            return run_process(
                baseline_cmd(f"import-{ext}", str(ctx.template), str(sheet), str(bare))
            )

        pair = interleaved(run_mine, run_bare)
        a, b = outputs.member_digest(mine), outputs.member_digest(bare)
        return [
            pair_result(
                f"nhập {ext.upper()} (import)",
                ctx,
                pair,
                (T_IMPORT,),
                same_output=a == b,
                check=f"đoàn viên (họ tên, CCCD) giống nhau: dvdesk {a[0]:,}, gốc {b[0]:,}",
            )
        ]

    case.__name__ = f"import_{ext}"
    return case


def ensure_packages() -> list[Path]:
    folder = measure.DATA / f"communes-{MERGE_COMMUNES}x{MERGE_MEMBERS}"
    found = sorted(folder.glob("xa-*.zip"))
    if len(found) < MERGE_COMMUNES:
        subprocess.run(
            [
                PY,
                str(HERE / "build_packages.py"),
                str(folder),
                str(MERGE_COMMUNES),
                str(MERGE_MEMBERS),
            ],
            check=True,
            env=ENV,
        )
        found = sorted(folder.glob("xa-*.zip"))
    return [p for p in found if ".part." not in p.name][:MERGE_COMMUNES]


def merge(ctx: Context) -> list[Result]:
    packages = ensure_packages()
    mine, bare = ctx.tmp / "tong-hop-dvdesk.db", ctx.tmp / "tong-hop-bare.db"
    # Signed packages: the officer has confirmed each commune's key by phone.
    keys_file = packages[0].parent / "keys.txt"
    keys = sorted(set(keys_file.read_text().split())) if keys_file.exists() else []
    accept = [a for key in keys for a in ("--accept-key", key)]

    def run_mine(_: int) -> Sample:
        fresh_copy(ctx.template, mine)
        return run_process(dvdesk_cmd("merge", "--db", str(mine), *accept, *map(str, packages)))

    def run_bare(_: int) -> Sample:
        bare.unlink(missing_ok=True)
        return run_process(baseline_cmd("merge", str(ctx.template), str(bare), *map(str, packages)))

    pair = interleaved(run_mine, run_bare, cap_s=30)
    a, b = outputs.table_counts(mine), outputs.table_counts(bare)
    result = pair_result(
        f"gộp {MERGE_COMMUNES} xã × {MERGE_MEMBERS:,} đoàn viên (merge)",
        ctx,
        pair,
        (T_MERGE, T_MERGE_MB),
        same_output=a == b,
        check=f"đoàn viên {a['members']:,} / {b['members']:,}, "
        f"bước {a['steps']:,} / {b['steps']:,}",
    )
    result.size = MERGE_COMMUNES * MERGE_MEMBERS
    return [result]


# -- PDFs ------------------------------------------------------------------------------------


def print_eligible(ctx: Context) -> list[Result]:
    mine, bare, count = ctx.tmp / "du-tuoi-dvdesk.pdf", ctx.tmp / "du-tuoi-bare.pdf", ctx.tmp / "n"
    day = ON.isoformat()
    pair = interleaved(
        lambda _: run_process(
            dvdesk_cmd(
                "print",
                "eligible",
                "--db",
                str(ctx.db),
                "--on",
                day,
                "--out",
                str(mine),
                "--overwrite",
            )
        ),
        lambda _: run_process(baseline_cmd("print-eligible", str(ctx.db), day, str(bare)), count),
        cap_s=20,
    )
    drawn = int(count.read_text().strip() or 0)
    listed = len(ctx.eligible) if ctx.eligible else outputs.eligible_count(ctx.db, day)
    pages = (outputs.pdf_pages(mine), outputs.pdf_pages(bare))
    return [
        pair_result(
            "in danh sách đủ tuổi (print eligible)",
            ctx,
            pair,
            (T_PRINT_LIST, T_PRINT_MB),
            same_output=drawn == listed,
            check=f"gốc vẽ {drawn:,} dòng = list --eligible-on {listed:,}; "
            f"trang {pages[0]:,} / {pages[1]:,}",
            notes={"pages": pages},
        )
    ]


def checklists(ctx: Context) -> list[Result]:
    uids = outputs.candidates(ctx.db, 1000)
    uid_file = ctx.tmp / "uids.txt"
    uid_file.write_text("\n".join(uids), encoding="utf-8")
    mine, bare = ctx.tmp / "phieu-dvdesk.pdf", ctx.tmp / "phieu-bare.pdf"
    args = [a for uid in uids for a in ("--uid", uid)]
    pair = interleaved(
        lambda _: run_process(
            dvdesk_cmd(
                "print", "checklist", "--db", str(ctx.db), "--out", str(mine), "--overwrite", *args
            )
        ),
        lambda _: run_process(baseline_cmd("checklists", str(ctx.db), str(uid_file), str(bare))),
        cap_s=30,
    )
    pages = (outputs.pdf_pages(mine), outputs.pdf_pages(bare))
    return [
        pair_result(
            f"in {len(uids):,} phiếu quy trình (print checklist)",
            ctx,
            pair,
            (T_CHECKLISTS,),
            # A sheet may run onto a second page in dvdesk (never shrunk); the bare
            # canvas draws each on one.
            same_output=pages[0] >= len(uids) and pages[1] == len(uids),
            check=f"trang dvdesk {pages[0]:,} / gốc {pages[1]:,} cho {len(uids):,} người "
            "(mỗi người ít nhất một trang)",
        )
    ]


# -- the window --------------------------------------------------------------------------


def probe(kind: str, db: Path) -> dict[str, Any]:
    out = subprocess.run(
        [PY, str(HERE / "gui_probe.py"), kind, str(db)],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=900,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def window(ctx: Context) -> list[Result]:
    """Interleaved probe processes, each on its own copy of the file."""
    runs: dict[str, list[dict[str, Any]]] = {"dvdesk": [], "bare": []}
    copy = ctx.tmp / "window.db"
    repeats = max(2, REPEATS) if ctx.size <= 50_000 else 2
    for i in range(repeats):
        for kind in ("dvdesk", "bare") if i % 2 == 0 else ("bare", "dvdesk"):
            fresh_copy(ctx.db, copy)
            runs[kind].append(probe(kind, copy))

    def med(kind: str, get: Callable[[dict[str, Any]], float]) -> float:
        return statistics.median(get(r) for r in runs[kind])

    def row(
        name: str,
        get: Callable[[dict[str, Any]], float],
        wall: Callable[[dict[str, Any]], float],
        targets: tuple[Target, ...],
        same: bool | None,
        check: str,
        **notes: Any,
    ) -> Result:
        return Result(
            name,
            ctx.size,
            med("dvdesk", get),
            med("bare", get),
            targets,
            dvdesk_wall=med("dvdesk", wall),
            baseline_wall=med("bare", wall),
            same_output=same,
            check=check,
            notes={"runs": repeats, **notes},
        )

    mine, bare = runs["dvdesk"][0], runs["bare"][0]
    rows_same = mine["rows"] == bare["rows"]
    results = [
        row(
            "cửa sổ: mở tệp đến bảng đầu tiên",
            lambda r: r["open"]["cpu"],
            lambda r: r["open"]["wall"],
            (T_OPEN,),
            rows_same,
            f"bảng {mine['rows']:,} / {bare['rows']:,} dòng",
        ),
    ]
    # One keystroke: the median over the typed keys of each key's median CPU.
    per_key = [
        (
            k["text"],
            statistics.median(r["keys"][i]["cpu"] for r in runs["dvdesk"]),
            statistics.median(r["keys"][i]["cpu"] for r in runs["bare"]),
        )
        for i, k in enumerate(mine["keys"])
    ]
    keys_same = all(
        a["rows"] == b["rows"] and a["ok"] and b["ok"]
        for a, b in zip(mine["keys"], bare["keys"], strict=True)
    )
    results.append(
        row(
            "cửa sổ: một phím tìm kiếm (trung vị 12 phím)",
            lambda r: statistics.median(k["cpu"] for k in r["keys"]),
            lambda r: statistics.median(k["wall"] for k in r["keys"]),
            (T_KEY,),
            keys_same,
            "số dòng khớp mỗi phím giống nhau: "
            + ", ".join(f"{k['text']!r} {k['rows']}" for k in mine["keys"][::3]),
            slowest_key_ms=round(max(p[1] for p in per_key) * 1000, 1),
            per_key_ms={p[0]: round(p[1] * 1000, 1) for p in per_key},
        )
    )
    clicks_ok = all(c["ok"] for r in runs["dvdesk"] + runs["bare"] for c in r["clicks"])
    results.append(
        row(
            "cửa sổ: bấm một dòng đến bảng quy trình",
            lambda r: statistics.median(c["cpu"] for c in r["clicks"]),
            lambda r: statistics.median(c["wall"] for c in r["clicks"]),
            (T_CLICK,),
            clicks_ok,
            "bảng bên hiện đúng người được bấm (5 dòng)",
        )
    )
    for i, s in enumerate(mine["sorts"]):
        sorted_ok = all(r["sorts"][i]["ok"] for r in runs["dvdesk"] + runs["bare"][:1])
        results.append(
            row(
                f"cửa sổ: sắp xếp theo cột “{s['label']}”",
                lambda r, i=i: r["sorts"][i]["cpu"],
                lambda r, i=i: r["sorts"][i]["wall"],
                (T_SORT,),
                sorted_ok,
                f"{mine['rows']:,} dòng đọc lại theo cột",
            )
        )
    reloads = max(r["edit"]["id_reloads"] for r in runs["dvdesk"])
    results.append(
        Result(
            "cửa sổ: sửa một đoàn viên — số lần đọc lại danh sách id",
            ctx.size,
            float(reloads),
            float(max(r["edit"]["id_reloads"] for r in runs["bare"])),
            (T_EDIT,),
            unit="count",
            same_output=all(r["edit"]["ok"] for r in runs["dvdesk"] + runs["bare"]),
            check="dòng được sửa hiện giá trị mới",
            notes={
                "runs": repeats,
                "edit_cpu_ms": round(med("dvdesk", lambda r: r["edit"]["cpu"]) * 1000, 1),
                "bare_edit_cpu_ms": round(med("bare", lambda r: r["edit"]["cpu"]) * 1000, 1),
            },
        )
    )
    results.append(
        Result(
            "cửa sổ: bộ nhớ đỉnh",
            ctx.size,
            med("dvdesk", lambda r: r["peak_rss_mb"]),
            med("bare", lambda r: r["peak_rss_mb"]),
            (T_WINDOW_MB,),
            unit="MB",
            same_output=rows_same,
            check="sau khi mở, gõ, bấm, sắp xếp, sửa như trên",
        )
    )
    return results


# (case, runs once whatever the size)
CASES: list[tuple[Callable[[Context], list[Result]], bool]] = [
    (cli_startup, True),
    (window, False),
    (list_eligible, False),
    (stats_range, False),
    (check_file, False),
    (backup, False),
    (export_package, False),
    (import_sheet("csv"), False),
    (import_sheet("xlsx"), False),
    (checklists, False),
    (merge, True),
    (print_eligible, False),
]


# How a case's cost follows the file size, for the budget's prediction (1: linear):
# 1,000 checklists are 1,000 sheets whatever the file holds.
SCALING = {"checklists": 0.1, "cli_startup": 0.0}


def make_template(folder: Path) -> Path:
    """An empty data file of this dvdesk, as the window creates one."""
    path = folder / "trong.db"
    subprocess.run(
        [
            PY,
            "-c",
            "import sys; from dvdesk.store.gateway import Store; Store.open(sys.argv[1]).close()",
            str(path),
        ],
        check=True,
        env=ENV,
    )
    return path


def temp_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="dvdesk-bench-")


__all__ = ["CASES", "Context", "make_template", "temp_folder"]
