"""Merge at province scale, measured: `python -m tests.exchange.merge_scale [COMMUNES] [MEMBERS]`.

Builds COMMUNES demo communes of MEMBERS members each (distinct codes, each
its own data file and key; cached in $MERGE_SCALE_DIR, default
/tmp/dvdesk-merge-scale), exports their signed packages, then times

- dvdesk: `dvdesk merge --db NEW.db PACKAGES…` as a whole process (CPU, wall,
  peak RSS of the child), and
- baseline: the same rows (read back from the merged file, so they are the
  same) bulk-inserted into a fresh file of the same schema with plain
  executemany, the search-index trigger dropped and the index built once,

and prints one JSON object with both and the ratio (issue 13: ≤ 3×, ≤ 400 MB).
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from dvdesk import demo
from dvdesk.exchange.package import write_package
from dvdesk.store.gateway import Store

TODAY_SEED = 1000


def build_packages(folder: Path, communes: int, members: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for i in range(communes):
        code = f"{10001 + i:05d}"
        pkg = folder / f"goi-{code}-{members}.zip"
        if not pkg.exists():
            with Store.open(":memory:") as store:
                settings = store.settings.get()
                settings.commune_code, settings.commune_name = code, f"Xã Thử {i + 1}"
                store.settings.save(settings)
                demo.build(store, members, seed=TODAY_SEED + i)
                write_package(store, pkg)
        out.append(pkg)
    return out


def run_merge(db: Path, packages: list[Path]) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dvdesk", "merge", "--db", str(db), *map(str, packages)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"merge failed: {done.stderr[-2000:]}")
    progress = [line for line in done.stdout.splitlines() if line.startswith("Đã xử lý gói")]
    return {
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "progress_lines": len(progress),
    }


MEMBER_TABLES = ("units", "members", "steps")
# Every row the merge writes: the data, its audit entries, the audit each package carried.
ALL_TABLES = (*MEMBER_TABLES, "audit", "received_audit", "received_packages", "commune_keys")


def baseline(merged: Path, target: Path, names: tuple[str, ...]) -> dict[str, float]:
    """The same rows of `names` bulk-inserted; the FTS index built once."""
    src = sqlite3.connect(merged)
    tables = {
        t: (
            [c[1] for c in src.execute(f"PRAGMA table_info({t})")],
            src.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall(),
        )
        for t in names
    }
    src.close()
    with Store.open(target):
        pass  # the same schema, migrated
    start_cpu, start = time.process_time(), time.perf_counter()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DROP TRIGGER members_fts_insert")
    for table, (columns, rows) in tables.items():
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    conn.execute("INSERT INTO members_fts (rowid, search_text) SELECT id, search_text FROM members")
    conn.execute("COMMIT")
    conn.close()
    return {
        "cpu_s": round(time.process_time() - start_cpu, 2),
        "wall_s": round(time.perf_counter() - start, 2),
        "rows": {t: len(rows) for t, (_, rows) in tables.items()},
    }


def main(argv: list[str]) -> int:
    communes = int(argv[0]) if argv else 100
    members = int(argv[1]) if len(argv) > 1 else 2000
    folder = Path(os.environ.get("MERGE_SCALE_DIR", "/tmp/dvdesk-merge-scale"))
    packages = build_packages(folder / "packages", communes, members)
    db, raw = folder / "tong-hop.db", folder / "baseline.db"
    for path in (db, raw):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    merged = run_merge(db, packages)
    base = baseline(db, raw, MEMBER_TABLES)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{raw}{suffix}").unlink(missing_ok=True)
    full = baseline(db, raw, ALL_TABLES)
    result = {
        "communes": communes,
        "members_each": members,
        "dvdesk": merged,
        "baseline_members_steps": base,
        "baseline_all_rows": full,
        "ratio_cpu": round(merged["cpu_s"] / base["cpu_s"], 2),
        "ratio_wall": round(merged["wall_s"] / base["wall_s"], 2),
        "ratio_cpu_all_rows": round(merged["cpu_s"] / full["cpu_s"], 2),
        "ratio_wall_all_rows": round(merged["wall_s"] / full["wall_s"], 2),
        "targets": {"ratio": 3.0, "peak_rss_mb": 400},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
