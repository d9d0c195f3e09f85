"""The operations timed through dvdesk and through a bare equivalent, in the same run."""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measure import DATA, ENV, HERE, ON, PREFIXES, REPEATS, Result, child_cpu, median

# -- search as you type, eligible list (in this process) --------------------------


def fts_text(prefix: str) -> str:
    return " ".join(f'"{t}"*' for t in prefix.split())


BARE_SEARCH = (
    "SELECT m.id FROM members_fts JOIN members m ON m.id = members_fts.rowid "
    "WHERE members_fts MATCH ? AND m.deleted_at IS NULL ORDER BY m.name_sort, m.id"
)
BARE_ELIGIBLE = (
    "SELECT m.id, m.uid, m.full_name, m.gender, m.dob, m.dob_precision, m.elig_from_a, "
    "m.over_from_a, m.elig_from_b, m.over_from_b, m.cccd, m.phone, m.school_class, "
    "m.school_year, m.graduation_year, m.presence, m.stage, m.issue_codes, m.commune_code, "
    "m.union_officer, m.union_extended, u.code, u.name, u.kind "
    "FROM members m JOIN units u ON u.id = m.unit_id WHERE m.deleted_at IS NULL "
    "AND m.elig_from_a <= ? AND m.over_from_a > ? ORDER BY m.name_sort, m.id"
)


def fresh(store: Any) -> Any:
    """The store with its remembered answers dropped: each keystroke is a new query."""
    store.members.forget()
    return store


def bench_queries(db: Path, n: int) -> list[Result]:
    from dvdesk.store.gateway import Store
    from dvdesk.store.member_query import MemberQuery

    store = Store.open(db, create=False)
    conn = sqlite3.connect(db)
    try:
        keystrokes: dict[str, tuple[float, float, int]] = {}
        for prefix in PREFIXES:
            ids = store.members.ids(MemberQuery(search=prefix))
            bare = [r[0] for r in conn.execute(BARE_SEARCH, [fts_text(prefix)])]
            assert ids == bare, f"search {prefix!r}: dvdesk and bare SQL disagree"
            mine = median(lambda p=prefix: fresh(store).members.ids(MemberQuery(search=p)))
            theirs = median(lambda p=prefix: conn.execute(BARE_SEARCH, [fts_text(p)]).fetchall())
            keystrokes[prefix] = (mine, theirs, len(ids))
        search = Result(
            "tìm khi gõ (10 phím)",
            n,
            sum(v[0] for v in keystrokes.values()),
            sum(v[1] for v in keystrokes.values()),
            1.5,
            notes={
                "slowest_keystroke_ms": round(max(v[0] for v in keystrokes.values()) * 1000, 1),
                "per_keystroke_ms": {k: round(v[0] * 1000, 2) for k, v in keystrokes.items()},
                "matches": {k: v[2] for k, v in keystrokes.items()},
            },
        )

        query = MemberQuery(eligible_on=ON)
        rows = store.members.list(query)
        bare_rows = conn.execute(BARE_ELIGIBLE, [ON.isoformat()] * 2).fetchall()
        assert [r["id"] for r in rows] == [r[0] for r in bare_rows]
        eligible = Result(
            "danh sách đủ tuổi tại ngày",
            n,
            median(lambda: store.members.list(query)),
            median(lambda: conn.execute(BARE_ELIGIBLE, [ON.isoformat()] * 2).fetchall()),
            1.5,
            notes={"rows": len(rows)},
        )
        return [search, eligible]
    finally:
        conn.close()
        store.close()


# -- the window (subprocesses) ------------------------------------------------------


def probe(kind: str, db: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(HERE / "gui_probe.py"), kind, str(db)],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_window(db: Path, n: int) -> list[Result]:
    try:
        import dvdesk.ui.main_window  # noqa: F401
    except ImportError:
        return []
    # Each window opens a copy, so no run sees another's WAL or a warm daily backup.
    runs: dict[str, list[dict[str, float]]] = {"dvdesk": [], "bare": []}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / db.name
        shutil.copy(db, copy)
        for _ in range(max(3, REPEATS - 2)):
            for kind in runs:
                runs[kind].append(probe(kind, copy))
    seconds = {k: statistics.median(r["cpu"] for r in v) for k, v in runs.items()}
    rss = {k: statistics.median(r["peak_rss_mb"] for r in v) for k, v in runs.items()}
    return [
        Result("mở tệp, hiện bảng đầu tiên", n, seconds["dvdesk"], seconds["bare"], 1.5),
        Result("bộ nhớ đỉnh của cửa sổ", n, rss["dvdesk"], rss["bare"], 1.3, unit="MB"),
    ]


# -- import of a CSV (subprocesses) ------------------------------------------------


def export_csv(db: Path, n: int) -> Path:
    path = DATA / f"members-{n}.csv"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "dvdesk", "export", "--db", str(db), "--out", str(path)],
            check=True,
            env=ENV,
            capture_output=True,
        )
    return path


def bench_import(db: Path, n: int) -> list[Result]:
    try:
        import dvdesk.exchange.sheet_import  # noqa: F401
    except ImportError:
        return []
    sheet = export_csv(db, n)
    sqlite_utils = Path(sys.executable).with_name("sqlite-utils")
    repeats = 3 if n <= 20_000 else 1

    def run(cmd: list[str], prepare: Callable[[Path], object] = lambda _: None) -> float:
        times = []
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "nhap.db"
                prepare(target)
                start = child_cpu()
                subprocess.run(
                    [c.replace("{db}", str(target)) for c in cmd],
                    check=True,
                    env=ENV,
                    capture_output=True,
                )
                times.append(child_cpu() - start)
        return statistics.median(times)

    def empty_file(target: Path) -> None:
        from dvdesk.store.gateway import Store

        Store.open(target).close()  # a new data file, as the window creates it

    # --skip-invalid: a demo commune can hold two same-name, same-birthday people in one
    # unit, which the import flags as a probable duplicate row (reported as a bug).
    mine = run(
        [sys.executable, "-m", "dvdesk", "import", "--db", "{db}", str(sheet), "--skip-invalid"],
        empty_file,
    )
    theirs = run(
        [
            str(sqlite_utils),
            "insert",
            "{db}",
            "members",
            str(sheet),
            "--csv",
            "--encoding",
            "utf-8-sig",
        ]
    )
    results = [Result(f"nhập CSV {n:,} dòng", n, mine, theirs, 2.0)]
    # The same list as an Excel workbook: dvdesk against a plain streamed read + executemany.
    book = export_xlsx(db, n)
    mine_x = run(
        [sys.executable, "-m", "dvdesk", "import", "--db", "{db}", str(book), "--skip-invalid"],
        empty_file,
    )
    theirs_x = run([sys.executable, "-c", PLAIN_XLSX_INSERT, str(book), "{db}"])
    results.append(Result(f"nhập XLSX {n:,} dòng", n, mine_x, theirs_x, 3.0))
    return results


# A plain Python insert of the same workbook: stream the rows, one executemany, the search
# index built once.
PLAIN_XLSX_INSERT = """
import sqlite3, sys
from openpyxl import load_workbook
ws = load_workbook(sys.argv[1], read_only=True, data_only=True).worksheets[0]
rows = ws.iter_rows(values_only=True)
header = next(rows)
db = sqlite3.connect(sys.argv[2])
cols = ", ".join(f"c{i}" for i in range(len(header)))
db.execute(f"CREATE TABLE members ({cols})")
db.executemany(f"INSERT INTO members VALUES ({', '.join('?' * len(header))})",
               ([str(v) if v is not None else None for v in r] for r in rows))
db.execute("CREATE VIRTUAL TABLE members_fts USING fts5 (t)")
db.execute("INSERT INTO members_fts (rowid, t) SELECT rowid, c1 FROM members")
db.commit()
"""


def export_xlsx(db: Path, n: int) -> Path:
    path = DATA / f"members-{n}.xlsx"
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "dvdesk", "export", "--db", str(db), "--out", str(path)],
            check=True,
            env=ENV,
            capture_output=True,
        )
    return path


# -- PDF of 1,000 checklists ------------------------------------------------------


def bench_pdf(db: Path, n: int) -> list[Result]:
    """The reports module's own comparison (bench/bench_pdf.py): the same 1,000 sheets
    through dvdesk's platypus checklist and drawn by hand on a bare canvas."""
    try:
        import bench_pdf
    except ImportError:
        return []
    bench_pdf.register_fonts()
    bench_pdf.st.styles()
    batch = bench_pdf.sheets(1000)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        bench_pdf.platypus_one(batch[:3], out / "warm.pdf")
        bench_pdf.bare_one(batch[:3], out / "warm-bare.pdf")
        mine = median(lambda: bench_pdf.platypus_one(batch, out / "dvdesk.pdf"), 3)
        theirs = median(lambda: bench_pdf.bare_one(batch, out / "bare.pdf"), 3)
    return [Result("1.000 phiếu quy trình, một PDF", n, mine, theirs, 1.5)]
